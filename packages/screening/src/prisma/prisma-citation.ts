import { asSentence } from '@winnow/core';

/** The parts of a stored record (records.data) a short citation needs. */
export interface ShortCitationSource {
  title?: string | null | undefined;
  authors?: { family?: string; given?: string }[] | null | undefined;
  year?: number | null | undefined;
}

const TITLE_MAX = 90;

function initials(given: string): string {
  return given
    .split(/[\s.-]+/)
    .filter(Boolean)
    .map((g) => (g.length <= 2 && g === g.toUpperCase() ? g : (g[0] ?? '').toUpperCase()))
    .join('');
}

/**
 * How people name a record: first author, year and title, in the style of the extraction export's
 * citations (`Smith A, et al. (2020). Leadership for quality improvement in acute hospitals.`), the
 * title cut at a word near 90 characters. Never an id: a record with none of these reads "Untitled record".
 */
export function shortCitation(r: ShortCitationSource): string {
  const authors = (r.authors ?? []).filter((a) => a.family?.trim());
  const first = authors[0];
  const who = first
    ? `${first.family!.trim()}${first.given ? ` ${initials(first.given)}` : ''}${authors.length > 1 ? ', et al.' : ''}`
    : '';
  const when = typeof r.year === 'number' ? `(${r.year})` : '';
  let title = (r.title ?? '').replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  if (title.length > TITLE_MAX) {
    const cut = title.slice(0, TITLE_MAX);
    const space = cut.lastIndexOf(' ');
    title = `${(space > TITLE_MAX / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
  }
  const head = [who, when].filter(Boolean).join(' ');
  if (!head && !title) return 'Untitled record';
  // A title ending in ? or ! (or cut with …) is a sentence already: no full stop after it.
  const ended = asSentence(title);
  if (!head) return ended;
  if (!title) return head;
  return `${asSentence(head)} ${ended}`;
}
