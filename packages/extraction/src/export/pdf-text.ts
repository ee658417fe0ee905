import { WinnowError } from '@winnow/core';

export interface PdfPageText {
  page: number;
  text: string;
}

/**
 * The text of each page of a PDF, so the coding page can show it as selectable text with page
 * numbers (the browser's own PDF viewer does not let the page read a selection). pdf.js (the
 * Mozilla renderer) beats any hand-written parser: PDF text needs fonts, encodings and
 * compressed streams. Runs without a worker thread in Node; nothing in the file is executed
 * (no scripting, no XFA) and only text is read, never rendered.
 */
export async function pdfPageTexts(bytes: Uint8Array, maxPages = 500): Promise<PdfPageText[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw new WinnowError('UNSUPPORTED_FORMAT', `Cannot read the PDF: ${(error as Error).message}`);
  }
  const pages: PdfPageText[] = [];
  try {
    for (let p = 1; p <= Math.min(doc.numPages, maxPages); p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push({ page: p, text: text.replace(/[ \t]+\n/g, '\n').trim() });
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  return pages;
}
