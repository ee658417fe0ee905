import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { WinnowError } from '@winnow/core';

export interface StoredUpload {
  /** Absolute path of the stored file under the data directory. */
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Streams a raw request body to a new file under `dir`, never holding it in memory. Over `maxBytes`
 * the request fails with PAYLOAD_TOO_LARGE; an aborted or failed upload leaves no file behind.
 */
export async function receiveUpload(req: Request, dir: string, maxBytes: number): Promise<StoredUpload> {
  const declared = Number(req.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new WinnowError('PAYLOAD_TOO_LARGE', `The upload is ${declared} bytes; the limit is ${maxBytes}`);
  }
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.upload`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes)
        return done(
          new WinnowError('PAYLOAD_TOO_LARGE', `The upload exceeds the limit of ${maxBytes} bytes`),
        );
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(req, meter, createWriteStream(file, { flags: 'wx' }));
  } catch (error) {
    rmSync(file, { force: true });
    if (error instanceof WinnowError) throw error;
    throw new WinnowError('BAD_REQUEST', `The upload was interrupted: ${(error as Error).message}`);
  }
  if (bytes === 0) {
    rmSync(file, { force: true });
    throw new WinnowError('VALIDATION', 'The upload is empty');
  }
  return { path: file, bytes, sha256: hash.digest('hex') };
}
