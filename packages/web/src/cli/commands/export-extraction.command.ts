import { command } from '../command.ts';

export const exportExtractionCommand = command({
  name: 'export extraction',
  summary: 'Extraction tables (wide, long, profile) from consensus records and codings, as CSV, XLSX or JSON',
  usage:
    '--format csv|xlsx|json [--table wide|long|profile|all] [--multi binary|joined] [--field F] [--out F]',
  options: {
    format: { type: 'string', description: 'csv, xlsx or json (default csv)' },
    table: {
      type: 'string',
      description: 'wide, long, profile or all (default: all for xlsx/json, wide for csv)',
    },
    multi: {
      type: 'string',
      description: 'Multi-choice and code-tree fields as 0/1 columns (binary, default) or joined labels',
    },
    field: { type: 'string', description: 'Profile table of this field only (e.g. publication_type)' },
    out: { type: 'string', description: 'Write to this file instead of stdout' },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./export-extraction.run.ts')).runExportExtraction(ctx),
  human: (r: { wrote: string; bytes: number; tables: Array<{ name: string; rows: number }> } | undefined) =>
    !r
      ? ''
      : `Wrote ${r.wrote} (${r.bytes} bytes): ${r.tables.map((t) => `${t.name} ${t.rows} rows`).join(', ')}`,
});
