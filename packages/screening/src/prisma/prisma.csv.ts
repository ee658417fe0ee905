import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { counted, WinnowError } from '@winnow/core';
import type { NamedCount, PrismaCounts, PrismaWarning } from './prisma.types.ts';
import { isInProgress } from './prisma.types.ts';
import { checkFlowInvariants } from './prisma-invariants.ts';
import { TEMPLATE_COLUMNS, TEMPLATE_ROWS, type TemplateRow } from './prisma-template.ts';

const sum = (xs: NamedCount[]): number => xs.reduce((a, x) => a + x.n, 0);

/** `data` keys whose `n` is a list `Name, n; Name, n`; every other keyed row holds one count. */
const LIST_KEYS = new Set([
  'database_specific_results',
  'register_specific_results',
  'dbr_excluded',
  'other_excluded',
]);
/** Title and phase boxes: their `n` is not a count and is kept as in the template. */
const LABEL_KEYS = new Set(['NA', 'identification', 'screening', 'included']);
const COUNT_KEYS = TEMPLATE_ROWS.map((r) => r[0]).filter((k) => !LABEL_KEYS.has(k) && !LIST_KEYS.has(k));

const inProgressRow = (key: string, text: string): TemplateRow => [
  key,
  'NA',
  'NA',
  `In progress (Winnow, not a template row): ${text}`,
  text,
  'NA',
  'NA',
  '0',
];

/**
 * Rows Winnow adds after the template's while the review is in progress: what has no outcome yet.
 * The R package finds each of its rows by searching the `data` column for its key; none of these keys
 * contains one of its keys, so it reads the file as before. Left out once every record and report has
 * an outcome, so the final export is exactly the template; read back when present.
 */
export const IN_PROGRESS_ROWS: readonly TemplateRow[] = [
  inProgressRow('records_awaiting', 'Records awaiting title/abstract screening'),
  inProgressRow('dbr_awaiting_retrieval', 'Reports awaiting retrieval'),
  inProgressRow('dbr_awaiting_assessment', 'Reports awaiting assessment'),
  inProgressRow('other_records_awaiting', 'Other-methods records awaiting screening'),
  inProgressRow('other_awaiting_retrieval', 'Other-methods reports awaiting retrieval'),
  inProgressRow('other_awaiting_assessment', 'Other-methods reports awaiting assessment'),
];
const IN_PROGRESS_KEYS = IN_PROGRESS_ROWS.map((r) => r[0]);

/** A name inside `Name, n; Name, n` may hold neither separator: the R package splits on them. */
function cleanName(name: string): string {
  return name.replace(/\s*[;,]\s*/g, ' / ').trim();
}

function formatList(items: NamedCount[]): string {
  return items.map((x) => `${cleanName(x.name)}, ${x.n}`).join('; ');
}

/** Template `n` values of one flow, by `data` key. */
function valuesOf(c: PrismaCounts): Record<string, string | number> {
  const o = c.other;
  // Sources of kind "other" have no template row; they are counted with organisations (grey literature).
  const otherKind = o
    ? sum(o.sources) - o.duplicates - o.screenedOut - o.websites - o.organisations - o.citations
    : 0;
  return {
    previous_studies: c.previous?.studies ?? 0,
    previous_reports: c.previous?.reports ?? 0,
    database_results: c.databaseTotal,
    database_specific_results: formatList(c.databases),
    register_results: c.registerTotal,
    register_specific_results: formatList(c.registers),
    website_results: o?.websites ?? 0,
    organisation_results: (o?.organisations ?? 0) + Math.max(0, otherKind),
    citations_results: o?.citations ?? 0,
    duplicates: c.duplicates,
    excluded_automatic: c.removedByAutomation,
    excluded_other: c.removedOther,
    records_screened: c.screened,
    records_excluded: c.recordsExcluded,
    dbr_sought_reports: c.dbr.sought,
    dbr_notretrieved_reports: c.dbr.notRetrieved,
    other_sought_reports: o?.sought ?? 0,
    other_notretrieved_reports: o?.notRetrieved ?? 0,
    dbr_assessed: c.dbr.assessed,
    dbr_excluded: formatList(c.dbr.excluded),
    other_assessed: o?.assessed ?? 0,
    other_excluded: formatList(o?.excluded ?? []),
    new_studies: c.newStudies,
    new_reports: c.newReports,
    total_studies: c.totalStudies,
    total_reports: c.totalReports,
    total_studies_ma: c.metaAnalysis?.studies ?? 0,
    total_reports_ma: c.metaAnalysis?.reports ?? 0,
    records_awaiting: c.awaitingScreening,
    dbr_awaiting_retrieval: c.dbr.awaitingRetrieval,
    dbr_awaiting_assessment: c.dbr.awaitingAssessment,
    other_records_awaiting: o?.awaitingScreening ?? 0,
    other_awaiting_retrieval: o?.awaitingRetrieval ?? 0,
    other_awaiting_assessment: o?.awaitingAssessment ?? 0,
  };
}

