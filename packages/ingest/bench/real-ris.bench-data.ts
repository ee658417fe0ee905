// The "real exports" bench file: the corpus's real RIS exports (MANIFEST.tsv, format ris) read in
// place and concatenated, over and over, into a temporary file of the size asked for. Nothing of
// the corpus is copied into the repository.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

export const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpus');

/** The corpus's RIS exports as bytes, or undefined when ../shared/corpus is absent. */
export function realRisExports(): Array<{ name: string; bytes: Buffer }> | undefined {
  const manifest = path.join(CORPUS, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return undefined;
  return readFileSync(manifest, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => c[1] === 'ris')
    .map(([rel]) => {
      let bytes = readFileSync(path.join(CORPUS, rel!));
      // A byte-order mark belongs at the start of a file only: drop it where the files are joined.
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      // Each export must end its last line, or the next file's `TY` would join it.
      if (bytes[bytes.length - 1] !== 0x0a) bytes = Buffer.concat([bytes, Buffer.from('\n')]);
      return { name: rel!, bytes };
    });
}

/** Writes the exports one after another, again and again, until `targetBytes` is reached. */
export async function writeRealRisFile(
  file: string,
  exports: Array<{ bytes: Buffer }>,
  targetBytes: number,
): Promise<{ bytes: number; copies: number }> {
  const out = createWriteStream(file);
  let bytes = 0;
  let copies = 0;
  while (bytes < targetBytes) {
    for (const e of exports) {
      if (!out.write(e.bytes)) await once(out, 'drain');
      bytes += e.bytes.length;
    }
    copies++;
  }
  out.end();
  await once(out, 'finish');
  return { bytes, copies };
}
