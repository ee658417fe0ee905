import type { Comparison } from './similarity.ts';

/** certain: merged automatically; uncertain: a reviewer decides; distinct: different reports. */
export type Tier = 'certain' | 'uncertain' | 'distinct';

export interface Verdict {
  tier: Tier;
  /** 0..1, for ordering the review queue and for display; the tier, not the score, decides. */
  score: number;
  /** Human-readable: the evidence for and against, e.g. `same DOI; title 98% similar; first pages differ`. */
  reason: string;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function score(c: Comparison): number {
  let s = 0.45 * c.title;
  s += 0.2 * (c.authors ? c.authors.overlap : 0.5);
  s +=
    c.doi === 'same' || c.pmid === 'same' ? 0.15 : c.doi === 'different' || c.pmid === 'different' ? 0 : 0.07;
  const fields = [c.volume, c.startPage, c.journal, c.issue];
  s +=
    (0.2 * fields.filter((f) => f === 'same').length + 0.1 * fields.filter((f) => f === 'missing').length) /
    fields.length;
  if (c.yearGap !== null && c.yearGap > 1) s -= 0.1;
  s -= 0.03 * c.weak.length;
  return Math.max(0, Math.min(1, Math.round(s * 1000) / 1000));
}

/**
 * The scoring rule. Automatic merges need a near-identical title, compatible authors and at least
 * one independent bibliographic detail that agrees, with nothing that contradicts: a record pair
 * that differs in DOI, PMID, volume, first page, year (beyond the one-year epub/print shift) or
 * report kind is at most `uncertain`, however similar the titles.
 */
export function classify(c: Comparison): Verdict {
  const evidence: string[] = [];
  const against: string[] = [];
  const idSame = c.doi === 'same' || c.pmid === 'same';
  if (c.doi === 'same') evidence.push('same DOI');
  if (c.pmid === 'same') evidence.push('same PMID');
  evidence.push(`title ${pct(c.title)} similar`);
  if (c.authors) {
    const found = Math.round(c.authors.overlap * c.authors.compared);
    (c.authors.overlap >= 0.5 ? evidence : against).push(`${found}/${c.authors.compared} authors match`);
  } else evidence.push('authors missing on one side');
  const corroborating = (['journal', 'volume', 'issue', 'startPage'] as const).filter((f) => c[f] === 'same');
  if (corroborating.length > 0)
    evidence.push(`same ${corroborating.map((f) => (f === 'startPage' ? 'first page' : f)).join(', ')}`);
  if (c.yearGap === 1) evidence.push('years 1 apart (epub vs print)');

  const authorsOk = c.authors === null || c.authors.overlap >= 0.5;
  const titleMatch = c.title >= 0.95 || c.titleContained;
  const samePlace = c.volume === 'same' && c.startPage === 'same';
  // Contradictions, each with the bibliographic reason it may be harmless.
  if (c.doi === 'different') {
    // A mistyped DOI (wrong ISSN part) on an otherwise identical citation.
    const doiError =
      c.title >= 0.95 &&
      c.authors !== null &&
      c.authors.overlap >= 0.8 &&
      c.journal === 'same' &&
      samePlace &&
      c.issue !== 'different';
    (doiError ? evidence : against).push(
      doiError ? 'DOIs differ but journal, volume and pages agree (DOI error)' : 'DOIs differ',
    );
  }
  if (c.pmid === 'different') against.push('PMIDs differ');
  if (c.yearGap !== null && c.yearGap > 1) against.push(`years ${c.yearGap} apart`);
  if (c.volume === 'different') against.push('volumes differ');
  if (c.startPage === 'different') {
    // Ahead-of-print records carry provisional pages and no volume.
    const aheadOfPrint =
      c.doi === 'same' &&
      c.volume === 'missing' &&
      titleMatch &&
      c.authors !== null &&
      c.authors.overlap >= 0.8;
    (aheadOfPrint ? evidence : against).push(
      aheadOfPrint ? 'first pages differ (ahead of print, same DOI)' : 'first pages differ',
    );
  }
  // Author names garbled by one database (given and family swapped) on an otherwise identical citation.
  const authorsGarbled = !authorsOk && idSame && c.title >= 0.95 && samePlace;
  if (authorsGarbled) evidence.push(`author names written differently (${against.splice(0, 1)[0] ?? ''})`);
  const authorsAccepted = authorsOk || authorsGarbled;
  const s = score(c);
  const say = (tier: Tier, lead: string): Verdict => ({
    tier,
    score: s,
    reason: [lead, ...evidence, ...c.weak.map((x) => `though ${x}`), ...against.map((x) => `but ${x}`)].join(
      '; ',
    ),
  });

  // Scopus labels some journal articles "Conference Paper": one DOI and one pagination is one document.
  const relabelled =
    c.kindConflict === 'conference paper vs journal article' &&
    c.doi === 'same' &&
    samePlace &&
    against.length === 0;
  if (relabelled) evidence.push('one database calls it a conference paper, but DOI, volume and pages agree');
  if (c.kindConflict && !relabelled) {
    if (c.title >= 0.85 || c.titleContained || idSame)
      return say('uncertain', `${c.kindConflict}: never merged automatically`);
    return say('distinct', c.kindConflict);
  }
  const looksSame = ((c.title >= 0.85 || c.titleContained) && authorsAccepted) || (idSame && c.title >= 0.6);
  if (against.length > 0)
    return looksSame && (titleMatch || c.title >= 0.9 || idSame)
      ? say('uncertain', 'possibly a different report with the same title')
      : say('distinct', 'different reports');

  const genericTitle = c.titleWords < 4;
  if (idSame && (c.title >= 0.8 || c.titleContained) && authorsAccepted && !(genericTitle && c.title < 1))
    return say('certain', 'duplicate');
  // A title that is only contained in the other needs more agreeing detail than a near-identical one.
  const needed = c.authors === null || genericTitle || c.title < 0.95 ? 2 : 1;
  const leadAuthorOk = c.authors === null || c.authors.firstSame || c.authors.overlap >= 0.8;
  // Abstracts of one supplement share journal and volume: without the same first page, only the
  // same title (after folding) tells one abstract from its neighbour (`52-week` / `104-week results`).
  const placeKnown = !c.abstracts || c.startPage === 'same' || c.title === 1;
  if (titleMatch && authorsOk && leadAuthorOk && corroborating.length >= needed && placeKnown)
    return say('certain', 'duplicate');
  if (looksSame)
    return say('uncertain', 'likely duplicate, not enough agreeing detail to merge automatically');
  return say('distinct', 'different reports');
}
