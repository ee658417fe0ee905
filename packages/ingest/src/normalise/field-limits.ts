import { describeChars, safeCut, type ParseLimits } from '../parsers/limits.ts';
import type { RecordFields } from './build-record.ts';

const NAMES: Partial<Record<keyof RecordFields, string>> = {
  titles: 'title',
  abstracts: 'abstract',
  authors: 'author',
  dates: 'date',
  journals: 'journal',
  journalAbbrevs: 'journal abbreviation',
  publishers: 'publisher',
  dois: 'DOI',
  doiElsewhere: 'URL or note',
  pmids: 'PMID',
  pmcids: 'PMCID',
  issnIsbn: 'ISSN/ISBN',
  keywords: 'keywords',
  mesh: 'MeSH',
  languages: 'language',
  publicationTypes: 'publication type',
  urls: 'URL',
};

/**
 * Cuts every value over its field's limit, in place, calling `warn` once per field cut. The last
 * guard for every format: the stream layers below (line reader, XML text runs, CSV cells, BibTeX
 * values) have already cut anything longer than the longest limit, so this never sees a huge string.
 */
export function limitFields(
  f: RecordFields,
  limits: ParseLimits,
  warn: (message: string, field: string) => void,
): void {
  const cut = (key: keyof RecordFields, value: string): string => {
    const chars =
      key === 'titles' ? limits.titleChars : key === 'abstracts' ? limits.abstractChars : limits.fieldChars;
    if (value.length <= chars) return value;
    const field = NAMES[key] ?? key;
    warn(
      `${field} is ${describeChars(value.length)} characters or longer, over the limit of ${describeChars(chars)}; truncated`,
      field,
    );
    return value.slice(0, safeCut(value, chars));
  };
  const bag = f as unknown as Record<string, string | string[] | undefined>;
  for (const key of Object.keys(bag) as (keyof RecordFields)[]) {
    const v = bag[key];
    if (typeof v === 'string') bag[key] = cut(key, v);
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = cut(key, v[i]!);
  }
}
