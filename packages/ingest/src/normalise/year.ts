const MIN_YEAR = 1500;

/** The publication year from a date-ish value (`2019//`, `2017 Nov 15`, `2016/09//`, `DEC 16 2020`). */
export function normaliseYear(value: string | undefined, now?: Date): number | undefined {
  if (!value) return undefined;
  let max: number | undefined;
  // The first run of exactly four digits (not part of a longer number) in range; a character scan,
  // as this runs for every record.
  const n = value.length;
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isDigit(value.charCodeAt(j))) j++;
    if (j - i === 4) {
      const y =
        (c - 48) * 1000 +
        (value.charCodeAt(i + 1) - 48) * 100 +
        (value.charCodeAt(i + 2) - 48) * 10 +
        (value.charCodeAt(i + 3) - 48);
      if (y >= MIN_YEAR) {
        max ??= (now ? now.getUTCFullYear() : currentYear()) + 2;
        if (y <= max) return y;
      }
    }
    i = j;
  }
  return undefined;
}

// The current year, remembered for the rest of it (a Date per record is measurable).
let year = 0;
let yearFrom = 0;
let yearUntil = 0;

function currentYear(): number {
  const t = Date.now();
  if (t < yearFrom || t >= yearUntil) {
    year = new Date(t).getUTCFullYear();
    yearFrom = Date.UTC(year, 0, 1);
    yearUntil = Date.UTC(year + 1, 0, 1);
  }
  return year;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
