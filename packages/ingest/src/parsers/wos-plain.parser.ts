import { buildRecord } from '../normalise/build-record.ts';
import { LineSplitter } from './lines.ts';
import type { FormatReader, RecordSink } from './reader.types.ts';
import { TaggedRecord } from './tagged-record.ts';
import { wosFields } from './wos.fields.ts';

// `TI Title`, continuation lines indented three spaces; `ER` ends a record, `EF` the file.
const TAG = /^([A-Z][A-Z0-9])(?: (.*))?$/;
const LIST_TAGS = new Set(['AU', 'AF', 'CR', 'C1', 'C3', 'EM', 'RI', 'OI', 'FU', 'CA', 'BE', 'BA', 'BF']);
const HEADER_TAGS = new Set(['FN', 'VR', 'EF']);

export function createWosPlainReader(sink: RecordSink): FormatReader {
  let current: TaggedRecord | undefined;
  let index = 0;

  const close = (): void => {
    const r = current!;
    current = undefined;
    index++;
    const fields = wosFields((tag) => r.fields.get(tag) ?? []);
    const { record, diagnostics } = buildRecord(fields, {
      format: 'wos-plain',
      raw: r.raw,
      index,
      line: r.startLine,
    });
    for (const d of diagnostics) sink.diagnostic(d);
    sink.record({ record, index, line: r.startLine });
  };

  const splitter = new LineSplitter((line, lineNo) => {
    if (!line.trim()) return;
    const m = line.startsWith(' ') ? null : TAG.exec(line.trimEnd());
    if (m) {
      const tag = m[1]!;
      if (HEADER_TAGS.has(tag) && !current) return;
      if (tag === 'ER') {
        if (current) {
          current.addRaw(line);
          close();
        }
        return;
      }
      if (!current) current = new TaggedRecord(lineNo);
      else if (tag === 'PT' && current.fields.size > 0) {
        sink.diagnostic({
          severity: 'warning',
          record: index + 1,
          line: current.startLine,
          message: `no ER before the next PT at line ${lineNo}; record closed there`,
        });
        close();
        current = new TaggedRecord(lineNo);
      }
      current.add(tag, (m[2] ?? '').trim());
      current.addRaw(line);
      return;
    }
    if (!current) {
      sink.diagnostic({
        severity: 'warning',
        line: lineNo,
        message: 'untagged text outside a record ignored',
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
      if (current) {
        sink.diagnostic({
          severity: 'warning',
          record: index + 1,
          line: current.startLine,
          message: 'file ends without ER; last record kept',
        });
        close();
      }
    },
  };
}
