import { describe, expect, it } from 'vitest';
import { loadDefaultCodebook } from '../codebook/default-codebook.ts';
import { sampleCodings, sampleStudies } from '../test-support/sample-codings.ts';
import { sampleFinal } from '../test-support/sample-final.ts';
import { longTable } from './long.table.ts';
import { profileTable } from './profile.table.ts';
import type { Table } from './table.types.ts';
import { wideTable } from './wide.table.ts';

const book = loadDefaultCodebook();

function cell(t: Table, row: number, column: string): unknown {
  const i = t.columns.indexOf(column);
  if (i < 0) throw new Error(`no column ${column} in ${t.name}`);
  return t.rows[row]?.[i];
}

describe('wideTable', () => {
  it('one row per study, binary columns per option', () => {
    const t = wideTable(book, sampleStudies, sampleFinal(), { multi: 'binary' });
    expect(t.rows).toHaveLength(3);
    expect(t.columns.slice(0, 6)).toEqual([
      'study_id',
      'study_number',
      'citation',
      'report_ids',
      'codebook_version',
      'coded_by',
    ]);
    expect(cell(t, 0, 'report_ids')).toBe('R1 R4');
    expect(cell(t, 0, 'publication_type')).toBe('Systematic review');
    expect(cell(t, 0, 'improvement_approach:lean')).toBe(1);
    expect(cell(t, 0, 'improvement_approach:six_sigma')).toBe(1);
    expect(cell(t, 1, 'improvement_approach:six_sigma')).toBe(0);
    expect(cell(t, 1, 'geography')).toBe('Single country, England only');
    expect(cell(t, 1, 'influences:ppi.early_involvement')).toBe(1);
    expect(cell(t, 1, 'influences:ppi')).toBe(0);
    expect(cell(t, 0, 'included_studies')).toBe(23);
    expect(cell(t, 2, 'quality_notes')).toBeNull();
    expect(t.rows.every((r) => r.length === t.columns.length)).toBe(true);
  });

  it('joined mode gives one column of labels; uncoded studies still get a row', () => {
    const final = sampleFinal().filter((f) => f.studyId !== 'S3');
    const t = wideTable(book, sampleStudies, final, { multi: 'joined' });
    expect(t.columns).toContain('improvement_approach');
    expect(t.columns.some((c) => c.startsWith('improvement_approach:'))).toBe(false);
    expect(cell(t, 0, 'improvement_approach')).toBe('Lean; Six Sigma');
    expect(cell(t, 2, 'study_id')).toBe('S3');
    expect(cell(t, 2, 'improvement_approach')).toBeNull();
  });

  it('adds columns for inductive codes still outside the codebook', () => {
    const final = sampleFinal();
    const s1 = final[0]!;
    if (s1.values.influences?.type !== 'code_tree') throw new Error('tree');
    s1.values.influences.applications.push({ code: 'emergent.burnout', inductive: true, quotes: [] });
    const t = wideTable(book, sampleStudies, final, { multi: 'binary' });
    expect(t.columns.at(-1)).toBe('influences:emergent.burnout');
    expect(cell(t, 0, 'influences:emergent.burnout')).toBe(1);
  });
});

describe('longTable', () => {
  it('one row per code application and quotation, with coder and version', () => {
    const t = longTable([book], sampleStudies, sampleCodings);
    const rows = t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
    const annS1 = rows.filter((r) => r.study_id === 'S1' && r.coder === 'ann');
    expect(annS1.map((r) => `${r.field}:${r.code ?? r.value}`)).toEqual([
      'publication_type:academic.systematic_review',
      'geography:international.including_uk',
      'improvement_approach:lean',
      'learning_aim:explicit.core',
      'included_studies:23',
      'quality_notes:Good  search; no appraisal',
      'influences:leadership.clear_roles',
      'influences:data.it_infrastructure',
    ]);
    const roles = annS1.find((r) => r.code === 'leadership.clear_roles')!;
    expect(roles).toMatchObject({
      study_number: 15,
      codebook_version: 1,
      parent_code: 'leadership',
      inductive: 0,
      quotation: 'Roles were defined',
      page: 4,
      location: null,
    });
    const bobIt = rows.find((r) => r.coder === 'bob' && r.code === 'data.it_infrastructure')!;
    expect(bobIt.quotation).toBeNull();
    // Sorted by study order, then coder.
    expect(rows.map((r) => `${r.study_id}/${r.coder}`).filter((v, i, a) => a.indexOf(v) === i)).toEqual([
      'S1/ann',
      'S1/bob',
      'S2/ann',
      'S2/bob',
      'S3/ann',
      'S3/bob',
    ]);
  });

  it('writes one row per quotation of a merged consensus code', () => {
    const t = longTable([book], sampleStudies, sampleFinal());
    const i = t.columns.indexOf('code');
    const q = t.columns.indexOf('quotation');
    const loc = t.columns.indexOf('location');
    const roles = t.rows.filter((r) => r[i] === 'leadership.clear_roles');
    expect(roles.map((r) => r[q])).toEqual(['Roles were defined', 'Clear roles for leads']);
    expect(t.rows.find((r) => r[i] === 'ppi.early_involvement')?.[loc]).toBe('Box 2');
  });
});

describe('profileTable', () => {
  it('counts per category with study numbers, parents including their subsets (Table 1)', () => {
    const t = profileTable(book, sampleStudies, sampleFinal(), { field: 'publication_type' });
    const row = (k: string) => t.rows.find((r) => r[0] === k)!;
    expect(t.columns).toEqual(['category_key', 'category', 'level', 'total']);
    expect(row('academic')[3]).toBe('2 [15, 40]');
    expect(row('academic.systematic_review')).toEqual([
      'academic.systematic_review',
      'Systematic review',
      1,
      '1 [15]',
    ]);
    expect(row('academic.review_of_reviews')[3]).toBe('0');
    expect(row('grey')[3]).toBe('1 [16]');
    expect(row('grey.other.blog')).toEqual(['grey.other.blog', 'Blog article', 2, '1 [16]']);
    expect(t.rows.at(-1)).toEqual(['', 'Total (studies coded)', 0, '3 [15, 16, 40]']);
  });

  it('splits columns by top-level publication type (Table 2)', () => {
    const t = profileTable(book, sampleStudies, sampleFinal(), {
      field: 'geography',
      columnsBy: { field: 'publication_type', level: 'root' },
    });
    expect(t.columns).toEqual([
      'category_key',
      'category',
      'level',
      'Academic journal publication',
      'Grey literature publication',
      'total',
    ]);
    const row = (k: string) => t.rows.find((r) => r[0] === k)!.slice(3);
    expect(row('international')).toEqual(['1 [15]', '0', '1 [15]']);
    expect(row('single_country.england')).toEqual(['0', '1 [16]', '1 [16]']);
    expect(row('unclear')).toEqual(['1 [40]', '0', '1 [40]']);
  });

  it('rolls code-tree children up into their influence', () => {
    const t = profileTable(book, sampleStudies, sampleFinal(), { field: 'influences' });
    const row = (k: string) => t.rows.find((r) => r[0] === k)!;
    expect(row('ppi')[3]).toBe('2 [16, 40]');
    expect(row('leadership.clear_roles')[3]).toBe('1 [15]');
    expect(row('skills')[3]).toBe('0');
  });

  it('refuses a non-categorical field', () => {
    expect(() => profileTable(book, sampleStudies, sampleFinal(), { field: 'quality_notes' })).toThrow(
      /categorical/,
    );
  });
});
