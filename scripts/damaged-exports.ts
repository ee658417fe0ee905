/**
 * Record counts of every corpus export as it is and with one damaged record in the middle
 * (damage as in packages/ingest/test/damaged-exports.test.ts). `node --import tsx scripts/damaged-exports.ts`
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeBytes, parseText, type IngestFormat } from '../packages/ingest/src/index.ts';

const corpus = path.resolve(import.meta.dirname, '../../shared/corpus');
import { DAMAGE, damageLines, damageXml } from '../packages/ingest/test/export-damage.ts';

const rows = readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));
console.log(['file', 'format', 'manifest', 'clean', ...DAMAGE].join('\t'));
for (const [rel, format, expected] of rows) {
  if (!rel!.startsWith('ingest/')) continue;
  const text = decodeBytes(readFileSync(path.join(corpus, rel!)));
  const base = await parseText(text, { format: format as IngestFormat });
  const starts = base.records.map((r) => (r.line ?? 1) - 1);
  const d = Math.floor(starts.length / 2);
  const counts: string[] = [];
  for (const damage of DAMAGE) {
    let damaged: string;
    if (format === 'pubmed-xml' || format === 'endnote-xml') {
      damaged = damageXml(text, base.records[d]!.index - 1, damage, 7);
    } else {
      const lines = text.split('\n');
      const from = starts[d]!;
      const to = format === 'csv' || format === 'wos-tab' ? from + 1 : (starts[d + 1] ?? lines.length);
      damageLines(lines, from, to, damage, format as IngestFormat, 7);
      damaged = lines.join('\n');
    }
    try {
      counts.push(String((await parseText(damaged, { format: format as IngestFormat })).records.length));
    } catch {
      counts.push('failed');
    }
  }
  console.log([rel, format, expected, base.records.length, ...counts].join('\t'));
}
