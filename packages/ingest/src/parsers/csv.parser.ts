import { parse, type Options, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { splitAuthorList } from '../normalise/authors.ts';
import { buildRecord, emptyFields, type RecordFields } from '../normalise/build-record.ts';
import { CsvCellCapper } from './csv-cell-cap.ts';
import { guessColumns, headerKey, parseEmbaseSource } from './csv-columns.ts';
import { parseLimits, streamCap } from './limits.ts';
import type { CsvField, FormatReader, ReaderOptions, RecordSink } from './reader.types.ts';
import { wosFields } from './wos.fields.ts';

/** The delimiter that splits the header line into the most columns, quotes respected. */
export function guessDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts['\t'] >= counts[','] && counts['\t'] >= counts[';'] && counts['\t'] > 0) return '\t';
  return counts[';'] > counts[','] ? ';' : ',';
}

type Row = { record: string[]; raw: string; info: { lines: number; records: number } };

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The line (of csv-parse's input) where a record of `raw` text ending at line `endLine` starts. */
function startLine(raw: string, endLine: number): number {
  return endLine - newlines(raw) + (raw.endsWith('\n') ? 1 : 0);
}

/**
 * CSV/TSV/semicolon and Web of Science tab-delimited, through csv-parse. Column-count mismatches
 * are reported per record (relax_column_count), malformed records are skipped and reported.
 */
export function createCsvReader(
  sink: RecordSink,
  options: ReaderOptions & { wosTab?: boolean },
): FormatReader {
  const format = options.wosTab ? 'wos-tab' : 'csv';
  const limits = parseLimits(options.limits);
  let parser: Parser | undefined;
  let capper: CsvCellCapper | undefined;
  let headers: string[] | undefined;
  let mapping = new Map<CsvField, number>();
  let embase = false;
  let scopus = false;
  let index = 0;
  let failure: Error | undefined;
  let headLine = '';

  let csvOptions: Options = {};

  /**
   * A record whose quote never closed swallowed the lines after it: it ends where the next line
   * that parses alone to the header's column count starts, keeps what it can, and the lines from
   * there are read again as records. `line`: where `raw` starts in csv-parse's input.
   */
  const resync = (raw: string, line: number): void => {
    const width = headers!.length;
    const lines = raw.replace(/\n$/, '').split('\n');
    /** The width of the first record from line k (its cells may span lines, up to 200 of them). */
    const widthAt = (k: number): number => {
      try {
        const one = parseSync(lines.slice(k, k + 200).join('\n'), {
          ...csvOptions,
          info: false,
          raw: false,
          to: 1,
        }) as string[][];
        return one.length === 1 ? one[0]!.length : 0;
      } catch {
        return 0; // not a record on its own
      }
    };
    // The next line that starts a record of the header's width.
    let k = 1;
    while (k < lines.length && widthAt(k) !== width) k++;
    const damaged = lines.slice(0, k).join('\n');
    let cells: string[] = [];
    for (const text of [damaged, `${damaged}"`, damaged.replace(/"/g, '')]) {
      try {
        const rows = parseSync(text, { ...csvOptions, info: false, raw: false }) as string[][];
        if (rows.length === 1) {
          cells = rows[0]!;
          break;
        }
      } catch {
        // the next way of reading it
      }
    }
    const quoteAt = cells.findIndex((c) => c.includes('\n'));
    const column = quoteAt >= 0 ? quoteAt : Math.max(0, Math.min(cells.length, width) - 1);
    emit(cells, capper!.fileLine(line), {
      field: headers![column],
      message: `${headers![column] ?? 'a cell'}: a quote that never closes ran on to line ${capper!.fileLine(line + k)}; the record is read up to there${k < lines.length ? ' and the lines after it as records' : ''}`,
    });
    if (k >= lines.length) return;
    const rest = `${lines.slice(k).join('\n')}\n`;
    const restLine = line + k;
    let rows: Row[] = [];
    const skipped: Array<{ raw: string; lines: number }> = [];
    try {
      rows = parseSync(rest, {
        ...csvOptions,
        on_skip: (err, chunk) => {
          skipped.push({ raw: chunk ?? '', lines: (err as { lines?: number } | undefined)?.lines ?? 0 });
          return undefined;
        },
      }) as unknown as Row[];
    } catch {
      rows = [];
    }
    for (const row of rows) take(row, restLine - 1);
    for (const sk of skipped) resync(sk.raw, restLine - 1 + startLine(sk.raw, sk.lines));
  };

  /** A row from csv-parse; `offset`: lines before the text it was parsed from. */
  const take = (row: Row, offset = 0): void => {
    const start = offset + startLine(row.raw, row.info.lines);
    if (headers && row.record.length !== headers.length && row.raw.replace(/\n$/, '').includes('\n')) {
      resync(row.raw, start);
      return;
    }
    onRow(row.record, capper!.fileLine(offset + row.info.lines));
  };

  const emit = (record: string[], line: number, damage?: { field?: string; message: string }): void => {
    if (damage) {
      sink.diagnostic({
        severity: 'warning',
        record: index + 1,
        line,
        field: damage.field,
        message: damage.message,
        damage: 'repaired',
      });
    }
    onRow(record, line);
  };

  const onRow = (values: string[], line: number): void => {
    // Undo csv-stringify's escape_formulas (a leading `'` before = + - @), as spreadsheets do.
    const cells = values.map((c) =>
      c.length > 1 && c[0] === "'" && '=+-@\t\r'.includes(c[1]!) ? c.slice(1) : c,
    );
    if (!headers) {
      headers = cells.map((c) => c.trim());
      const keys = headers.map(headerKey);
      mapping = guessColumns(headers, options.columns);
      embase = keys.some((k) => k.startsWith('emtree'));
      scopus = keys.includes('eid') || (keys.includes('link') && keys.includes('source title'));
      if (!options.wosTab && !mapping.has('title') && !mapping.has('abstract')) {
        sink.diagnostic({
          severity: 'warning',
          line,
          message: `no title or abstract column recognised in headers: ${headers.slice(0, 8).join(', ')}`,
        });
      }
      return;
    }
    if (cells.every((c) => !c.trim())) return;
    index++;
    if (cells.length !== headers.length) {
      const extra = cells.slice(headers.length);
      if (cells.length < headers.length || extra.some((c) => c.trim())) {
        sink.diagnostic({
          severity: 'warning',
          record: index,
          line,
          message: `${cells.length} column${cells.length === 1 ? '' : 's'} where the header has ${headers.length}; read by position`,
        });
      }
    }
    const fields = options.wosTab ? wosTabFields(headers, cells) : csvFields(cells);
    const raw = headers
      .map((h, i) => `${h}: ${cells[i] ?? ''}`)
      .filter((s) => !s.endsWith(': '))
      .join('\n');
    const { record, diagnostics } = buildRecord(fields, { format, raw, index, line, limits });
    for (const d of diagnostics) sink.diagnostic(d);
    sink.record({ record, index, line });
  };

  const csvFields = (cells: string[]): RecordFields => {
    const f = emptyFields();
    const get = (field: CsvField): string => {
      const i = mapping.get(field);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    f.titles = [get('titleHtml'), get('title')];
    f.abstracts = [get('abstractHtml'), get('abstract')];
    f.authors = listCell(get('authors')) ?? splitAuthorList(get('authors'));
    f.dates = [get('year')];
    f.journals = [get('journal')];
    f.journalAbbrevs = [get('journalAbbrev')];
    f.publishers = [get('publisher')];
    f.volume = get('volume');
    f.issue = get('issue');
    const pages = get('pages');
    if (pages) f.pages = pages;
    f.startPage = get('startPage') || get('articleNumber');
    f.endPage = get('startPage') ? get('endPage') : '';
    f.dois = [get('doi')];
    f.doiElsewhere = [get('url')];
    f.pmids = [get('pmid')];
    f.pmcids = [get('pmcid')];
    f.issnIsbn = [get('issn'), get('isbn')];
    f.keywords = listCell(get('keywords')) ?? splitList(get('keywords'));
    f.mesh = splitList(get('mesh'));
    f.languages = [get('language')];
    f.publicationTypes = splitList(get('publicationType'));
    // Generic exports (ASReview, Rayyan) may carry the RIS type code itself.
    if (get('risType')) f.typeCode = get('risType');
    else if (/^[A-Z]{3,6}$/.test(get('publicationType'))) f.typeCode = get('publicationType');
    f.urls = [get('url')];
    f.database = get('database') || (scopus ? 'Scopus' : embase ? 'Embase' : undefined);
    f.platform = get('platform') || undefined;
    if (embase) {
      const srcIndex = headers!.map(headerKey).indexOf('source');
      const src = parseEmbaseSource(srcIndex >= 0 ? (cells[srcIndex] ?? '') : '');
      if (src.journal && !f.journals[0]) f.journals = [src.journal];
      if (src.year) f.dates.push(src.year);
      f.volume ||= src.volume;
      f.issue ||= src.issue;
      if (!f.pages && src.pages) f.pages = src.pages;
    }
    return f;
  };

  const start = (first: string): void => {
    headLine = first.slice(0, first.indexOf('\n') >= 0 ? first.indexOf('\n') : undefined);
    const delimiter = options.wosTab ? '\t' : guessDelimiter(headLine);
    capper = new CsvCellCapper(delimiter.charCodeAt(0), !options.wosTab, streamCap(limits));
    csvOptions = {
      delimiter,
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      // Cells are already cut at the stream cap; a record of many such cells is the record limit.
      max_record_size: limits.recordChars,
      skip_empty_lines: true,
      skip_records_with_error: true,
      // WoS tab-delimited never quotes; a stray `"` in a title must not swallow the next rows.
      quote: options.wosTab ? null : '"',
      relax_quotes: true,
    };
    parser = parse({
      ...csvOptions,
      on_skip: (err, chunk) => {
        const lines = (err as { lines?: number } | undefined)?.lines ?? 0;
        if (headers && chunk && (err as { code?: string } | undefined)?.code === 'CSV_QUOTE_NOT_CLOSED') {
          resync(chunk, startLine(chunk, lines));
          return undefined;
        }
        sink.diagnostic({
          severity: 'error',
          record: headers ? index + 1 : undefined,
          line: capper!.fileLine(lines) || undefined,
          message: `row skipped: ${err?.message ?? 'unreadable'}`,
          damage: headers ? 'skipped' : undefined,
        });
        if (headers) index++;
        return undefined;
      },
    });
    parser.on('error', (err) => {
      failure = err;
    });
  };

  const drain = (): void => {
    let row: Row | null;
    while ((row = parser!.read() as Row | null) !== null) take(row);
  };

  return {
    push: (text) => {
      if (!parser) start(text);
      parser!.write(capper!.push(text));
      drain();
      if (failure) throw failure;
    },
    end: async () => {
      if (!parser) return;
      const p = parser;
      const owed = capper!.end();
      if (owed) p.write(owed);
      await new Promise<void>((resolve, reject) => {
        p.on('readable', drain);
        p.on('end', resolve);
        p.on('error', reject);
        p.end();
      });
      drain();
    },
  };
}

function wosTabFields(headers: string[], cells: string[]): RecordFields {
  return wosFields((tag) => {
    const out: string[] = [];
    for (let i = 0; i < headers.length; i++)
      if (headers[i] === tag && cells[i]?.trim()) out.push(cells[i]!.trim());
    return out;
  });
}

/** A Python/JSON list written into one cell (`['Marx, Karl', 'Lindgren, Astrid']`), else undefined. */
function listCell(value: string): string[] | undefined {
  if (!/^\[.*\]$/s.test(value)) return undefined;
  const items = [...value.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) =>
    (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1').trim(),
  );
  return items.filter(Boolean);
}

function splitList(value: string): string[] {
  if (!value) return [];
  return value
    .split(/\s*;\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
}
