import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalisedRecord } from '../record.types.ts';
import { dedupe } from './dedupe.ts';
import { rec } from './record.fixture.ts';

// Generated pairs of exports of one report that differ only in one way databases are known to
// differ (issue 15's miss classes), and generated different reports that must not be merged.

type Outcome = 'merged' | 'queued' | 'distinct';

/** How `dedupe` treats records `a` and `b` among `records` (ids are positions). */
function outcome(records: NormalisedRecord[], a: number, b: number): Outcome {
  const r = dedupe(records.map((record, i) => ({ id: `r${i}`, record })));
  const [ia, ib] = [`r${a}`, `r${b}`];
  if (
    r.groups.some((g) => g.members.some((m) => m.recordId === ia) && g.members.some((m) => m.recordId === ib))
  )
    return 'merged';
  return r.review.some((p) => (p.a === ia && p.b === ib) || (p.a === ib && p.b === ia))
    ? 'queued'
    : 'distinct';
}

const WORDS = [
  'randomised',
  'controlled',
  'trial',
  'efficacy',
  'safety',
  'tafenoquine',
  'malaria',
  'relapse',
  'children',
  'adults',
  'copper',
  'surfaces',
  'hospital',
  'infection',
  'pleurodesis',
  'bleomycin',
  'tetracycline',
  'malignant',
  'effusion',
  'outcomes',
  'cohort',
  'mortality',
  'primaquine',
  'vivax',
  'plasmodium',
  'resistance',
  'surveillance',
  'intensive',
  'care',
  'unit',
  'antimicrobial',
  'exposure',
  'prophylaxis',
  'travellers',
  'dose',
  'response',
  'pharmacokinetics',
  'healthy',
  'volunteers',
  'observational',
  'study',
  'meta-analysis',
  'systematic',
  'review',
  'prospective',
  'multicentre',
  'evaluation',
  'cost',
  'effectiveness',
  'quality',
] as const;
const SURNAMES = [
  'Tałałaj',
  'Müller',
  'Dvořák',
  'Sørensen',
  'Gonçalves',
  'Núñez',
  'Łukasiewicz',
  'Özdemir',
  'Håkansson',
  'Kowalczyk',
  'Wheeldon',
  'Worthington',
  'Lambert',
  'Grabowska',
  'Fernández',
  'Šimůnek',
] as const;

