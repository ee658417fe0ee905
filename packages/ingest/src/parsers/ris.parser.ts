import { counted } from '@winnow/core';
import { buildRecord, emptyFields, type RecordFields } from '../normalise/build-record.ts';
import { DEFAULT_PARSE_LIMITS, streamCap, type ParseLimits } from './limits.ts';
import { LineScanner, internTag, sliceTrimmed } from './lines.ts';
import type { FormatReader, RecordSink } from './reader.types.ts';
import { TaggedRecord, tagLimits } from './tagged-record.ts';

// `TY  - JOUR`, with the irregular spacing some exporters write (`TY - JOUR`, `TY   -  JOUR`, `ER  -`).
const TAG = /^[ \t]{0,2}([A-Z][A-Z0-9])[ \t]{1,4}-(?:[ \t]+(.*)|[ \t]*)$/;
// Continuation lines of these tags are further values (EndNote/Rayyan multi-line KW, AD, AU).
const LIST_TAGS = new Set(['KW', 'AU', 'A1', 'A2', 'A3', 'A4', 'AD', 'MH']);
const PUBMED_LIKE = /pubmed|medline|nlm/i;
const DOI_LIKE = /\b10\.\d{4,9}\//;

export function risFields(r: TaggedRecord): RecordFields {
  const f = emptyFields();
  f.titles = r.all('TI', 'T1', 'CT', 'BT', 'ST');
  f.abstracts = r.all('AB', 'N2');
  f.authors = r.all('AU', 'A1');
  f.dates = r.all('PY', 'Y1', 'DA', 'Y2');
  f.journals = r.all('JF', 'T2', 'JO', 'JA', 'J2', 'J1', 'T3');
  f.journalAbbrevs = r.all('J2', 'JA', 'J1', 'JO');
  f.publishers = r.all('PB');
  f.volume = r.one('VL');
  f.issue = r.one('IS', 'CP');
  // Scopus puts the article number in C7 when there are no pages.
  f.startPage = r.one('SP') ?? r.one('C7');
  f.endPage = r.one('EP');
  f.dois = r.all('DO');
  f.doiElsewhere = r.all('UR', 'L1', 'L2', 'L3', 'LK', 'N1', 'M3', 'ET');
  const database = r.one('DB');
  const platform = r.one('DP');
  const pubmedish = PUBMED_LIKE.test(`${database ?? ''} ${platform ?? ''}`);
  for (const v of r.all('AN', 'N1', 'M1', 'C1', 'ID')) {
    const m = /PMID:?\s*(\d{1,9})\b/i.exec(v);
    if (m) f.pmids.push(m[1]!);
  }
  if (pubmedish) f.pmids.push(...r.all('AN'));
  f.pmcids = r.all('C2', 'N1', 'AN');
  f.issnIsbn = r.all('SN');
  f.keywords = r.all('KW');
  f.mesh = r.all('MH');
  f.languages = r.all('LA');
  f.typeCode = r.one('TY');
  f.publicationTypes = r.all('M3').filter((v) => !DOI_LIKE.test(v));
  f.urls = r.all('UR', 'L2');
  f.database = database;
  f.platform = platform;
  return f;
}

function isTagStart(buf: string, at: number): boolean {
  const a = buf.charCodeAt(at);
  const b = buf.charCodeAt(at + 1);
  return a >= 65 && a <= 90 && ((b >= 65 && b <= 90) || (b >= 48 && b <= 57));
}

/** RIS from any exporter: records run from `TY` to `ER`; text between records (Ovid `1.`, trailers) is ignored. */
export function createRisReader(sink: RecordSink, limits: ParseLimits = DEFAULT_PARSE_LIMITS): FormatReader {
  const bounds = tagLimits(limits, ['TI', 'T1', 'CT', 'BT', 'ST'], ['AB', 'N2']);
  let current: TaggedRecord | undefined;
  let index = 0;
  let ignoredTags = 0;
  let firstIgnoredLine = 0;

  const close = (): void => {
    const r = current!;
    current = undefined;
    index++;
    r.report(sink, index);
    const { record, diagnostics } = buildRecord(risFields(r), {
      format: 'ris',
      raw: r.raw,
      index,
      line: r.startLine,
      limits,
    });
    for (const d of diagnostics) sink.diagnostic(d);
    sink.record({ record, index, line: r.startLine });
  };

  const scanner = new LineScanner((buf, start, end, lineNo, lineLength) => {
    // What the line reader cut off the end of an over-long line (0 for nearly every line).
    const lost = lineLength - (end - start);
    // Fast path for the standard `XX  - value` shape; the regex handles irregular spacing.
    let tag: string | undefined;
    let value = '';
    const length = end - start;
    if (
      length >= 5 &&
      buf.charCodeAt(start + 2) === 32 &&
      buf.charCodeAt(start + 3) === 32 &&
      buf.charCodeAt(start + 4) === 45 &&
      isTagStart(buf, start)
    ) {
      tag = internTag(buf, start, start + 2);
      value = length > 6 ? sliceTrimmed(buf, start + 6, end) : '';
    } else {
      const m = TAG.exec(buf.slice(start, end));
      if (m) {
        tag = m[1]!;
        value = (m[2] ?? '').trim();
      }
    }
    if (tag !== undefined) {
      if (tag === 'TY') {
        if (current) {
          sink.diagnostic({
            severity: 'warning',
            record: index + 1,
            line: current.startLine,
            message: `no ER before the next TY at line ${lineNo}; record closed there`,
            field: 'ER',
            damage: 'repaired',
          });
          close();
        }
        current = new TaggedRecord(lineNo, bounds);
        current.add('TY', value, lineNo, value.length + lost);
        current.addRaw(buf, start, end);
        return;
      }
      if (!current) {
        // Ovid writes tags after ER (`NL  - ...`); they belong to no record.
        if (tag !== 'ER' && ignoredTags++ === 0) firstIgnoredLine = lineNo;
        return;
      }
      current.addRaw(buf, start, end);
      if (tag === 'ER') close();
      else current.add(tag, value, lineNo, value.length + lost);
      return;
    }
    if (!current) return;
    current.addRaw(buf, start, end);
    const text = sliceTrimmed(buf, start, end);
    if (!text) return;
    current.continue(text, LIST_TAGS.has(current.currentTag ?? ''), lineNo, text.length + lost);
  }, streamCap(limits));

  return {
    push: (text) => scanner.push(text),
    end: () => {
      scanner.end();
      if (current) {
        sink.diagnostic({
          severity: 'warning',
          record: index + 1,
          line: current.startLine,
          message:
            'the file ends inside this record (no ER line): it may have been cut short; the record is kept as far as it goes',
          field: 'ER',
          damage: 'repaired',
        });
        close();
      }
      if (ignoredTags > 0) {
        sink.diagnostic({
          severity: 'warning',
          line: firstIgnoredLine,
          message: `${counted(ignoredTags, 'tagged line')} outside any TY..ER record ignored (first at line ${firstIgnoredLine})`,
        });
      }
    },
  };
}
