import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseByteRange, readBlobHead, readBlobRange, startsWithPdfHeader, type Sql } from '@winnow/core';
import { safeFileName } from '@winnow/screening';
import type { Request, Response } from 'express';

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
 * Sends a file the server generated from review data (CSV, JSON, SVG, DOCX, XLSX, HTML): it holds
 * titles, abstracts and names users typed, so it goes out under the same headers as an uploaded
 * file: a sandboxed unique origin if a browser renders it, no type sniffing, an RFC 6266 name.
 */
export function sendDownload(
  res: Response,
  file: {
    fileName: string;
    mediaType: string;
    body: string | Buffer | Uint8Array;
    disposition?: 'inline' | 'attachment';
  },
): void {
  setUserFileHeaders(res, {
    fileName: file.fileName,
    mediaType: file.mediaType,
    disposition: file.disposition ?? 'attachment',
  });
  res.send(typeof file.body === 'string' ? file.body : Buffer.from(file.body));
}

/**
 * Streams a stored full text: the one way every route sends a report's file. It is shown inline as
 * a PDF only when the retrieval's checked type is application/pdf and its bytes do start with a PDF
 * header; anything else (files stored before uploads were checked this way) goes out as an opaque
 * download, never as HTML, script or SVG. Range requests are answered (206 with Content-Range, or
 * 416) so the browser's viewer can page through a large file; only the blob chunks that hold the
 * range are read. `sandbox` stays on the PDF too: Chromium's viewer renders under it (tested in
 * the browser tests), and scripts in the PDF then run nowhere near the app's origin.
 */
export async function sendStoredFile(
  req: Request,
  res: Response,
  db: Sql,
  file: { blobId: string; fileName: string; checkedType: string; bytes: number; sha256: string },
): Promise<void> {
  const pdf =
    file.checkedType === 'application/pdf' && startsWithPdfHeader(await readBlobHead(db, file.blobId));
  setUserFileHeaders(res, {
    fileName: file.fileName,
    mediaType: pdf ? 'application/pdf' : 'application/octet-stream',
    disposition: pdf ? 'inline' : 'attachment',
  });
  const etag = `"${file.sha256}"`;
  res.setHeader('accept-ranges', 'bytes');
  res.setHeader('etag', etag);
  res.setHeader('cache-control', 'private, no-cache');
  // A range is taken only while the file is the one the client started reading (If-Range).
  const ifRange = req.get('if-range');
  const asked = ifRange && ifRange !== etag ? 'whole' : parseByteRange(req.get('range'), file.bytes);
  if (asked === 'unsatisfiable') {
    res.status(416).setHeader('content-range', `bytes */${file.bytes}`);
    res.end();
    return;
  }
  const range = asked === 'whole' ? { start: 0, end: file.bytes - 1 } : asked;
  if (asked !== 'whole') {
    res.status(206).setHeader('content-range', `bytes ${range.start}-${range.end}/${file.bytes}`);
  }
  res.setHeader('content-length', String(range.end - range.start + 1));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // pipeline waits for the client to drain each chunk and stops reading when it goes away. A viewer
  // that has what it needs drops the rest of a response: that is not an error of ours.
  try {
    await pipeline(Readable.from(readBlobRange(db, file.blobId, range.start, range.end)), res);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}
