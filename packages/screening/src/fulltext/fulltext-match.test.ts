import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findDois,
  findPmids,
  indexReports,
  matchFullText,
  normaliseDoi,
  titleScore,
  wordDice,
  type ReportKey,
} from './fulltext-match.ts';

const reports: ReportKey[] = [
  {
    reportId: 'a',
    title: 'Leadership and quality improvement in acute hospitals',
    year: 2019,
    doi: '10.1136/bmjqs-2019-001',
    pmid: '31234567',
  },
  {
    reportId: 'b',
    title: 'Patient involvement in service redesign: a realist review',
    year: 2021,
    doi: null,
    pmid: '33300011',
  },
  {
    reportId: 'c',
    title: 'Using data for improvement in primary care networks',
    year: 2018,
    doi: null,
    pmid: null,
  },
  {
    reportId: 'd',
    title: 'Using data for improvement in primary care networks',
    year: 2020,
    doi: null,
    pmid: null,
  },
  {
    reportId: 'e',
    title: 'Skills and competencies for improvement coaches',
    year: 2017,
    doi: 'https://doi.org/10.1000/XYZ.77',
    pmid: null,
    hasFullText: true,
  },
];
const index = indexReports(reports);
const facts = (text: string, metadata = '', metaTitle?: string) => ({
  text,
  metadata,
  ...(metaTitle ? { metaTitle } : {}),
});

describe('identifiers', () => {
  it('normalises and finds DOIs', () => {
    expect(normaliseDoi('https://doi.org/10.1000/XYZ.77.')).toBe('10.1000/xyz.77');
    expect(findDois('See doi:10.1136/BMJQS-2019-001; and (10.1000/abc).')).toEqual([
      '10.1136/bmjqs-2019-001',
      '10.1000/abc',
    ]);
    expect(findPmids('PMID: 31234567 and PubMed ID 33300011')).toEqual(['31234567', '33300011']);
  });

  it('a DOI written anywhere in text is found again, whatever surrounds it (property)', () => {
    const doi = fc
      .tuple(
        fc.integer({ min: 1000, max: 99999 }),
        fc.stringMatching(/^[a-z0-9][a-z0-9.\-_/]{0,20}[a-z0-9]$/),
      )
      .map(([p, s]) => `10.${p}/${s}`);
    fc.assert(
      fc.property(
        doi,
        fc.string({ maxLength: 30 }),
        fc.constantFrom(' ', '\n', ' (', ' doi:', ' https://doi.org/'),
        (d, before, sep) => {
          const text = `${before.replace(/10\./g, '')}${sep}${d.toUpperCase()}) end`;
          expect(findDois(text)).toContain(d);
        },
      ),
    );
  });
});

describe('matchFullText', () => {
  it('matches by the DOI of the document information first', () => {
    expect(matchFullText(facts('Some text', 'doi:10.1136/bmjqs-2019-001'), index)).toEqual({
      outcome: 'attached',
      reportId: 'a',
      matchedBy: 'doi',
    });
  });

  it('then by a DOI on the first pages, then a PMID', () => {
    expect(
      matchFullText(facts('BMJ Qual Saf\nhttps://doi.org/10.1136/bmjqs-2019-001\nAnother title'), index),
    ).toMatchObject({ reportId: 'a', matchedBy: 'doi' });
    expect(matchFullText(facts('Header\nPMID: 33300011\nText'), index)).toMatchObject({
      reportId: 'b',
      matchedBy: 'pmid',
    });
  });

  it('then by title with the year; two reports with one title wait for a person unless the year tells them apart', () => {
    expect(
      matchFullText(
        facts('Journal of Care 2018\nUsing data for improvement in\nprimary care networks\nA. Author'),
        index,
      ),
    ).toEqual({ outcome: 'attached', reportId: 'c', matchedBy: 'title' });
    const both = matchFullText(
      facts('Using data for improvement in primary care networks\n2018 and 2020'),
      index,
    );
    expect(both).toMatchObject({ outcome: 'ambiguous' });
    expect(both.outcome === 'ambiguous' && both.candidates.map((c) => c.reportId).sort()).toEqual(['c', 'd']);
    // A file that shows no year at all is not said to show another one.
    expect(
      matchFullText(
        facts('Using data for improvement in primary care networks'),
        indexReports([reports[2]!]),
      ),
    ).toMatchObject({
      outcome: 'ambiguous',
      why: 'The title matches but the report’s year (2018) is not on the file.',
    });
  });

  it('offers near titles as candidates and leaves unrelated files unmatched', () => {
    const near = matchFullText(facts('Patient involvement in service redesign\n2021'), index);
    expect(near).toMatchObject({ outcome: 'ambiguous', candidates: [{ reportId: 'b' }] });
    expect(matchFullText(facts('Cooking with lentils: a history\n1999'), index)).toEqual({
      outcome: 'unmatched',
    });
  });

  it('never attaches a second full text to a report unasked', () => {
    expect(matchFullText(facts('doi 10.1000/xyz.77'), index)).toMatchObject({
      outcome: 'ambiguous',
      candidates: [{ reportId: 'e' }],
      why: 'This report already has a full text attached.',
    });
  });

  it('a file carrying a report’s DOI or exact title and year is attached to that report and no other (property)', () => {
    const word = fc.stringMatching(/^[a-z]{3,9}$/);
    const title = fc.array(word, { minLength: 5, maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.uniqueArray(title, { minLength: 2, maxLength: 8, selector: (t) => t }),
        fc.nat(),
        fc.boolean(),
        (titles, pick, withDoi) => {
          const keys: ReportKey[] = titles.map((t, i) => ({
            reportId: `r${i}`,
            title: t,
            year: 2000 + i,
            doi: `10.5555/r${i}`,
            pmid: null,
          }));
          // Titles sharing most words are legitimately ambiguous: only test clearly distinct ones.
          const i = pick % keys.length;
          const others = keys.filter((_, j) => j !== i);
          if (others.some((o) => wordDice(o.title.split(' '), keys[i]!.title.split(' ')) > 0.5)) return;
          const text = withDoi
            ? `Header doi:${keys[i]!.doi}\nSomething`
            : `${keys[i]!.title}\nPublished ${keys[i]!.year}`;
          expect(matchFullText(facts(text), indexReports(keys))).toEqual({
            outcome: 'attached',
            reportId: `r${i}`,
            matchedBy: withDoi ? 'doi' : 'title',
          });
        },
      ),
    );
  });

  it('scores a title wrapped over lines as the same title', () => {
    expect(
      titleScore(
        'Leadership and quality improvement in acute hospitals',
        facts('Leadership and quality\nimprovement in acute\nhospitals'),
      ),
    ).toBeGreaterThan(0.95);
  });
});
