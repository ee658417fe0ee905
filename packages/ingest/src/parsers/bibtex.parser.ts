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

/** What was wrong in a damaged entry and how it was read: `at` is an offset into the entry's text. */
export interface BibRepair {
  at: number;
  field?: string;
  message: string;
}

// A line that starts a field (`  title = {`, `year = 2019,`): where a damaged value is cut off.
const FIELD_LINE =
  /\n[ \t]*[A-Za-z][A-Za-z0-9_\-:.+/]*(?:[ \u00a0][A-Za-z0-9_\-:.+/]+)*[ \t]*=[ \t]*[{"0-9A-Za-z]/g;

/**
 * Parse the body of one `@type{...}` entry; `strings` holds @string macros seen so far. With
 * `repairs`, a damaged entry (an unbalanced brace or quote, text that is no `field = value`) is read
 * as far as it can be: the damaged value runs to the next line that starts a field, and what was
 * wrong is added to `repairs`; without it the first damage throws. `closed`: the entry's text ends
 * with its closing brace (a damaged entry cut off at the next entry has none).
 */
export function parseBibEntry(
  text: string,
  strings: Map<string, string>,
  repairs?: BibRepair[],
  closed = true,
): BibEntry {
  const head = /^@\s*([A-Za-z]+)\s*[{(]\s*/.exec(text);
  if (!head) throw new Error('entry does not start with @type{');
  const type = head[1]!.toLowerCase();
  let i = head[0].length;
  // An entry cut off at the next one has lost its balance somewhere: there, no value runs past the
  // start of the next field line, and its own closing brace (if it has one) is dropped.
  const body = closed ? text.slice(0, text.length - 1) : text.replace(/\s*[})]?[\s,]*$/, '');
  let field = '';
  /** The next field line after `from` (or the end of the entry), for a value that never ends. */
  const nextField = (from: number): number => {
    FIELD_LINE.lastIndex = from;
    const m = FIELD_LINE.exec(body);
    return m ? m.index : body.length;
  };
  const damaged = (start: number, what: string): string => {
    if (!repairs) throw new Error(what);
    const end = nextField(start);
    repairs.push({
      at: start,
      field,
      message: `${field || 'a value'}: ${what}; read up to ${end < body.length ? 'the next field' : 'the end of the entry'}`,
    });
    i = end;
    return body
      .slice(start, end)
      .replace(/[\s,]*$/, '')
      .replace(/[}"]$/, '');
  };
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
      const limit = closed ? body.length : nextField(i);
      if (ch === '{') {
        let depth = 0;
        const start = i + 1;
        for (; i < limit; i++) {
          if (body[i] === '\\') i++;
          else if (body[i] === '{') depth++;
          else if (body[i] === '}' && --depth === 0) break;
        }
        if (depth !== 0) {
          parts.push(damaged(start, 'unbalanced braces'));
          break;
        }
        parts.push(body.slice(start, i));
        i++;
      } else if (ch === '"') {
        let depth = 0;
        const start = ++i;
        for (; i < limit; i++) {
          if (body[i] === '\\') i++;
          else if (body[i] === '{') depth++;
          else if (body[i] === '}') depth--;
          else if (body[i] === '"' && depth === 0) break;
        }
        // A quote that ends a value is followed by `,`, `#`, `}` or a line end; one that is not was
        // written inside the value (or the closing one is missing).
        if (i >= limit) {
          parts.push(damaged(start, 'unterminated quoted value'));
          break;
        }
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
    const m = /^([A-Za-z0-9_\-:.+/]+(?:[ \u00a0][A-Za-z0-9_\-:.+/]+)*)\s*=\s*/.exec(body.slice(i, i + 200));
    if (!m) {
      const near = `expected field = value near "${body.slice(i, i + 30).replace(/\s+/g, ' ')}"`;
      if (!repairs) throw new Error(near);
      const end = nextField(i);
      repairs.push({
        at: i,
        field: field || undefined,
        message: `${near}; text up to the next field skipped`,
      });
      i = end;
      continue;
    }
    i += m[0].length;
    field = m[1]!.toLowerCase().replace(/\s/g, ' ');
    fields.set(field, value());
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
  // A report's issuer is its institution; a manual's or proceedings' its organization.
  f.publishers = g('publisher', 'institution', 'organization', 'school');
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
  /** What was fed so far ends with a newline: the next text starts a line. */
  lineStart: boolean;
}

// A line that starts an entry: where a damaged entry ends (the brace depth starts again there).
const ENTRY_START = /^@[ \t]*[A-Za-z]+[ \t]*[{(]/;
const AT = 64;

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

  /**
   * One entry's text. `closed`: it ended with its closing brace; otherwise it was cut off where the
   * next entry starts (or at the end of the file) and its braces never balanced.
   */
  const handle = (text: string, entryLine: number, closed = true): void => {
    const type = /^@\s*([A-Za-z]+)/.exec(text)?.[1]?.toLowerCase();
    if (type === 'comment' || type === 'preamble') return;
    if (type === 'string') {
      try {
        const s = parseBibEntry(text, strings, undefined, closed);
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
    const lineAt = (at: number): number => entryLine + count(text.slice(0, at));
    const repairs: BibRepair[] = [];
    let parsed: BibEntry;
    try {
      parsed = parseBibEntry(text, strings, repairs, closed);
    } catch (e) {
      sink.diagnostic({
        severity: 'error',
        record: index,
        line: entryLine,
        message: `BibTeX entry skipped: ${(e as Error).message}`,
        damage: 'skipped',
      });
      return;
    }
    if (!closed) {
      sink.diagnostic({
        severity: 'warning',
        record: index,
        line: entryLine,
        field: repairs[0]?.field,
        message: `entry never closes (unbalanced braces${repairs[0] ? ` in ${repairs[0].field ?? 'a value'} at line ${lineAt(repairs[0].at)}` : ''}); read up to ${text.endsWith('\n') ? `the next entry at line ${lineAt(text.length)}` : 'the end of the file'} and kept with what could be read`,
        damage: 'repaired',
      });
    }
    for (const [n, r] of repairs.entries()) {
      sink.diagnostic({
        severity: 'warning',
        record: index,
        line: lineAt(r.at),
        field: r.field,
        message: r.message,
        ...(closed && n === 0 ? { damage: 'repaired' as const } : {}),
      });
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

  /** Ends the open entry: parsed, or skipped with an error when it outgrew the record limit. */
  const finish = (e: OpenEntry, closed: boolean): void => {
    entry = undefined;
    if (!e.skipping) return handle(e.parts.join(''), e.line, closed);
    index++;
    const tooLong = `entry longer than ${describeChars(limits.recordChars)} characters`;
    sink.diagnostic({
      severity: 'error',
      record: index,
      line: e.line,
      ...(closed
        ? { message: `${tooLong}; skipped` }
        : {
            message: `${tooLong} and never closes (unbalanced braces); skipped`,
            damage: 'skipped' as const,
          }),
    });
  };

  /** The open entry ends without its closing brace: damaged, cut off where the next one starts. */
  const cutOff = (e: OpenEntry): void => finish(e, false);

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
    if (e.lineStart && ENTRY_START.test(text.slice(0, 80))) {
      // The entry's braces never balanced and the next entry starts here: resynchronise.
      cutOff(e);
      return text;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) {
        line++;
        if (text.charCodeAt(i + 1) === AT && ENTRY_START.test(text.slice(i + 1, i + 81))) {
          if (!dropping) keep(i + 1);
          cutOff(e);
          return text.slice(i + 1);
        }
      }
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
          finish(e, true);
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
    e.lineStart = text.charCodeAt(text.length - 1) === NEWLINE;
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
        lineStart: false,
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

  const feed = (text: string): void => {
    if (entry) {
      const rest = feedEntry(text);
      if (rest === undefined) return;
      buffer = rest;
    } else buffer += text;
    scan(false);
  };

  // A line start is checked for a new entry with the line's first characters at hand: a short
  // last line of a chunk waits for the next chunk.
  let held = '';
  const push = (text: string): void => {
    const all = held ? held + text : text;
    const nl = all.lastIndexOf('\n');
    const cut = all.length - nl - 1 < 80 ? nl + 1 : all.length;
    held = all.slice(cut);
    if (cut > 0) feed(cut === all.length ? all : all.slice(0, cut));
  };

  return {
    push,
    end: () => {
      if (held) feed(held);
      held = '';
      if (entry) {
        cutOff(entry);
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
