/**
 * Record counts of every corpus export as it is and with one damaged record in the middle
 * (damage as in packages/ingest/test/damaged-exports.test.ts). `node --import tsx scripts/damaged-exports.ts`
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeBytes, parseText, type IngestFormat } from '../packages/ingest/src/index.ts';

const corpus = path.resolve(import.meta.dirname, '../../shared/corpus');
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
