import { describe, expect, it } from 'vitest';
import { rowEntries } from './sparse.ts';
import { fitTfidf, transformTfidf } from './tfidf.ts';

describe('fitTfidf', () => {
  // Hand computation, n = 2 documents, unigrams only, no df cut:
  //   "aa bb bb"  tf: aa 1, bb 2      "aa cc"  tf: aa 1, cc 1
  //   idf(aa) = ln(3/3) + 1 = 1;  idf(bb) = idf(cc) = ln(3/2) + 1 = 1.405465108
  //   sublinear tf(bb) = 1 + ln 2 = 1.693147181
  //   doc 0: aa 1, bb 1.693147181 * 1.405465108 = 2.379659;  norm sqrt(1 + 5.662777) = 2.581236
  //          -> aa 0.387412, bb 0.921907
  //   doc 1: aa 1, cc 1.405465;  norm sqrt(1 + 1.975332) = 1.724915 -> aa 0.579739, cc 0.814802
  it('matches hand-computed sublinear TF-IDF with L2-normalised rows', () => {
    const m = fitTfidf(['aa bb bb', 'aa cc'], { maxN: 1, maxDf: 1 });
    expect([...m.vocabulary.keys()]).toEqual(['aa', 'bb', 'cc']);
    expect(m.idf[0]).toBeCloseTo(1, 9);
    expect(m.idf[1]).toBeCloseTo(1.405465108, 8);
    const r0 = rowEntries(m.matrix, 0);
    const r1 = rowEntries(m.matrix, 1);
    expect(r0.get(0)).toBeCloseTo(0.387412, 5);
    expect(r0.get(1)).toBeCloseTo(0.921907, 5);
    expect(r0.has(2)).toBe(false);
    expect(r1.get(0)).toBeCloseTo(0.579739, 5);
    expect(r1.get(2)).toBeCloseTo(0.814802, 5);
  });

  it('uses raw counts without sublinear tf', () => {
    // doc 0: aa 1, bb 2 * 1.405465 = 2.810930; norm 2.983505 -> bb 0.942158
    const m = fitTfidf(['aa bb bb', 'aa cc'], { maxN: 1, maxDf: 1, sublinearTf: false });
    expect(rowEntries(m.matrix, 0).get(1)).toBeCloseTo(0.942158, 5);
  });

  it('drops terms above max_df and adds bigrams', () => {
    // "aa" is in 2 of 2 documents (100% > 95%): dropped. Bigrams "aa bb", "aa cc" stay.
    const m = fitTfidf(['aa bb', 'aa cc']);
    expect([...m.vocabulary.keys()]).toEqual(['aa bb', 'aa cc', 'bb', 'cc']);
    // doc 0 has "aa bb" and "bb", both idf ln(3/2)+1, tf 1: each 1/sqrt 2.
    const r0 = rowEntries(m.matrix, 0);
    expect(r0.get(0)).toBeCloseTo(Math.SQRT1_2, 9);
    expect(r0.get(2)).toBeCloseTo(Math.SQRT1_2, 9);
  });

  it('orders columns alphabetically, bigrams among words, as scikit-learn does', () => {
    // "aa" is a prefix of "aab": "aa" < "aa aab" < "aa zz" < "aab" < "aab aa" < "zz" (space sorts first).
    const m = fitTfidf(['aab aa zz', 'aa aab'], { maxDf: 1 });
    const terms = ['aa', 'aa aab', 'aa zz', 'aab', 'aab aa', 'zz'];
    expect([...m.vocabulary.keys()]).toEqual(terms);
    expect([...m.vocabulary.keys()]).toEqual([...terms].sort());
    // Row 1 ("aa aab") has aa, aab (df 2, idf 1) and "aa aab" (df 1, idf ln(3/2) + 1 = 1.405465):
    // norm sqrt(1 + 1 + 1.975332) = 1.993823 -> aa 0.501549, "aa aab" 0.704909, columns ascending.
    const r1 = rowEntries(m.matrix, 1);
    expect([...r1.keys()]).toEqual([0, 1, 3]);
    expect(r1.get(0)).toBeCloseTo(0.501549, 5);
    expect(r1.get(1)).toBeCloseTo(0.704909, 5);
  });

  it('keeps the matrix sparse: a record with no kept term is an empty row', () => {
    const m = fitTfidf(['aa bb', 'aa cc', 'x']);
    expect(m.matrix.indptr[3]! - m.matrix.indptr[2]!).toBe(0);
    expect(m.matrix.indices.length).toBe(m.matrix.data.length);
  });

  it('transforms new text with the fitted vocabulary', () => {
    const m = fitTfidf(['aa bb bb', 'aa cc'], { maxN: 1, maxDf: 1 });
    const t = transformTfidf(m, ['aa bb bb zz'], { maxN: 1 });
    expect(rowEntries(t, 0).get(1)).toBeCloseTo(0.921907, 5);
  });

  // drugClasses, n = 2, no df cut: "enalapril vs losartan" and "captopril".
  //   doc 0 terms: enalapril, vs, losartan, "enalapril vs", "vs losartan", class terms -pril and
  //   -sartan, and the class-stream bigram "-pril -sartan"; doc 1: captopril and -pril.
  //   idf(-pril) = ln(3/3) + 1 = 1 (both records); every other term ln(3/2) + 1 = 1.405465108.
  //   doc 0: norm sqrt(1 + 7 * 1.975332) = 3.850627 -> -pril 0.259698, each other term 0.364997
  //   doc 1: -pril 0.579739, captopril 0.814802 (as "aa cc" above)
  it('adds drug-class terms and class-stream bigrams, never pairing a class with a word', () => {
    const m = fitTfidf(['enalapril vs losartan', 'captopril'], { maxDf: 1, drugClasses: true });
    expect([...m.vocabulary.keys()]).toEqual([
      '-pril',
      '-pril -sartan',
      '-sartan',
      'captopril',
      'enalapril',
      'enalapril vs',
      'losartan',
      'vs',
      'vs losartan',
    ]);
    const r0 = rowEntries(m.matrix, 0);
    expect(r0.size).toBe(8);
    expect(r0.get(0)).toBeCloseTo(0.259698, 5);
    for (const col of [1, 2, 4, 5, 6, 7, 8]) expect(r0.get(col)).toBeCloseTo(0.364997, 5);
    const r1 = rowEntries(m.matrix, 1);
    expect(r1.get(0)).toBeCloseTo(0.579739, 5);
    expect(r1.get(3)).toBeCloseTo(0.814802, 5);
    // Off by default: the same texts give words only.
    expect([
      ...fitTfidf(['enalapril vs losartan', 'captopril'], { maxDf: 1 }).vocabulary.keys(),
    ]).not.toContain('-pril');
  });

  it('transforms text with drug classes exactly as the fit did', () => {
    const texts = ['Enalapril versus losartan after infarction', 'captopril and enalapril', 'placebo'];
    const m = fitTfidf(texts, { maxDf: 1, drugClasses: true });
    const t = transformTfidf(m, texts, { drugClasses: true });
    for (let i = 0; i < texts.length; i++) {
      const fit = rowEntries(m.matrix, i);
      const again = rowEntries(t, i);
      expect([...again.keys()]).toEqual([...fit.keys()]);
      for (const [col, v] of fit) expect(again.get(col)).toBeCloseTo(v, 12);
    }
  });
});
