import { withPdf } from './pdf-document.ts';

export interface PdfText {
  /** Pages in the document (text is read from at most `maxPages` of them). */
  numPages: number;
  pages: { page: number; text: string }[];
  /** Document information a bulk upload matches on. */
  info: { title?: string; subject?: string; keywords?: string };
  /** False when no page has any text: a scan without a text layer, not an empty document. */
  textLayer: boolean;
}

/** Documents longer than this have their first pages read: the limit the full-text stage supports. */
export const MAX_TEXT_PAGES = 500;

function infoString(info: Record<string, unknown>, key: string): string | undefined {
  const v = info[key];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/**
 * The text of each page of a PDF and its document information, read with pdf.js (text needs fonts,
 * encodings and compressed streams: no hand-written parser). A malformed or encrypted file throws
 * the clear VALIDATION error of `openPdf`; nothing is rendered. Each page is released after it is
 * read and the event loop is given a turn, so a long document does not starve a worker's lock.
 */
export async function readPdfText(
  bytes: Uint8Array,
  opts: { maxPages?: number; name?: string } = {},
): Promise<PdfText> {
  const maxPages = opts.maxPages ?? MAX_TEXT_PAGES;
  return withPdf(
    bytes,
    async (doc) => {
      const meta = await doc.getMetadata().catch(() => null);
      const raw = (meta?.info ?? {}) as Record<string, unknown>;
      const info = {
        ...(infoString(raw, 'Title') ? { title: infoString(raw, 'Title') } : {}),
        ...(infoString(raw, 'Subject') ? { subject: infoString(raw, 'Subject') } : {}),
        ...(infoString(raw, 'Keywords') ? { keywords: infoString(raw, 'Keywords') } : {}),
      };
      const pages: PdfText['pages'] = [];
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
        if (p % 20 === 0) await new Promise((r) => setImmediate(r));
      }
      return { numPages: doc.numPages, pages, info, textLayer: pages.some((p) => p.text.length > 0) };
    },
    opts.name ?? 'the full text',
  );
}
