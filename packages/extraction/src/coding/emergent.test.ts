import { describe, expect, it } from 'vitest';
import { loadDefaultCodebook } from '../codebook/default-codebook.ts';
import { flattenCodes } from '../codebook/codebook.lookup.ts';
import { migrateCoding } from './coding.migrate.ts';
import { checkCoding } from './coding.validate.ts';
import type { Coding } from './coding.types.ts';
import { longTable } from '../export/long.table.ts';
import { wideTable } from '../export/wide.table.ts';
import { approveEmergentCodes, emergentKey, proposeEmergentCode, withProposedCodes } from './emergent.ts';

describe('emergent codes', () => {
  const v1 = loadDefaultCodebook();

  it('proposes, applies inductively, approves into the next version and migrates cleanly', () => {
    const code = proposeEmergentCode(v1, {
      fieldKey: 'influences',
      parentKey: 'data',
      label: 'Data burden on frontline staff',
      proposedBy: 'ann',
      studyId: 'S1',
    });
    expect(code.key).toBe('emergent.data_burden_on_frontline_staff');
    const coding: Coding = {
      studyId: 'S1',
      coderId: 'ann',
      codebookId: v1.id,
      codebookVersion: 1,
      values: {
        influences: {
          type: 'code_tree',
          applications: [{ code: code.key, inductive: true, quotes: [{ text: 'Too many forms', page: 3 }] }],
        },
      },
    };
    expect(checkCoding(v1, coding)).toEqual([]);
    // Without the inductive flag an unknown code is an error.
    const plain = structuredClone(coding);
    if (plain.values.influences?.type === 'code_tree')
      delete plain.values.influences.applications[0]!.inductive;
    expect(checkCoding(v1, plain)).toEqual([{ field: 'influences', message: `unknown code "${code.key}"` }]);

    const v2 = approveEmergentCodes(v1, [code], 'lead');
    expect(v2.version).toBe(2);
    expect(v2.changeNote).toContain('Data burden on frontline staff');
    const tree = v2.fields.find((f) => f.key === 'influences');
    if (tree?.type !== 'code_tree') throw new Error('tree');
    const added = flattenCodes(tree.codes).find((c) => c.key === code.key);
    expect(added).toMatchObject({ inductive: true, ancestors: ['data'] });

    const { coding: moved, lost } = migrateCoding(coding, v2);
    expect(lost).toEqual([]);
    expect(moved.values.influences).toEqual({
      type: 'code_tree',
      applications: [{ code: code.key, quotes: [{ text: 'Too many forms', page: 3 }] }],
    });
  });

  it('exports a code still awaiting approval with its label, under the theme it was proposed for', () => {
    const code = proposeEmergentCode(v1, {
      fieldKey: 'influences',
      parentKey: 'leadership',
      label: 'Protected time for improvement work',
      proposedBy: 'ann',
    });
    const book = withProposedCodes(v1, [code, code]);
    expect(book.version).toBe(1);
    const coded = [
      {
        studyId: 'S1',
        coderId: 'Ann',
        codebookVersion: 1,
        values: {
          influences: {
            type: 'code_tree' as const,
            applications: [{ code: code.key, inductive: true, quotes: [] }],
          },
        },
      },
    ];
    const studies = [{ studyId: 'S1', citation: 'Study one', reportIds: ['R1'] }];
    const long = longTable([book], studies, coded);
    const row = long.rows.find((r) => r[6] === code.key)!;
    expect(row.slice(7, 10)).toEqual(['Protected time for improvement work', 'leadership', 1]);
    const wide = wideTable(book, studies, coded, { multi: 'joined' });
    expect(wide.rows[0]![wide.columns.indexOf('influences')]).toBe('Protected time for improvement work');
    // The codebook version itself is left as it was.
    expect(v1.fields.some((f) => f.type === 'code_tree' && JSON.stringify(f).includes(code.key))).toBe(false);
  });

  it('refuses bad proposals with the field named', () => {
    expect(() => proposeEmergentCode(v1, { fieldKey: 'geography', label: 'x', proposedBy: 'a' })).toThrow(
      /code tree/,
    );
    expect(() => proposeEmergentCode(v1, { fieldKey: 'influences', label: ' ', proposedBy: 'a' })).toThrow(
      /needs a label/,
    );
    expect(() =>
      proposeEmergentCode(v1, { fieldKey: 'influences', parentKey: 'nope', label: 'x', proposedBy: 'a' }),
    ).toThrow(/Parent code "nope"/);
    expect(() =>
      proposeEmergentCode(v1, { fieldKey: 'influences', key: 'leadership', label: 'x', proposedBy: 'a' }),
    ).toThrow(/already exists/);
  });

  it('makes keys from any label', () => {
    expect(emergentKey('Équipe & co-design!')).toBe('emergent.equipe_co_design');
    expect(emergentKey('!!!')).toBe('emergent.code');
  });
});