/**
 * The flow as the PRISMA2020 template CSV: exactly the template's rows in its order, counts in `n`,
 * then, while the review is in progress, the `IN_PROGRESS_ROWS`.
 * The template has no duplicates box for other methods, so their identification counts are those that
 * went on to retrieval; sources of kind "other" are counted with organisations.
 * Cells that a spreadsheet would run as a formula (=, +, -, @ first) are neutralised.
 */
export function toPrismaTemplateCsv(counts: PrismaCounts): string {
  const values = valuesOf(counts);
  const all = isInProgress(counts) ? [...TEMPLATE_ROWS, ...IN_PROGRESS_ROWS] : TEMPLATE_ROWS;
  const rows = all.map((r) => {
    const v = values[r[0]];
    return [...r.slice(0, 7), v === undefined ? r[7] : String(v)];
  });
  // quote_record_delimiter: a lone \r or \n in a cell is quoted (see prisma-s.ts).
  return stringify([[...TEMPLATE_COLUMNS], ...rows], {
    escape_formulas: true,
    record_delimiter: 'unix',
    quote_record_delimiter: true,
  });
}

export interface PrismaCsvIssue {
  row: number;
  column: string;
  message: string;
}

/** Undo export's formula neutralisation so an exported file round-trips. */
function unescapeFormula(s: string): string {
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

function parseCount(raw: string): number | string {
  const s = raw.trim();
  if (s === '' || s.toUpperCase() === 'NA') return 0;
  if (!/^\d+$/.test(s)) return `"${s}" is not a whole number of 0 or more`;
  return Number(s);
}

function parseList(raw: string): NamedCount[] | string {
  const s = unescapeFormula(raw.trim());
  if (s === '' || s === '0' || s.toUpperCase() === 'NA') return [];
  const out: NamedCount[] = [];
  const parts = s.split(';');
  for (const [i, part] of parts.entries()) {
    const comma = part.lastIndexOf(',');
    const name = part.slice(0, comma).trim();
    if (comma < 0 || name === '') return `item ${i + 1} ("${part.trim()}") is not "Name, n"`;
    const n = parseCount(part.slice(comma + 1));
    if (typeof n === 'string' || part.slice(comma + 1).trim() === '')
      return `item ${i + 1} ("${part.trim()}"): count ${typeof n === 'string' ? n : 'is missing'}`;
    out.push({ name, n });
  }
  return out;
}

const NOT_CSV = 'the PRISMA 2020 template is a CSV file saved from its spreadsheet.';

/**
 * The file's text: UTF-8 (with or without a byte order mark), UTF-16 with its byte order mark, or,
 * when the bytes are not UTF-8, Windows-1252 (a spreadsheet's "CSV" on Windows).
 */
function decode(data: string | Buffer): string {
  if (typeof data === 'string') return data;
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('windows-1252').decode(data);
  }
}

/** Why these bytes cannot be a CSV file (an image, a workbook, a PDF...), or null when they are text. */
function notCsv(data: string | Buffer, text: string, file: string): string | null {
  const head = typeof data === 'string' ? Buffer.from(data.slice(0, 8)) : data.subarray(0, 8);
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])))
    return `${file} is a spreadsheet workbook, not a CSV file: save the PRISMA 2020 template from the spreadsheet as "CSV (comma delimited)" and choose that file.`;
  // Text has no NUL and few control characters besides tab, line feed, form feed and carriage return.
  const sample = text.slice(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return `${file} is not a CSV file: ${NOT_CSV}`;
    if (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) control++;
  }
  return control > sample.length / 100 ? `${file} is not a CSV file: ${NOT_CSV}` : null;
}

