// LaTeX accent commands as BibTeX exporters write them (`{\"o}`, `\'{e}`, `\c{c}`, `{\ss}`), to Unicode.
const ACCENTS: Record<string, string> = {
  '"': '\u0308',
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030c',
  H: '\u030b',
  c: '\u0327',
  k: '\u0328',
  r: '\u030a',
  d: '\u0323',
  b: '\u0331',
};
const SYMBOLS: Record<string, string> = {
  ss: 'ß',
  o: 'ø',
  O: 'Ø',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  aa: 'å',
  AA: 'Å',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
  '&': '&',
  '%': '%',
  $: '$',
  '#': '#',
  _: '_',
  '{': '{',
  '}': '}',
  textendash: '–',
  textemdash: '—',
  textquoteright: '’',
  textquoteleft: '‘',
  textasciitilde: '~',
  dag: '†',
  textregistered: '®',
  texttrademark: '™',
};

export function latexToUnicode(input: string): string {
  let s = input;
  // \"{o}, \"o, {\"o}, \c{c}, \'{\i}
  s = s.replace(
    /\\(["'`^~=.]|[uvHckrdb](?=[{\s]))\s*(?:\{\\?([A-Za-z])\}|\\?([A-Za-z]))/g,
    (whole, acc: string, a?: string, b?: string) => {
      const mark = ACCENTS[acc];
      const base = (a ?? b)!;
      const letter = base === 'i' ? 'i' : base === 'j' ? 'j' : base;
      return mark ? (letter + mark).normalize('NFC') : whole;
    },
  );
  s = s.replace(/\\([A-Za-z]+|[&%$#_{}])(?![A-Za-z])\s?/g, (whole, name: string) => SYMBOLS[name] ?? whole);
  s = s.replace(/---/g, '—').replace(/(?<!\d)--(?!\d)/g, '–');
  // Braces only protect case in BibTeX; escaped braces were turned into text above.
  s = s.replace(/[{}]/g, '');
  // Formatting commands left without their arguments' braces (`\textit Title`, `\emph`).
  s = s.replace(/\\(?:textit|emph|textbf|textsc|textrm|mathrm|url)\s*/g, '');
  return s;
}
