import type { CitationSource } from '../export/citation.ts';

/** Harvard (author-date): `Family, A.B., Other, C. and Last, D. (2019) 'Title', Journal, 12(3), pp. 45-9. doi:...` */
export function formatHarvard(r: CitationSource): string {
  const names = (r.authors ?? []).map((a) =>
    a.given
      ? `${a.family}, ${a.given
          .split(/[\s.-]+/)
          .filter(Boolean)
          .map((g) => `${(g[0] ?? '').toUpperCase()}.`)
          .join('')}`
      : a.family,
  );
  const who =
    names.length > 3
      ? `${names[0]} et al.`
      : names.length > 1
        ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
        : (names[0] ?? '');
  const year = `(${r.year ?? 'n.d.'})`;
  const where = [
    r.journal,
    r.volume ? `${r.volume}${r.issue ? `(${r.issue})` : ''}` : undefined,
    r.pages ? `pp. ${r.pages.asWritten}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const title = r.title ? `'${r.title.replace(/\.$/, '')}'` : '';
  const out = [[who, year].filter(Boolean).join(' '), [title, where].filter(Boolean).join(', ')]
    .filter(Boolean)
    .join(' ');
  return `${out}.${r.doi ? ` doi:${r.doi}` : ''}`;
}
