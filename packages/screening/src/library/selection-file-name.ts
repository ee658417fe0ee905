import type { LibraryQuery } from './records-library.repository.ts';

/** Lower-case words joined by hyphens, safe in a file name on every system. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The name of an exported selection: the review, what the filters picked and the day, so two
 * exports of one review (the records excluded as "not a healthcare setting", those tagged
 * "check later") do not arrive as one name twice. `day` is YYYY-MM-DD.
 */
export function selectionFileName(
  review: string,
  q: Omit<LibraryQuery, 'sort' | 'offset' | 'limit'>,
  format: 'ris' | 'csv',
  day: string,
): string {
  const picked: string[] = [];
  if (q.state?.length || q.reason) picked.push(q.stage === 'full-text' ? 'full-text' : 'title-abstract');
  if (q.state?.length) picked.push(q.state.join('-or-'));
  if (q.reason) picked.push(q.reason);
  if (q.tag) picked.push(`tagged-${q.tag}`);
  if (q.duplicate) picked.push(q.duplicate);
  if (q.source) picked.push('one-source');
  if (q.yearFrom !== undefined || q.yearTo !== undefined)
    picked.push(`${q.yearFrom ?? ''}-${q.yearTo ?? ''}`);
  if (q.fullText !== undefined) picked.push(q.fullText ? 'with-full-text' : 'without-full-text');
  if (q.q?.trim()) picked.push('search');
  const middle = slug(picked.join(' ')).slice(0, 80).replace(/-+$/, '');
  return [slug(review) || 'review', 'records', middle, day].filter(Boolean).join('-') + `.${format}`;
}
