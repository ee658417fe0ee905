/**
 * Matching a bulk-uploaded full text to the report it is the full text of: by DOI (the PDF's
 * document information, then its first pages), then PMID, then title similarity with the year.
 * Pure: the job reads the PDF and the reports, this decides. A confident match attaches; several
 * plausible reports make the file ambiguous (a person picks); none leaves it unmatched.
 */

export interface ReportKey {
  reportId: string;
  title: string;
  year: number | null;
  doi: string | null;
  pmid: string | null;
  /** The report has a full text attached already: a new file for it is not attached unasked. */
  hasFullText?: boolean;
}

export interface FileFacts {
  /** Document information text (Title, Subject, Keywords): DOIs found here come first. */
  metadata: string;
  /** The PDF's title from its document information, when it has one. */
  metaTitle?: string;
  /** Text of its first pages. */
  text: string;
}

export type MatchedBy = 'doi' | 'pmid' | 'title';

export type MatchOutcome =
  | { outcome: 'attached'; reportId: string; matchedBy: MatchedBy }
  | {
      outcome: 'ambiguous';
      candidates: { reportId: string; matchedBy: MatchedBy; score: number }[];
      why: string;
    }
  | { outcome: 'unmatched' };

/** A DOI as registries compare them: case-insensitive, without resolver prefix or trailing punctuation. */
export function normaliseDoi(raw: string): string | null {
  const m = /10\.\d{4,9}\/\S+/i.exec(raw.trim());
  if (!m) return null;
  return m[0].replace(/[.,;:)\]}>'"]+$/, '').toLowerCase();
}

/** Every DOI in a text, in order of appearance, each once. */
export function findDois(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/10\.\d{4,9}\/[^\s"<>]+/gi)) {
    const doi = normaliseDoi(m[0]);
    if (doi && !out.includes(doi)) out.push(doi);
  }
  return out;
}

