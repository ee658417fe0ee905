import { Buffer, isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';

// Exports arrive as UTF-8 (with or without BOM) or UTF-16 with a BOM (Web of Science
// tab-delimited, some EndNote exports); line ends may be CRLF, LF or CR only (old Mac exports).

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export function sniffEncoding(head: Uint8Array): { encoding: Encoding; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // UTF-16 without BOM: ASCII text has a zero in every other byte.
  if (head.length >= 4 && head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0)
    return { encoding: 'utf-16le', bomLength: 0 };
  if (head.length >= 4 && head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0)
    return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Whole-buffer decode: BOM removed, line ends normalised to `\n`. */
export function decodeBytes(bytes: Uint8Array): string {
  const { encoding, bomLength } = sniffEncoding(bytes);
  const text = new TextDecoder(encoding).decode(bytes.subarray(bomLength));
  return normaliseLineEnds(text.replace(/^\uFEFF/, ''));
}

/**
 * CRLF and lone CR as LF. CRLF goes by plain string search, which V8 runs faster than a regex over
 * a chunk (most exports end their lines with CRLF); a CR left after it is a lone one.
 */
export function normaliseLineEnds(text: string): string {
  if (text.indexOf('\r') === -1) return text;
  const lf = text.split('\r\n').join('\n');
  return lf.indexOf('\r') === -1 ? lf : lf.replace(/\r/g, '\n');
}

/**
 * Streaming decode of byte chunks into text chunks (BOM sniffed from the first bytes). Most
 * exports are plain ASCII: a UTF-8 chunk of ASCII bytes only is copied as Latin-1 (the same text,
 * several times faster than TextDecoder), provided the decoder holds no partial sequence, which
 * it cannot after a chunk that ended with an ASCII byte.
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let utf8 = false;
  let decoderClean = true;
  let pending: Uint8Array = new Uint8Array(0);
  for await (const chunk of pieces(chunks)) {
    if (!decoder) {
      pending = concat(pending, chunk);
      if (pending.length < 4) continue;
      const { encoding, bomLength } = sniffEncoding(pending);
      decoder = new TextDecoder(encoding);
      utf8 = encoding === 'utf-8';
      const text = decoder.decode(pending.subarray(bomLength), { stream: true });
      decoderClean = pending[pending.length - 1]! < 0x80;
      if (text) yield text.replace(/^\uFEFF/, '');
      continue;
    }
    if (chunk.length === 0) continue;
    if (utf8 && decoderClean && isAscii(chunk)) {
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      continue;
    }
    const text = decoder.decode(chunk, { stream: true });
    decoderClean = chunk[chunk.length - 1]! < 0x80;
    if (text) yield text;
  }
  if (!decoder) {
    if (pending.length) yield decodeBytes(pending);
    return;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Bytes in pieces of at most this many: a piece's text (two bytes a character at most) stays under
 * V8's large-object size (128 KiB), so it and the line strings cut from it live and die in the young
 * generation. Text of a 256 KiB or 1 MiB chunk (a file stream's or a stored blob's) was a large
 * object, mapped and unmapped by the kernel for every chunk: on 101 MB of real RIS exports, about
 * 1 s of system time and 90 MiB more peak memory (2.7-3.3 s wall, 3.0-3.4 s CPU; in 32 KiB pieces
 * 1.7-2.0 s wall, 2.0-2.3 s CPU; run through tsx on this machine).
 */
export const DECODE_PIECE = 32 * 1024;

async function* pieces(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    if (chunk.length <= DECODE_PIECE) yield chunk;
    else for (let at = 0; at < chunk.length; at += DECODE_PIECE) yield chunk.subarray(at, at + DECODE_PIECE);
  }
}

/** Normalise line ends across chunk boundaries (a CR at the end of one chunk, LF at the start of the next). */
export async function* normaliseChunks(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let heldCr = false;
  let first = true;
  for await (let chunk of chunks) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, '');
      first = false;
    }
    if (heldCr) {
      chunk = '\r' + chunk;
      heldCr = false;
    }
    if (chunk.endsWith('\r')) {
      heldCr = true;
      chunk = chunk.slice(0, -1);
    }
    if (chunk) yield normaliseLineEnds(chunk);
  }
  if (heldCr) yield '\n';
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
