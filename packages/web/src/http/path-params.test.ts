import { describe, expect, it } from 'vitest';
import { INT4_MAX, PATH_PARAMS, paramSchemas } from './path-params.ts';

const ok = (name: string, value: string) => PATH_PARAMS[name]!.safeParse(value).success;

describe('path parameter schemas', () => {
  it('accept what Winnow makes and refuse what it never does', () => {
    expect(ok('reportId', '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c')).toBe(true);
    for (const bad of ['-1', "x' OR '1'='1' --", 'x'.repeat(300), '1.5', '__proto__'])
      expect(ok('reportId', bad), bad).toBe(false);
    expect(ok('review', 'my-review-2')).toBe(true);
    expect(ok('review', 'My Review')).toBe(false);
    expect(ok('stage', 'full-text')).toBe(true);
    expect(ok('stage', 'nope')).toBe(false);
  });

  it('bound a codebook version to the integer column that holds it', () => {
    expect(ok('version', '1')).toBe(true);
    expect(ok('version', String(INT4_MAX))).toBe(true);
    for (const bad of [String(INT4_MAX + 1), '99999999999999999999', '1e20', '0', '-1', '1.5', '01'])
      expect(ok('version', bad), bad).toBe(false);
  });

  it('stop a route whose path parameter has no schema, and let a route declare its own', () => {
    expect(() => paramSchemas({ method: 'get', path: '/things/:thing' })).toThrow(/"thing" has no schema/);
    const own = PATH_PARAMS.key!;
    expect(
      Object.keys(paramSchemas({ method: 'get', path: '/things/:thing', params: { thing: own } })),
    ).toEqual(['thing']);
  });
});
