import { command } from '../command.ts';

export const exportDecisionsCommand = command({
  name: 'export decisions',
  summary:
    'The whole screening log as CSV: every vote, undo, adjudicator resolution and outcome change (seq, at, kind, stage, record_id, record_title, actor, role, vote, previous, reasons, note)',
  options: {
    format: { type: 'string', description: 'csv (the only format)' },
    out: { type: 'string', description: 'Write to this file instead of stdout' },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./export-decisions.run.ts')).runExportDecisions(ctx),
});
