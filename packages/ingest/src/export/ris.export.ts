import { escapeText } from '../normalise/markup.ts';
import { publicationTypeToRis } from '../normalise/publication-type.ts';
import type { NormalisedRecord } from '../record.types.ts';

/** Title/abstract as exported: the sanitised markup when there is some, else text safe to re-read as markup. */
export function exportText(text: string | undefined, html: string | undefined): string | undefined {
  if (html) return html;
  if (!text) return undefined;
  return /[<&]/.test(text) ? escapeText(text) : text;
}

/** The end page as the source abbreviated it (`245-59` -> `59`), so a re-import keeps `asWritten`. */
export function pagesEndAsWritten(pages: NonNullable<NormalisedRecord['pages']>): string | undefined {
  if (!pages.end || !pages.start) return undefined;
  return pages.asWritten.slice(pages.start.length + 1) || pages.end;
}

/** One record as RIS lines (`TY` .. `ER`), tags chosen so Winnow's RIS reader gives the record back. */
export function recordToRis(r: NormalisedRecord): string {
  const lines: string[] = [];
  const put = (tag: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    const v = String(value).replace(/\s+/g, ' ').trim();
    if (v) lines.push(`${tag}  - ${v}`);
  };
  put('TY', publicationTypeToRis(r.publicationType));
  put('TI', exportText(r.title, r.titleHtml));
  for (const a of r.authors) put('AU', a.asWritten);
  put('PY', r.year);
  put('JF', r.journal);
  put('J2', r.journalAbbrev);
  put('PB', r.publisher);
  put('VL', r.volume);
  put('IS', r.issue);
  if (r.pages) {
    put('SP', r.pages.start ?? r.pages.asWritten);
    put('EP', pagesEndAsWritten(r.pages));
  }
  put('DO', r.doi);
  if (r.pmid) put('AN', `PMID:${r.pmid}`);
  put('C2', r.pmcid);
  for (const s of r.issn ?? []) put('SN', s);
  for (const s of r.isbn ?? []) put('SN', s);
  for (const k of r.keywords) put('KW', k);
  // RIS has no MeSH tag; MH is what MEDLINE uses and RIS readers ignore unknown tags.
  for (const m of r.mesh) put('MH', m);
  put('LA', r.language);
  for (const t of r.publicationTypesRaw ?? []) put('M3', t);
  put('UR', r.url);
  put('DB', r.source.database);
  put('DP', r.source.platform);
  put('AB', exportText(r.abstract, r.abstractHtml));
  lines.push('ER  - ');
  return lines.join('\n') + '\n';
}

export function recordsToRis(records: Iterable<NormalisedRecord>): string {
  const out: string[] = [];
  for (const r of records) out.push(recordToRis(r));
  return out.join('\n');
}
