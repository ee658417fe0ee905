import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeChunks, DECODE_PIECE, normaliseChunks, normaliseLineEnds } from './decode.ts';

async function collect(it: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of it) s += c;
  return s;
}
async function* from<T>(xs: T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

describe('decode', () => {
  it('removes a UTF-8 BOM and normalises CRLF and CR', () => {
    expect(decodeBytes(Buffer.from('\uFEFFTY  - JOUR\r\nER  -\rX', 'utf8'))).toBe('TY  - JOUR\nER  -\nX');
  });

  it('decodes UTF-16 LE and BE with BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('PT\tAU\r\nJ\tLi, W', 'utf16le')]);
    expect(decodeBytes(le)).toBe('PT\tAU\nJ\tLi, W');
    const be = Buffer.from(
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('Ünïcode', 'utf16le').swap16()]),
    );
    expect(decodeBytes(be)).toBe('Ünïcode');
  });

  it('streams multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('\uFEFFFrançois – Müller', 'utf8');
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    expect(await collect(decodeChunks(from(chunks)))).toBe('François – Müller');
  });

  it('decodes chunks larger than a piece, with characters across piece ends, as the whole text', async () => {
    // A big chunk is decoded in pieces: a character whose bytes straddle a piece's end, in an ASCII
    // or a non-ASCII piece, is decoded whole, whatever the chunk sizes.
    const unit = fc.constantFrom('a', ' ', '\n', 'é', '–', '中', '😀', 'Z9');
    await fc.assert(
      fc.asyncProperty(
        fc.array(unit, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 3 * DECODE_PIECE }), { minLength: 1, maxLength: 4 }),
        async (units, pad, sizes) => {
          // ASCII padding puts the non-ASCII text at and across the piece boundaries.
          const text = 'x'.repeat(DECODE_PIECE - 2 + pad) + units.join('') + 'y'.repeat(DECODE_PIECE);
          const bytes = Buffer.from(text, 'utf8');
          const chunks: Uint8Array[] = [];
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const n = sizes[i % sizes.length]!;
            chunks.push(bytes.subarray(at, at + n));
            at += n;
          }
          expect(await collect(decodeChunks(from(chunks)))).toBe(text);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: line ends become LF as one regex would make them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '\r', '\n', '\r\n', '\u2028'), { maxLength: 40 }),
        (parts) => {
          const text = parts.join('');
          expect(normaliseLineEnds(text)).toBe(text.replace(/\r\n?/g, '\n'));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps CRLF split across chunks as one line end', async () => {
    expect(await collect(normaliseChunks(from(['a\r', '\nb\r', 'c\r'])))).toBe('a\nb\nc\n');
  });
});
