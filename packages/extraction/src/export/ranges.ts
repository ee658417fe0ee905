/**
 * Reference lists as the seed review prints them: runs of three or more consecutive numbers
 * become a range, shorter runs stay listed (`[7-9, 56, 57]`).
 */
export function compressRanges(numbers: Iterable<number>): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** A profile-table cell: `11 [15-25]`, or `0` for an empty category. */
export function countWithReferences(numbers: readonly number[]): string {
  const unique = new Set(numbers);
  return unique.size === 0 ? '0' : `${unique.size} [${compressRanges(unique)}]`;
}
