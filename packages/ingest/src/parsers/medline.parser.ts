import { buildRecord, emptyFields, type RecordFields } from '../normalise/build-record.ts';
import { LineSplitter } from './lines.ts';
import type { FormatReader, RecordSink } from './reader.types.ts';
import { TaggedRecord } from './tagged-record.ts';

// MEDLINE/PubMed text (.nbib): a tag padded to four characters, `- `, the value; continuation lines
// are indented six spaces.
const TAG = /^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$/;
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
  f.volume = r.one('VI');
  f.issue = r.one('IP');
  f.pages = r.one('PG');
  f.dois = [...r.all('LID'), ...r.all('AID')].filter((v) => /\[doi\]/i.test(v));
  f.pmids = r.all('PMID');
  f.pmcids = r.all('PMC');
  f.issnIsbn = r.all('IS', 'ISBN');
  f.keywords = r.all('OT');
  f.mesh = r.all('MH').map((m) => m.replace(/^\*/, ''));
  f.languages = r.all('LA');
  f.publicationTypes = r.all('PT');
  f.database = 'PubMed';
  return f;
}

export function createMedlineReader(sink: RecordSink): FormatReader {
  let current: TaggedRecord | undefined;
  let index = 0;
  let blankSinceTag = false;

  const close = (): void => {
    const r = current!;
    current = undefined;
    index++;
    const { record, diagnostics } = buildRecord(medlineFields(r), {
      format: 'medline',
      raw: r.raw.trimEnd(),
      index,
      line: r.startLine,
    });
    for (const d of diagnostics) sink.diagnostic(d);
    sink.record({ record, index, line: r.startLine });
  };

  const splitter = new LineSplitter((line, lineNo) => {
    if (!line.trim()) {
      blankSinceTag = true;
      return;
    }
    const m = line.startsWith(' ') ? null : TAG.exec(line);
    if (m) {
      const tag = m[1]!;
      if (current && (tag === 'PMID' || blankSinceTag)) close();
      blankSinceTag = false;
      if (!current) current = new TaggedRecord(lineNo);
      current.add(tag, (m[2] ?? '').trim());
      current.addRaw(line);
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
    current.addRaw(line);
    current.continue(line.trim(), LIST_TAGS.has(current.currentTag ?? ''));
  });

  return {
    push: (text) => splitter.push(text),
    end: () => {
      splitter.end();
      if (current) close();
    },
  };
}
