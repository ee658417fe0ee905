/**
 * `n` and the noun it counts, singular or plural as `n` asks ("1 report", "2 reports",
 * "1,200 records"): messages people read say "2 reports", not "2 report(s)".
 */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? singular : plural}`;
}
