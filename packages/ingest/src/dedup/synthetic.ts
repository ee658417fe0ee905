import type { Author, NormalisedRecord } from '../record.types.ts';
import type { DedupInput } from './dedupe.types.ts';

/**
 * Generated collections for the benchmark: reports described by one to three databases, each
 * with its own habits (journal abbreviations, author forms, page ranges, DOI kept or not, title
 * case and punctuation, epub year). Deterministic for a seed.
 */
export function generateCollection(
  n: number,
  seed: number,
): { inputs: DedupInput[]; reportOf: Map<string, number> } {
  const inputs: DedupInput[] = [];
  const reportOf = new Map<string, number>();
  for (const { input, report } of generateRecords(n, seed)) {
    inputs.push(input);
    reportOf.set(input.id, report);
  }
  return { inputs, reportOf };
}

/**
 * Where the generator stood at the start of a report: resuming there gives the same records again
 * (issue 18: a streamed bench reads records twice, as a dedup run reads the database twice,
 * without holding a million of them).
 */
export interface GeneratorMark {
  state: number;
  report: number;
  position: number;
}

/**
 * The records of `generateCollection`, one at a time, with the report each describes (ids
 * `g1`, `g2`, ... by position). From `mark` it resumes where that mark was taken; `onMark` is
 * given a mark at the start of every report.
 */
export function* generateRecords(
  n: number,
  seed: number,
  mark?: GeneratorMark,
  onMark?: (mark: GeneratorMark) => void,
): Generator<{ input: DedupInput; report: number }> {
  const rng = mulberry32(seed);
  const rnd = rng.next;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const vocab = Array.from({ length: 6000 }, () => word(rnd, 3, 11));
  const surnames = Array.from({ length: 20000 }, () => capitalise(word(rnd, 4, 10)));
  const given = Array.from({ length: 400 }, () => capitalise(word(rnd, 3, 8)));
  const journals = Array.from({ length: 3000 }, () => {
    const words = Array.from({ length: 2 + Math.floor(rnd() * 4) }, () => capitalise(word(rnd, 5, 12)));
    return {
      full: `Journal of ${words.join(' ')}`,
      abbrev: `J ${words.map((w) => w.slice(0, 3 + Math.floor(rnd() * 3))).join(' ')}`,
    };
  });
  let report = 0;
  let position = 0;
  if (mark) {
    rng.state = mark.state;
    report = mark.report;
    position = mark.position;
  }
  while (position < n) {
    onMark?.({ state: rng.state, report, position });
    report++;
    const title = Array.from({ length: 6 + Math.floor(rnd() * 12) }, () => pick(vocab)).join(' ');
    const authors = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => ({
      family: pick(surnames),
      given: [pick(given), rnd() < 0.4 ? pick(given) : ''].filter(Boolean),
    }));
    const journal = pick(journals);
    const year = 1990 + Math.floor(rnd() * 35);
    const volume = String(1 + Math.floor(rnd() * 120));
    const issue = String(1 + Math.floor(rnd() * 12));
    const start = 1 + Math.floor(rnd() * 1500);
    const end = start + 2 + Math.floor(rnd() * 15);
    const doi = `10.${1000 + Math.floor(rnd() * 8000)}/${word(rnd, 3, 6)}.${year}.${Math.floor(rnd() * 1e6)}`;
    // Most reports appear in one database; about a quarter in two or three (typical overlap).
    const copies = Math.min(n - position, rnd() < 0.75 ? 1 : rnd() < 0.7 ? 2 : 3);
    for (let c = 0; c < copies; c++) {
      const id = `g${position + 1}`;
      const style = c === 0 ? 'medline' : pick(['embase', 'scopus', 'wos'] as const);
      const record: NormalisedRecord = {
        title: noisyTitle(title, rnd, c > 0),
        authors: authors.map((a) => authorAs(a, style)),
        year: c > 0 && rnd() < 0.1 ? year - 1 : year,
        journal: style === 'medline' || style === 'wos' ? journal.abbrev : journal.full,
        volume,
        issue,
        pages: { asWritten: style === 'medline' ? `${start}-${shortEnd(start, end)}` : `${start}-${end}` },
        ...(rnd() < (style === 'medline' ? 0.7 : 0.9) ? { doi } : {}),
        keywords: [],
        mesh: [],
        source: { database: style, format: 'generated' },
        raw: '',
      };
      position++;
      yield { input: { id, record, source: style }, report };
    }
  }
}

function authorAs(a: { family: string; given: string[] }, style: string): Author {
  const initials = a.given.map((g) => g[0]).join('');
  const asWritten =
    style === 'medline'
      ? `${a.family} ${initials}`
      : style === 'embase'
        ? `${a.family}, ${initials.split('').join('. ')}.`
        : `${a.family}, ${a.given.join(' ')}`;
  return style === 'medline'
    ? { family: a.family, given: initials, asWritten }
    : { family: a.family, given: asWritten.split(', ')[1]!, asWritten };
}

function noisyTitle(title: string, rnd: () => number, variant: boolean): string {
  let t = title.charAt(0).toUpperCase() + title.slice(1);
  if (!variant) return `${t}.`;
  if (rnd() < 0.3) t = t.replace(/\b\w/g, (ch) => ch.toUpperCase());
  if (rnd() < 0.3) t = t.replace(/ (\w+) /, ' $1: ');
  if (rnd() < 0.2) t = t.replace(/ /, '-');
  if (rnd() < 0.1) t = t.slice(0, -1); // a typo: last letter lost
  return t;
}

function shortEnd(start: number, end: number): string {
  const s = String(start);
  const e = String(end);
  let i = 0;
  while (i < e.length - 1 && s.length === e.length && s[i] === e[i]) i++;
  return e.slice(i);
}

function word(rnd: () => number, min: number, max: number): string {
  const consonants = 'bcdfghklmnprstvz';
  const vowels = 'aeiou';
  let w = '';
  const len = min + Math.floor(rnd() * (max - min + 1));
  for (let i = 0; i < len; i++)
    w += i % 2 ? vowels[Math.floor(rnd() * 5)] : consonants[Math.floor(rnd() * 16)];
  return w;
}

const capitalise = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** mulberry32, with its state readable and settable so a run can resume (`GeneratorMark`). */
function mulberry32(seed: number): { next: () => number; state: number } {
  const rng = {
    state: seed >>> 0,
    next: (): number => {
      rng.state = (rng.state + 0x6d2b79f5) >>> 0;
      let t = rng.state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
  return rng;
}
