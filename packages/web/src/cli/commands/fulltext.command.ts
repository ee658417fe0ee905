import type { BatchSummary } from '@winnow/screening';
import { command } from '../command.ts';

export const fullTextAddCommand = command({
  name: 'fulltext add',
  summary:
    'Attach full texts in bulk: PDFs, folders of PDFs or zips, each matched to a report sought for retrieval (DOI, PMID, then title and year)',
  usage: '<files | folder | zip...>',
  needs: 'workers',
  run: async (ctx) => (await import('./fulltext.run.ts')).runFullTextAdd(ctx),
  human: (r: Omit<BatchSummary, 'batchId'>) =>
    [
      `${r.attached.length} attached, ${r.ambiguous.length} to match by hand (on the full-text page), ${r.unmatched.length} unmatched, ${r.duplicates.length} duplicates${r.failed?.length ? `, ${r.failed.length} failed` : ''}`,
      ...r.attached.map((a) => `  attached  ${a.file} -> ${a.title} (by ${a.matchedBy})`),
      ...r.ambiguous.map((a) => `  match     ${a.file}: ${a.candidates.map((c) => c.title).join(' | ')}`),
      ...r.unmatched.map((f) => `  unmatched ${f}`),
      ...r.duplicates.map((f) => `  duplicate ${f}`),
      ...(r.failed ?? []).map((f) => `  failed    ${f.file}: ${f.message}`),
    ].join('\n'),
});
