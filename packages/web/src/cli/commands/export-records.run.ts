import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { getReviewBySlug, WinnowError } from '@winnow/core';
import { csvRows, recordToCsvRow, recordToRis, streamRecords, type NormalisedRecord } from '@winnow/ingest';
import type { CommandContext } from '../command.ts';

export async function runExportRecords({ rt, reviewSlug, opts }: CommandContext) {
  const format = typeof opts.format === 'string' ? opts.format : 'ris';
  if (format !== 'ris' && format !== 'csv')
    throw new WinnowError('UNSUPPORTED_FORMAT', `--format ${format}: expected ris or csv`, {
      location: { field: 'format' },
    });
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const file: WriteStream | undefined =
    typeof opts.out === 'string' ? createWriteStream(opts.out) : undefined;
  const write = async (text: string): Promise<void> => {
    const target = file ?? process.stdout;
    if (!target.write(text)) await once(target, 'drain');
  };
  let count = 0;
  let first = true;
  for await (const page of streamRecords(rt.db, review.id, { uniqueOnly: opts.unique === true })) {
    const records = page.map((r) => ({ ...(r.data as unknown as NormalisedRecord), raw: r.raw }));
    if (format === 'ris') await write(records.map(recordToRis).join('\n') + '\n');
    else await write(csvRows(records.map(recordToCsvRow), first));
    first = false;
    count += records.length;
  }
  if (first && format === 'csv') await write(csvRows([], true));
  if (file) {
    file.end();
    await once(file, 'finish');
    return { out: opts.out, format, records: count };
  }
  return undefined;
}
