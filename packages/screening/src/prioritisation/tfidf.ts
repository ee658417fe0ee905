import { WinnowError } from '@winnow/core';
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
}

export const DEFAULT_TFIDF: TfidfOptions = { maxN: 2, sublinearTf: true, maxDf: 0.95, minDf: 1 };

export interface TfidfModel {
  readonly vocabulary: Map<string, number>;
  readonly idf: Float64Array;
  readonly matrix: CsrMatrix;
}

/**
 * Fits TF-IDF on all records of a review at once (the features are unsupervised, so using every
 * record is fair) and returns the L2-normalised record x term matrix.
 * idf = ln((1 + n) / (1 + df)) + 1, as scikit-learn's smooth idf, so the figures stay comparable.
 */
export function fitTfidf(texts: readonly string[], options: Partial<TfidfOptions> = {}): TfidfModel {
  const o = { ...DEFAULT_TFIDF, ...options };
  if (!(o.maxDf > 0 && o.maxDf <= 1))
    throw new WinnowError('VALIDATION', `maxDf must be in (0, 1], got ${o.maxDf}`);
  const n = texts.length;
  // Pass 1: provisional term ids and per-record counts.
  const provisional = new Map<string, number>();
  const df: number[] = [];
  const docs: Map<number, number>[] = new Array(n);
  for (let d = 0; d < n; d++) {
    const counts = new Map<number, number>();
    for (const term of ngrams(tokenise(texts[d]!), o.maxN)) {
      let id = provisional.get(term);
      if (id === undefined) {
        id = provisional.size;
        provisional.set(term, id);
        df.push(0);
      }
      const c = counts.get(id);
      if (c === undefined) {
        counts.set(id, 1);
        df[id]!++;
      } else counts.set(id, c + 1);
    }
    docs[d] = counts;
  }
  // Pass 2: keep terms inside the df window; sorted so column order does not depend on record order.
  const maxDocs = o.maxDf * n;
  const kept = [...provisional.entries()].filter(([, id]) => df[id]! <= maxDocs && df[id]! >= o.minDf);
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const remap = new Int32Array(provisional.size).fill(-1);
  const vocabulary = new Map<string, number>();
  const idf = new Float64Array(kept.length);
  kept.forEach(([term, id], col) => {
    remap[id] = col;
    vocabulary.set(term, col);
    idf[col] = Math.log((1 + n) / (1 + df[id]!)) + 1;
  });
  return { vocabulary, idf, matrix: buildRows(docs, remap, idf, kept.length, o.sublinearTf) };
}

/** Transforms new texts with a fitted vocabulary (terms outside it are ignored). */
export function transformTfidf(
  model: Pick<TfidfModel, 'vocabulary' | 'idf'>,
  texts: readonly string[],
  options: Partial<TfidfOptions> = {},
): CsrMatrix {
  const o = { ...DEFAULT_TFIDF, ...options };
  const docs = texts.map((t) => {
    const counts = new Map<number, number>();
    for (const term of ngrams(tokenise(t), o.maxN)) {
      const id = model.vocabulary.get(term);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  });
  const identity = Int32Array.from({ length: model.idf.length }, (_, i) => i);
  return buildRows(docs, identity, model.idf, model.idf.length, o.sublinearTf);
}

function buildRows(
  docs: readonly Map<number, number>[],
  remap: Int32Array,
  idf: Float64Array,
  cols: number,
  sublinear: boolean,
): CsrMatrix {
  const indptr = new Int32Array(docs.length + 1);
  let nnz = 0;
  for (let d = 0; d < docs.length; d++) {
    for (const id of docs[d]!.keys()) if (remap[id]! >= 0) nnz++;
    indptr[d + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  for (let d = 0; d < docs.length; d++) {
    const entries: [number, number][] = [];
    for (const [id, tf] of docs[d]!) {
      const col = remap[id]!;
      if (col >= 0) entries.push([col, (sublinear ? 1 + Math.log(tf) : tf) * idf[col]!]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    let norm = 0;
    for (const [, v] of entries) norm += v * v;
    norm = Math.sqrt(norm);
    let p = indptr[d]!;
    for (const [col, v] of entries) {
      indices[p] = col;
      data[p++] = norm > 0 ? v / norm : 0;
    }
  }
  return { rows: docs.length, cols, indptr, indices, data };
}
