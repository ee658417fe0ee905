import { describe, expect, it } from 'vitest';
import { loadDefaultCodebook } from '../codebook/default-codebook.ts';
import { sampleCodings } from '../test-support/sample-codings.ts';
import { buildConsensus, finaliseConsensus } from './consensus.ts';

const book = loadDefaultCodebook();
const of = (s: string) => sampleCodings.filter((c) => c.studyId === s);

describe('consensus', () => {
  it('carries agreed fields, merges quotations and lists differences', () => {
    const draft = buildConsensus(book, of('S1'));
    expect(draft.coders).toEqual(['ann', 'bob']);
    expect(draft.differences.map((d) => d.field)).toEqual(['improvement_approach']);
    expect(draft.differences[0]?.onlyIn).toEqual({ ann: [], bob: ['six_sigma'] });
    expect(draft.values.influences).toEqual({
      type: 'code_tree',
      applications: [
        {
          code: 'leadership.clear_roles',
          quotes: [
            { text: 'Roles were defined', page: 4 },
            { text: 'Clear roles for leads', page: 5 },
          ],
        },
        { code: 'data.it_infrastructure', quotes: [{ text: 'IT support mattered', page: 7 }] },
      ],
    });
    expect(draft.values.improvement_approach).toBeUndefined();
    // Both coders' options together, offered beside each coder's own.
    expect(draft.differences[0]?.combined).toEqual({ type: 'multi_choice', options: ['lean', 'six_sigma'] });
  });

  it('keeps an agreed text as written, its line breaks too, whichever coder came first', () => {
    const [ann, bob] = of('S1') as [(typeof sampleCodings)[number], (typeof sampleCodings)[number]];
    const withNotes = (c: typeof ann, text: string) => ({
      ...c,
      values: { ...c.values, quality_notes: { type: 'text' as const, text } },
    });
    const same = [withNotes(ann, 'Line one.\nLine two.'), withNotes(bob, 'Line one.\nLine two.\n')];
    for (const codings of [same, [...same].reverse()])
      expect(buildConsensus(book, codings).values.quality_notes).toEqual({
        type: 'text',
        text: 'Line one.\nLine two.',
      });
    // Spaced differently: agreed, and one of the two as written, the same either way round.
    const spaced = [withNotes(ann, 'Line one.\nLine two.'), withNotes(bob, 'Line one.  Line two.')];
    const kept = buildConsensus(book, spaced).values.quality_notes;
    expect(buildConsensus(book, [...spaced].reverse()).values.quality_notes).toEqual(kept);
    expect(kept).toEqual({ type: 'text', text: 'Line one.\nLine two.' });
    expect(buildConsensus(book, spaced).differences.map((d) => d.field)).not.toContain('quality_notes');
  });

  it('offers both coders’ answers together for fields that hold several, whichever coder came first', () => {
    const draft = buildConsensus(book, of('S2'));
    const reversed = buildConsensus(book, [...of('S2')].reverse());
    const influences = draft.differences.find((d) => d.field === 'influences');
    expect(influences?.combined).toEqual(
      reversed.differences.find((d) => d.field === 'influences')?.combined,
    );
    expect(influences?.combined?.type).toBe('code_tree');
    const codes = influences?.combined?.type === 'code_tree' ? influences.combined.applications : [];
    // Every code either coder applied, once, with every quotation either gave for it.
    const either = new Set(
      of('S2').flatMap((c) => {
        const v = c.values.influences;
        return v?.type === 'code_tree' ? v.applications.map((x) => x.code) : [];
      }),
    );
    expect(new Set(codes.map((x) => x.code))).toEqual(either);
    expect(codes.length).toBe(either.size);
    // A single choice has no combined answer: one coder's is the whole of it.
    expect(draft.differences.find((d) => d.field === 'geography')?.combined).toBeUndefined();
    // Taken as the resolution, it finalises like either coder's answer.
    const final = finaliseConsensus(
      book,
      draft,
      {
        geography: { type: 'single_choice', option: 'single_country.england' },
        influences: influences!.combined!,
      },
      'lead',
      't',
    );
    expect(final.values.influences).toEqual(influences!.combined);
  });

  it('needs every difference resolved before finalising', () => {
    const draft = buildConsensus(book, of('S2'));
    expect(draft.differences.map((d) => d.field)).toEqual(['geography', 'influences']);
    expect(() =>
      finaliseConsensus(
        book,
        draft,
        { geography: { type: 'single_choice', option: 'single_country.england' } },
        'lead',
        't',
      ),
    ).toThrow(/^Choose a value for every difference first: Influences on improvement processes$/);
    expect(() =>
      finaliseConsensus(
        book,
        draft,
        {
          geography: { type: 'single_choice', option: 'mars' },
          influences: { type: 'code_tree', applications: [] },
        },
        'lead',
        't',
      ),
    ).toThrow(/Resolution for Geographical context of the evidence: unknown option "mars"/);
    const final = finaliseConsensus(
      book,
      draft,
      {
        geography: { type: 'single_choice', option: 'single_country.england' },
        influences: {
          type: 'code_tree',
          applications: [{ code: 'relationships.open_discussion', quotes: [] }],
        },
      },
      'lead',
      '2026-01-01T00:00:00Z',
    );
    expect(final).toMatchObject({ finalisedBy: 'lead', resolvedFields: ['geography', 'influences'] });
    expect(final.values.geography).toEqual({ type: 'single_choice', option: 'single_country.england' });
    expect(final.values.publication_type).toEqual({ type: 'single_choice', option: 'grey.other.blog' });
  });

  it('takes a single coding as is, and refuses mismatched input', () => {
    const single = buildConsensus(book, [sampleCodings[0]!]);
    expect(single.differences).toEqual([]);
    expect(single.values).toEqual(sampleCodings[0]!.values);
    expect(() => buildConsensus(book, [sampleCodings[0]!, sampleCodings[2]!])).toThrow(/different studies/);
    expect(() => buildConsensus(book, [sampleCodings[0]!, sampleCodings[0]!])).toThrow(/two coders/);
    expect(() => buildConsensus(book, [{ ...sampleCodings[0]!, codebookVersion: 2 }])).toThrow(
      /bring it to version 1 first/,
    );
    expect(() => buildConsensus(book, [])).toThrow(/one or two codings/);
  });
});