/** Line (1-based) of the first non-empty line after `line`: where the record after it starts. */
function nextRecordLine(text: string, line: number): number {
  const lines = text.split(/\r\n|\r|\n/);
  let i = line;
  while (i < lines.length - 1 && lines[i]!.trim() === '') i++;
  return i + 1;
}

/** A CSV syntax error in words, naming its line (and cell), never the parser's own wording. */
function syntaxProblem(
  err: { code?: string; lines?: number; index?: number },
  text: string,
  lastRecordLine: number,
): { line: number; column?: string; message: string } {
  const line = err.lines ?? 1;
  const cell = err.index === undefined ? undefined : TEMPLATE_COLUMNS[err.index];
  const where = cell === undefined ? `line ${line}` : `line ${line}, column "${cell}"`;
  switch (err.code) {
    case 'INVALID_OPENING_QUOTE':
      return {
        line,
        column: cell,
        message: `${where}: a quote mark (") is in the middle of a cell. A cell that holds quote marks must start and end with one, and each quote mark inside it must be doubled ("").`,
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return {
        line,
        column: cell,
        message: `${where}: a cell in quote marks goes on after its closing quote mark. Put the whole cell inside the quote marks, and double each quote mark inside it ("").`,
      };
    case 'CSV_QUOTE_NOT_CLOSED': {
      const start = nextRecordLine(text, lastRecordLine);
      return {
        line: start,
        message: `line ${start}: a cell opens with a quote mark (") that is never closed, so the rest of the file would be read as one cell. Add the closing quote mark.`,
      };
    }
    case 'CSV_MAX_RECORD_SIZE':
      return {
        line,
        message: `line ${line}: the row is far too long for a PRISMA 2020 template row (over 100,000 characters).`,
      };
    default:
      return {
        line,
        message: `line ${line} cannot be read as CSV. Open the file in a spreadsheet, check that line and save it again as CSV.`,
      };
  }
}

/**
 * Reads a PRISMA2020 template CSV (counts from work done outside Winnow). Throws PARSE_ERROR when the
 * file is not text or not CSV (in words, naming the line), VALIDATION listing every problem with its
 * row (1 = header, as in a spreadsheet) and column; returns the counts and the invariants they break.
 */
export function parsePrismaTemplateCsv(
  data: string | Buffer,
  file = 'The file',
): { counts: PrismaCounts; warnings: PrismaWarning[] } {
  const text = decode(data);
  const binary = notCsv(data, text, file);
  if (binary) throw new WinnowError('PARSE_ERROR', binary, { location: { file } });
  if (text.replace(/^\uFEFF/, '').trim() === '')
    throw new WinnowError('PARSE_ERROR', `${file} is empty: ${NOT_CSV}`, { location: { file } });
  let rows: string[][];
  let lastRecordLine = 0;
  try {
    rows = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 100_000,
      on_record: (record: string[], { lines }: { lines: number }) => {
        lastRecordLine = lines;
        return record;
      },
    }) as string[][];
  } catch (err) {
    const p = syntaxProblem(err as { code?: string; lines?: number; index?: number }, text, lastRecordLine);
    throw new WinnowError('PARSE_ERROR', `${file} is not a valid CSV file: ${p.message}`, {
      location: { file, line: p.line, ...(p.column === undefined ? {} : { column: p.column }) },
    });
  }
  const issues: PrismaCsvIssue[] = [];
  const header = rows[0] ?? [];
  TEMPLATE_COLUMNS.forEach((name, i) => {
    if (header[i]?.trim() !== name)
      issues.push({
        row: 1,
        column: name,
        message: `column ${i + 1} must be "${name}", found "${header[i] ?? ''}"`,
      });
  });
  const values = new Map<string, { raw: string; row: number }>();
  const known = new Set([...TEMPLATE_ROWS.map((r) => r[0]), ...IN_PROGRESS_KEYS]);
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.length !== TEMPLATE_COLUMNS.length) {
      issues.push({
        row,
        column: 'n',
        message: `has ${cells.length} cells, the template has ${TEMPLATE_COLUMNS.length}`,
      });
      return;
    }
    const key = (cells[0] ?? '').trim();
    if (!known.has(key)) {
      issues.push({ row, column: 'data', message: `unknown data key "${key}"` });
      return;
    }
    if (LABEL_KEYS.has(key)) return;
    if (values.has(key)) {
      issues.push({ row, column: 'data', message: `"${key}" already given in row ${values.get(key)!.row}` });
      return;
    }
    values.set(key, { raw: cells[7] ?? '', row });
  });
  const counts = new Map<string, number>();
  const lists = new Map<string, NamedCount[]>();
  for (const key of [...COUNT_KEYS, ...LIST_KEYS]) {
    const v = values.get(key);
    if (!v) {
      issues.push({ row: rows.length + 1, column: 'data', message: `missing the row for "${key}"` });
      continue;
    }
    const parsed = LIST_KEYS.has(key) ? parseList(v.raw) : parseCount(v.raw);
    if (typeof parsed === 'string') issues.push({ row: v.row, column: 'n', message: `${key}: ${parsed}` });
    else if (typeof parsed === 'number') counts.set(key, parsed);
    else lists.set(key, parsed);
  }
  // In-progress rows are optional: a template made elsewhere has none.
  for (const key of IN_PROGRESS_KEYS) {
    const v = values.get(key);
    if (!v) continue;
    const parsed = parseCount(v.raw);
    if (typeof parsed === 'string') issues.push({ row: v.row, column: 'n', message: `${key}: ${parsed}` });
    else counts.set(key, parsed);
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new WinnowError(
      'VALIDATION',
      `${file}: ${counted(issues.length, 'problem')}: ` +
        issues
          .slice(0, 20)
          .map((x) => `row ${x.row}, column ${x.column}: ${x.message}`)
          .join('; '),
      { location: { file, row: first.row, column: first.column }, issues },
    );
  }
  const n = (k: string): number => counts.get(k) ?? 0;
  const l = (k: string): NamedCount[] => lists.get(k) ?? [];
  const hasOther =
    n('website_results') + n('organisation_results') + n('citations_results') + n('other_sought_reports') > 0;
  const result: PrismaCounts = {
    previous:
      n('previous_studies') + n('previous_reports') > 0
        ? { studies: n('previous_studies'), reports: n('previous_reports') }
        : undefined,
    databases: l('database_specific_results'),
    registers: l('register_specific_results'),
    databaseTotal: n('database_results'),
    registerTotal: n('register_results'),
    duplicates: n('duplicates'),
    removedByAutomation: n('excluded_automatic'),
    removedOther: n('excluded_other'),
    screened: n('records_screened'),
    awaitingScreening: n('records_awaiting'),
    recordsExcluded: n('records_excluded'),
    dbr: {
      sought: n('dbr_sought_reports'),
      notRetrieved: n('dbr_notretrieved_reports'),
      assessed: n('dbr_assessed'),
      excluded: l('dbr_excluded'),
      awaitingRetrieval: n('dbr_awaiting_retrieval'),
      awaitingAssessment: n('dbr_awaiting_assessment'),
    },
    other: hasOther
      ? {
          sought: n('other_sought_reports'),
          notRetrieved: n('other_notretrieved_reports'),
          assessed: n('other_assessed'),
          excluded: l('other_excluded'),
          awaitingRetrieval: n('other_awaiting_retrieval'),
          awaitingAssessment: n('other_awaiting_assessment'),
          websites: n('website_results'),
          organisations: n('organisation_results'),
          citations: n('citations_results'),
          duplicates: 0,
          screenedOut: 0,
          awaitingScreening: n('other_records_awaiting'),
          sources: [],
        }
      : undefined,
    newStudies: n('new_studies'),
    newReports: n('new_reports'),
    totalStudies: n('total_studies'),
    totalReports: n('total_reports'),
    metaAnalysis:
      n('total_studies_ma') + n('total_reports_ma') > 0
        ? { studies: n('total_studies_ma'), reports: n('total_reports_ma') }
        : undefined,
  };
  return { counts: result, warnings: [...checkFlowInvariants(result), ...listTotals(result)] };
}

/** Per-source lists that do not add up to their box's total. */
function listTotals(c: PrismaCounts): PrismaWarning[] {
  const out: PrismaWarning[] = [];
  for (const [label, list, total] of [
    ['databases', c.databases, c.databaseTotal],
    ['registers', c.registers, c.registerTotal],
  ] as const) {
    if (list.length > 0 && sum(list) !== total)
      out.push({
        code: 'SPECIFIC_NE_TOTAL',
        message: `specific ${label} add up to ${sum(list)}, but ${total} records identified from ${label}`,
        ids: [],
        idKind: 'record',
      });
  }
  return out;
}
