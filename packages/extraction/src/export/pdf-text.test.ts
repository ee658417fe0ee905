import { describe, expect, it } from 'vitest';
import { tinyPdf } from '../test-support/seed-included.ts';
import { pdfPageTexts } from './pdf-text.ts';

describe('pdfPageTexts', () => {
  it('reads the text of each page', async () => {
    expect(await pdfPageTexts(tinyPdf('Leaders set out clear roles (p. 1).'))).toEqual([
      { page: 1, text: 'Leaders set out clear roles (p. 1).' },
    ]);
  });

  it('refuses what is not a PDF', async () => {
    await expect(pdfPageTexts(Buffer.from('not a pdf'))).rejects.toThrow(
      /Cannot read the full text as a PDF/,
    );
  });
});
