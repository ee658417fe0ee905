import type { NormalisedRecord } from '../record.types.ts';

export type CanonicalField = keyof NormalisedRecord;

/** The group's record built field by field, and which record each field came from. */
export interface CanonicalRecord {
  record: NormalisedRecord;
  provenance: Partial<Record<CanonicalField, string>>;
}

export interface Member {
  id: string;
  record: NormalisedRecord;
}

/** How much a record says: picks the record a group keeps when no earlier choice exists. */
export function completeness(r: NormalisedRecord): number {
  const present = [
    r.abstract,
    r.doi,
    r.pmid,
    r.journal,
    r.volume,
    r.issue,
    r.pages?.end ?? r.pages?.start,
    r.year,
    r.authors.length > 0 ? 1 : undefined,
  ];
  return (
    present.filter((v) => v !== undefined && v !== '').length + Math.min(1, (r.abstract?.length ?? 0) / 5000)
  );
}

const LONGEST_TEXT = [
  'title',
  'titleHtml',
  'abstract',
  'abstractHtml',
  'journal',
  'journalAbbrev',
  'publisher',
  'volume',
  'issue',
  'doi',
  'pmid',
  'pmcid',
  'language',
  'url',
] as const;
const LONGEST_LIST = ['keywords', 'mesh', 'issn', 'isbn', 'publicationTypesRaw'] as const;

/**
 * `kept` first: on ties the kept record's value wins, so the canonical record reads like the
 * record reviewers saw first. Year, type and source come from the kept record when it has them:
 * picking the "most complete" year between epub and print would be arbitrary.
 */
export function canonicalRecord(kept: Member, others: readonly Member[]): CanonicalRecord {
  const members = [kept, ...others];
  const record: NormalisedRecord = { ...kept.record };
  const provenance: Partial<Record<CanonicalField, string>> = {};
  for (const field of LONGEST_TEXT) {
    let best: Member | undefined;
    for (const m of members) {
      const v = m.record[field];
      if (v && (!best || v.length > (best.record[field]?.length ?? 0))) best = m;
    }
    if (best) {
      (record as unknown as Record<string, unknown>)[field] = best.record[field];
      provenance[field] = best.id;
    }
  }
  for (const field of LONGEST_LIST) {
    let best: Member | undefined;
    for (const m of members)
      if ((m.record[field]?.length ?? 0) > (best?.record[field]?.length ?? 0)) best = m;
    if (best) {
      (record as unknown as Record<string, unknown>)[field] = best.record[field];
      provenance[field] = best.id;
    }
  }
  const authorWeight = (m: Member): number =>
    m.record.authors.length * 1000 + m.record.authors.reduce((n, a) => n + (a.given?.length ?? 0), 0);
  const authors = members.reduce((b, m) => (authorWeight(m) > authorWeight(b) ? m : b));
  record.authors = authors.record.authors;
  provenance.authors = authors.id;
  const pagesWeight = (m: Member): number =>
    m.record.pages ? (m.record.pages.end ? 1000 : 0) + m.record.pages.asWritten.length : -1;
  const pages = members.reduce((b, m) => (pagesWeight(m) > pagesWeight(b) ? m : b));
  if (pages.record.pages) {
    record.pages = pages.record.pages;
    provenance.pages = pages.id;
  }
  for (const field of ['year', 'publicationType', 'source', 'raw'] as const) {
    const from = members.find((m) => m.record[field] !== undefined);
    if (from) {
      (record as unknown as Record<string, unknown>)[field] = from.record[field];
      provenance[field] = from.id;
    }
  }
  return { record, provenance };
}