const titleArb = fc.array(fc.constantFrom(...WORDS), { minLength: 7, maxLength: 14 }).map((ws) => {
  const t = ws.join(' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
});
const authorsArb = fc.uniqueArray(fc.constantFrom(...SURNAMES), { minLength: 1, maxLength: 6 });
const initialsArb = fc.stringMatching(/^[A-Z]{1,2}$/);

interface Report {
  title: string;
  authors: string[];
  journal: string;
  year: number;
  volume: number;
  issue: number;
  page: number;
}
const reportArb: fc.Arbitrary<Report> = fc.record({
  title: titleArb,
  authors: fc.tuple(authorsArb, initialsArb).map(([names, ini]) => names.map((n) => `${n} ${ini}`)),
  journal: fc.constantFrom('Annals of Oncology', 'European Respiratory Journal', 'Malaria Journal', 'Chest'),
  year: fc.integer({ min: 1985, max: 2024 }),
  volume: fc.integer({ min: 10, max: 120 }),
  issue: fc.integer({ min: 1, max: 12 }),
  page: fc.integer({ min: 100, max: 1999 }),
});

const article = (r: Report, extra: Partial<Parameters<typeof rec>[0]> = {}): NormalisedRecord =>
  rec({
    title: r.title,
    authors: r.authors,
    year: r.year,
    journal: r.journal,
    volume: String(r.volume),
    issue: String(r.issue),
    pages: { asWritten: `${r.page}-${r.page + 6}` },
    publicationTypesRaw: ['Journal Article'],
    ...extra,
  });

const RUNS = { numRuns: 60 };
/** Letters outside ASCII: the ones an export loses. */
const NON_ASCII = /[^ -~]/gu;

describe('the same report exported by two databases is merged or queued, never distinct', () => {
  it('a conference abstract with the supplement in the issue on one side and as the volume on the other', () => {
    fc.assert(
      fc.property(
        reportArb,
        fc.constantFrom('SUPPL. 1', 'Suppl 1', '(Suppl. 1)', 'S1', 'Suppl_1', 'Supplement 1'),
        fc.constantFrom('1', '1)'),
        fc.constantFrom('Conference Abstract', 'Meeting Abstract', 'Journal Article'),
        fc.boolean(),
        (r, suppl, vol, otherType, prefixed) => {
          const embase = rec({
            title: r.title,
            authors: r.authors,
            year: r.year,
            journal: r.journal,
            volume: String(r.volume),
            issue: suppl,
            pages: { asWritten: `S${r.page}` },
            doi: '10.1093/annonc/mdz999',
            publicationTypesRaw: ['Conference Abstract'],
          });
          const wos = rec({
            title: r.title,
            authors: r.authors,
            year: r.year,
            journal: r.journal.toUpperCase(),
            volume: vol,
            pages: { asWritten: prefixed ? `S${r.page}` : `${r.page}` },
            publicationTypesRaw: [otherType],
          });
          // Two other abstracts of the same supplement carry its DOI too.
          const others = [1, 2].map((k) =>
            rec({
              title: `${WORDS[(r.page + k) % WORDS.length]} ${WORDS[(r.page + 3 * k) % WORDS.length]} in a phase ${k} study of an unrelated question`,
              authors: ['Other A', 'Person B'],
              year: r.year,
              journal: r.journal,
              volume: String(r.volume),
              issue: suppl,
              pages: { asWritten: `S${r.page + 10 * k}` },
              doi: '10.1093/annonc/mdz999',
              publicationTypesRaw: ['Conference Abstract'],
            }),
          );
          const o = outcome([embase, wos, ...others], 0, 1);
          expect(o).not.toBe('distinct');
          // When the other side says it is an abstract, or prints the supplement's page prefix, the rest agrees.
          if (otherType !== 'Journal Article' || prefixed) expect(o).toBe('merged');
        },
      ),
      RUNS,
    );
  });

  it('a supplement that sits only in the pages (`i428` against `1428-1428`)', () => {
    fc.assert(
      fc.property(reportArb, fc.constantFrom('i', 'ii'), (r, roman) => {
        const page = r.page % 1000;
        const a = article(r, {
          pages: { asWritten: `${roman}${page}` },
          issue: undefined,
          publicationTypesRaw: ['Meeting Abstract'],
        });
        const b = article(r, {
          volume: '1',
          issue: undefined,
          pages: { asWritten: `${'1'.repeat(roman.length)}${page}-${'1'.repeat(roman.length)}${page}` },
          publicationTypesRaw: ['Conference Abstract'],
        });
        expect(outcome([a, b], 0, 1)).toBe('merged');
      }),
      RUNS,
    );
  });

  it('a MEDLINE title annotation on one side', () => {
    fc.assert(
      fc.property(
        reportArb,
        fc.constantFrom(
          '.[Erratum appears in Chest 1993 May;103(5):1640]',
          ' [published erratum appears in BMJ 1993 Jan 16;306(6870):172]',
          '. [Retraction in: Lancet 2010;375(9713):445]',
          ' [Comment in: N Engl J Med 1990;322:1]',
          ' [see comments]',
          '. [Review] [42 refs]',
          " (Author's transl)",
        ),
        (r, note) => {
          expect(outcome([article(r, { title: `${r.title}${note}` }), article(r)], 0, 1)).toBe('merged');
        },
      ),
      RUNS,
    );
  });

  it('author names mangled by an export or without diacritics, journal names in another case', () => {
    const mangle = (name: string, how: number): string =>
      how === 0
        ? name.replace(NON_ASCII, '?')
        : how === 1
          ? name.replace(NON_ASCII, '\uFFFD')
          : how === 2
            ? name
                .normalize('NFD')
                .replace(/[\u0300-\u036f]/g, '')
                .replace(/ł/g, 'l')
                .replace(/Ł/g, 'L')
            : name.replace(NON_ASCII, '??');
    fc.assert(
      fc.property(reportArb, fc.integer({ min: 0, max: 3 }), fc.boolean(), (r, how, upper) => {
        const a = article(r);
        const b = article(r, {
          authors: r.authors.map((n) => mangle(n, how)),
          journal: upper ? r.journal.toUpperCase() : r.journal.toLowerCase(),
        });
        expect(outcome([a, b], 0, 1)).toBe('merged');
      }),
      RUNS,
    );
  });

  it('an issue field holding garbage in one export', () => {
    fc.assert(
      fc.property(reportArb, fc.integer({ min: 13, max: 99_999 }), (r, garbage) => {
        expect(outcome([article(r), article(r, { issue: String(garbage) })], 0, 1)).toBe('merged');
      }),
      RUNS,
    );
  });
});

describe('different reports are not merged automatically', () => {
  it('different abstracts in one supplement sharing its DOI', () => {
    fc.assert(
      fc.property(reportArb, titleArb, fc.integer({ min: 1, max: 80 }), (r, otherTitle, gap) => {
        fc.pre(otherTitle !== r.title);
        const abstract = (title: string, page: number): NormalisedRecord =>
          rec({
            title,
            authors: r.authors,
            year: r.year,
            journal: r.journal,
            volume: String(r.volume),
            issue: 'SUPPL. 1',
            pages: { asWritten: `S${page}` },
            doi: '10.1183/13993003.congress-2019',
            publicationTypesRaw: ['Conference Abstract'],
          });
        expect(outcome([abstract(r.title, r.page), abstract(otherTitle, r.page + gap)], 0, 1)).not.toBe(
          'merged',
        );
      }),
      RUNS,
    );
  });

  it('the same supplement DOI and no pages: the DOI alone does not merge two abstracts', () => {
    const abstract = (title: string): NormalisedRecord =>
      rec({
        title,
        authors: ['Tałałaj J', 'Müller K'],
        year: 2019,
        journal: 'European Respiratory Journal',
        volume: '54',
        issue: 'Suppl 63',
        doi: '10.1183/13993003.congress-2019',
        publicationTypesRaw: ['Conference Abstract'],
      });
    const records = [
      abstract('Tafenoquine for the prevention of vivax malaria relapse: 52-week results'),
      abstract('Tafenoquine for the prevention of vivax malaria relapse: 104-week results'),
      abstract('Outcomes of intensive care in pleural infection'),
    ];
    expect(outcome(records, 0, 1)).not.toBe('merged');
  });

  it('the same title with other authors and another year', () => {
    fc.assert(
      fc.property(reportArb, fc.integer({ min: 2, max: 15 }), (r, years) => {
        const other = article(r, { authors: ['Wheeler Q', 'Ngata T'], year: r.year + years });
        expect(outcome([article(r), other], 0, 1)).not.toBe('merged');
      }),
      RUNS,
    );
  });

  it('an erratum notice and its article', () => {
    fc.assert(
      fc.property(reportArb, fc.boolean(), (r, byType) => {
        const notice = byType
          ? article(r, { pages: { asWritten: `${r.page + 40}` }, publicationTypesRaw: ['Published Erratum'] })
          : article(r, { title: `Erratum: ${r.title}`, pages: { asWritten: `${r.page + 40}` } });
        expect(outcome([article(r), notice], 0, 1)).not.toBe('merged');
      }),
      RUNS,
    );
  });
});
