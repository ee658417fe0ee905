import { z } from 'zod';
import { startsWithPdfHeader, WinnowError } from '@winnow/core';

/** Default upload limit; a scanned PDF of a long report rarely passes 50 MB. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

export const retrievalSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    fileName: z.string().min(1).max(255),
    mediaType: z.string().min(1).max(200),
    sizeBytes: z.number().int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** The bytes live in core's blobs table, so every worker and web process can serve them. */
    blobId: z.uuid(),
  }),
  z.object({ kind: z.literal('url'), url: z.url({ protocol: /^https?$/ }) }),
  /** Counts as PRISMA 2020 "reports not retrieved". */
  z.object({ kind: z.literal('not-retrieved'), reason: z.string().trim().min(1).max(1_000) }),
]);
export type Retrieval = z.infer<typeof retrievalSchema>;

export interface UploadCandidate {
  fileName: string;
  sizeBytes: number;
  /** The first bytes of the file: a PDF starts with its header. */
  head: Uint8Array;
}

/** What every accepted full text is: the request's Content-Type is never trusted or kept. */
export const FULL_TEXT_MEDIA_TYPE = 'application/pdf';

/**
 * Control characters break headers and logs; bidirectional overrides and isolates make
 * `report\u202Efdp.exe` display as `reportexe.pdf`.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/** A name safe to store and to send back in Content-Disposition: no paths, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // The quoted characters are unsafe on Windows file systems.
  const cleaned = [...base]
    .map((ch) => (UNSAFE_IN_NAMES.test(ch) || '"<>|:*?'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'attachment';
}

/**
 * Validates an upload's name, size and first bytes; bad input says what is wrong with which file.
 * Only PDFs are full texts: anything else (HTML, SVG, script, office files) could run or be
 * rendered from the app's origin, so it is refused whatever Content-Type the request claimed.
 * The caller must still open the file with `openPdf`: a header alone is not a PDF.
 */
export function checkUpload(
  file: UploadCandidate,
  maxBytes = DEFAULT_MAX_ATTACHMENT_BYTES,
): { fileName: string; mediaType: typeof FULL_TEXT_MEDIA_TYPE } {
  const fileName = safeFileName(file.fileName);
  const location = { location: { file: fileName } };
  if (file.sizeBytes <= 0) throw new WinnowError('VALIDATION', `${fileName} is empty`, location);
  if (file.sizeBytes > maxBytes) {
    throw new WinnowError(
      'PAYLOAD_TOO_LARGE',
      `${fileName} is ${file.sizeBytes} bytes; the limit is ${maxBytes} bytes`,
      location,
    );
  }
  if (!startsWithPdfHeader(file.head)) {
    throw new WinnowError(
      'VALIDATION',
      `${fileName} is not a PDF. Only PDF files can be attached as full texts: save or print the document as a PDF and attach that.`,
      location,
    );
  }
  return { fileName, mediaType: FULL_TEXT_MEDIA_TYPE };
}
