import { describe, expect, it } from 'vitest';
import { migrateCoding } from '../coding/coding.migrate.ts';
import { sampleCodings } from '../test-support/sample-codings.ts';
import { loadDefaultCodebook } from './default-codebook.ts';
import { reviseCodebook } from './codebook.version.ts';

describe('reviseCodebook', () => {
  it('creates the next version and leaves the old one untouched', () => {
    const v1 = loadDefaultCodebook();
    const v2 = reviseCodebook(
      v1,
      (d) => {
        d.fields = d.fields.filter((f) => f.key !== 'quality_notes');
      },
      'drop quality notes',
    );
    expect(v2.version).toBe(2);
    expect(v2.changeNote).toBe('drop quality notes');
    expect(v1.fields.some((f) => f.key === 'quality_notes')).toBe(true);
    expect(v2.fields.some((f) => f.key === 'quality_notes')).toBe(false);
  });

  it('validates the edit and refuses a changed id', () => {
    const v1 = loadDefaultCodebook();
    expect(() => reviseCodebook(v1, (d) => ({ ...d, id: 'other' }))).toThrow(/cannot change the codebook id/);
    expect(() =>
      reviseCodebook(v1, (d) => {
        d.fields.push({ key: 'quality_notes', label: 'again', type: 'text' });
      }),
    ).toThrow(/duplicate field key "quality_notes"/);
  });
});

describe('migrateCoding', () => {
  const v1 = loadDefaultCodebook();
  const coding = sampleCodings[1]!; // bob on S1: lean + six_sigma, two influences

  it('keeps everything when nothing relevant changed', () => {
    const v2 = reviseCodebook(v1, (d) => {
      d.name = 'Renamed';
    });
    const { coding: moved, lost } = migrateCoding(coding, v2);
    expect(lost).toEqual([]);
    expect(moved.codebookVersion).toBe(2);
    expect(moved.values).toEqual(coding.values);
  });

  it('reports removed fields, options and codes, and applies renames', () => {
    const v2 = reviseCodebook(v1, (d) => {
      d.fields = d.fields.filter((f) => f.key !== 'quality_notes');
      for (const f of d.fields) {
        if (f.type === 'multi_choice' && f.key === 'improvement_approach')
          f.options = f.options.filter((o) => o.key !== 'six_sigma');
        if (f.type === 'code_tree') {
          const data = f.codes.find((c) => c.key === 'data')!;
          data.children = data.children!.filter((c) => c.key !== 'data.it_infrastructure');
        }
        if (f.key === 'included_studies') f.key = 'n_studies';
      }
    });
    const { coding: moved, lost } = migrateCoding(coding, v2, { fields: { included_studies: 'n_studies' } });
    expect(lost).toEqual([
      { field: 'improvement_approach', item: 'six_sigma', reason: 'option removed' },
      { field: 'quality_notes', reason: 'field removed in v2' },
      { field: 'influences', item: 'data.it_infrastructure', reason: 'code removed' },
    ]);
    expect(moved.values.improvement_approach).toEqual({ type: 'multi_choice', options: ['lean'] });
    expect(moved.values.n_studies).toEqual({ type: 'number', value: 23 });
    expect(moved.values.quality_notes).toBeUndefined();
  });

  it('drops a value whose field changed type or no longer validates', () => {
    const v2 = reviseCodebook(v1, (d) => {
      const i = d.fields.findIndex((f) => f.key === 'quality_notes');
      d.fields[i] = { key: 'quality_notes', label: 'Quality score', type: 'number' };
      const n = d.fields.find((f) => f.key === 'included_studies');
      if (n?.type === 'number') n.max = 10;
    });
    const { lost } = migrateCoding(coding, v2);
    expect(lost.map((l) => l.field).sort()).toEqual(['included_studies', 'quality_notes']);
    expect(lost.find((l) => l.field === 'included_studies')?.reason).toMatch(/above the maximum 10/);
  });
});
