/**
 * The path (`a.b.0`) of the first string or object key holding U+0000, or null. PostgreSQL's
 * text and jsonb cannot store NUL, so such input would fail inside a query with a 500; it is
 * refused up front instead, naming where it is.
 */
export function findNul(value: unknown, path: readonly string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? [...path] : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '\\u0000')];
    const found = findNul(inner, [...path, key]);
    if (found) return found;
  }
  return null;
}
