import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseText } from '../parsers/parse-stream.ts';
import type { NormalisedRecord } from '../record.types.ts';
import { recordsToCsv } from './csv.export.ts';
import { recordsToRis } from './ris.export.ts';

// Values as exports contain them: words, punctuation, markup, entities, formula-looking starts.
const word = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'.\-()]{0,10}$/);
const text = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: word },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '<i>E. coli</i>',
          'CO<sub>2</sub>',
          '&amp;',
          '& ',
          '<',
          '=SUM(A1)',
          '-5',
          '+x',
          '@home',
          '"q"',
          ',',
          'a<b',
        ),
      },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((a) => a.join(' '));
const author = fc.oneof(
  fc.tuple(word, word).map(([f, g]) => `${f}, ${g}`),
  fc.tuple(word, fc.stringMatching(/^[A-Z]{1,3}$/)).map(([f, i]) => `${f} ${i}`),
);
const risRecord = fc.record({
  ty: fc.constantFrom('JOUR', 'ABST', 'CHAP', 'BOOK', 'RPRT', 'THES', 'GEN', 'CPAPER', 'ELEC'),
  ti: fc.option(text, { nil: undefined }),
  ab: fc.option(text, { nil: undefined }),
  au: fc.array(author, { maxLength: 4 }),
  py: fc.option(fc.integer({ min: 1900, max: 2025 }), { nil: undefined }),
  jf: fc.option(text, { nil: undefined }),
  j2: fc.option(word, { nil: undefined }),
  vl: fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }),
  sp: fc.option(
    fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 99 }))
        .map(([s, e]) => `${s}-${e}`),
      fc.constantFrom('e1000097', 'n71'),
    ),
    { nil: undefined },
  ),
  doi: fc.option(
    fc.tuple(fc.integer({ min: 1000, max: 99999 }), word).map(([p, s]) => `https://doi.org/10.${p}/${s}`),
    { nil: undefined },
  ),
  pmid: fc.option(fc.integer({ min: 1, max: 39999999 }), { nil: undefined }),
  kw: fc.array(word, { maxLength: 4 }),
  m3: fc.array(
    fc.constantFrom(
      'Review',
      'Erratum',
      'Preprint',
      'Conference Abstract',
      'Article',
      'Retraction of Publication',
    ),
    { maxLength: 2 },
  ),
  sn: fc.option(fc.constantFrom('0306-4530', '1756-1833 (Electronic)', '978-0-306-40615-7'), {
    nil: undefined,
  }),
  la: fc.option(fc.constantFrom('English', 'eng', 'fre'), { nil: undefined }),
  db: fc.option(fc.constantFrom('Embase', 'MEDLINE', 'Scopus'), { nil: undefined }),
});

type RisInput = typeof risRecord extends fc.Arbitrary<infer T> ? T : never;

function toRis(r: RisInput): string {
  const l = [`TY  - ${r.ty}`];
  const put = (t: string, v: unknown): void => {
    if (v !== undefined) l.push(`${t}  - ${v}`);
  };
  put('TI', r.ti);
  for (const a of r.au) put('AU', a);
  put('PY', r.py);
  put('JF', r.jf);
  put('J2', r.j2);
  put('VL', r.vl);
  put('SP', r.sp);
  put('DO', r.doi);
  if (r.pmid) put('AN', `PMID: ${r.pmid}`);
  for (const k of r.kw) put('KW', k);
  for (const m of r.m3) put('M3', m);
  put('SN', r.sn);
  put('LA', r.la);
  put('DB', r.db);
  put('AB', r.ab);
  l.push('ER  - ');
  return l.join('\n');
}

const comparable = (r: NormalisedRecord) => ({
  ...r,
  raw: undefined,
  source: { ...r.source, format: undefined },
});

describe('export round-trips', () => {
  for (const [name, exporter] of [
    ['ris', recordsToRis],
    ['csv', recordsToCsv],
  ] as const) {
    it(`parse(${name} export(records)) gives equal normalised records`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(risRecord, { minLength: 1, maxLength: 5 }), async (recs) => {
          const first = (await parseText(recs.map(toRis).join('\n\n'), { format: 'ris' })).records.map(
            (r) => r.record,
          );
          const again = (await parseText(exporter(first), { format: name })).records.map((r) => r.record);
          expect(again.map(comparable)).toEqual(first.map(comparable));
        }),
        { numRuns: 80 },
      );
    });
  }

  it('neutralises spreadsheet formulas in CSV and restores them on import', async () => {
    const { records } = await parseText(
      'TY  - JOUR\nTI  - =HYPERLINK("http://evil")\nAU  - +Cmd, X\nER  - \n',
      { format: 'ris' },
    );
    const csv = recordsToCsv(records.map((r) => r.record));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    const back = await parseText(csv, { format: 'csv' });
    expect(back.records[0]!.record.title).toBe('=HYPERLINK("http://evil")');
  });

  it('quotes a title holding a bare CR, so no row a spreadsheet sees starts with a formula', async () => {
    const { records } = await parseText('TY  - JOUR\nTI  - Placeholder\nER  - \n', { format: 'ris' });
    const record = { ...records[0]!.record, title: 'Asthma\r@SUM(1+1)' };
    const csv = recordsToCsv([record]);
    expect(csv).toContain('"Asthma\r@SUM(1+1)"');
    // Read as a spreadsheet does: any CR or LF outside quotes ends a row.
    const rows = parse(csv, { record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
    expect(rows).toHaveLength(2);
    for (const cell of rows.flat()) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@]/);
  });
});
