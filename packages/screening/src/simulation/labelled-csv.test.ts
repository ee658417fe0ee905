import { describe, expect, it } from 'vitest';
import { parseLabelledCsv } from './labelled-csv.ts';

describe('parseLabelledCsv', () => {
  const csv =
    '\ufeffrecord_id,title,abstract,label_included,label_abstract_screening\n1,"A, quoted title","Line one\nline two",1,1\n2,Other,,0,1\n';
  it('reads titles, multi-line abstracts and labels (BOM tolerated)', () => {
    const r = parseLabelledCsv(csv);
    expect(r).toEqual([
      { title: 'A, quoted title', abstract: 'Line one\nline two', keywords: '', label: 1 },
      { title: 'Other', abstract: '', keywords: '', label: 0 },
    ]);
  });
  it('uses label_abstract_screening for the title-abstract stage', () => {
    expect(parseLabelledCsv(csv, { stage: 'title-abstract' }).map((r) => r.label)).toEqual([1, 1]);
  });
  it('names the file, row and column of a bad label', () => {
    expect(() => parseLabelledCsv('title,abstract,label_included\nx,y,maybe\n', { file: 'set.csv' })).toThrow(
      /set\.csv: row 2 column label_included must be 0 or 1, got "maybe"/,
    );
  });
  it('names a missing column', () => {
    expect(() => parseLabelledCsv('title,abstract\nx,y\n', { file: 'set.csv' })).toThrow(
      /missing column "label_included"/,
    );
  });
});
