import { describe, expect, it } from 'vitest';
import { testPdf } from '../testing/test-pdf.ts';
import { tinyPdf } from '../testing/tiny-pdf.ts';
import { readPdfText } from './pdf-text.ts';

describe('readPdfText', () => {
  it('reads a one-page text PDF: one page with its text', async () => {
    const t = await readPdfText(tinyPdf('Leaders set out clear roles.'));
    expect(t).toMatchObject({
      numPages: 1,
      textLayer: true,
      pages: [{ page: 1, text: 'Leaders set out clear roles.' }],
    });
  });

  it('reads text per page and the document information', async () => {
    const t = await readPdfText(
      testPdf({
        pages: [['First page line one', 'doi: 10.1234/abc.5'], ['Second page']],
        info: { title: 'A trial of things', subject: 'doi:10.1234/abc.5' },
      }),
    );
    expect(t.pages.map((p) => p.page)).toEqual([1, 2]);
    expect(t.pages[0]!.text).toContain('10.1234/abc.5');
    expect(t.pages[1]!.text).toBe('Second page');
    expect(t.info).toEqual({ title: 'A trial of things', subject: 'doi:10.1234/abc.5' });
  });

  it('flags a scan with no text layer instead of calling it empty', async () => {
    const t = await readPdfText(testPdf({ pages: [[], []] }));
    expect(t.textLayer).toBe(false);
    expect(t.pages).toHaveLength(2);
  });

  it('reads at most maxPages of a long document and says how many it has', async () => {
    const t = await readPdfText(testPdf({ pages: Array.from({ length: 12 }, (_, i) => [`Page ${i + 1}`]) }), {
      maxPages: 5,
    });
    expect(t.numPages).toBe(12);
    expect(t.pages).toHaveLength(5);
  });

  it('fails clearly on an encrypted and on a malformed file', async () => {
    await expect(
      readPdfText(testPdf({ pages: [['x']], encrypted: true }), { name: 'locked.pdf' }),
    ).rejects.toThrow(/locked\.pdf: it is encrypted \(password-protected\)/);
    await expect(
      readPdfText(Buffer.from('%PDF-1.4\n1 0 obj << garbage'), { name: 'broken.pdf' }),
    ).rejects.toThrow(/Cannot read broken\.pdf as a PDF/);
  });
});
