import { describe, expect, it } from 'vitest';
import { findNul } from './nul-guard.ts';

describe('findNul', () => {
  it('finds no NUL in clean input of any shape', () => {
    expect(findNul({ a: 'x', b: [1, 'y', null, { c: true }] })).toBeNull();
    expect(findNul('plain')).toBeNull();
    expect(findNul(undefined)).toBeNull();
  });

  it('names the path of a NUL in a string, however deep', () => {
    expect(findNul('a\u0000b')).toEqual([]);
    expect(findNul({ email: 'a\u0000@x.test' })).toEqual(['email']);
    expect(findNul({ previous: { studyIds: ['ok', 'b\u0000'] } })).toEqual(['previous', 'studyIds', '1']);
  });

  it('names a NUL in an object key, shown escaped', () => {
    expect(findNul({ config: { 'bl\u0000ind': true } })).toEqual(['config', 'bl\\u0000ind']);
    expect(findNul(JSON.parse('{"__proto__":{"x":"\\u0000"}}'))).toEqual(['__proto__', 'x']);
  });
});
