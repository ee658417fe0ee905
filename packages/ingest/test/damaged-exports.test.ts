import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes, parseText, type IngestFormat, type ParsedRecord } from '../src/index.ts';
import { DAMAGE, damageLines, damageXml } from './export-damage.ts';

// Every real export in ../shared/corpus (read in place, never copied) and every fixture in the
// repository: one record gets random damage, and every other record must still import with
// identical fields; the damaged one is kept (repaired) or skipped, with a warning.
const root = path.resolve(import.meta.dirname, '../../..');
const corpus = path.resolve(root, '../shared/corpus');
const fixtures = path.join(root, 'fixtures/ingest');

const files: Array<{ file: string; format?: IngestFormat }> = [
  ...(existsSync(path.join(corpus, 'MANIFEST.tsv'))
    ? readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
        .filter(([p]) => p!.startsWith('ingest/'))
        .map(([p, f]) => ({ file: path.join(corpus, p!), format: f as IngestFormat }))
    : []),
  ...readdirSync(fixtures)
    // UTF-16 files are decoded like any other. scopus-old.csv's second row has fewer columns than
    // its header on purpose (a damaged record already), so it cannot carry a second damage.
    .filter((f) => f !== 'scopus-old.csv')
    .map((f) => ({ file: path.join(fixtures, f) })),
];

const clean = new Map<string, Promise<{ text: string; format: IngestFormat; records: ParsedRecord[] }>>();
function parseClean(file: string, format?: IngestFormat) {
  if (!clean.has(file))
    clean.set(
      file,
      (async () => {
        const text = decodeBytes(readFileSync(file));
        const out = await parseText(text, { format: format ?? 'auto', fileName: path.basename(file) });
        return { text, format: out.format, records: out.records };
      })(),
    );
  return clean.get(file)!;
}

const fields = (r: ParsedRecord) => ({ ...r.record, raw: undefined });

describe('random damage in one record stays in that record', () => {
  it('every other record of every export imports with identical fields', async () => {
    let checked = 0;
    for (const { file, format } of files) {
      const base = await parseClean(file, format);
      const n = base.records.length;
      if (n < 2) continue;
      const starts = base.records.map((r) => (r.line ?? 1) - 1);
      // Big files get fewer runs: the whole property stays well under 20 s.
      const runs = base.text.length > 500_000 ? 1 : 3;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: n - 1 }),
          fc.constantFrom(...DAMAGE),
          fc.nat(),
          async (d, damage, pick) => {
            let damaged: string;
            if (base.format === 'pubmed-xml' || base.format === 'endnote-xml') {
              damaged = damageXml(base.text, base.records[d]!.index - 1, damage, pick);
            } else {
              const lines = base.text.split('\n');
              const from = starts[d]!;
              // A record runs to the next one's start (CSV lines are one record each, as read).
              const to =
                base.format === 'csv' || base.format === 'wos-tab'
                  ? from + 1
                  : (starts[d + 1] ?? lines.length);
              if (to <= from) return;
              damageLines(lines, from, to, damage, base.format, pick);
              damaged = lines.join('\n');
            }
            if (damaged === base.text) return; // nothing to damage there (an empty line)
            const out = await parseText(damaged, {
              format: base.format,
              fileName: path.basename(file),
            });
            const want = base.records.map(fields);
            const got = out.records.map(fields);
            const label = `${path.relative(root, file)}: ${damage} in record ${d + 1} of ${n}`;
            if (got.length === n) {
              for (let i = 0; i < n; i++) if (i !== d) expect(got[i], label).toEqual(want[i]);
            } else {
              expect(got.length, label).toBe(n - 1);
              want.splice(d, 1);
              expect(got, label).toEqual(want);
              expect(
                out.diagnostics.some((x) => x.damage === 'skipped'),
                label,
              ).toBe(true);
            }
          },
        ),
        { numRuns: runs, seed: 15 },
      );
      checked++;
    }
    // Without ../shared/corpus (a user's clone) only the repository's own fixtures are damaged.
    expect(checked).toBeGreaterThan(existsSync(corpus) ? 10 : 3);
  }, 60_000);
});
