import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getReviewBySlug, WinnowError } from '@winnow/core';
import {
  derivePrismaFlow,
  describeWarnings,
  inProgressText,
  loadPrismaInput,
  parsePrismaTemplateCsv,
  renderPrismaPng,
  renderPrismaSvg,
  searchSummary,
  searchSummaryCsv,
  toPrismaTemplateCsv,
  type PrismaWarning,
} from '@winnow/screening';
import type { CommandContext } from '../command.ts';
import { numberOption } from '../option-value.ts';

const FORMATS = ['svg', 'png', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

async function emit(out: string | undefined, bytes: string | Buffer): Promise<unknown> {
  if (!out) {
    process.stdout.write(bytes);
    return undefined;
  }
  await writeFile(out, bytes);
  return { wrote: path.resolve(out), bytes: Buffer.byteLength(bytes) };
}

/** One line per warning; the records it names by short citation (ids only where no citation is known). */
function warningLines(warnings: PrismaWarning[]): string {
  return warnings
    .map((w) => {
      const named = w.items ? w.items.map((x) => x.citation) : w.ids;
      const shown = named.slice(0, 10);
      const more = w.ids.length - shown.length;
      const list = shown.length ? ` [${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}]` : '';
      return `warning ${w.code}: ${w.message}${list}`;
    })
    .join('\n');
}

export async function runPrisma({ rt, opts, reviewSlug, json }: CommandContext) {
  if (typeof opts.check === 'string') {
    const text = await readFile(opts.check).catch((e: Error) => {
      throw new WinnowError('NOT_FOUND', `cannot read ${String(opts.check)}: ${e.message}`, {
        location: { file: String(opts.check) },
      });
    });
    const { counts, warnings } = parsePrismaTemplateCsv(text, path.basename(opts.check));
    if (warnings.length) process.stderr.write(warningLines(warnings) + '\n');
    return { file: opts.check, valid: true, counts, warnings };
  }
  const format = String(opts.format ?? (json ? 'json' : 'svg')) as Format;
  if (!FORMATS.includes(format))
    throw new WinnowError('BAD_REQUEST', `--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const width = numberOption(opts.width, { whole: true, from: 200, to: 6000 }, 2000, 'width');
  const out = typeof opts.out === 'string' ? opts.out : undefined;
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const input = await loadPrismaInput(rt.db, review.id);
  if (opts.searches) {
    const rows = searchSummary(input);
    return format === 'json'
      ? emit(out, JSON.stringify({ searches: rows }, null, 2) + '\n')
      : emit(out, searchSummaryCsv(rows));
  }
  const flow = await describeWarnings(rt.db, review.id, derivePrismaFlow(input), input.searches);
  if (flow.warnings.length) process.stderr.write(warningLines(flow.warnings) + '\n');
  if (flow.inProgress)
    process.stderr.write(
      `in progress: ${inProgressText(flow.counts)}; the counts show what has happened so far\n`,
    );
  if (format === 'json') return emit(out, JSON.stringify(flow, null, 2) + '\n');
  if (format === 'csv') return emit(out, toPrismaTemplateCsv(flow.counts));
  const svg = renderPrismaSvg(flow.counts, { title: `PRISMA 2020 flow diagram: ${review.title}` });
  return emit(out, format === 'svg' ? svg : renderPrismaPng(svg, width));
}
