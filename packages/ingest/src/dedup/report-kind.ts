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

/**
 * A notice's own title names it: `Erratum`, `Erratum to "..."`, `Correction: ...`, `Corrigendum`,
 * `Notice of retraction`, `Retraction: ...`, `Retracted: ...`. A word elsewhere in the title is not
 * a notice (`... [Erratum appears in Chest 1993]` is the article; `Correction of hallux valgus` is
 * surgery; `Tumour response to ...` is not a reply).
 */
const RETRACTION_TITLE =
  /^(?:notice of retraction|retraction notice|retraction(?: note| statement)?\s*(?::|$)|retracted(?: article| paper| publication)?\s*:|withdrawn\s*:)/;
const ERRATUM_TITLE =
  /^(?:errat(?:um|a)\b|corrigend(?:um|a)\b|correction(?: notice)?\s*(?::|to\b|$)|notice of correction\b|correction to\b)/;

/**
 * Publication types that name a notice, as the databases' field guides list them: MEDLINE PT
 * `Published Erratum`, `Retraction of Publication` (not `Retracted Publication`, which is the
 * article itself); Embase/Scopus document type `Erratum`; Web of Science DT `Correction`,
 * `Retraction`; PsycINFO `Erratum/Correction`; CINAHL `Erratum`.
 */
const ERRATUM_TYPE = /\b(?:published erratum|erratum|errata|correction|corrigendum)\b/i;
const RETRACTION_TYPE = /\b(?:retraction of publication|retraction notice|retraction)\b/i;

/**
 * The kind from the record's publication types first (what the database says the record is),
 * then from the record as a whole: a notice's title, the preprint server or DOI prefix.
 * `title` is the title without database notes (`stripTitleAnnotations`).
 */
export function reportKind(
  record: Pick<NormalisedRecord, 'title' | 'publicationType' | 'publicationTypesRaw' | 'journal'>,
  doi: string | undefined,
  title = record.title,
): ReportKind {
  const raw = (record.publicationTypesRaw ?? []).join(' ; ');
  const t = title.trim().toLowerCase();
  const type = record.publicationType;
  if (type === 'retraction' || RETRACTION_TYPE.test(raw) || RETRACTION_TITLE.test(t)) return 'retraction';
  if (type === 'erratum' || ERRATUM_TYPE.test(raw) || ERRATUM_TITLE.test(t)) return 'erratum';
  if (
    type === 'preprint' ||
    /preprint/i.test(raw) ||
    PREPRINT_SERVERS.test(record.journal ?? '') ||
    (doi !== undefined && PREPRINT_DOI.test(doi))
  )
    return 'preprint';
  if (
    /^(?:re|reply|in reply|response|author'?s? reply|authors'? response|comment|commentary|comments)\b\s*(?::|to\b|on\b|\.)/.test(
      t,
    ) ||
    /\b(?:reply to|comment on|commentary on)\b/.test(t)
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
