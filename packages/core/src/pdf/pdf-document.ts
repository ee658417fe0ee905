import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { WinnowError } from '../errors/winnow-error.ts';

export type PdfDocument = PDFDocumentProxy;

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** ASCII white space as PDF and most editors write it (space, tab, LF, FF, CR, NUL). */
const LEADING_SPACE = new Set([0x20, 0x09, 0x0a, 0x0c, 0x0d, 0x00]);

/**
 * True when the bytes start with `%PDF-` (after an optional UTF-8 BOM and ASCII white space).
 * Readers tolerate junk before the header, but a file whose first bytes are anything else can be
 * something else too (`//%PDF-` is a JavaScript comment): we only call a file a PDF when nothing
 * comes first.
 */
export function startsWithPdfHeader(head: Uint8Array): boolean {
  let i = UTF8_BOM.every((b, k) => head[k] === b) ? UTF8_BOM.length : 0;
  while (i < head.length && LEADING_SPACE.has(head[i]!)) i++;
  return PDF_MAGIC.every((b, k) => head[i + k] === b);
}

/**
 * Opens a PDF with pdf.js (Mozilla's reader; the legacy build runs in Node without a worker). Its
 * parser is what decides whether a file is a PDF: a header alone proves nothing. Nothing in the
 * file is executed (pdf.js 5 has no eval path; XFA and scripting stay off) and nothing is rendered. The document must have
 * a first page that loads. Callers destroy the document (or use `withPdf`).
 */
export async function openPdf(bytes: Uint8Array, name = 'the file'): Promise<PdfDocument> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let doc: PdfDocument | undefined;
  try {
    doc = await pdfjs.getDocument({
      // pdf.js takes ownership of the buffer it is given: pass a copy so callers keep theirs.
      data: new Uint8Array(bytes),
      enableXfa: false,
      useSystemFonts: false,
      disableFontFace: true,
      verbosity: 0,
    }).promise;
    if (doc.numPages < 1) throw new Error('it has no pages');
    (await doc.getPage(1)).cleanup();
    return doc;
  } catch (error) {
    await doc?.destroy().catch(() => {});
    if ((error as Error).name === 'PasswordException')
      throw new WinnowError(
        'VALIDATION',
        `Cannot read ${name}: it is encrypted (password-protected). Save a copy without the password and use that.`,
      );
    const reason = (error as Error).message.replace(/\.$/, '');
    throw new WinnowError('VALIDATION', `Cannot read ${name} as a PDF (${reason}).`);
  }
}

/** Opens a PDF, runs `use` on it and always releases it. */
export async function withPdf<T>(
  bytes: Uint8Array,
  use: (doc: PdfDocument) => Promise<T>,
  name?: string,
): Promise<T> {
  const doc = await openPdf(bytes, name);
  try {
    return await use(doc);
  } finally {
    await doc.destroy();
  }
}
