import { WinnowError } from '@winnow/core';
import { drugClassOf } from './drug-stems.ts';
import type { CsrMatrix } from './sparse.ts';
import { ngrams, tokenise } from './tokenise.ts';

export interface TfidfOptions {
  /** Largest n-gram (1 or 2). */
  maxN: 1 | 2;
  /** tf -> 1 + ln(tf), so a word repeated ten times does not outweigh ten different words. */
  sublinearTf: boolean;
  /** Drop terms found in more than this share of records (corpus-specific stop words). */
  maxDf: number;
  /** Drop terms found in fewer records than this. */
  minDf: number;
  /**
   * Add drug-class terms (see drug-stems.ts): every word that ends in a class's INN stem also
   * counts as the class term ("enalapril" -> "-pril"), and the record's class mentions in text
   * order form a second, short stream whose adjacent pairs are bigrams too ("-pril -sartan": an
   * ACE inhibitor named next to an angiotensin II antagonist). Class terms never pair with words.
   */
  drugClasses: boolean;
}

export const DEFAULT_TFIDF: TfidfOptions = {
  maxN: 2,
  sublinearTf: true,
  maxDf: 0.95,
  minDf: 1,
  drugClasses: false,
};

export interface TfidfModel {
  readonly vocabulary: Map<string, number>;
  readonly idf: Float64Array;
  readonly matrix: CsrMatrix;
}

/**
 * Fits TF-IDF on all records of a review at once (the features are unsupervised, so using every
 * record is fair) and returns the L2-normalised record x term matrix.
 * idf = ln((1 + n) / (1 + df)) + 1, as scikit-learn's smooth idf, so the figures stay comparable.
 *
 * Written for speed (10,000 records with bigrams in about a second): words get integer ids
 * (and their unigram term) from one Map, a bigram is a pair of word ids in an open-addressing hash table (no joined
 * strings), each record becomes (term id, count) pairs in flat typed arrays, and document
 * frequencies are counted with a "last record seen" mark per term, so no per-term or per-record
 * objects are made. Columns follow the terms' alphabetical order (as scikit-learn's), derived from
 * the words' order without comparing bigram strings.
 */
