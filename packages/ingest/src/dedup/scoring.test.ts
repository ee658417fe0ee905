import { describe, expect, it } from 'vitest';
import type { NormalisedRecord } from '../record.types.ts';
import { matchKeys } from './match-keys.ts';
import { ARTICLE, rec } from './record.fixture.ts';
import { classify } from './scoring.ts';
import { compare } from './similarity.ts';

const verdict = (a: NormalisedRecord, b: NormalisedRecord) => classify(compare(matchKeys(a), matchKeys(b)));
const medline = rec({
  ...ARTICLE,
  journal: 'J Antimicrob Chemother',
  pages: { asWritten: '522-5' },
  publicationTypesRaw: ['Journal Article'],
});
const embase = rec({
  ...ARTICLE,
  title:
    'Antimicrobial Efficacy of Copper Surfaces Against Spores and Vegetative Cells of Clostridium difficile.',
  authors: ['Wheeldon, L. J.', 'Worthington, T.', 'Lambert, P. A.'],
  publicationTypesRaw: ['Article'],
});

describe('classify: certain duplicates', () => {
  it('merges cross-database variants with the same DOI', () => {
    const v = verdict(medline, embase);
    expect(v.tier).toBe('certain');
    expect(v.reason).toContain('same DOI');
  });
  it('merges without DOI when title, authors, journal abbreviation and pages agree', () => {
    const { doi: _drop, ...noDoi } = ARTICLE;
    const v = verdict(
      rec({
        ...noDoi,
        authors: ['Wheeldon LJ', 'Worthington T', 'Lambert PA'],
        journal: 'J Antimicrob Chemother',
        pages: { asWritten: '522-5' },
      }),
      embase,
    );
    expect(v.tier).toBe('certain');
    expect(v.reason).toMatch(/same journal, volume, issue, first page/);
  });
  it('accepts the one-year epub vs print shift', () => {
    const v = verdict(rec({ ...ARTICLE, year: 2007 }), embase);
    expect(v.tier).toBe('certain');
    expect(v.reason).toContain('epub vs print');
  });
  it('accepts an ahead-of-print record with provisional pages and the same DOI', () => {
    const { volume: _v, issue: _i, ...inPress } = ARTICLE;
    expect(verdict(rec({ ...inPress, pages: { asWritten: '1-7' } }), embase).tier).toBe('certain');
  });
  it('accepts a mistyped DOI when journal, volume and pages agree', () => {
    const v = verdict(rec({ ...ARTICLE, doi: '10.1093/jac/dkn291' }), embase);
    expect(v.tier).toBe('certain');
    expect(v.reason).toContain('DOI error');
  });
  it('accepts a title with a label or subject codes added by one database', () => {
    expect(verdict(rec({ ...ARTICLE, title: `Short report: ${ARTICLE.title}` }), embase).tier).toBe(
      'certain',
    );
  });
  it('accepts garbled author names when DOI and pagination agree', () => {
    const v = verdict(rec({ ...ARTICLE, authors: ['Lionel, W. J.', 'Tony, W.', 'Peter, L. A.'] }), embase);
    expect(v.tier).toBe('certain');
    expect(v.reason).toContain('author names written differently');
  });
  it('accepts a journal article one database labels "Conference Paper" when DOI, volume and pages agree', () => {
    const v = verdict(
      rec({ ...ARTICLE, publicationTypesRaw: ['Journal Article', 'Conference Paper'] }),
      embase,
    );
    expect(v.tier).toBe('certain');
    expect(v.reason).toContain('conference paper');
  });
  it('keeps a conference paper apart from the article when the pagination differs', () => {
    const v = verdict(
      rec({ ...ARTICLE, publicationType: 'conference-paper', pages: { asWritten: '12-18' } }),
      embase,
    );
    expect(v.tier).toBe('uncertain');
    expect(v.reason).toContain('conference paper vs journal article');
  });
});

describe('classify: never merged automatically', () => {
  const cases: [string, NormalisedRecord, RegExp][] = [
    [
      'conference abstract vs journal article',
      rec({
        ...ARTICLE,
        publicationType: 'conference-abstract',
        pages: { asWritten: 'S52' },
        volume: '62',
        doi: undefined,
      }),
      /conference abstract vs journal article/,
    ],
    [
      'erratum',
      rec({
        ...ARTICLE,
        title: `Erratum: ${ARTICLE.title}`,
        publicationType: 'erratum',
        pages: { asWritten: '900' },
      }),
      /erratum/,
    ],
    [
      'retraction',
      rec({
        ...ARTICLE,
        title: `Retracted: ${ARTICLE.title}`,
        publicationTypesRaw: ['Retraction of Publication'],
      }),
      /retraction/,
    ],
    [
      'preprint vs published',
      rec({
        ...ARTICLE,
        journal: 'medRxiv',
        doi: '10.1101/2020.01.01.123456',
        volume: undefined,
        issue: undefined,
        pages: undefined,
      }),
      /preprint/,
    ],
    [
      'reply to the article',
      rec({ ...ARTICLE, title: `Reply to: ${ARTICLE.title}`, authors: ['Smith J'] }),
      /commentary\/reply/,
    ],
    [
      'comment letter with the same title',
      rec({ ...ARTICLE, publicationType: 'letter', doi: '10.1093/jac/dkn999', pages: { asWritten: '1201' } }),
      /commentary/,
    ],
    [
      'different volume (another report with the same title)',
      rec({ ...ARTICLE, doi: undefined, volume: '63', pages: { asWritten: '100-104' } }),
      /volumes differ/,
    ],
    [
      'different first page',
      rec({ ...ARTICLE, doi: undefined, pages: { asWritten: '600-605' } }),
      /first pages differ/,
    ],
    [
      'years more than one apart',
      rec({ ...ARTICLE, doi: undefined, volume: undefined, issue: undefined, pages: undefined, year: 2012 }),
      /years 4 apart/,
    ],
    [
      'different DOIs',
      rec({ ...ARTICLE, doi: '10.1093/jac/dkn555', pages: undefined, volume: undefined }),
      /DOIs differ/,
    ],
  ];
  it.each(cases)('%s', (_name, other, reason) => {
    const v = verdict(other, embase);
    expect(v.tier).not.toBe('certain');
    expect(v.reason).toMatch(reason);
  });
  it('sends a same-title pair with a contradiction to review rather than calling it distinct', () => {
    expect(verdict(rec({ ...ARTICLE, doi: undefined, volume: '63' }), embase).tier).toBe('uncertain');
  });
  it('does not merge short generic titles on title and authors alone', () => {
    const a = rec({ title: 'Editorial', authors: ['Smith J'], year: 2010, journal: 'BMJ' });
    expect(
      verdict(a, rec({ title: 'Editorial', authors: ['Smith J'], year: 2010, journal: 'BMJ' })).tier,
    ).not.toBe('certain');
  });
});

describe('classify: distinct', () => {
  it('different titles and authors are distinct', () => {
    const v = verdict(
      rec({
        title: 'Copper alloys in intensive care units: a randomised trial',
        authors: ['Salgado CD'],
        year: 2013,
      }),
      embase,
    );
    expect(v.tier).toBe('distinct');
  });
  it('gives a score between 0 and 1 and a reason every time', () => {
    const v = verdict(medline, embase);
    expect(v.score).toBeGreaterThan(0.8);
    expect(v.score).toBeLessThanOrEqual(1);
    expect(v.reason.length).toBeGreaterThan(10);
  });
});
