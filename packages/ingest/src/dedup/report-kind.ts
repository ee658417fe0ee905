import type { NormalisedRecord } from '../record.types.ts';

/**
 * What kind of report a record describes, as far as the record says. Two records of different
 * kinds may share a title and authors and still be different reports, so they are never merged
 * automatically.
 */
export type ReportKind =
  | 'article'
  | 'conference'
  | 'conference-paper'
  | 'erratum'
  | 'retraction'
  | 'preprint'
  | 'commentary'
  | 'unknown';

const PREPRINT_SERVERS =
  /\b(?:medrxiv|biorxiv|arxiv|research square|ssrn|preprints|chemrxiv|psyarxiv|osf preprints)\b/i;
const PREPRINT_DOI = /^10\.(?:1101|21203\/rs|2139\/ssrn|48550|31234|20944\/preprints|26434\/chemrxiv)/;

export function reportKind(record: NormalisedRecord, doi: string | undefined): ReportKind {
  const raw = (record.publicationTypesRaw ?? []).join(' ; ');
  const title = record.title.trim().toLowerCase();
  const type = record.publicationType;
  if (
    type === 'retraction' ||
    /\bretraction\b/i.test(raw) ||
    /^(?:retraction|retracted|notice of retraction)\b/.test(title)
  )
    return 'retraction';
  if (
    type === 'erratum' ||
    /\b(?:erratum|correction|corrigendum)\b/i.test(raw) ||
    /^(?:erratum|errata|correction|corrigendum)\b/.test(title) ||
    /\b(?:erratum|corrigendum)\b/.test(title)
  )
    return 'erratum';
  if (
    type === 'preprint' ||
    /preprint/i.test(raw) ||
    PREPRINT_SERVERS.test(record.journal ?? '') ||
    (doi !== undefined && PREPRINT_DOI.test(doi))
  )
    return 'preprint';
  if (
    /^(?:re|reply|in reply|response|author'?s? reply|authors'? response|comment|commentary|comments)\b\s*(?::|to\b|on\b|\.)/.test(
      title,
    ) ||
    /\b(?:reply to|response to|comment on|commentary on)\b/.test(title)
  )
    return 'commentary';
  if (type === 'letter' || type === 'editorial' || /\b(?:letter|editorial|comment)\b/i.test(raw))
    return 'commentary';
  if (type === 'conference-abstract' || /\babstracts?\b/i.test(raw)) return 'conference';
  if (type === 'conference-paper' || /\b(?:conference|congress|meeting|proceeding)s?\b/i.test(raw))
    return 'conference-paper';
  if (type === 'journal-article' || type === 'review' || /\b(?:article|review|journal)\b/i.test(raw))
    return 'article';
  return 'unknown';
}

/** Why two kinds cannot be merged automatically, or null when they can. */
export function kindConflict(a: ReportKind, b: ReportKind): string | null {
  if (a === b) return null;
  for (const k of ['retraction', 'erratum', 'preprint', 'commentary'] as const) {
    if (a === k || b === k) return `${LABEL[k]} vs ${LABEL[a === k ? b : a]}`;
  }
  if ((a === 'conference' && b === 'article') || (a === 'article' && b === 'conference'))
    return 'conference abstract vs journal article';
  if ((a === 'conference-paper' && b === 'article') || (a === 'article' && b === 'conference-paper'))
    return 'conference paper vs journal article';
  return null;
}

const LABEL: Record<ReportKind, string> = {
  article: 'journal article',
  conference: 'conference abstract',
  'conference-paper': 'conference paper',
  erratum: 'erratum',
  retraction: 'retraction',
  preprint: 'preprint',
  commentary: 'commentary/reply',
  unknown: 'record of unknown type',
};