export function fitTfidf(texts: readonly string[], options: Partial<TfidfOptions> = {}): TfidfModel {
  const o = { ...DEFAULT_TFIDF, ...options };
  if (!(o.maxDf > 0 && o.maxDf <= 1))
    throw new WinnowError('VALIDATION', `maxDf must be in (0, 1], got ${o.maxDf}`);
  const n = texts.length;
  // Pass 1: provisional term ids (order of first sight) and per-record (id, count) pairs.
  const wordIds = new Map<string, number>();
  const words: string[] = [];
  /** Term id of each word as a unigram. */
  const wordTerm: number[] = [];
  /** Word id of each word's drug class, -1 for none: class terms ("-pril") are words no token can be. */
  const wordClass: number[] = [];
  const addWord = (word: string): number => {
    const w = words.length;
    wordIds.set(word, w);
    words.push(word);
    wordTerm.push(terms.add(w, -1));
    wordClass.push(-1);
    return w;
  };
  const pairs = new PairTable();
  const terms = new Terms();
  const counts = new Pairs();
  const start = new Int32Array(n + 1);
  let tokenIds = new Int32Array(256);
  let classIds = new Int32Array(64);
  const see = (id: number, d: number) => {
    if (terms.seenIn[id] === d) counts.value[terms.slot[id]!]!++;
    else {
      terms.seenIn[id] = d;
      terms.slot[id] = counts.length;
      terms.df[id]!++;
      counts.push(id, 1);
    }
  };
  const seeBigram = (a: number, b: number, d: number) => {
    let id = pairs.get(a, b);
    if (id < 0) pairs.set(a, b, (id = terms.add(a, b)));
    see(id, d);
  };
  for (let d = 0; d < n; d++) {
    start[d] = counts.length;
    const tokens = tokenise(texts[d]!);
    if (tokens.length > tokenIds.length) tokenIds = new Int32Array(tokens.length * 2);
    let classes = 0;
    for (let t = 0; t < tokens.length; t++) {
      const word = tokens[t]!;
      let w = wordIds.get(word);
      if (w === undefined) {
        w = addWord(word);
        const cls = o.drugClasses ? drugClassOf(word) : null;
        if (cls !== null) wordClass[w] = wordIds.get(cls) ?? addWord(cls);
      }
      tokenIds[t] = w;
      see(wordTerm[w]!, d);
      const c = wordClass[w]!;
      if (c >= 0) {
        see(wordTerm[c]!, d);
        if (classes === classIds.length) classIds = grow(classIds, 0);
        classIds[classes++] = c;
      }
    }
    if (o.maxN === 2) {
      for (let t = 0; t + 1 < tokens.length; t++) seeBigram(tokenIds[t]!, tokenIds[t + 1]!, d);
      for (let t = 0; t + 1 < classes; t++) seeBigram(classIds[t]!, classIds[t + 1]!, d);
    }
  }
  start[n] = counts.length;
  // Pass 2: keep terms inside the df window, in alphabetical order. Word characters (and the "-"
  // of class terms) all sort after the space, so "a b" sorts by (rank of a, then rank of b) with
  // the word "a" itself first.
  const wordOrder = words.map((_, i) => i).sort((x, y) => (words[x]! < words[y]! ? -1 : 1));
  const rank = new Int32Array(words.length);
  wordOrder.forEach((w, r) => (rank[w] = r));
  const maxDocs = o.maxDf * n;
  const byFirst: number[][] = Array.from({ length: words.length }, () => []);
  for (let id = 0; id < terms.length; id++) {
    const f = terms.df[id]!;
    if (f <= maxDocs && f >= o.minDf) byFirst[rank[terms.first[id]!]!]!.push(id);
  }
  const second = (id: number) => (terms.second[id]! < 0 ? -1 : rank[terms.second[id]!]!);
  const remap = new Int32Array(terms.length).fill(-1);
  const kept: number[] = [];
  for (const group of byFirst) {
    if (group.length > 1) group.sort((x, y) => second(x) - second(y));
    for (const id of group) {
      remap[id] = kept.length;
      kept.push(id);
    }
  }
  const idf = new Float64Array(kept.length);
  for (let col = 0; col < kept.length; col++) idf[col] = Math.log((1 + n) / (1 + terms.df[kept[col]!]!)) + 1;
  const matrix = buildRows(start, counts, remap, idf, kept.length, o.sublinearTf);
  let vocabulary: Map<string, number> | undefined;
  return {
    idf,
    matrix,
    // Built on first use only (transforming new text): half a million strings cost more than the fit.
    get vocabulary() {
      if (!vocabulary) {
        vocabulary = new Map();
        for (let col = 0; col < kept.length; col++) {
          const id = kept[col]!;
          const b = terms.second[id]!;
          const a = words[terms.first[id]!]!;
          vocabulary.set(b < 0 ? a : `${a} ${words[b]!}`, col);
        }
      }
      return vocabulary;
    },
  };
}

/** Transforms new texts with a fitted vocabulary (terms outside it are ignored). */
export function transformTfidf(
  model: Pick<TfidfModel, 'vocabulary' | 'idf'>,
  texts: readonly string[],
  options: Partial<TfidfOptions> = {},
): CsrMatrix {
  const o = { ...DEFAULT_TFIDF, ...options };
  const cols = model.idf.length;
  const seenIn = new Int32Array(cols).fill(-1);
  const slot = new Int32Array(cols);
  const counts = new Pairs();
  const start = new Int32Array(texts.length + 1);
  for (let d = 0; d < texts.length; d++) {
    start[d] = counts.length;
    const tokens = tokenise(texts[d]!);
    const classes = o.drugClasses ? tokens.map(drugClassOf).filter((c) => c !== null) : [];
    for (const term of [...ngrams(tokens, o.maxN), ...ngrams(classes, o.maxN)]) {
      const id = model.vocabulary.get(term);
      if (id === undefined) continue;
      if (seenIn[id] === d) counts.value[slot[id]!]!++;
      else {
        seenIn[id] = d;
        slot[id] = counts.length;
        counts.push(id, 1);
      }
    }
  }
  start[texts.length] = counts.length;
  const identity = Int32Array.from({ length: cols }, (_, i) => i);
  return buildRows(start, counts, identity, model.idf, cols, o.sublinearTf);
}

/** Per-term columns: the word ids of the term (second -1 for a single word) and counting state. */
class Terms {
  first = new Int32Array(1024);
  second = new Int32Array(1024);
  df = new Int32Array(1024);
  seenIn = new Int32Array(1024).fill(-1);
  slot = new Int32Array(1024);
  length = 0;
  add(first: number, second: number): number {
    if (this.length === this.first.length) {
      this.first = grow(this.first, 0);
      this.second = grow(this.second, 0);
      this.df = grow(this.df, 0);
      this.seenIn = grow(this.seenIn, -1);
      this.slot = grow(this.slot, 0);
    }
    this.first[this.length] = first;
    this.second[this.length] = second;
    return this.length++;
  }
}

