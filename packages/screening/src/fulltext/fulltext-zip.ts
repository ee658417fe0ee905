import { Unzip, UnzipInflate } from 'fflate';
import { WinnowError } from '@winnow/core';

/** Bytes starting a zip archive's first local file header. */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/**
 * The PDFs inside a zip (by name; folders and macOS `__MACOSX` copies skipped), each inflated as a
 * stream and stopped at `maxBytes`, and all of them together at `maxTotal`: a zip bomb is cut off
 * by what it actually inflates to, whatever sizes its headers claim. fflate (no dependencies,
 * maintained, streaming inflate with terminate) rather than hand-written zip reading.
 */
export function pdfsInZip(
  zip: Uint8Array,
  zipName: string,
  limits: { maxBytes: number; maxTotal: number },
): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  let total = 0;
  let failure: WinnowError | null = null;
  const unfinished = new Set<string>();
  const unzip = new Unzip((file) => {
    const base = file.name.split('/').pop() ?? '';
    if (!/\.pdf$/i.test(base) || file.name.startsWith('__MACOSX/') || base.startsWith('._')) return;
    const parts: Uint8Array[] = [];
    let size = 0;
    unfinished.add(file.name);
    file.ondata = (error, data, final) => {
      if (failure) return;
      if (error) {
        failure = new WinnowError(
          'VALIDATION',
          `${zipName}: ${file.name} cannot be unpacked (${error.message}).`,
        );
        return;
      }
      size += data.length;
      total += data.length;
      if (size > limits.maxBytes || total > limits.maxTotal) {
        file.terminate();
        failure = new WinnowError(
          'PAYLOAD_TOO_LARGE',
          size > limits.maxBytes
            ? `${zipName}: ${file.name} unpacks to more than the upload limit of ${limits.maxBytes} bytes.`
            : `${zipName} unpacks to more than ${limits.maxTotal} bytes in all.`,
        );
        return;
      }
      parts.push(data);
      if (final) {
        unfinished.delete(file.name);
        out.push({ name: base, bytes: Buffer.concat(parts) });
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // Fed in 64 KiB pieces so the limits above are checked as it inflates.
    for (let i = 0; i < zip.length && !failure; i += 65536)
      unzip.push(zip.subarray(i, i + 65536), i + 65536 >= zip.length);
  } catch (error) {
    throw new WinnowError(
      'VALIDATION',
      `${zipName} is not a zip archive that can be read (${(error as Error).message}).`,
    );
  }
  if (failure) throw failure;
  if (unfinished.size > 0)
    throw new WinnowError(
      'VALIDATION',
      `${zipName} is cut off: ${[...unfinished].join(', ')} ends before its end. Upload the whole archive again.`,
    );
  return out;
}
