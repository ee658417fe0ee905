import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.test-helper.ts';

describe('MEDLINE reader', () => {
  it('reads PMID records with continuation lines, FAU, MeSH, PMC and [doi]', async () => {
    const { format, records } = await parseFixture('pubmed.nbib');
    expect(format).toBe('medline');
    expect(records).toHaveLength(2);
    const a = records[0]!.record;
    expect(a.title).toBe('The PRISMA 2020 statement: an updated guideline for reporting systematic reviews.');
    expect(a.authors[0]).toEqual({ family: 'Page', given: 'Matthew J', asWritten: 'Page, Matthew J' });
    expect(a).toMatchObject({
      year: 2021,
      doi: '10.1136/bmj.n71',
      pmid: '33782057',
      pmcid: 'PMC8005924',
      journalAbbrev: 'BMJ',
      issn: ['1756-1833', '0959-8138'],
    });
    expect(a.mesh).toEqual(['Humans', 'Systematic Reviews as Topic']);
    expect(a.abstract).toMatch(/^The Preferred Reporting Items .* review was done\.$/);
    expect(a.publicationType).toBe('review');
    const b = records[1]!.record;
    expect(b.publicationType).toBe('erratum');
    expect(b.pages).toEqual({ asWritten: '1453-62', start: '1453', end: '1462' });
    expect(b.authors[1]).toMatchObject({ family: 'Plunkett' });
    expect(records[1]!.line).toBe(30);
  });
});
