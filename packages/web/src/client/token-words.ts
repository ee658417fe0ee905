/**
 * A token the API sends (a status, a kind, a type) in the words `table` gives it; one the table
 * does not know reads with its hyphens and underscores as spaces, capitalised, never as a token.
 */
export function inWords(table: Readonly<Record<string, string>>, token: string): string {
  const known = table[token];
  if (known) return known;
  const spaced = token.replace(/[-_]+/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
