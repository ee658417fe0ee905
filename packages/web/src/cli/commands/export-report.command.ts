import { command } from '../command.ts';

export const exportReportCommand = command({
  name: 'export report',
  summary:
    'The review as a report (DOCX or HTML): flow, methods, profile tables, evidence by theme, references, excluded reports',
  usage:
    '[--format docx|html] [--parts flow,methods,profiles,evidence,references,excluded] [--style vancouver|harvard] [--out F]',
  options: {
    format: { type: 'string', description: 'docx (default) or html' },
    parts: { type: 'string', description: 'Comma list of parts (default: every part)' },
    style: { type: 'string', description: 'Reference style: vancouver (default) or harvard' },
    out: { type: 'string', description: 'Write to this file (default: <review>-report.<format>)' },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./export-report.run.ts')).runExportReport(ctx),
  human: (r: { wrote: string; bytes: number; parts: string[] }) =>
    `Wrote ${r.wrote} (${r.bytes} bytes): ${r.parts.join(', ')}`,
});
