import { buildRecord, emptyFields, type RecordFields } from '../normalise/build-record.ts';
import { DEFAULT_PARSE_LIMITS, streamCap, type ParseLimits } from './limits.ts';
import { LineScanner, hasLineTerminator, internTag, isBlank, sliceTrimmed } from './lines.ts';
import type { FormatReader, RecordSink } from './reader.types.ts';
import { TaggedRecord, tagLimits } from './tagged-record.ts';

// MEDLINE/PubMed text (.nbib): a tag padded to four characters, `- `, the value; continuation lines
// are indented six spaces. The tag-line shape `/^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$/`, scanned by
// tagLength and valueStart below.
const LIST_TAGS = new Set<string>();

export function medlineFields(r: TaggedRecord): RecordFields {
  const f = emptyFields();
  f.titles = r.all('TI', 'BTI', 'TT');
  f.abstracts = r.all('AB');
  const full = r.all('FAU');
  f.authors = [...(full.length ? full : r.all('AU')), ...r.all('CN')];
  f.dates = r.all('DP', 'DEP', 'EDAT');
  f.journals = r.all('JT', 'TA');
  f.journalAbbrevs = r.all('TA');
  // Books and reports (NCBI Bookshelf) name their publisher.
  f.publishers = r.all('PB');
  f.volume = r.one('VI');
  f.issue = r.one('IP');
  f.pages = r.one('PG');
  f.dois = r.all('LID', 'AID').filter((v) => /\[doi\]/i.test(v));
  f.pmids = r.all('PMID');
  f.pmcids = r.all('PMC');
  f.issnIsbn = r.all('IS', 'ISBN');
  f.keywords = r.all('OT');
  f.mesh = r.all('MH').map((m) => (m.charCodeAt(0) === 42 ? m.slice(1) : m));
  f.languages = r.all('LA');
  f.publicationTypes = r.all('PT');
  f.database = 'PubMed';
  return f;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isTagChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/**
 * The tag's length if `buf.slice(start, end)` starts a tag line, else 0: the longest run of up to
 * four tag characters (a fifth one means no match).
 */
function tagLength(buf: string, start: number, end: number): number {
  if (start >= end || !isUpper(buf.charCodeAt(start))) return 0;
  let i = start + 1;
  while (i < end && i < start + 4 && isTagChar(buf.charCodeAt(i))) i++;
  if (i < end && isTagChar(buf.charCodeAt(i))) return 0;
  return i - start;
}

/**
 * Where the value starts after a tag ending at `i` (up to three spaces, `-`, an optional space),
 * or -1: together with tagLength, a character scan equivalent to that regex.
 */
function valueStart(buf: string, i: number, end: number, checkTerminators: boolean): number {
  const spacesEnd = Math.min(end, i + 3);
  while (i < spacesEnd && buf.charCodeAt(i) === 32) i++;
  if (i >= end || buf.charCodeAt(i) !== 45) return -1;
  i++;
  if (i < end && buf.charCodeAt(i) === 32) i++;
  if (checkTerminators && hasLineTerminator(buf, i, end)) return -1;
  return i;
}

export function createMedlineReader(
  sink: RecordSink,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): FormatReader {
  const bounds = tagLimits(limits, ['TI', 'BTI', 'TT'], ['AB']);
  let current: TaggedRecord | undefined;
  let index = 0;
  let blankSinceTag = false;

  const close = (): void => {
    const r = current!;
    current = undefined;
    index++;
    r.report(sink, index);
    const { record, diagnostics } = buildRecord(medlineFields(r), {
      format: 'medline',
      raw: r.raw.trimEnd(),
      index,
      line: r.startLine,
      limits,
    });
    for (const d of diagnostics) sink.diagnostic(d);
    sink.record({ record, index, line: r.startLine });
  };

  const scanner = new LineScanner((buf, start, end, lineNo, lineLength) => {
    const lost = lineLength - (end - start);
    if (isBlank(buf, start, end)) {
      blankSinceTag = true;
      return;
    }
    const length = buf.charCodeAt(start) === 32 ? 0 : tagLength(buf, start, end);
    const at = length ? valueStart(buf, start + length, end, scanner.oddTerminators) : -1;
    if (at !== -1) {
      const tag = internTag(buf, start, start + length);
      if (current && (tag === 'PMID' || blankSinceTag)) close();
      blankSinceTag = false;
      if (!current) current = new TaggedRecord(lineNo, bounds);
      const value = sliceTrimmed(buf, at, end);
      current.add(tag, value, lineNo, value.length + lost);
      current.addRaw(buf, start, end);
      return;
    }
    if (!current) {
      sink.diagnostic({
        severity: 'warning',
        line: lineNo,
        message: 'text before the first MEDLINE record ignored',
      });
      return;
    }
    current.addRaw(buf, start, end);
    const text = sliceTrimmed(buf, start, end);
    current.continue(text, LIST_TAGS.has(current.currentTag ?? ''), lineNo, text.length + lost);
  }, streamCap(limits));

  return {
    push: (text) => scanner.push(text),
    end: () => {
      scanner.end();
      if (current) close();
    },
  };
}
