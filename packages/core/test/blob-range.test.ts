import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseByteRange, putBlob, readBlobHead, readBlobRange } from '../src/index.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../src/testing/index.ts';

async function* chunks(parts: Buffer[]) {
  for (const p of parts) yield p;
}

describe('parseByteRange', () => {
  it('reads one range, open ends and suffixes; several ranges or nonsense mean the whole file', () => {
    expect(parseByteRange(undefined, 10)).toBe('whole');
    expect(parseByteRange('bytes=0-3', 10)).toEqual({ start: 0, end: 3 });
    expect(parseByteRange('bytes=4-', 10)).toEqual({ start: 4, end: 9 });
    expect(parseByteRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseByteRange('bytes=-30', 10)).toEqual({ start: 0, end: 9 });
    expect(parseByteRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseByteRange('bytes=0-1,4-5', 10)).toBe('whole');
    expect(parseByteRange('bytes=5-3', 10)).toBe('whole');
    expect(parseByteRange('items=0-3', 10)).toBe('whole');
    expect(parseByteRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 10)).toBe('unsatisfiable');
  });

  it('any range it returns lies inside the file', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.option(fc.nat(6000)), fc.option(fc.nat(6000)), (size, a, b) => {
        const r = parseByteRange(`bytes=${a ?? ''}-${b ?? ''}`, size + 1);
        if (typeof r === 'string') return;
        expect(r.start).toBeGreaterThanOrEqual(0);
        expect(r.end).toBeLessThanOrEqual(size);
        expect(r.start).toBeLessThanOrEqual(r.end);
      }),
    );
  });
});

describe.each(ENGINES)('blob ranges on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('returns exactly the bytes asked for, across chunk edges, reading only the chunks needed', async () => {
    // Parts of 300 KB flush at 1.2 MB: chunks of uneven size, as real uploads make them.
    const parts = Array.from({ length: 9 }, (_, i) => Buffer.alloc(300_000, i + 1));
    parts.push(Buffer.from('%%EOF tail'));
    const whole = Buffer.concat(parts);
    const info = await putBlob(t.db, { reviewId: null, fileName: 'long.pdf' }, chunks(parts), 10_000_000);
    const read = async (start: number, end: number) => {
      const out: Buffer[] = [];
      for await (const c of readBlobRange(t.db, info.id, start, end)) out.push(c);
      return { bytes: Buffer.concat(out), pieces: out.length };
    };
    for (const [s, e] of [
      [0, 0],
      [0, 1023],
      [1_199_990, 1_200_010],
      [whole.length - 10, whole.length - 1],
      [0, whole.length - 1],
    ] as const) {
      expect((await read(s, e)).bytes.equals(whole.subarray(s, e + 1)), `${s}-${e}`).toBe(true);
    }
    // The last ten bytes sit in the last chunk: only that one is read.
    expect((await read(whole.length - 10, whole.length - 1)).pieces).toBe(1);
    expect((await readBlobHead(t.db, info.id, 16)).equals(whole.subarray(0, 16))).toBe(true);
  });
});
