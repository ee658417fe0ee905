import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { getReviewBySlug, WinnowError } from '@winnow/core';
import { requestImport, SOURCE_KINDS, type ImportSummary, type SourceKind } from '@winnow/ingest';
import type { CommandContext } from '../command.ts';

// The CLI reads local files the user chose; the upload limit is for the web.
const CLI_MAX_BYTES = 8 * 2 ** 30;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export async function runImport({ rt, args, opts, reviewSlug }: CommandContext) {
  if (args.length === 0) throw new WinnowError('BAD_REQUEST', 'winnow import: give at least one file');
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const kind = str(opts.kind) ?? 'database';
  if (!(SOURCE_KINDS as readonly string[]).includes(kind))
    throw new WinnowError('VALIDATION', `--kind ${kind}: expected one of ${SOURCE_KINDS.join(', ')}`, {
      location: { field: 'kind' },
    });
  const reported = str(opts.reported);
  if (reported !== undefined && !/^\d+$/.test(reported))
    throw new WinnowError('VALIDATION', `--reported ${reported}: expected a whole number`, {
      location: { field: 'reported' },
    });
  const strategyFile = str(opts.strategy);
  const strategy = strategyFile ? readFileSync(strategyFile, 'utf8') : undefined;
  let columns: Record<string, string> | undefined;
  if (str(opts.columns)) {
    try {
      columns = JSON.parse(String(opts.columns)) as Record<string, string>;
    } catch {
      throw new WinnowError('VALIDATION', '--columns: expected a JSON object of field -> header', {
        location: { field: 'columns' },
      });
    }
  }
  for (const f of args) {
    if (!statSync(f, { throwIfNoEntry: false })?.isFile())
      throw new WinnowError('NOT_FOUND', `${f}: no such file`, { location: { file: f } });
  }

  const results: ImportSummary[] = [];
  let searchId: string | undefined;
  for (const file of args) {
    const fileName = path.basename(file);
    const imp = await requestImport(rt.db, {
      reviewId: review.id,
      fileName,
      source: createReadStream(file),
      maxBytes: CLI_MAX_BYTES,
      // Several files named on one command line are several exports of one search.
      searchId,
      search: searchId
        ? undefined
        : {
            sourceName: str(opts.source) ?? fileName,
            sourceKind: kind as SourceKind,
            platform: str(opts.platform),
            searchedOn: str(opts.searched),
            strategy,
            limits: str(opts.limits),
            recordsReported: reported === undefined ? undefined : Number(reported),
          },
      format: str(opts.format),
      columns,
      force: opts.force === true,
    });
    searchId = imp.searchId ?? undefined;
    const { jobId } = await rt.queue.enqueue('ingest.import', { importId: imp.id, reviewId: review.id });
    results.push((await rt.queue.waitFor(jobId)) as ImportSummary);
  }
  return results.length === 1 ? results[0] : results;
}
