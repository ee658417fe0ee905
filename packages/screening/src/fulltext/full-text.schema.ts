import { z } from 'zod';
import { WinnowError } from '@winnow/core';

/** Default upload limit; a scanned PDF of a long report rarely passes 50 MB. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

const ALLOWED_MEDIA_TYPES = new Set([
  'application/pdf',
  'text/html',
  'text/plain',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/epub+zip',
  'image/png',
  'image/jpeg',
]);

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
  mediaType: string;
  sizeBytes: number;
  /** The first bytes of the file, to check the type is what it claims. */
  head: Uint8Array;
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

export function looksLikePdf(head: Uint8Array): boolean {
  // The PDF spec allows junk before the header; readers look in the first 1024 bytes.
  const limit = Math.min(head.length, 1024) - PDF_MAGIC.length;
  for (let i = 0; i <= limit; i++) {
    if (PDF_MAGIC.every((b, k) => head[i + k] === b)) return true;
  }
  return false;
}

/** A name safe to store and to send back in Content-Disposition: no paths, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters would break headers and logs; the rest are unsafe on Windows file systems.
  const cleaned = [...base]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || '"<>|:*?'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'attachment';
}

/** Validates an upload before it is stored; bad input says what is wrong with which file. */
export function checkUpload(
  file: UploadCandidate,
  maxBytes = DEFAULT_MAX_ATTACHMENT_BYTES,
): { fileName: string; mediaType: string } {
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
  const mediaType = file.mediaType.split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
  const isPdfName = /\.pdf$/i.test(fileName);
  if (mediaType === 'application/pdf' || isPdfName) {
    if (!looksLikePdf(file.head)) {
      throw new WinnowError(
        'UNSUPPORTED_FORMAT',
        `${fileName} is labelled PDF but does not start with a PDF header`,
        location,
      );
    }
    return { fileName, mediaType: 'application/pdf' };
  }
  if (!ALLOWED_MEDIA_TYPES.has(mediaType)) {
    throw new WinnowError(
      'UNSUPPORTED_FORMAT',
      `${fileName}: ${mediaType} is not accepted; attach a PDF, Word, HTML, EPUB, text or image file`,
      location,
    );
  }
  return { fileName, mediaType };
}
