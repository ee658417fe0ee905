import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes, parseText, type IngestFormat, type ParsedRecord } from '../src/index.ts';

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
    // UTF-16 is read as bytes (not split into lines here); scopus-old.csv's second row has fewer
    // columns than its header on purpose, so no line of it can be where a damaged record ends.
    .filter((f) => !f.includes('utf16') && f !== 'scopus-old.csv')
    .map((f) => ({ file: path.join(fixtures, f) })),
];

type Damage = 'open-brace-or-quote' | 'missing-end' | 'truncated-line' | 'stray-bytes';
const DAMAGE: Damage[] = ['open-brace-or-quote', 'missing-end', 'truncated-line', 'stray-bytes'];

/** The record's lines `from..to` (0-based, `to` exclusive) of `lines` with `damage` put into them. */
function damageLines(
  lines: string[],
  from: number,
  to: number,
  damage: Damage,
  format: IngestFormat,
  pick: number,
): void {
  const at = (n: number): number => from + (pick % Math.max(1, n));
  const span = to - from;
  switch (damage) {
    case 'open-brace-or-quote': {
      if (format === 'bibtex') {
        const k = lines.slice(from, to).findIndex((l) => /=\s*\{./.test(l));
        if (k >= 0) lines[from + k] = lines[from + k]!.replace(/=\s*\{/, '= {{');
      } else if (format === 'csv') {
        const l = lines[from]!;
        const commas = [...l.matchAll(/,(?=[^"])/g)].map((m) => m.index);
        if (commas.length) {
          const c = commas[pick % commas.length]!;
          lines[from] = `${l.slice(0, c + 1)}"${l.slice(c + 1)}`;
        }
      } else if (format === 'pubmed-xml' || format === 'endnote-xml') {
        const k = lines.slice(from, to).findIndex((l) => /<(ArticleTitle|title)\b[^>]*>/.test(l));
        if (k >= 0) lines[from + k] = lines[from + k]!.replace(/(<(?:ArticleTitle|title)\b[^>]*>)/, '$1<i>');
      } else {
        lines[at(span)] += ' {unbalanced "quote';
      }
      return;
    }
    case 'missing-end': {
      for (let k = to - 1; k >= from; k--) {
        const l = lines[k]!;
        if (/^ER\b/.test(l)) {
          lines[k] = '';
          return;
        }
        if (/<\/(PubmedArticle|PubmedBookArticle|record)>/.test(l)) {
          lines[k] = l.replace(/<\/(PubmedArticle|PubmedBookArticle|record)>/, '');
          return;
        }
        if (format === 'bibtex' && /^\s*\}\s*$/.test(l)) {
          lines[k] = '';
          return;
        }
      }
      return;
    }
    case 'truncated-line': {
      const k = at(span);
      const l = lines[k]!;
      lines[k] = l.slice(0, Math.floor(l.length / 2));
      return;
    }
    case 'stray-bytes': {
      const k = at(span);
      const l = lines[k]!;
      const c = Math.floor(l.length / 2);
      lines[k] = `${l.slice(0, c)}\u0000\ufffd\u001b${l.slice(c)}`;
      return;
    }
  }
}

/** XML records found by their tags (some exports are one line): record `d` of `text` damaged. */
function damageXml(text: string, d: number, damage: Damage, pick: number): string {
  const open = /<(PubmedArticle|PubmedBookArticle|record)(?=[\s>])/g;
  let m: RegExpExecArray | null = null;
  for (let i = 0; i <= d; i++) m = open.exec(text);
  if (!m) return text;
  const close = `</${m[1]}>`;
  const s = m.index;
  const e = text.indexOf(close, s);
  if (e < 0) return text;
  const body = text.slice(s, e + close.length);
  let out = body;
  switch (damage) {
    case 'open-brace-or-quote':
      out = body.replace(/(<(?:ArticleTitle|title)\b[^>]*>)/, '$1<i>');
      break;
    case 'missing-end':
      out = body.slice(0, body.length - close.length);
      break;
    case 'truncated-line':
      out = body.slice(0, Math.floor(body.length / 2) + (pick % 50));
      break;
    case 'stray-bytes': {
      const c = Math.floor(body.length / 2) + (pick % 50);
      out = `${body.slice(0, c)}\u0000\ufffd\u001b${body.slice(c)}`;
      break;
    }
  }
  return text.slice(0, s) + out + text.slice(e + close.length);
}

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
    expect(checked).toBeGreaterThan(10);
  }, 60_000);
});
