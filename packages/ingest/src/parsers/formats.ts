export const INGEST_FORMATS = [
  'ris',
  'medline',
  'pubmed-xml',
  'endnote-xml',
  'wos-plain',
  'wos-tab',
  'csv',
  'bibtex',
] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

export function isIngestFormat(value: string): value is IngestFormat {
  return (INGEST_FORMATS as readonly string[]).includes(value);
}
