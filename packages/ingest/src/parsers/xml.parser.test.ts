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
      parseText('<PubmedArticleSet><PubmedArticle><oops></PubmedArticle></PubmedArticleSet>', {
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
