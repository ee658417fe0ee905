/**
 * Damage put into one record of an export, the same way for the property test
 * (damaged-exports.test.ts) and the counting script (scripts/damaged-exports.ts).
 */
import type { IngestFormat } from '../src/index.ts';

export type Damage = 'open-brace-or-quote' | 'missing-end' | 'truncated-line' | 'stray-bytes';
export const DAMAGE: Damage[] = ['open-brace-or-quote', 'missing-end', 'truncated-line', 'stray-bytes'];

/** The record's lines `from..to` (0-based, `to` exclusive) of `lines` with `damage` put into them. */
export function damageLines(
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
export function damageXml(text: string, d: number, damage: Damage, pick: number): string {
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
