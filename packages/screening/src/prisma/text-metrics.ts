/**
 * Approximate text measurement for the SVG renderer, so boxes can wrap and grow without a browser.
 * Advance widths (per 1000 em) of DejaVu Sans and DejaVu Sans Bold for ASCII 32-126, read from the
 * fonts' hmtx tables. DejaVu Sans is the font named first in the SVG and is wider than Arial or
 * Helvetica, so text measured here also fits when a viewer falls back to those.
 */
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
  636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295,
  295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
  500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
  392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
  696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372,
  372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838,
  500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595,
  478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/** Width of one character in em/1000: table for ASCII, generous guesses elsewhere. */
function advance(char: number, bold: boolean): number {
  const code = char === 0xa0 ? 32 : char;
  if (code >= 32 && code < 127) return (bold ? BOLD : REGULAR)[code - 32] ?? 640;
  // East Asian wide characters take a full em; other scripts are taken as a wide Latin letter.
  if (code >= 0x2e80 && code <= 0xffdc) return 1000;
  return bold ? 720 : 660;
}

export function textWidth(text: string, fontSize: number, bold = false): number {
  let w = 0;
  for (const ch of text) w += advance(ch.codePointAt(0)!, bold);
  return (w * fontSize) / 1000;
}

/** Breaks text into lines no wider than `maxWidth`, at spaces, splitting words longer than a line. */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (s: string): boolean => textWidth(s, fontSize, bold) <= maxWidth;
  // Split at ordinary spaces only: a no-break space keeps "(n = 14)" together.
  for (const word of text.split(/[ \t\n]+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (!fits(rest)) {
      let cut = 1;
      const chars = [...rest];
      while (cut < chars.length && fits(chars.slice(0, cut + 1).join(''))) cut++;
      lines.push(chars.slice(0, cut).join(''));
      rest = chars.slice(cut).join('');
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
