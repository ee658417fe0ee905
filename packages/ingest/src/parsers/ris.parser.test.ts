import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from './decode.ts';
import { fixtureBytes, parseFixture } from './fixtures.test-helper.ts';
import { formatDiagnostic, parseStream, parseText } from './parse-stream.ts';

describe('RIS reader', () => {
  it('reads Ovid numbered records, URL DOIs, multi-line KW and N1, and ignores trailers', async () => {
    const { records, diagnostics } = await parseFixture('ovid-numbered.ris');
    expect(records).toHaveLength(2);
    const [a, b] = records.map((r) => r.record);
    expect(a!.doi).toBe('10.1371/journal.pmed.1000097');
    expect(a!.keywords).toEqual([
      'Humans',
      'Meta-Analysis as Topic',
      'Periodicals as Topic',
      'Publishing/st [Standards]',
    ]);
    expect(a!.abstract).toContain('Clinicians read them');
    expect(a!.source).toMatchObject({ database: 'Ovid MEDLINE(R)', platform: 'Ovid Technologies' });
    expect(a!.raw).toContain('continued on a second line');
    expect(b!.pages).toEqual({ asWritten: '159-74', start: '159', end: '174' });
    expect(records[1]!.line).toBe(32);
    expect(diagnostics.map((d) => d.message).join()).toMatch(/outside any TY\.\.ER record/);
  });

  it('reads EBSCO RIS with BOM and CRLF; finds PMID/PMCID in notes and DOI in the URL', async () => {
    const { records } = await parseFixture('ebsco-bom-crlf.ris');
    expect(records.map((r) => r.record.title)).toEqual([
      'The PRISMA 2020 statement: an updated guideline for reporting systematic reviews',
      'Dual screening in rapid reviews',
    ]);
    expect(records[0]!.record).toMatchObject({
      doi: '10.1136/bmj.n71',
      pmid: '33782057',
      pmcid: 'PMC8005924',
      year: 2021,
      journal: 'BMJ',
    });
    expect(records[1]!.record.publicationType).toBe('conference-abstract');
  });

  it('reads CR-only line ends and doi: prefixes', async () => {
    const { records } = await parseFixture('mac-cr-only.ris');
    expect(records[0]!.record).toMatchObject({
      doi: '10.1177/001316446002000104',
      pages: { start: '37', end: '46' },
    });
  });

  it('reports every repaired record with its position and line', async () => {
    const { records, diagnostics } = await parseFixture('irregular.ris');
    expect(records).toHaveLength(4);
    expect(records[0]!.record.doi).toBe('10.1126/science.277.5331.1453');
    expect(records[0]!.record.titleHtml).toBe('The complete genome sequence of <i>Escherichia coli</i> K-12');
    const text = diagnostics.map((d) => formatDiagnostic(d, 'irregular.ris'));
    expect(text).toContain('irregular.ris: record 2 (line 14): no title; kept with warning');
    expect(text.some((t) => /record 3 \(line 19\): no ER before the next TY/.test(t))).toBe(true);
    expect(
      text.some((t) =>
        /record 4 \(line 22\): the file ends inside this record \(no ER line\): it may have been cut short/.test(
          t,
        ),
      ),
    ).toBe(true);
    expect(records[2]!.record.title).toBe('Safe title link');
    expect(records[2]!.record.authors[0]).toEqual({
      family: 'Shahtalebi',
      given: 'MA',
      asWritten: 'Shahtalebi MA',
    });
  });

  it('gives the same records however the input is split into chunks', async () => {
    const text =
      decodeBytes(fixtureBytes('ovid-numbered.ris')) + '\n' + decodeBytes(fixtureBytes('irregular.ris'));
    const whole = await collect([text]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((x, y) => x - y);
        const parts: string[] = [];
        let prev = 0;
        for (const p of points) {
          parts.push(text.slice(prev, p));
          prev = p;
        }
        parts.push(text.slice(prev));
        expect(await collect(parts)).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('a record missing its ER ends at the next TY; every other record is identical', async () => {
    const rec = (n: number, er = true): string =>
      `TY  - JOUR\nTI  - Title ${n}\nAU  - Smith, A.\nPY  - 20${10 + n}\nAB  - Abstract ${n}.\n${er ? 'ER  - \n' : ''}\n`;
    const text = (broken: boolean) => [1, 2, 3, 4, 5].map((n) => rec(n, !(broken && n === 3))).join('');
    const clean = await parseText(text(false), { format: 'ris' });
    const out = await parseText(text(true), { format: 'ris' });
    const withoutRaw = (r: { record: object }) => ({ ...r.record, raw: undefined });
    expect(out.records.map(withoutRaw)).toEqual(clean.records.map(withoutRaw));
    expect(out.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', record: 3, line: 15, field: 'ER', damage: 'repaired' }),
    ]);
  });
});

async function collect(parts: string[]) {
  async function* gen(): AsyncGenerator<string> {
    for (const p of parts) yield p;
  }
  const out = [];
  for await (const b of parseStream('ris', gen())) out.push(...b.records);
  return out;
}
