import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startsWithPdfHeader } from '@winnow/core';
import { safeFileName } from '@winnow/screening';
import type { Response } from 'express';

/**
 * An RFC 6266 Content-Disposition value: `filename="…"` an ASCII fallback for old clients, and
 * `filename*=UTF-8''…` (RFC 5987) the real name, so any Unicode name works (Node refuses header
 * values outside Latin-1: such a name used to give a 500). Path parts and control characters are
 * stripped first, so `../../etc/passwd.pdf` is sent as `passwd.pdf`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const safe = safeFileName(name);
  const fallback = safe
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // Quotes and backslashes would need escaping, and some clients percent-decode this value.
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Headers for every answer whose body holds bytes or text a user supplied. `sandbox` makes the
 * browser treat the document as a unique origin with scripts, forms and plugins off, so even a
 * file that is opened directly runs nothing in the app's origin; `nosniff` stops a browser from
 * guessing HTML or script from the content (and forbids using it in `<script src>`).
 */
export function setUserFileHeaders(
  res: Response,
  file: { fileName: string; mediaType: string; disposition: 'inline' | 'attachment' },
): void {
  res.setHeader('content-type', file.mediaType);
  res.setHeader('content-disposition', contentDisposition(file.disposition, file.fileName));
  res.setHeader('content-security-policy', 'sandbox');
  res.setHeader('x-content-type-options', 'nosniff');
}

/**
 * Streams a stored full text. It is shown inline as a PDF only when the retrieval's checked type is
 * application/pdf and its bytes do start with a PDF header; anything else (files stored before
 * uploads were checked this way) goes out as an opaque download, never as HTML, script or SVG.
 */
export async function sendStoredFile(
  res: Response,
  file: { fileName: string; checkedType: string; bytes: number; chunks: AsyncIterable<Buffer> },
): Promise<void> {
  const chunks = file.chunks[Symbol.asyncIterator]();
  // Blob chunks are 1 MiB (all but the last), so the first one holds any header there is.
  const first = await chunks.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  const pdf = file.checkedType === 'application/pdf' && startsWithPdfHeader(head);
  setUserFileHeaders(res, {
    fileName: file.fileName,
    mediaType: pdf ? 'application/pdf' : 'application/octet-stream',
    disposition: pdf ? 'inline' : 'attachment',
  });
  res.setHeader('content-length', String(file.bytes));
  async function* body() {
    if (!first.done) yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  // pipeline waits for the client to drain each chunk and stops reading when it goes away.
  await pipeline(Readable.from(body()), res);
}
