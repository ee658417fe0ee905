import { describe, expect, it } from 'vitest';
import { rec } from './record.fixture.ts';
import { kindConflict, reportKind } from './report-kind.ts';

describe('reportKind', () => {
  it.each([
    [rec({ title: 'X', publicationTypesRaw: ['Conference Abstract'] }), 'conference'],
    [rec({ title: 'X', publicationType: 'conference-abstract' }), 'conference'],
    [rec({ title: 'Erratum: copper surfaces' }), 'erratum'],
    [rec({ title: 'Copper surfaces', publicationTypesRaw: ['Published Erratum'] }), 'erratum'],
    [rec({ title: 'Retracted: copper surfaces' }), 'retraction'],
    [rec({ title: 'Copper surfaces', journal: 'bioRxiv' }), 'preprint'],
    [rec({ title: 'Re: Copper surfaces in hospitals' }), 'commentary'],
    [rec({ title: 'Response to "Copper surfaces"' }), 'commentary'],
    [rec({ title: 'Copper surfaces', publicationTypesRaw: ['Journal: Article'] }), 'article'],
    [rec({ title: 'Copper surfaces' }), 'unknown'],
    [rec({ title: 'Correction to: copper surfaces', publicationTypesRaw: ['Journal Article'] }), 'erratum'],
    [rec({ title: 'Copper surfaces', publicationTypesRaw: ['Retraction of Publication'] }), 'retraction'],
    [rec({ title: 'Notice of retraction: copper surfaces' }), 'retraction'],
    // A word in the title is not the record's kind.
    [
      rec({
        title: 'Pleurodesis with tetracycline.[Erratum appears in Chest 1993 May;103(5):1640]',
        publicationTypesRaw: ['Journal Article'],
      }),
      'article',
    ],
    [
      rec({
        title: 'Copper surfaces [Retraction in: Lancet 2010;375:445]',
        publicationType: 'journal-article',
      }),
      'article',
    ],
    [
      rec({ title: 'Copper surfaces', publicationTypesRaw: ['Journal Article', 'Retracted Publication'] }),
      'article',
    ],
    [
      rec({ title: 'Correction of hallux valgus by osteotomy', publicationType: 'journal-article' }),
      'article',
    ],
    [rec({ title: 'Tumour response to copper chelation', publicationType: 'journal-article' }), 'article'],
  ])('%#', (record, kind) => {
    expect(reportKind(record, undefined)).toBe(kind);
  });
  it('reads preprint servers from the DOI', () => {
    expect(reportKind(rec({ title: 'X' }), '10.1101/2020.03.01.1')).toBe('preprint');
  });
});

describe('kindConflict', () => {
  it('allows same kinds and unknown vs article', () => {
    expect(kindConflict('conference', 'conference')).toBeNull();
    expect(kindConflict('unknown', 'article')).toBeNull();
    expect(kindConflict('unknown', 'conference')).toBeNull();
  });
  it('names the conflict', () => {
    expect(kindConflict('article', 'conference')).toBe('conference abstract vs journal article');
    expect(kindConflict('unknown', 'erratum')).toBe('erratum vs record of unknown type');
  });
});
