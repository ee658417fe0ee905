import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.test-helper.ts';
import { parseText } from './parse-stream.ts';

describe('PubMed XML reader', () => {
  it('reads PubmedArticle and PubmedBookArticle, keeps <i> markup, never expands entities', async () => {
    const { records, diagnostics } = await parseFixture('pubmed.xml');
    expect(records.map((r) => r.index)).toEqual([1, 3]);
    const a = records[0]!.record;
    expect(a.titleHtml).toBe('The complete genome sequence of <i>Escherichia coli</i> K-12.');
    expect(a.title).toBe('The complete genome sequence of Escherichia coli K-12.');
    expect(a.abstract).toMatch(/^BACKGROUND: The 4,639,221–base pair .* RESULTS: Of 4288/);
    expect(a).toMatchObject({
      pmid: '9278503',
      doi: '10.1126/science.277.5331.1453',
      year: 1997,
      issn: ['0036-8075'],
      mesh: ['Escherichia coli'],
    });
    expect(a.authors[1]).toEqual({
      family: 'E. coli Genome Consortium',
      asWritten: 'E. coli Genome Consortium',
    });
    expect(records[1]!.record).toMatchObject({
      title: 'Cystic Fibrosis',
      publicationType: 'book-chapter',
      pmid: '20301295',
    });
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/entity declarations .* ignored/),
      }),
    );
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', record: 2 }));
    expect(JSON.stringify(records)).not.toMatch(/lollollol|root:/);
  });

  it('throws PARSE_ERROR when no record element can be read', async () => {
    await expect(
      parseText('<PubmedArticleSet><PubmedArticle>&undeclared;</PubmedArticle></PubmedArticleSet>', {
        format: 'pubmed-xml',
        fileName: 'x.xml',
      }),
    ).rejects.toMatchObject({ code: 'PARSE_ERROR' });
  });
});

describe('EndNote XML reader', () => {
  it('unwraps <style> runs, keeps italic faces as markup, and reads ids', async () => {
    const { records } = await parseFixture('endnote.xml');
    const a = records[0]!.record;
    expect(a.title).toBe('The measurement of observer agreement for categorical data');
    expect(a.titleHtml).toBe('The measurement of observer agreement for <i>categorical</i> data');
    expect(a).toMatchObject({
      pmid: '843571',
      doi: '10.2307/2529310',
      pages: { end: '174' },
      source: { database: 'MEDLINE', platform: 'NLM' },
    });
    expect(records[1]!.record).toMatchObject({
      doi: '10.1037/h0026256',
      pmcid: 'PMC1234567',
      publicationType: 'conference-paper',
      keywords: ['kappa', 'agreement'],
    });
  });
});

describe('damaged XML records stay local', () => {
  const pubmed = (n: number, damage?: 'truncated' | 'unclosed' | 'stray'): string => {
    const abs =
      damage === 'unclosed' ? `<AbstractText>Abstract ${n}.` : `<AbstractText>Abstract ${n}.</AbstractText>`;
    const title = damage === 'stray' ? `Title ${n} & <${n}` : `Title ${n}`;
    const head = `<PubmedArticle>\n<MedlineCitation><PMID>${1000 + n}</PMID><Article>\n<Journal><Title>Journal</Title></Journal>\n<ArticleTitle>${title}</ArticleTitle>\n`;
    if (damage === 'truncated') return `${head}<Abstract><AbstractText>Abstr\n`;
    return `${head}<Abstract>${abs}</Abstract>\n</Article></MedlineCitation>\n</PubmedArticle>\n`;
  };
  const file = (damage?: 'truncated' | 'unclosed' | 'stray'): string =>
    `<?xml version="1.0"?>\n<PubmedArticleSet>\n${Array.from({ length: 7 }, (_, i) => pubmed(i + 1, i === 3 ? damage : undefined)).join('')}</PubmedArticleSet>\n`;
  const withoutRaw = (r: { record: object }) => ({ ...r.record, raw: undefined });

  it.each(['truncated', 'unclosed', 'stray'] as const)(
    'PubMed XML: a %s record in the middle is kept with what could be read; every other record is identical',
    async (damage) => {
      const clean = await parseText(file(), { format: 'pubmed-xml' });
      const out = await parseText(file(damage), { format: 'pubmed-xml' });
      expect(out.records).toHaveLength(7);
      for (const i of [0, 1, 2, 4, 5, 6])
        expect(withoutRaw(out.records[i]!)).toEqual(withoutRaw(clean.records[i]!));
      expect(out.records[3]!.record).toMatchObject({
        title: damage === 'stray' ? 'Title 4 & <4' : 'Title 4',
        pmid: '1004',
      });
      const repaired = out.diagnostics.filter((d) => d.damage);
      expect(repaired).toEqual([
        expect.objectContaining({ severity: 'warning', record: 4, line: 24, damage: 'repaired' }),
      ]);
      if (damage !== 'stray')
        expect(out.diagnostics).toContainEqual(
          expect.objectContaining({ record: 4, line: 28, field: 'AbstractText' }),
        );
      expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    },
  );

  it('EndNote XML: a record whose end tag is missing ends where the next record starts', async () => {
    const rec = (n: number, end = '</record>'): string =>
      `<record><ref-type name="Journal Article">17</ref-type><titles><title>Title ${n}</title></titles>\n<dates><year>20${10 + n}</year></dates>${end}\n`;
    const xml = (broken: boolean): string =>
      `<xml><records>\n${[1, 2, 3, 4, 5].map((n) => rec(n, broken && n === 3 ? '' : undefined)).join('')}</records></xml>\n`;
    const clean = await parseText(xml(false), { format: 'endnote-xml' });
    const out = await parseText(xml(true), { format: 'endnote-xml' });
    expect(out.records.map((r) => r.record.year)).toEqual([2011, 2012, 2013, 2014, 2015]);
    for (const i of [0, 1, 3, 4]) expect(withoutRaw(out.records[i]!)).toEqual(withoutRaw(clean.records[i]!));
    expect(out.records[2]!.record.title).toBe('Title 3');
    expect(out.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', record: 3, line: 6, damage: 'repaired' }),
    ]);
  });
});
