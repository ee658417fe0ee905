import { writeFileSync } from 'node:fs';

/**
 * An export's text to `--out` (answering what was written) or to stdout, waiting until the pipe
 * has taken it all: the CLI exits as soon as a command's run() returns.
 */
export async function writeExport(
  text: string,
  out: unknown,
  rows: number,
): Promise<{ out: string; rows: number } | undefined> {
  if (typeof out === 'string') {
    writeFileSync(out, text);
    return { out, rows };
  }
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (e) => (e ? reject(e) : resolve())),
  );
  return undefined;
}