/** PubMed ids written as such ("PMID: 12345678", "PubMed ID 1234567"), in order, each once. */
export function findPmids(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\bPMID\s*:?\s*(\d{1,9})\b|\bPubMed\s*(?:ID)?\s*:?\s*(\d{6,9})\b/gi)) {
    const id = String(Number(m[1] ?? m[2]));
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** Lower-case words without accents or punctuation. */
export function titleWords(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Dice similarity of two word bags: 1 for the same words, 0 for none shared. */
export function wordDice(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of b) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(w, n - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

interface PreparedFacts {
  metaTitle: string[] | null;
  lines: string[][];
  flat: string;
}
// The file's words are split once however many reports it is compared with.
const prepared = new WeakMap<FileFacts, PreparedFacts>();
function prepare(facts: FileFacts): PreparedFacts {
  let p = prepared.get(facts);
  if (!p) {
    p = {
      metaTitle: facts.metaTitle ? titleWords(facts.metaTitle) : null,
      lines: facts.text.split('\n').slice(0, 12).map(titleWords),
      flat: ` ${titleWords(facts.text).join(' ')} `,
    };
    prepared.set(facts, p);
  }
  return p;
}

/** How similar the report's title is to the file: its metadata title, or the first page's opening lines. */
export function titleScore(reportTitle: string, facts: FileFacts): number {
  const want = titleWords(reportTitle);
  if (want.length < 3) return 0;
  const { metaTitle, lines, flat } = prepare(facts);
  let best = metaTitle ? wordDice(want, metaTitle) : 0;
  // The title is among the first lines of page 1, often wrapped over two or three of them.
  for (let i = 0; i < lines.length; i++) {
    let words: string[] = [];
    for (let j = i; j < Math.min(lines.length, i + 4); j++) {
      words = words.concat(lines[j]!);
      if (words.length > want.length * 2 + 4) break;
      best = Math.max(best, wordDice(want, words));
    }
  }
  // The words of the title, in order, anywhere on the first pages (a title under a journal banner).
  if (flat.includes(` ${want.join(' ')} `)) best = Math.max(best, 0.97);
  return best;
}

/** Similarity at or above which a title alone (with the year agreeing) attaches a file. */
export const TITLE_CONFIDENT = 0.9;
/** Similarity at or above which a report is offered as a candidate. */
export const TITLE_CANDIDATE = 0.6;

/** Indexes the reports sought for retrieval once, for many files. */
export function indexReports(reports: readonly ReportKey[]) {
  const byDoi = new Map<string, ReportKey[]>();
  const byPmid = new Map<string, ReportKey[]>();
  for (const r of reports) {
    const doi = r.doi ? normaliseDoi(r.doi) : null;
    if (doi) byDoi.set(doi, [...(byDoi.get(doi) ?? []), r]);
    const pmid = r.pmid && /^\d+$/.test(r.pmid.trim()) ? String(Number(r.pmid.trim())) : null;
    if (pmid) byPmid.set(pmid, [...(byPmid.get(pmid) ?? []), r]);
  }
  return { reports, byDoi, byPmid };
}
export type ReportIndex = ReturnType<typeof indexReports>;

function yearSeen(year: number | null, facts: FileFacts): boolean {
  if (year === null) return true;
  return new RegExp(`\\b${year}\\b`).test(`${facts.metadata}\n${facts.text}`);
}

function decide(found: ReportKey[], matchedBy: MatchedBy, facts: FileFacts): MatchOutcome {
  const unique = [...new Map(found.map((r) => [r.reportId, r])).values()];
  if (unique.length === 1) {
    const r = unique[0]!;
    if (r.hasFullText)
      return {
        outcome: 'ambiguous',
        candidates: [{ reportId: r.reportId, matchedBy, score: 1 }],
        why: 'This report already has a full text attached.',
      };
    return { outcome: 'attached', reportId: r.reportId, matchedBy };
  }
  // Several reports share the identifier (or the first pages name several): the title decides.
  const scored = unique
    .map((r) => ({ r, score: titleScore(r.title, facts) }))
    .sort((a, b) => b.score - a.score);
  const [top, next] = scored;
  if (top && top.score >= TITLE_CONFIDENT && (!next || next.score < top.score - 0.1) && !top.r.hasFullText)
    return { outcome: 'attached', reportId: top.r.reportId, matchedBy };
  return {
    outcome: 'ambiguous',
    candidates: scored.slice(0, 5).map((s) => ({ reportId: s.r.reportId, matchedBy, score: round(s.score) })),
    why: `Several reports match this file's ${matchedBy === 'doi' ? 'DOI' : matchedBy === 'pmid' ? 'PubMed id' : 'title'}.`,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Decides which report a file is the full text of. */
export function matchFullText(facts: FileFacts, index: ReportIndex): MatchOutcome {
  // The document information names the file's own DOI; the first pages may also cite others.
  const metaDois = findDois(facts.metadata);
  for (const doi of metaDois) {
    const found = index.byDoi.get(doi);
    if (found) return decide(found, 'doi', facts);
  }
  const textDois = findDois(facts.text).filter((d) => !metaDois.includes(d));
  const byDoi = textDois.flatMap((d) => index.byDoi.get(d) ?? []);
  if (byDoi.length > 0) {
    // The first DOI printed is the article's own (header or footer of page 1).
    const first = textDois.find((d) => index.byDoi.has(d))!;
    return decide(index.byDoi.get(first)!, 'doi', facts);
  }
  for (const pmid of findPmids(`${facts.metadata}\n${facts.text}`)) {
    const found = index.byPmid.get(pmid);
    if (found) return decide(found, 'pmid', facts);
  }
  const scored = index.reports
    .map((r) => ({ r, score: titleScore(r.title, facts), year: yearSeen(r.year, facts) }))
    .filter((s) => s.score >= TITLE_CANDIDATE)
    .sort((a, b) => b.score - a.score || Number(b.year) - Number(a.year));
  const [top, next] = scored;
  if (!top) return { outcome: 'unmatched' };
  // A second report as close only stands aside when the year on the file is not its year.
  const clear = !next || next.score < top.score - 0.1 || (top.year && !next.year);
  if (top.score >= TITLE_CONFIDENT && top.year && clear && !top.r.hasFullText)
    return { outcome: 'attached', reportId: top.r.reportId, matchedBy: 'title' };
  return {
    outcome: 'ambiguous',
    candidates: scored
      .slice(0, 5)
      .map((s) => ({ reportId: s.r.reportId, matchedBy: 'title' as const, score: round(s.score) })),
    why:
      top.r.hasFullText && scored.length === 1
        ? 'This report already has a full text attached.'
        : top.score < TITLE_CONFIDENT
          ? 'The title is close to these reports but not the same.'
          : !top.year
            ? `The title matches but the report’s year (${top.r.year}) is not on the file.`
            : 'Several reports have this title.',
  };
}
