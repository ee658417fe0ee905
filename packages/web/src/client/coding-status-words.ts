/** Where a coder's own coding of a study stands, as the coding queue says it. */
const WORDS: Record<string, string> = {
  'not-started': 'Not started',
  draft: 'Draft saved',
  submitted: 'Submitted',
};

/** A coding status in words; one this table does not know reads with its hyphens as spaces. */
export function codingStatusWords(status: string | undefined): string {
  if (!status) return '';
  const known = WORDS[status];
  if (known) return known;
  const spaced = status.replace(/[-_]+/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
