import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isZip, pdfsInZip } from './fulltext-zip.ts';

describe('pdfsInZip', () => {
  it('takes the PDFs out of a zip, in folders too, and skips other files', () => {
    const zip = zipSync({
      'a.pdf': strToU8('%PDF-1.4 a'),
      'folder/b.PDF': strToU8('%PDF-1.4 b'),
      'notes.txt': strToU8('x'),
      '__MACOSX/folder/._b.PDF': strToU8('junk'),
    });
    expect(isZip(zip)).toBe(true);
    const got = pdfsInZip(zip, 'papers.zip', { maxBytes: 1000, maxTotal: 10_000 });
    expect(got.map((f) => [f.name, f.bytes.toString()])).toEqual([
      ['a.pdf', '%PDF-1.4 a'],
      ['b.PDF', '%PDF-1.4 b'],
    ]);
  });

  it('stops a file that inflates past the limit, whatever its header says', () => {
    const zip = zipSync({ 'bomb.pdf': new Uint8Array(5_000_000) }, { level: 9 });
    expect(zip.length).toBeLessThan(20_000);
    expect(() => pdfsInZip(zip, 'bomb.zip', { maxBytes: 1_000_000, maxTotal: 10_000_000 })).toThrow(
      /bomb\.zip: bomb\.pdf unpacks to more than the upload limit/,
    );
  });

  it('says clearly when the archive is damaged', () => {
    const zip = zipSync({ 'a.pdf': strToU8('%PDF-1.4 '.repeat(1000)) });
    const cut = zip.slice(0, 60);
    expect(() => pdfsInZip(cut, 'cut.zip', { maxBytes: 1e6, maxTotal: 1e6 })).toThrow(
      /^cut\.zip (is cut off: a\.pdf ends before its end|is not a zip archive that can be read)/,
    );
  });
});
