import { command } from '../command.ts';

export const prismaCommand = command({
  name: 'prisma',
  summary: 'PRISMA 2020 flow diagram derived from the review (svg, png, PRISMA2020 template csv or json)',
  usage: '[--format svg|png|csv|json] [--out F]',
  options: {
    format: { type: 'string', description: 'svg (default), png, csv (PRISMA2020 template) or json' },
    out: { type: 'string', description: 'Write to this file instead of stdout' },
    width: { type: 'string', description: 'PNG width in pixels, default 2000' },
    searches: { type: 'boolean', description: 'Write the PRISMA-S search summary instead (csv, or json)' },
    check: {
      type: 'string',
      description: 'Validate a PRISMA2020 template CSV made elsewhere; prints its counts',
    },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./prisma.run.ts')).runPrisma(ctx),
});
