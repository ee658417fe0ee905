import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getReviewBySlug, WinnowError } from '@winnow/core';
import {
  defaultProfiles,
  extractionTables,
  loadExportInput,
  renderExport,
  type ExportFormat,
} from '@winnow/extraction';
import type { CommandContext } from '../command.ts';
import { oneOf } from '../option-value.ts';

const FORMATS = ['csv', 'xlsx', 'json'] as const;
const TABLES = ['wide', 'long', 'profile', 'all'] as const;

export async function runExportExtraction({ rt, opts, reviewSlug }: CommandContext) {
  const format: ExportFormat = oneOf(opts.format, FORMATS, 'csv', 'format');
  const table = oneOf(opts.table, TABLES, format === 'csv' ? 'wide' : 'all', 'table');
  const multi = oneOf(opts.multi, ['binary', 'joined'] as const, 'binary', 'multi');
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const input = await loadExportInput(rt.db, review.id);
  const field = typeof opts.field === 'string' ? opts.field : undefined;
  const profiles = field ? defaultProfiles(input.codebook).filter((p) => p.field === field) : undefined;
  if (field && profiles?.length === 0)
    throw new WinnowError(
      'BAD_REQUEST',
      `--field ${field} is not a categorical field of ${input.codebook.id} v${input.codebook.version}`,
      {
        location: { field: 'field' },
      },
    );
  const tables = extractionTables(input, {
    tables: table === 'all' ? undefined : [table],
    multi,
    profiles,
  });
  const rendered = await renderExport(tables, format);
  const out = typeof opts.out === 'string' ? opts.out : undefined;
  if (!out) {
    process.stdout.write(rendered.body);
    return undefined;
  }
  await writeFile(out, rendered.body);
  return {
    wrote: path.resolve(out),
    bytes: rendered.body.length,
    tables: tables.map((t) => ({ name: t.name, rows: t.rows.length, columns: t.columns.length })),
  };
}
