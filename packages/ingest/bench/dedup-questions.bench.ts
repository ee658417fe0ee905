// Dedup review questions (issue 15, "ask each question once"): per corpus set, how many questions
// the review queue holds (one per pair of groups), the candidate pairs they cover (the pairs the
// pair export marks `pending`, which a queue of record pairs would have asked one by one), and the
// record pairs one answer settles. `pnpm bench dedup-questions`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dedupe } from '../src/dedup/dedupe.ts';
import type { DedupInput } from '../src/dedup/dedupe.types.ts';
import { readLabelledEndnote } from '../src/dedup/endnote-corpus.ts';
import { parseText } from '../src/parsers/parse-stream.ts';
import type { IngestFormat } from '../src/parsers/formats.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');

/** Every export under ingest/ of the corpus in one review: overlapping exports of several databases. */
async function ingestCorpus(): Promise<DedupInput[]> {
  const lines = readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  const inputs: DedupInput[] = [];
  for (const line of lines) {
    const [file, format] = line.split('\t') as [string, IngestFormat];
    if (!file.startsWith('ingest/')) continue;
    const { records } = await parseText(readFileSync(path.join(corpus, file), 'utf8'), { format });
    for (const r of records) inputs.push({ id: `${file}#${r.index}`, record: r.record });
  }
  return inputs;
}

function row(name: string, inputs: readonly DedupInput[]): string {
  const r = dedupe(inputs);
  const groupOf = new Map<string, string>();
  for (const g of r.groups) for (const m of g.members) groupOf.set(m.recordId, g.id);
  const pending = r.pairs.filter((p) => p.status === 'pending');
  const groupPairs = new Set(
    pending.map((p) => [groupOf.get(p.a) ?? p.a, groupOf.get(p.b) ?? p.b].sort().join('|')),
  );
  const sides = r.review.map((q) => q.parts ?? [q.covers.a, q.covers.b]);
  const size = (parts: readonly (readonly string[])[]) => parts.reduce((n, p) => n + p.length, 0);
  const across = (parts: readonly (readonly string[])[]) =>
    (size(parts) ** 2 - parts.reduce((n, p) => n + p.length ** 2, 0)) / 2;
  const settled = sides.reduce((n, parts) => n + across(parts), 0);
  const widest = sides.reduce((m, parts) => Math.max(m, size(parts)), 0);
  const share = ((100 * r.stats.pendingPairs) / inputs.length).toFixed(2);
  return `| ${name} | ${inputs.length.toLocaleString('en')} | ${r.groups.length.toLocaleString('en')} | ${r.stats.needsReview} | ${groupPairs.size} | ${r.stats.pendingPairs} | ${share}% | ${settled} | ${widest} |`;
}

export default async function (): Promise<string> {
  if (!existsSync(corpus)) return `## Dedup review questions\n\n_Corpus not found at ${corpus}: skipped._\n`;
  const rows: string[] = [];
  for (const name of ['copper', 'tafenoquine']) {
    const records = await readLabelledEndnote(
      readFileSync(path.join(corpus, 'dedup', `${name}.xml`), 'utf8'),
    );
    rows.push(
      row(
        `${name}.xml`,
        records.map((x) => ({ id: x.id, record: x.record })),
      ),
    );
  }
  rows.push(row('every export in ingest/ as one review', await ingestCorpus()));
  return `## Dedup review questions (issue 15: ask each question once)

The review queue holds one question per set of groups (a group may be one record) linked by uncertain
matches, directly or through each other; one answer settles every record pair across the two groups of
the pair shown, or across all its groups ("all one report", "all different reports"). For comparison,
the questions a queue of one per pair of groups would hold, and a queue of one per record pair would
hold the pending pairs. "Pending pairs" are the candidate
pairs (kept after blocking and scoring) under a pending question, counted as the pair export
(\`winnow export duplicate-pairs\`) marks them \`pending\`: each pair across the two groups of a pending
question, so a queue of record pairs would have asked each of them. Target: pending pairs under 5% of
records. "Record pairs one answer each settles" adds up, per question, the record pairs across all its
groups; "widest" is the most records one answer covers.

| Set | Records | Groups | Questions pending | One per pair of groups would be | Pending pairs | Pending pairs / records | Record pairs one answer each settles | Widest question (records) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

On the overlapping set most reports are exported four or five times (one Zotero library in four formats
plus a Mendeley export), so a question between two such groups covers up to 25 candidate pairs: counted
by pairs this set misses the 5% target, counted by questions it holds 0.7% of records. Its questions are
corrections and errata against their article (never merged automatically), a conference paper against the
journal article, the same title in another volume or on other pages, and ten between placeholder records
titled "Title of reference" with no other field, which asked per pair of groups were ten questions and
are now one.

Reproduce: \`pnpm bench dedup-questions\`.`;
}