/**
 * Open-addressing hash table (linear probing) from a pair of ints, each >= -1, to a term id >= 0.
 * Keys and value share one array, three ints a slot, so a probe touches one cache line.
 */
class PairTable {
  private slots = new Int32Array(3 << 12).fill(-1);
  private capacity = 1 << 12;
  private size = 0;
  private slotOf(a: number, b: number): number {
    const mask = this.capacity - 1;
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    let i = h & mask;
    const s = this.slots;
    while (s[3 * i + 2]! >= 0 && (s[3 * i] !== a || s[3 * i + 1] !== b)) i = (i + 1) & mask;
    return i;
  }
  get(a: number, b: number): number {
    return this.slots[3 * this.slotOf(a, b) + 2]!;
  }
  set(a: number, b: number, v: number): void {
    if (2 * (this.size + 1) > this.capacity) this.rehash();
    const i = 3 * this.slotOf(a, b);
    if (this.slots[i + 2]! < 0) this.size++;
    this.slots[i] = a;
    this.slots[i + 1] = b;
    this.slots[i + 2] = v;
  }
  private rehash(): void {
    const old = this.slots;
    this.capacity *= 2;
    this.slots = new Int32Array(3 * this.capacity).fill(-1);
    for (let i = 0; i < old.length; i += 3) {
      if (old[i + 2]! < 0) continue;
      const j = 3 * this.slotOf(old[i]!, old[i + 1]!);
      this.slots[j] = old[i]!;
      this.slots[j + 1] = old[i + 1]!;
      this.slots[j + 2] = old[i + 2]!;
    }
  }
}

/** A growable list of (term id, count) pairs in two typed arrays. */
class Pairs {
  id = new Int32Array(4096);
  value = new Int32Array(4096);
  length = 0;
  push(id: number, value: number): void {
    if (this.length === this.id.length) {
      this.id = grow(this.id, 0);
      this.value = grow(this.value, 0);
    }
    this.id[this.length] = id;
    this.value[this.length++] = value;
  }
}

function grow(a: Int32Array, fill: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/**
 * CSR rows from each record's (id, count) pairs: columns ascending, L2-normalised values. Columns
 * are put in order by a counting sort through the transpose (bucket the entries by column, then
 * read the buckets back out row by row), linear in the non-zeros.
 */
function buildRows(
  start: Int32Array,
  counts: Pairs,
  remap: Int32Array,
  idf: Float64Array,
  cols: number,
  sublinear: boolean,
): CsrMatrix {
  const rows = start.length - 1;
  const indptr = new Int32Array(rows + 1);
  const colPtr = new Int32Array(cols + 1);
  for (let d = 0; d < rows; d++) {
    let k = 0;
    for (let p = start[d]!; p < start[d + 1]!; p++) {
      const col = remap[counts.id[p]!]!;
      if (col >= 0) {
        k++;
        colPtr[col + 1]!++;
      }
    }
    indptr[d + 1] = indptr[d]! + k;
  }
  for (let c = 0; c < cols; c++) colPtr[c + 1]! += colPtr[c]!;
  const nnz = indptr[rows]!;
  // Column-major pass: entries bucketed by column, rows ascending inside each bucket.
  const cscRow = new Int32Array(nnz);
  const cscValue = new Float64Array(nnz);
  const fill = colPtr.slice(0, cols);
  const norms = new Float64Array(rows);
  for (let d = 0; d < rows; d++) {
    let norm = 0;
    for (let p = start[d]!; p < start[d + 1]!; p++) {
      const col = remap[counts.id[p]!]!;
      if (col < 0) continue;
      const tf = counts.value[p]!;
      const v = (sublinear ? 1 + Math.log(tf) : tf) * idf[col]!;
      norm += v * v;
      const q = fill[col]!++;
      cscRow[q] = d;
      cscValue[q] = v;
    }
    norms[d] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }
  // Row-major again: reading columns in order leaves every row's columns ascending.
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  const next = indptr.slice(0, rows);
  for (let c = 0; c < cols; c++) {
    for (let q = colPtr[c]!; q < colPtr[c + 1]!; q++) {
      const d = cscRow[q]!;
      const p = next[d]!++;
      indices[p] = c;
      data[p] = cscValue[q]! * norms[d]!;
    }
  }
  return { rows, cols, indptr, indices, data };
}
