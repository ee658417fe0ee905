const MIN_YEAR = 1500;

/** The publication year from a date-ish value (`2019//`, `2017 Nov 15`, `2016/09//`, `DEC 16 2020`). */
export function normaliseYear(value: string | undefined, now = new Date()): number | undefined {
  if (!value) return undefined;
  const max = now.getUTCFullYear() + 2;
  for (const m of value.matchAll(/(?<!\d)(\d{4})(?!\d)/g)) {
    const y = Number(m[1]);
    if (y >= MIN_YEAR && y <= max) return y;
  }
  return undefined;
}
