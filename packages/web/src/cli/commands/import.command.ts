import type { ImportSummary } from '@winnow/ingest';
import { command } from '../command.ts';

// The kinds are written out: see accounts.command.ts.
export const importCommand = command({
  name: 'import',
  summary: 'Import database exports (RIS, MEDLINE, PubMed XML, EndNote XML, WoS, CSV, BibTeX) as one search',
  usage: '<file...>',
  options: {
    source: {
      type: 'string',
      description: 'Source searched, e.g. "MEDLINE" (PRISMA-S); default: the file name',
    },
    kind: {
      type: 'string',
      description:
        'Source kind: database, register, website, organisation, citation, other (default database)',
    },
    platform: { type: 'string', description: 'Platform/interface, e.g. Ovid' },
    searched: { type: 'string', description: 'Date searched, YYYY-MM-DD' },
    strategy: { type: 'string', description: 'File holding the search strategy as run' },
    limits: { type: 'string', description: 'Limits applied (dates, languages, ...)' },
    reported: {
      type: 'string',
      description: 'Records retrieved as the database reported (checked against records parsed)',
    },
    format: { type: 'string', description: 'Force a format instead of detecting it from the content' },
    columns: {
      type: 'string',
      description: 'CSV column mapping as JSON, e.g. {"title":"Titel","year":"Jaar"}',
    },
    force: { type: 'boolean', description: 'Import even if the same file content is already in the review' },
  },
  needs: 'workers',
  run: async (ctx) => (await import('./import.run.ts')).runImport(ctx),
  human: (r: ImportSummary | ImportSummary[]) =>
    (Array.isArray(r) ? r : [r])
      .map((s) =>
        [
          `${s.fileName}: ${s.records} records (${s.format}), ${s.warningCount} warnings, ${s.errorCount} errors — import ${s.importId}`,
          ...(s.recordsSkipped + s.recordsRepaired > 0
            ? [`${s.statusText}: ${s.recordsSkipped} damaged records skipped, ${s.recordsRepaired} repaired`]
            : []),
          ...s.errors,
          ...s.warnings.slice(0, 20),
        ].join('\n  '),
      )
      .join('\n'),
});
