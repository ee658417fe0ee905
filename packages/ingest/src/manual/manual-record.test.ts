import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseText } from '../parsers/parse-stream.ts';
import {
  manualRecordRis,
  manualSourceName,
  MANUAL_REPORT_TYPES,
  type ManualRecordInput,
} from './manual-record.ts';

const base: ManualRecordInput = {
  title: 'Making the case for quality improvement',
  organisation: "The King's Fund",
  year: 2017,
  url: 'https://www.kingsfund.org.uk/publications/making-case-quality-improvement',
  accessed: '2024-05-02',
  reportType: 'report',
  foundVia: 'organisation',
};

describe('manualRecordRis', () => {
  it('writes a RIS record the importer reads back with title, organisation, year, URL and type', async () => {
    const { records, diagnostics } = await parseText(manualRecordRis(base), { format: 'ris' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(records).toHaveLength(1);
    const r = records[0]!.record;
    expect(r.title).toBe(base.title);
    expect(r.year).toBe(2017);
    expect(r.url).toBe(base.url);
    expect(r.authors.map((a) => a.asWritten)).toEqual(["The King's Fund"]);
    expect(r.publicationTypesRaw).toEqual(['Report']);
    expect(r.raw).toContain('Accessed 2024-05-02');
  });

  it('names people as authors and the organisation as publisher when both are given', async () => {
    const ris = manualRecordRis({ ...base, authors: ['Jones, Bea', 'Alderwick, Hugh'] });
    const { records } = await parseText(ris, { format: 'ris' });
    expect(records[0]!.record.authors.map((a) => a.asWritten)).toEqual(['Jones, Bea', 'Alderwick, Hugh']);
    expect(ris).toContain("PB  - The King's Fund");
  });

  it('names the search by where the record was found', () => {
    expect(manualSourceName(base)).toBe("Organisation: The King's Fund");
    expect(manualSourceName({ foundVia: 'website', foundIn: 'NHS Horizons' })).toBe('Website: NHS Horizons');
    expect(manualSourceName({ foundVia: 'citation' })).toBe('Citation searching');
  });

  it('keeps any text in one field: line breaks never start a new tag (property)', async () => {
    const text = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => /[A-Za-z]/.test(s));
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(text, { maxLength: 3 }),
        fc.constantFrom(...(Object.keys(MANUAL_REPORT_TYPES) as (keyof typeof MANUAL_REPORT_TYPES)[])),
        async (title, authors, reportType) => {
          const ris = manualRecordRis({
            ...base,
            title: `Q ${title}\nER  - \nTY  - JOUR`,
            authors,
            reportType,
          });
          const { records } = await parseText(ris, { format: 'ris' });
          expect(records).toHaveLength(1);
          expect(records[0]!.record.year).toBe(2017);
        },
      ),
      { numRuns: 60 },
    );
  });
});
