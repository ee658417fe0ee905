import { describe, expect, it } from 'vitest';
import { generateCollection, generateRecords, type GeneratorMark } from './synthetic.ts';

describe('generateRecords', () => {
  it('resumed from any mark, gives the same records as the first run from there on', () => {
    const marks: GeneratorMark[] = [];
    const all = [...generateRecords(2000, 5, undefined, (m) => marks.push(m))].map((r) => r.input);
    expect(all).toEqual(generateCollection(2000, 5).inputs);
    expect(marks.length).toBeGreaterThan(1000);
    for (const mark of [marks[0]!, marks[1]!, marks[700]!, marks.at(-1)!]) {
      const again = [...generateRecords(2000, 5, mark)].map((r) => r.input);
      expect(again).toEqual(all.slice(mark.position));
    }
  });
});
