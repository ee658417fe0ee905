/**
 * The records library's search syntax, turned into a PostgreSQL tsquery (read by
 * `to_tsquery('english', …)`, so words are stemmed the way the records' search vectors are):
 * words (implicit AND), "phrases", prefixes (`pediatric*`), AND / OR / NOT and parentheses, e.g.
 * `"quality improvement" AND (lean OR "six sigma") NOT pediatric*`. Operators are upper case, as in
 * PubMed and Ovid; lower-case `and`/`or`/`not` are words. Pure: no database here.
 */
import { searchWords } from '@winnow/core';

export type SearchNode =
  | { kind: 'term'; words: string[]; prefix: boolean }
  | { kind: 'and' | 'or'; left: SearchNode; right: SearchNode }
  | { kind: 'not'; operand: SearchNode };

export interface SearchQueryError {
  message: string;
  /** 0-based character offset in the query where the problem is. */
  at: number;
}

type Token =
  | { t: '(' | ')' | 'AND' | 'OR' | 'NOT'; at: number }
  | { t: 'word'; text: string; prefix: boolean; at: number }
  | { t: 'phrase'; text: string; at: number };

function tokenize(q: string): Token[] | SearchQueryError {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/u.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, at: i });
      i++;
    } else if (c === '"' || c === '\u201c' || c === '\u201d') {
      const end = q.slice(i + 1).search(/["\u201c\u201d]/u);
      if (end < 0) return { message: 'a quotation mark is never closed', at: i };
      out.push({ t: 'phrase', text: q.slice(i + 1, i + 1 + end), at: i });
      i += end + 2;
    } else {
      const m = /^[^\s()"\u201c\u201d]+/u.exec(q.slice(i))!;
      const word = m[0];
      if (word === 'AND' || word === 'OR' || word === 'NOT') out.push({ t: word, at: i });
      else {
        const prefix = word.endsWith('*');
        out.push({ t: 'word', text: prefix ? word.replace(/\*+$/u, '') : word, prefix, at: i });
      }
      i += word.length;
    }
  }
  return out;
}

/**
 * Parses a search. `null`: nothing to search for (empty, or only punctuation and operators'
 * operands that hold no word). A mistake gives where it is, in words a reviewer can act on.
 */
export function parseSearchQuery(q: string): { node: SearchNode | null } | { error: SearchQueryError } {
  const tokens = tokenize(q);
  if (!Array.isArray(tokens)) return { error: tokens };
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (message: string, at: number): never => {
    throw Object.assign(new Error(message), { at });
  };
  const endAt = q.length;
  // Where each bracket still open was opened: a `)` that closes one is not a stray bracket.
  const open: number[] = [];

  // Each level returns null for an operand that holds no searchable word (`-`, `"?"`).
  const primary = (): SearchNode | null => {
    const tok = peek();
    if (!tok) return fail('the search ends where a word was expected', endAt);
    if (tok.t === '(') {
      pos++;
      open.push(tok.at);
      const inner = orExpr();
      const close = peek();
      if (close?.t !== ')') return fail('a bracket is opened here and never closed', tok.at);
      open.pop();
      pos++;
      return inner;
    }
    if (tok.t === 'word' || tok.t === 'phrase') {
      pos++;
      const words = searchWords(tok.text);
      if (words.length === 0) return null;
      return { kind: 'term', words, prefix: tok.t === 'word' && tok.prefix };
    }
    if (tok.t === ')')
      return open.length > 0
        ? fail('the brackets opened here hold no word to search for', open[open.length - 1]!)
        : fail('a closing bracket here has no opening bracket', tok.at);
    return fail(`${tok.t} here needs a word or a bracket before it`, tok.at);
  };
  const notExpr = (): SearchNode | null => {
    const tok = peek();
    if (tok?.t === 'NOT') {
      pos++;
      if (!peek()) return fail('NOT at the end of the search needs a word after it', tok.at);
      if (peek()!.t === ')') return fail('NOT here needs a word after it', tok.at);
      const operand = notExpr();
      return operand ? { kind: 'not', operand } : null;
    }
    return primary();
  };
  const join = (kind: 'and' | 'or', left: SearchNode | null, right: SearchNode | null) =>
    left && right ? { kind, left, right } : (left ?? right);
  const andExpr = (): SearchNode | null => {
    let left = notExpr();
    for (;;) {
      const tok = peek();
      if (!tok || tok.t === ')' || tok.t === 'OR') return left;
      if (tok.t === 'AND') {
        pos++;
        if (!peek()) return fail('AND at the end of the search needs a word after it', tok.at);
        if (peek()!.t === ')') return fail('AND here needs a word after it', tok.at);
      }
      left = join('and', left, notExpr());
    }
  };
  const orExpr = (): SearchNode | null => {
    let left = andExpr();
    while (peek()?.t === 'OR') {
      const tok = peek()!;
      pos++;
      if (!peek() || peek()!.t === ')') return fail('OR here needs a word after it', tok.at);
      left = join('or', left, andExpr());
    }
    return left;
  };

  try {
    if (tokens.length === 0) return { node: null };
    const node = orExpr();
    const rest = peek();
    if (rest) return { error: { message: 'a closing bracket here has no opening bracket', at: rest.at } };
    return { node };
  } catch (e) {
    const err = e as Error & { at?: number };
    if (typeof err.at !== 'number') throw e;
    return { error: { message: err.message, at: err.at } };
  }
}

/** A word as a quoted tsquery operand: no user text is read as an operator. */
const quoted = (w: string): string => `'${w.replace(/['\\]/g, (c) => c + c)}'`;

/**
 * The node as tsquery text. `widen` gives the words a prefix (`sustainab*`) stands for: each is
 * searched as that word would be. The stemmer stores `sustainability` as `sustain`, shorter than
 * the typed beginning, so the prefix alone (`'sustainab':*`) would find none of them.
 */
export function toTsquery(node: SearchNode, widen: (prefix: string) => readonly string[] = () => []): string {
  switch (node.kind) {
    case 'term': {
      const lexemes = node.words.map((w, i) => {
        if (!node.prefix || i !== node.words.length - 1) return quoted(w);
        const words = widen(w).filter((x) => x !== w);
        return words.length === 0
          ? `${quoted(w)}:*`
          : `(${[`${quoted(w)}:*`, ...words.map(quoted)].join(' | ')})`;
      });
      return lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' <-> ')})`;
    }
    case 'not':
      return `!${toTsquery(node.operand, widen)}`;
    default:
      return `(${toTsquery(node.left, widen)} ${node.kind === 'and' ? '&' : '|'} ${toTsquery(node.right, widen)})`;
  }
}

/** The beginnings of words a search's prefixes (`pediatric*`) name, each once. */
export function searchPrefixes(node: SearchNode | null): string[] {
  if (!node) return [];
  if (node.kind === 'term') return node.prefix ? [node.words[node.words.length - 1]!] : [];
  if (node.kind === 'not') return searchPrefixes(node.operand);
  return [...new Set([...searchPrefixes(node.left), ...searchPrefixes(node.right)])];
}

/** The words to highlight in results: every term not under a NOT. */
export function positiveTerms(node: SearchNode | null, negated = false): string[] {
  if (!node) return [];
  if (node.kind === 'term') return negated ? [] : [node.words.join(' ') + (node.prefix ? '*' : '')];
  if (node.kind === 'not') return positiveTerms(node.operand, !negated);
  return [...positiveTerms(node.left, negated), ...positiveTerms(node.right, negated)];
}
