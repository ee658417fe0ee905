import { asSentence } from '@winnow/core';
/** The parts of a normalised record a citation needs (a subset of @winnow/ingest's NormalisedRecord). */
export interface CitationSource {
  title?: string;
  authors?: Array<{ family: string; given?: string }>;
  year?: number;
  journal?: string;
  volume?: string;
  issue?: string;
  pages?: { asWritten: string };
  doi?: string;
}

/** A short reference for tables: `Family A, Other B, et al. (2019) Title. Journal 12(3):45-9. doi:...` */
export function formatCitation(r: CitationSource): string {
  const authors = (r.authors ?? []).map((a) => (a.given ? `${a.family} ${initials(a.given)}` : a.family));
  const who = authors.length > 3 ? `${authors.slice(0, 3).join(', ')}, et al.` : authors.join(', ');
  const where = [
    r.journal,
    r.volume
      ? `${r.volume}${r.issue ? `(${r.issue})` : ''}${r.pages ? `:${r.pages.asWritten}` : ''}`
      : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const parts = [
    [who, r.year !== undefined ? `(${r.year})` : ''].filter(Boolean).join(' '),
    r.title?.trim() ?? '',
    where,
    r.doi ? `doi:${r.doi}` : '',
  ].filter(Boolean);
  return parts.map(asSentence).join(' ');
}

function initials(given: string): string {
  return given
    .split(/[\s.-]+/)
    .filter(Boolean)
    .map((g) => (g.length <= 2 && g === g.toUpperCase() ? g : (g[0] ?? '').toUpperCase()))
    .join('');
}
