/**
 * A record added by hand (grey literature: a report on an organisation's website, a citation found
 * by hand). It becomes a one-record RIS file so it is imported, stored with its raw text,
 * deduplicated and counted in PRISMA exactly like any exported record.
 */

export const MANUAL_FOUND_VIA = ['website', 'organisation', 'citation'] as const;
export type ManualFoundVia = (typeof MANUAL_FOUND_VIA)[number];

/** Report types a reviewer picks from, with the RIS type each is written as. */
export const MANUAL_REPORT_TYPES = {
  report: { label: 'Report', ty: 'RPRT' },
  'web-page': { label: 'Web page', ty: 'ELEC' },
  guideline: { label: 'Guideline', ty: 'RPRT' },
  'policy-document': { label: 'Policy document', ty: 'GOVDOC' },
  'conference-paper': { label: 'Conference paper', ty: 'CPAPER' },
  thesis: { label: 'Thesis', ty: 'THES' },
  'journal-article': { label: 'Journal article', ty: 'JOUR' },
  other: { label: 'Other', ty: 'GEN' },
} as const;
export type ManualReportType = keyof typeof MANUAL_REPORT_TYPES;

export interface ManualRecordInput {
  title: string;
  /** People, one per entry, as written (`Smith, Anna`). */
  authors?: string[];
  /** The organisation that wrote or published it (`The King's Fund`). */
  organisation?: string;
  year?: number;
  url?: string;
  /** YYYY-MM-DD. */
  accessed?: string;
  reportType: ManualReportType;
  foundVia: ManualFoundVia;
  /** Where exactly: the website or organisation searched, or the paper whose references were checked. */
  foundIn?: string;
  abstract?: string;
}

/** One line of a RIS value: line breaks would start a new tag, so they become spaces. */
function oneLine(v: string): string {
  return v.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

/** The RIS text for one hand-added record (ends with `ER  -`). */
export function manualRecordRis(r: ManualRecordInput): string {
  const type = MANUAL_REPORT_TYPES[r.reportType];
  const lines: string[] = [`TY  - ${type.ty}`, `TI  - ${oneLine(r.title)}`];
  for (const a of r.authors ?? []) if (oneLine(a)) lines.push(`AU  - ${oneLine(a)}`);
  if (r.organisation && oneLine(r.organisation)) {
    // A corporate author: with no people named, the organisation is the author.
    if (!(r.authors ?? []).some((a) => oneLine(a))) lines.push(`AU  - ${oneLine(r.organisation)}`);
    lines.push(`PB  - ${oneLine(r.organisation)}`);
  }
  if (r.year !== undefined) lines.push(`PY  - ${r.year}`);
  if (r.abstract && oneLine(r.abstract)) lines.push(`AB  - ${oneLine(r.abstract)}`);
  if (r.url) lines.push(`UR  - ${oneLine(r.url)}`);
  lines.push(`M3  - ${type.label}`);
  if (r.accessed) lines.push(`N1  - Accessed ${r.accessed}`);
  lines.push(`N1  - Found by ${foundViaLabel(r.foundVia)}${r.foundIn ? `: ${oneLine(r.foundIn)}` : ''}`);
  lines.push('ER  - ');
  return lines.join('\n') + '\n';
}

export function foundViaLabel(v: ManualFoundVia): string {
  return v === 'website' ? 'website search' : v === 'organisation' ? 'organisation' : 'citation searching';
}

/** The PRISMA-S source name for the search this record is logged under. */
export function manualSourceName(
  r: Pick<ManualRecordInput, 'foundVia' | 'foundIn' | 'organisation'>,
): string {
  const where = r.foundIn?.trim() || (r.foundVia === 'organisation' ? r.organisation?.trim() : undefined);
  const base =
    r.foundVia === 'website'
      ? 'Website'
      : r.foundVia === 'organisation'
        ? 'Organisation'
        : 'Citation searching';
  return where ? `${base}: ${oneLine(where)}`.slice(0, 200) : base;
}
