import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordsToCsv } from '../export/csv.export.ts';
import { recordsToRis } from '../export/ris.export.ts';
import type { IngestFormat } from './formats.ts';
import { parseText } from './parse-stream.ts';

/** The one record `text` holds, read as `format`. */
async function only(text: string, format: IngestFormat) {
  const { records, diagnostics } = await parseText(text, { format });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(records).toHaveLength(1);
  return records[0]!.record;
}

/**
 * The publisher, or the organisation that issued a report, is kept from every format that names it
 * (grey literature is found by who issued it, and the authors of a report are often named too).
 */
describe('publisher', () => {
  it('is read from each format by the field its vendor documents for it', async () => {
    const cases: [IngestFormat, string][] = [
      [
        'ris',
        "TY  - RPRT\nTI  - Improving quality in the NHS\nAU  - Ham, Chris\nPB  - The King's Fund\nPY  - 2016\nER  - \n",
      ],
      [
        'medline',
        'PMID- 21452458\nTI  - Finding What Works in Health Care\nPB  - National Academies Press (US)\nDP  - 2011\n\n',
      ],
      [
        'pubmed-xml',
        `<?xml version="1.0"?><PubmedArticleSet><PubmedBookArticle><BookDocument><PMID Version="1">21452458</PMID>
         <Book><Publisher><PublisherName>National Academies Press (US)</PublisherName></Publisher>
         <BookTitle>Finding What Works in Health Care</BookTitle><PubDate><Year>2011</Year></PubDate></Book>
         </BookDocument></PubmedBookArticle></PubmedArticleSet>`,
      ],
      [
        'endnote-xml',
        `<?xml version="1.0" encoding="UTF-8"?><xml><records><record><ref-type name="Report">27</ref-type>
         <contributors><authors><author>Ham, Chris</author></authors></contributors>
         <titles><title>Improving quality in the NHS</title></titles><publisher>The King's Fund</publisher>
         <dates><year>2016</year></dates></record></records></xml>`,
      ],
      [
        'wos-plain',
        'FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Ham, C\nTI Improving quality in the NHS\nSO BMJ QUALITY & SAFETY\nPU BMJ PUBLISHING GROUP\nPY 2016\nUT WOS:000123456789012\nER\n\nEF\n',
      ],
      [
        'wos-tab',
        'PT\tAU\tTI\tSO\tPU\tPY\tUT\nJ\tHam, C\tImproving quality in the NHS\tBMJ QUALITY & SAFETY\tBMJ PUBLISHING GROUP\t2016\tWOS:000123456789012\n',
      ],
      [
        'bibtex',
        "@techreport{ham2016,\n  title = {Improving quality in the NHS},\n  author = {Ham, Chris},\n  institution = {The King's Fund},\n  year = {2016}\n}\n",
      ],
      [
        'csv',
        'Title,Authors,Year,Publisher\nImproving quality in the NHS,"Ham, Chris;",2016,The King\'s Fund\n',
      ],
    ];
    for (const [format, text] of cases) {
      const record = await only(text, format);
      expect(record.publisher, format).toMatch(
        /^(The King's Fund|National Academies Press \(US\)|BMJ PUBLISHING GROUP)$/,
      );
      expect(record.title, format).not.toBe('');
    }
  });

  it('leaves a record without one without it', async () => {
    const record = await only('TY  - JOUR\nTI  - A trial\nPY  - 2020\nER  - \n', 'ris');
    expect(record).not.toHaveProperty('publisher');
  });

  it('survives a RIS and a CSV export read back', async () => {
    const printable = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 '&().,-]{0,60}[A-Za-z0-9)]$/);
    await fc.assert(
      fc.asyncProperty(printable, async (publisher) => {
        const record = await only(
          `TY  - RPRT\nTI  - A report\nAU  - Ham, Chris\nPB  - ${publisher}\nPY  - 2016\nER  - \n`,
          'ris',
        );
        const expected = publisher.replace(/\s+/g, ' ');
        expect(record.publisher).toBe(expected);
        expect((await only(recordsToRis([record]), 'ris')).publisher).toBe(expected);
        expect((await only(recordsToCsv([record]), 'csv')).publisher).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });
});
