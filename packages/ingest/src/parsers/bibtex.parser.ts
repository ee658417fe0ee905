import { splitAuthorList } from '../normalise/authors.ts';
import { buildRecord, emptyFields, type RecordFields } from '../normalise/build-record.ts';
import { latexToUnicode } from './latex.ts';
import { DEFAULT_PARSE_LIMITS, describeChars, streamCap, type ParseLimits } from './limits.ts';
import type { FormatReader, RecordSink } from './reader.types.ts';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export interface BibEntry {
  type: string;
  key: string;
  fields: Map<string, string>;
}

/** Parse the body of one `@type{...}` entry; `strings` holds @string macros seen so far. */
export function parseBibEntry(text: string, strings: Map<string, string>): BibEntry {
  const head = /^@\s*([A-Za-z]+)\s*[{(]\s*/.exec(text);
  if (!head) throw new Error('entry does not start with @type{');
  const type = head[1]!.toLowerCase();
  let i = head[0].length;
  const body = text.slice(0, text.length - 1);
  const fields = new Map<string, string>();
  let key = '';
  if (type !== 'string') {
    const k = /^([^,\s{}()]*)\s*,?/.exec(body.slice(i))!;
    key = k[1]!;
    i += k[0].length;
  }
  const ws = (): void => {
    while (i < body.length && /[\s,]/.test(body[i]!)) i++;
  };
  const value = (): string => {
    const parts: string[] = [];
    for (;;) {
      while (i < body.length && /\s/.test(body[i]!)) i++;
      const ch = body[i];
      if (ch === '{') {
        let depth = 0;
        const start = i + 1;
        for (; i < body.length; i++) {
          if (body[i] === '\\') i++;
          else if (body[i] === '{') depth++;
          else if (body[i] === '}' && --depth === 0) break;
        }
        if (depth !== 0) throw new Error('unbalanced braces');
        parts.push(body.slice(start, i));
        i++;
      } else if (ch === '"') {
        let depth = 0;
        const start = ++i;
        for (; i < body.length; i++) {
          if (body[i] === '\\') i++;
          else if (body[i] === '{') depth++;
          else if (body[i] === '}') depth--;
          else if (body[i] === '"' && depth === 0) break;
        }
        if (i >= body.length) throw new Error('unterminated quoted value');
        parts.push(body.slice(start, i));
        i++;
      } else {
        const m = /^[^\s,#}]+/.exec(body.slice(i));
        if (!m) break;
        const word = m[0];
        i += word.length;
        const macro = strings.get(word.toLowerCase());
        parts.push(macro ?? (MONTHS.includes(word.toLowerCase()) ? word : word));
      }
      while (i < body.length && /\s/.test(body[i]!)) i++;
      if (body[i] === '#') {
        i++;
        continue;
      }
      break;
    }
    return parts.join('');
  };
  for (;;) {
    ws();
    if (i >= body.length) break;
    // Scopus writes field names with spaces (`funding_text 1`).
    const m = /^([A-Za-z0-9_\-:.+/]+(?:[ \u00a0][A-Za-z0-9_\-:.+/]+)*)\s*=\s*/.exec(body.slice(i));
    if (!m) throw new Error(`expected field = value near "${body.slice(i, i + 30).replace(/\s+/g, ' ')}"`);
    i += m[0].length;
    fields.set(m[1]!.toLowerCase().replace(/\s/g, ' '), value());
  }
  return { type, key, fields };
}

const TYPE_NAMES: Record<string, string> = {
  article: 'Journal Article',
  book: 'Book',
  inbook: 'Book Chapter',
  incollection: 'Book Chapter',
  inproceedings: 'Conference Paper',
  conference: 'Conference Paper',
  proceedings: 'Conference Proceedings',
  phdthesis: 'Thesis',
  mastersthesis: 'Thesis',
  thesis: 'Thesis',
  techreport: 'Report',
  report: 'Report',
  online: 'Web Page',
  misc: '',
  unpublished: '',
};

export function bibFields(e: BibEntry): RecordFields {
  const f = emptyFields();
  const g = (...names: string[]): string[] =>
    names
      .map((n) => e.fields.get(n))
      .filter((v): v is string => !!v)
      .map(latexToUnicode);
  f.titles = g('title', 'booktitle');
  f.abstracts = g('abstract');
  f.authors = g('author')
    .flatMap((a) => a.split(/\s+and\s+/))
    .map((s) => s.trim())
    .filter(Boolean);
  if (!f.authors.length) f.authors = g('editor').flatMap(splitAuthorList);
  f.dates = g('year', 'date');
  f.journals = g('journal', 'journaltitle', 'booktitle');
  f.journalAbbrevs = g('shortjournal', 'journal_abbrev', 'abbrev_source_title');
  f.volume = g('volume')[0];
  f.issue = g('number', 'issue')[0];
  f.pages = g('pages')[0];
  if (!f.pages) f.startPage = g('art_number', 'eid')[0];
  f.dois = g('doi');
  f.doiElsewhere = g('url', 'note');
  f.pmids = g('pmid');
  const pmidNote = /PMID:?\s*(\d{1,9})/i.exec(g('note', 'annote').join(' '));
  if (pmidNote) f.pmids.push(pmidNote[1]!);
  f.pmcids = g('pmcid', 'pmc', 'note');
  f.issnIsbn = g('issn', 'isbn');
  f.keywords = g('keywords', 'author_keywords').flatMap((k) => k.split(/\s*[;,]\s*/));
  f.mesh = g('mesh').flatMap((k) => k.split(/\s*;\s*/));
  f.languages = g('language', 'langid');
  const typeName = TYPE_NAMES[e.type] ?? e.type;
  f.publicationTypes = [...g('document_type', 'type'), ...(typeName ? [typeName] : [])];
  f.urls = g('url');
  f.database = g('source')[0];
  return f;
}

/** An entry being read: its text so far and where the scan stands in it. */
interface OpenEntry {
  parts: string[];
  size: number;
  line: number;
  openCh: number;
  closeCh: number;
  depth: number;
  /** The last character was an unpaired backslash (the next one is escaped). */
  escaped: boolean;
  /** Characters since the last brace or quote: the value text being read. */
  run: number;
  /** Past the record limit: scanned to its end, not kept. */
  skipping: boolean;
}

const BACKSLASH = 92;
const QUOTE = 34;
const NEWLINE = 10;

/**
 * BibTeX, streamed entry by entry (an entry is complete when its braces balance). Each character is
 * scanned once however the entry is chunked; a value's text past the stream cap is dropped as it
 * is read (the field check then reports and truncates it), and an entry past the record limit is
 * scanned to its end and skipped, so one huge field costs a megabyte, never its length.
 */
export function createBibtexReader(
  sink: RecordSink,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): FormatReader {
  const strings = new Map<string, string>();
  const maxRun = streamCap(limits);
  let buffer = '';
  let line = 1;
  let index = 0;
  let entry: OpenEntry | undefined;

  const handle = (text: string, entryLine: number): void => {
    const type = /^@\s*([A-Za-z]+)/.exec(text)?.[1]?.toLowerCase();
    if (type === 'comment' || type === 'preamble') return;
    if (type === 'string') {
      try {
        const s = parseBibEntry(text, strings);
        for (const [k, v] of s.fields) strings.set(k, v);
      } catch (e) {
        sink.diagnostic({
          severity: 'warning',
          line: entryLine,
          message: `@string not understood: ${(e as Error).message}`,
        });
      }
      return;
    }
    index++;
    let parsed: BibEntry;
    try {
      parsed = parseBibEntry(text, strings);
    } catch (e) {
      sink.diagnostic({
        severity: 'error',
        record: index,
        line: entryLine,
        message: `BibTeX entry skipped: ${(e as Error).message}`,
      });
      return;
    }
    const { record, diagnostics } = buildRecord(bibFields(parsed), {
      format: 'bibtex',
      raw: text,
      index,
      line: entryLine,
      limits,
    });
    for (const d of diagnostics) sink.diagnostic(d);
    sink.record({ record, index, line: entryLine });
  };

  /** Scans `text` as the continuation of the open entry; returns what follows the entry's end. */
  const feedEntry = (text: string): string | undefined => {
    const e = entry!;
    let keepFrom = 0;
    let dropping = false;
    const keep = (to: number): void => {
      if (e.skipping || to <= keepFrom) return;
      e.parts.push(text.slice(keepFrom, to));
      e.size += to - keepFrom;
      if (e.size > limits.recordChars) {
        e.skipping = true;
        e.parts = [];
      }
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) line++;
      if (e.escaped) {
        e.escaped = false;
      } else if (c === BACKSLASH) {
        e.escaped = true;
        e.run += 2;
      } else if (c === e.openCh || (e.closeCh === 125 && c === 123)) {
        e.depth++;
        e.run = 0;
      } else if (c === e.closeCh || c === QUOTE) {
        e.run = 0;
        if (c === e.closeCh && --e.depth === 0) {
          if (dropping) keepFrom = i;
          keep(i + 1);
          entry = undefined;
          if (e.skipping) {
            index++;
            sink.diagnostic({
              severity: 'error',
              record: index,
              line: e.line,
              message: `entry longer than ${describeChars(limits.recordChars)} characters; skipped`,
            });
          } else handle(e.parts.join(''), e.line);
          return text.slice(i + 1);
        }
      } else {
        e.run++;
      }
      // An escaped character leaves the run as its backslash set it, so the two are kept or
      // dropped together (a kept `\` before a dropped `}` would change the braces).
      const over = e.run > maxRun;
      if (over && !dropping) {
        keep(i);
        dropping = true;
      } else if (!over && dropping) {
        keepFrom = i;
        dropping = false;
      }
    }
    if (!dropping) keep(text.length);
    return undefined;
  };

  const scan = (final: boolean): void => {
    for (;;) {
      const at = buffer.indexOf('@');
      if (at < 0) {
        line += count(buffer);
        buffer = '';
        return;
      }
      line += count(buffer.slice(0, at));
      buffer = buffer.slice(at);
      const open = /^@\s*[A-Za-z]+\s*([{(])/.exec(buffer);
      if (!open) {
        if (!final && buffer.length < 64 && !buffer.includes('\n')) return;
        line += count(buffer.slice(0, 1));
        buffer = buffer.slice(1);
        continue;
      }
      const head = open[0];
      const openCh = head.charCodeAt(head.length - 1);
      entry = {
        parts: [head],
        size: head.length,
        line,
        openCh,
        closeCh: openCh === 123 ? 125 : 41,
        depth: 1,
        escaped: false,
        run: 0,
        skipping: false,
      };
      line += count(head);
      const rest = feedEntry(buffer.slice(head.length));
      if (rest === undefined) {
        buffer = '';
        return;
      }
      buffer = rest;
    }
  };

  const push = (text: string): void => {
    if (entry) {
      const rest = feedEntry(text);
      if (rest === undefined) return;
      buffer = rest;
    } else buffer += text;
    scan(false);
  };

  return {
    push,
    end: () => {
      if (entry) {
        sink.diagnostic({
          severity: 'error',
          record: index + 1,
          line: entry.line,
          message: 'entry never closes (unbalanced braces); rest of file skipped',
        });
        entry = undefined;
        return;
      }
      scan(true);
    },
  };
}

function count(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
