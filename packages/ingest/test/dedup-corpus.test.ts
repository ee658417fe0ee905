import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dedupe } from '../src/dedup/dedupe.ts';
import { readLabelledEndnote, scoreAgainstLabels } from '../src/dedup/endnote-corpus.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus/dedup');
const present =
  existsSync(path.join(corpus, 'copper.xml')) && existsSync(path.join(corpus, 'tafenoquine.xml'));
if (!present) console.warn(`dedup-corpus: skipped, labelled sets not found in ${corpus}`);

// Issue 4 thresholds, counting only automatic merges (DESIGN.md "Dedup scoring").
describe.skipIf(!present)('dedup accuracy on the labelled EndNote sets', () => {
  it.each(['copper', 'tafenoquine'])('%s: sensitivity >= 0.99, specificity >= 0.999', async (name) => {
    const records = await readLabelledEndnote(readFileSync(path.join(corpus, `${name}.xml`), 'utf8'));
    expect(records.length).toBeGreaterThan(100);
    const result = dedupe(records.map((r) => ({ id: r.id, record: r.record })));
    const grouped = new Set(result.groups.flatMap((g) => g.members.map((m) => m.recordId)));
    const s = scoreAgainstLabels(records, grouped);
    expect(s.falseMerges, 'unique-labelled records merged').toEqual([]);
    expect(s.sensitivity).toBeGreaterThanOrEqual(0.99);
    expect(s.specificity).toBeGreaterThanOrEqual(0.999);
    // Every group and review pair explains itself.
    for (const g of result.groups) for (const m of g.members) expect(m.reason).not.toBe('');
    for (const p of result.review) expect(p.reason).toMatch(/;/);
  });
});
