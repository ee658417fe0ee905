import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeChunks, normaliseChunks } from './decode.ts';

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

  it('keeps CRLF split across chunks as one line end', async () => {
    expect(await collect(normaliseChunks(from(['a\r', '\nb\r', 'c\r'])))).toBe('a\nb\nc\n');
  });
});
