import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WinnowError } from '@winnow/core';
import { describe, expect, it } from 'vitest';
import { codebookFromJson, codebookToJson, parseCodebook } from './codebook.schema.ts';
import { loadDefaultCodebook } from './default-codebook.ts';

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../fixtures/extraction',
);

function errorOf(fn: () => unknown): WinnowError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WinnowError) return e;
    throw e;
  }
  throw new Error('expected a WinnowError');
}

describe('codebook JSON import', () => {
  it('imports a team framework from a file and round-trips it', () => {
    const text = readFileSync(path.join(fixtures, 'team-framework.codebook.json'), 'utf8');
    const book = codebookFromJson(text, 'team-framework.codebook.json');
    expect(book.fields.map((f) => f.type)).toEqual([
      'single_choice',
      'multi_choice',
      'text',
      'number',
      'quotation',
      'code_tree',
    ]);
    expect(codebookFromJson(codebookToJson(book))).toEqual(book);
  });

  it('names the path of every problem', () => {
    const text = readFileSync(path.join(fixtures, 'broken.codebook.json'), 'utf8');
    const err = errorOf(() => codebookFromJson(text, 'broken.codebook.json'));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('broken.codebook.json');
    expect(err.message).toContain('fields[0].options[1].key: duplicate option key "a"');
    expect(err.message).toContain('fields[1].type');
    expect(err.message).toContain('fields[2].codes[0].children[0].key: duplicate code key "x"');
    expect(err.message).toContain('fields[3].options[0].parent: unknown parent option "nope"');
    expect(err.details?.location?.field).toMatch(/^fields\[/);
  });

  it('rejects bad JSON, cycles and inverted ranges', () => {
    expect(errorOf(() => codebookFromJson('{', 'x.json')).code).toBe('PARSE_ERROR');
    const cyclic = {
      id: 'c',
      name: 'C',
      version: 1,
      fields: [
        {
          key: 'f',
          label: 'F',
          type: 'single_choice',
          options: [
            { key: 'a', label: 'A', parent: 'b' },
            { key: 'b', label: 'B', parent: 'a' },
          ],
        },
        { key: 'n', label: 'N', type: 'number', min: 5, max: 1 },
      ],
    };
    const msg = errorOf(() => parseCodebook(cyclic)).message;
    expect(msg).toContain('fields[0].options[0].parent: option parents form a cycle');
    expect(msg).toContain('fields[1].min: min is greater than max');
  });

  it('refuses unknown properties so typos do not vanish silently', () => {
    const book = loadDefaultCodebook();
    const withTypo = { ...book, fields: [{ ...book.fields[0], lable: 'x' }, ...book.fields.slice(1)] };
    expect(errorOf(() => parseCodebook(withTypo)).message).toContain('fields[0]');
  });
});

describe('default codebook', () => {
  const book = loadDefaultCodebook();

  it('has the six influences with the insights of Boxes 1-6 as children', () => {
    const tree = book.fields.find((f) => f.key === 'influences');
    if (tree?.type !== 'code_tree') throw new Error('influences must be a code tree');
    expect(tree.codes.map((c) => c.key)).toEqual([
      'leadership',
      'relationships',
      'skills',
      'data',
      'ppi',
      'system',
    ]);
    // Box 1 lists 10 insights, Box 2 8, Box 3 4, Box 4 9, Box 5 6, Box 6 7.
    expect(tree.codes.map((c) => c.children?.length)).toEqual([10, 8, 4, 9, 6, 7]);
  });

  it('has the literature profile fields of the seed review', () => {
    const keys = book.fields.map((f) => f.key);
    for (const k of [
      'publication_type',
      'geography',
      'clinical_area',
      'healthcare_setting',
      'improvement_approach',
      'learning_aim',
      'stakeholder_stages',
      'evidence_sources',
      'quality_notes',
    ])
      expect(keys).toContain(k);
    const pub = book.fields.find((f) => f.key === 'publication_type');
    if (pub?.type !== 'single_choice') throw new Error('publication_type must be single choice');
    expect(pub.options.filter((o) => !o.parent).map((o) => o.key)).toEqual(['academic', 'grey']);
    const approach = book.fields.find((f) => f.key === 'improvement_approach');
    if (approach?.type !== 'multi_choice') throw new Error('improvement_approach must be multi choice');
    for (const k of [
      'lean',
      'six_sigma',
      'bpr',
      'tqm_cqi',
      'ebcd',
      'pdsa',
      'collaboratives',
      'audit_feedback',
    ])
      expect(approach.options.map((o) => o.key)).toContain(k);
  });

  it('hands out copies', () => {
    const a = loadDefaultCodebook();
    a.fields.pop();
    expect(loadDefaultCodebook().fields.length).toBe(book.fields.length);
  });
});
