import { describe, expect, it } from 'vitest';
import { tinyPdf } from '../testing/tiny-pdf.ts';
import { openPdf, startsWithPdfHeader, withPdf } from './pdf-document.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('startsWithPdfHeader', () => {
  it('accepts %PDF- as the first bytes, after an optional UTF-8 BOM and ASCII white space', () => {
    expect(startsWithPdfHeader(bytes('%PDF-1.7\n'))).toBe(true);
    expect(startsWithPdfHeader(bytes('\ufeff%PDF-1.4'))).toBe(true);
    expect(startsWithPdfHeader(bytes('\r\n \t%PDF-2.0'))).toBe(true);
  });

  it('refuses %PDF- anywhere but the start: a script comment, junk, HTML', () => {
    expect(startsWithPdfHeader(bytes('//%PDF-1.4\nfetch("/api/x")'))).toBe(false);
    expect(startsWithPdfHeader(bytes('\r\n junk %PDF-1.4'))).toBe(false);
    expect(startsWithPdfHeader(bytes('<html><!-- %PDF-1.4 -->'))).toBe(false);
    expect(startsWithPdfHeader(bytes('%PDF'))).toBe(false);
    expect(startsWithPdfHeader(bytes(''))).toBe(false);
  });
});

describe('openPdf', () => {
  it('opens a real PDF and reads its page count', async () => {
    expect(await withPdf(tinyPdf('Hello'), async (doc) => doc.numPages)).toBe(1);
  });

  it('refuses a file with a PDF header that pdf.js cannot open, naming the file', async () => {
    const fake = bytes('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await expect(openPdf(fake, 'paper.pdf')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^Cannot read paper\.pdf as a PDF/),
    });
    await expect(openPdf(bytes('%PDF-1.4\nalert(document.cookie)\n'))).rejects.toThrow(/as a PDF/);
  });
});
