import { withPdf } from '@winnow/core';

export interface PdfPageText {
  page: number;
  text: string;
}

/**
 * The text of each page of a PDF, so the coding page can show it as selectable text with page
 * numbers (the browser's own PDF viewer does not let the page read a selection). pdf.js (the
 * Mozilla renderer) beats any hand-written parser: PDF text needs fonts, encodings and
 * compressed streams. The document is opened by core's `openPdf`, the same check an upload passes,
 * so what was accepted as a PDF is read the same way here; only text is read, never rendered.
 */
export async function pdfPageTexts(bytes: Uint8Array, maxPages = 500): Promise<PdfPageText[]> {
  return withPdf(
    bytes,
    async (doc) => {
      const pages: PdfPageText[] = [];
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
      return pages;
    },
    'the full text',
  );
}
