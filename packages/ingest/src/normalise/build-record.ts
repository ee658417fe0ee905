import type { NormalisedRecord, ParseDiagnostic } from '../record.types.ts';
import { parseAuthors } from './authors.ts';
import { findDoi } from './doi.ts';
import { findIsbns, findIssns, findPmcid, normalisePmid, unique } from './identifiers.ts';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../parsers/limits.ts';
import { limitFields } from './field-limits.ts';
import { collapseWhitespace, normaliseMarkup } from './markup.ts';
import { normalisePages } from './pages.ts';
import { mapPublicationType } from './publication-type.ts';
import { normaliseYear } from './year.ts';

/**
 * What a format parser extracted from one record, before normalising: every parser fills this
 * bag from its own tags/columns/elements, and one function turns it into a NormalisedRecord.
 */
export interface RecordFields {
  titles: string[];
  abstracts: string[];
  /** One entry per author, as written. */
  authors: string[];
  dates: string[];
  journals: string[];
  journalAbbrevs: string[];
  publishers: string[];
  volume?: string;
  issue?: string;
  pages?: string;
  startPage?: string;
  endPage?: string;
  /** DOI field values first, then other places a DOI may hide (URLs, notes), in trust order. */
  dois: string[];
  doiElsewhere: string[];
  pmids: string[];
  pmcids: string[];
  /** Values that may hold ISSNs and/or ISBNs. */
  issnIsbn: string[];
  keywords: string[];
  mesh: string[];
  languages: string[];
  /** Container code (RIS TY) when the format has one. */
  typeCode?: string;
  publicationTypes: string[];
  urls: string[];
  database?: string;
  platform?: string;
}

export function emptyFields(): RecordFields {
  return {
    titles: [],
    abstracts: [],
    authors: [],
    dates: [],
    journals: [],
    journalAbbrevs: [],
    publishers: [],
    dois: [],
    doiElsewhere: [],
    pmids: [],
    pmcids: [],
    issnIsbn: [],
    keywords: [],
    mesh: [],
    languages: [],
    publicationTypes: [],
    urls: [],
  };
}

/** First value with any non-space content, untouched (the markup normaliser collapses it once). */
function firstRaw(values: string[]): string | undefined {
  for (const v of values) if (v && v.trim()) return v;
  return undefined;
}

function first(values: string[]): string | undefined {
  for (const v of values) {
    const t = collapseWhitespace(v);
    if (t) return t;
  }
  return undefined;
}

// Many exports pack several keywords or types into one value with `;`. Cleaned, empty parts
// dropped, first occurrence kept (a loop: this runs for several fields of every record).
function cleanList(values: string[]): string[] {
  const out: string[] = [];
  if (values.length === 0) return out;
  let seen: Set<string> | undefined;
  const add = (part: string): void => {
    const t = collapseWhitespace(part);
    if (!t) return;
    // Short lists (the usual case) are checked in place; long ones through a Set.
    if (seen) {
      if (seen.has(t)) return;
      seen.add(t);
    } else if (out.includes(t)) return;
    else if (out.length >= 16) seen = new Set([...out, t]);
    out.push(t);
  };
  for (const v of values) {
    if (v.indexOf(';') === -1) add(v);
    else for (const part of v.split(';')) add(part);
  }
  return out;
}

function firstFound(values: string[], find: (v: string) => string | undefined): string | undefined {
  for (const v of values) {
    const found = find(v);
    if (found !== undefined) return found;
  }
  return undefined;
}

function allFound(values: string[], find: (v: string) => string[]): string[] {
  if (values.length === 1) {
    const found = find(values[0]!);
    return found.length > 1 ? unique(found) : found;
  }
  return unique(values.flatMap(find));
}

export interface BuildContext {
  format: string;
  raw: string;
  index: number;
  line?: number;
  /** Values over these are truncated with a warning (defaults: DEFAULT_PARSE_LIMITS). */
  limits?: ParseLimits;
}

/** Normalise one record; problems become diagnostics, never exceptions. */
export function buildRecord(
  f: RecordFields,
  ctx: BuildContext,
): { record: NormalisedRecord; diagnostics: ParseDiagnostic[] } {
  const diagnostics: ParseDiagnostic[] = [];
  const warn = (message: string, field?: string): void => {
    diagnostics.push({ severity: 'warning', record: ctx.index, line: ctx.line, field, message });
  };

  limitFields(f, ctx.limits ?? DEFAULT_PARSE_LIMITS, warn);
  const title = normaliseMarkup(firstRaw(f.titles));
  const abstractText = firstRaw(f.abstracts);
  const abstract = abstractText ? normaliseMarkup(abstractText) : undefined;
  const record: NormalisedRecord = {
    title: title.text,
    authors: parseAuthors(f.authors),
    keywords: cleanList(f.keywords),
    mesh: cleanList(f.mesh),
    source: { format: ctx.format },
    raw: ctx.raw,
  };
  if (title.html) record.titleHtml = title.html;
  if (abstract?.text) {
    record.abstract = abstract.text;
    if (abstract.html) record.abstractHtml = abstract.html;
  }
  if (!record.title)
    warn(
      abstract?.text ? 'no title; kept with warning' : 'no title and no abstract; kept with warning',
      'title',
    );

  const dateText = f.dates.find((d) => d.trim());
  const year = normaliseYear(f.dates.length === 1 ? f.dates[0] : f.dates.join(' '));
  if (year !== undefined) record.year = year;
  else if (dateText)
    warn(`year not recognised in "${collapseWhitespace(dateText).slice(0, 40)}"; left empty`, 'year');

  const journal = first(f.journals);
  if (journal) record.journal = journal;
  const abbrev = first(f.journalAbbrevs);
  if (abbrev && !journal) record.journal = abbrev;
  else if (abbrev && abbrev !== journal) record.journalAbbrev = abbrev;
  const publisher = first(f.publishers);
  if (publisher) record.publisher = publisher;
  const volume = f.volume && collapseWhitespace(f.volume);
  if (volume) record.volume = volume;
  const issue = f.issue && collapseWhitespace(f.issue);
  if (issue) record.issue = issue;
  const pages = normalisePages(f.pages ?? f.startPage, f.pages ? undefined : f.endPage);
  if (pages) record.pages = pages;

  const doi = findDoi(f.dois) ?? findDoi(f.doiElsewhere);
  if (doi) record.doi = doi;
  else if (f.dois.some((d) => d.trim()))
    warn(`DOI not recognised in "${f.dois[0]!.trim().slice(0, 60)}"; left empty`, 'doi');

  const pmid = firstFound(f.pmids, normalisePmid);
  if (pmid) record.pmid = pmid;
  const pmcid = firstFound(f.pmcids, findPmcid);
  if (pmcid) record.pmcid = pmcid;
  if (f.issnIsbn.length) {
    const issn = allFound(f.issnIsbn, findIssns);
    if (issn.length) record.issn = issn;
    const isbn = allFound(f.issnIsbn, findIsbns);
    if (isbn.length) record.isbn = isbn;
  }

  const language = first(f.languages);
  if (language) record.language = language;
  const typesRaw = cleanList(f.publicationTypes);
  // Unknown stays explicit as 'other' so every record has a type and exports say GEN.
  record.publicationType = mapPublicationType(f.typeCode, typesRaw) ?? 'other';
  if (typesRaw.length) record.publicationTypesRaw = typesRaw;
  const url = first(f.urls);
  if (url) record.url = url;
  if (f.database?.trim()) record.source.database = collapseWhitespace(f.database);
  if (f.platform?.trim()) record.source.platform = collapseWhitespace(f.platform);
  return { record, diagnostics };
}
