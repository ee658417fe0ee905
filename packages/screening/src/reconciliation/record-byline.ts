/** Authors (three, then et al.), year and journal of a stored record, for telling records apart. */
export function byline(data: unknown): string {
  const d = (data ?? {}) as {
    authors?: { family?: string; given?: string }[];
    year?: number;
    journal?: string;
  };
  const names = (d.authors ?? [])
    .filter((a) => a.family)
    .map((a) => `${a.family}${a.given ? ` ${a.given.charAt(0)}` : ''}`);
  const who = names.length > 3 ? `${names.slice(0, 3).join(', ')}, et al.` : names.join(', ');
  const when = typeof d.year === 'number' ? `(${d.year})` : '';
  return [[who, when].filter(Boolean).join(' '), d.journal ?? ''].filter(Boolean).join(' · ');
}
