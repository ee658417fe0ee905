import { flattenCodes } from '../codebook/codebook.lookup.ts';
import type { Codebook } from '../codebook/codebook.types.ts';
import type { Quote } from '../coding/coding.types.ts';
import type { CitationSource } from '../export/citation.ts';
import { defaultProfiles } from '../export/extraction-tables.ts';
import { profileTable } from '../export/profile.table.ts';
import type { CodedStudy } from '../export/wide.table.ts';
import { formatReference, type ReferenceStyle } from './report.citation.ts';

/** The parts of a report, each switchable. */
export const REPORT_PARTS = ['flow', 'methods', 'profiles', 'evidence', 'references', 'excluded'] as const;
export type ReportPart = (typeof REPORT_PARTS)[number];
export type { ReferenceStyle };

/** A document model both renderers (DOCX, HTML) walk; all text is plain, never markup. */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'image'; png: Buffer; alt: string; width: number; height: number }
  | { kind: 'table'; caption: string; header: string[]; rows: string[][] }
  | { kind: 'quote'; text: string; source: string }
  | { kind: 'references'; items: Array<{ number: number; text: string }> };

export interface ReportDocument {
  title: string;
  blocks: Block[];
}

export interface ReportStudy {
  studyId: string;
  number: number;
  citation: string;
  /**
   * Every report of the study, in the order the coding page numbers them ("Report 2: …" in a
   * quotation's location): a study is referenced by its report, a study of several by each.
   */
  reports?: CitationSource[];
}

export interface ReportSearchRow {
  source: string;
  platform: string;
  date: string;
  strategy: string;
  limits: string;
  records: number;
}

export interface ReportInput {
  title: string;
  codebook: Codebook;
  studies: ReportStudy[];
  final: CodedStudy[];
  /** PRISMA diagram drawn as PNG, with its size in pixels and a text description. */
  flow?: { png: Buffer; width: number; height: number; description: string } | undefined;
  searches: ReportSearchRow[];
  methods: {
    stages: string[];
    reviewersPerRecord: number;
    codersPerStudy: number;
    conflicts: string;
    calibrationKappa?: number | null | undefined;
    /** Each calibration pilot the lead stopped before it passed, in words (from its stored record). */
    calibrationStopped?: string[] | undefined;
    agreement: Array<{ stage: string; text: string }>;
    stoppingRule?: string | null | undefined;
  };
  excluded: Array<{ citation: string; reason: string }>;
}

export interface ReportOptions {
  parts?: readonly ReportPart[];
  style?: ReferenceStyle;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function methodsParagraph(m: ReportInput['methods']): string {
  const s: string[] = [];
  s.push(
    m.stages.length
      ? `Records went through ${m.stages.length === 1 ? 'one stage' : `${m.stages.length} stages`}: ${m.stages.join(', ')}.`
      : 'No screening stages were configured.',
  );
  s.push(
    `Each record was screened independently by ${plural(m.reviewersPerRecord, 'reviewer')}; ${m.conflicts}.`,
  );
  if (m.calibrationKappa !== null && m.calibrationKappa !== undefined)
    s.push(`In calibration, reviewers agreed with Cohen's kappa ${m.calibrationKappa.toFixed(2)}.`);
  for (const c of m.calibrationStopped ?? []) s.push(`${c}.`);
  for (const a of m.agreement) s.push(`${a.stage}: ${a.text}.`);
  if (m.stoppingRule) s.push(`Screening stopped early under a stopping rule: ${m.stoppingRule}.`);
  s.push(
    m.codersPerStudy > 1
      ? `Each included study was coded independently by ${plural(m.codersPerStudy, 'coder')} and differences were settled in a consensus record.`
      : 'Each included study was coded by one coder.',
  );
  return s.join(' ');
}

/** Quotations per code, grouped by study, for each framework code (code_tree field) of the codebook. */
function evidenceBlocks(input: ReportInput, numberOf: Map<string, number>): Block[] {
  const out: Block[] = [];
  for (const field of input.codebook.fields) {
    if (field.type !== 'code_tree') continue;
    const flat = flattenCodes(field.codes);
    const top = flat.filter((c) => c.depth === 0);
    for (const code of top) {
      out.push({ kind: 'heading', level: 2, text: code.label });
      const family = flat.filter((c) => c.key === code.key || c.ancestors.includes(code.key));
      const subLabels = family
        .filter((c) => c.key !== code.key)
        .map((c) => (c.inductive ? `${c.label} (emergent)` : c.label));
      // Emergent sub-themes: inductive codes applied under this code that the codebook does not hold yet.
      const byStudy = new Map<number, Array<{ quote: Quote; code: string }>>();
      const emergent = new Set<string>();
      const known = new Map(family.map((c) => [c.key, c.label]));
      for (const coded of input.final) {
        const v = coded.values[field.key];
        if (!v || v.type !== 'code_tree') continue;
        const n = numberOf.get(coded.studyId);
        if (n === undefined) continue;
        for (const app of v.applications) {
          const label = known.get(app.code);
          const underThis = label !== undefined || (app.inductive && app.code.startsWith(`${code.key}.`));
          if (!underThis) continue;
          if (label === undefined) emergent.add(app.code);
          const list = byStudy.get(n) ?? [];
          for (const q of app.quotes) list.push({ quote: q, code: label ?? app.code });
          byStudy.set(n, list);
        }
      }
      const studies = [...byStudy.keys()].sort((a, b) => a - b);
      const subs = [...subLabels, ...[...emergent].map((e) => `${e} (emergent)`)];
      out.push({
        kind: 'paragraph',
        text:
          `${plural(studies.length, 'study', 'studies')} coded under this theme` +
          (studies.length ? ` [${studies.join(', ')}]` : '') +
          '.' +
          (subs.length ? ` Sub-themes: ${subs.join('; ')}.` : ''),
      });
      for (const n of studies) {
        out.push({ kind: 'heading', level: 3, text: `Study [${n}]` });
        for (const { quote, code: c } of byStudy.get(n) ?? [])
          out.push({
            kind: 'quote',
            text: quote.text,
            source: `[${n}]${quote.location ? `, ${quote.location}` : ''}${quote.page !== undefined ? `, p. ${quote.page}` : ''}${c !== code.label ? ` (${c})` : ''}`,
          });
      }
    }
  }
  return out;
}

/** Assembles the report from the review as it is now; pure, so every number is derived here. */
export function buildReport(input: ReportInput, opts: ReportOptions = {}): ReportDocument {
  const parts = new Set(opts.parts ?? REPORT_PARTS);
  const style = opts.style ?? 'vancouver';
  const numberOf = new Map(input.studies.map((s) => [s.studyId, s.number]));
  const blocks: Block[] = [];
  if (parts.has('flow')) {
    blocks.push({ kind: 'heading', level: 1, text: 'Flow of records' });
    if (input.flow)
      blocks.push({
        kind: 'image',
        png: input.flow.png,
        alt: input.flow.description,
        width: input.flow.width,
        height: input.flow.height,
      });
    blocks.push({
      kind: 'table',
      caption: 'Searches (PRISMA-S)',
      header: ['Source', 'Platform', 'Date searched', 'Strategy', 'Limits', 'Records'],
      rows: input.searches.map((s) => [
        s.source,
        s.platform,
        s.date,
        s.strategy,
        s.limits,
        String(s.records),
      ]),
    });
  }
  if (parts.has('methods'))
    blocks.push(
      { kind: 'heading', level: 1, text: 'Methods' },
      { kind: 'paragraph', text: methodsParagraph(input.methods) },
    );
  if (parts.has('profiles')) {
    blocks.push({ kind: 'heading', level: 1, text: 'Profile of the included studies' });
    const studies = input.studies.map((s) => ({
      studyId: s.studyId,
      number: s.number,
      citation: s.citation,
      reportIds: [],
    }));
    let i = 0;
    for (const p of defaultProfiles(input.codebook)) {
      const t = profileTable(input.codebook, studies, input.final, p);
      const label = input.codebook.fields.find((f) => f.key === p.field)?.label ?? p.field;
      i++;
      blocks.push({
        kind: 'table',
        caption: `Table ${i}. ${label}: number of studies [references]`,
        // Drop the key and level columns: readers see the category (indented by level) and counts.
        header: ['Category', ...t.columns.slice(3).map((c) => (c === 'total' ? 'Total' : c))],
        rows: t.rows.map((r) => [
          `${'\u00a0\u00a0'.repeat(Number(r[2] ?? 0))}${String(r[1] ?? '')}`,
          ...r.slice(3).map((c) => String(c ?? '')),
        ]),
      });
    }
  }
  if (parts.has('evidence')) {
    blocks.push({ kind: 'heading', level: 1, text: 'Evidence by theme' });
    blocks.push(...evidenceBlocks(input, numberOf));
  }
  if (parts.has('references')) {
    blocks.push({ kind: 'heading', level: 1, text: 'References' });
    blocks.push({
      kind: 'references',
      items: [...input.studies]
        .sort((a, b) => a.number - b.number)
        .map((s) => {
          const reports = s.reports ?? [];
          const text =
            reports.length > 1
              ? reports.map((r, i) => `Report ${i + 1}: ${formatReference(r, style)}`).join(' ')
              : (reports[0] ? formatReference(reports[0], style) : '') || s.citation;
          return { number: s.number, text };
        }),
    });
  }
  if (parts.has('excluded')) {
    blocks.push({ kind: 'heading', level: 1, text: 'Appendix: reports excluded at full text' });
    blocks.push({
      kind: 'table',
      caption: `Reports excluded at full text (${input.excluded.length}), with the reason`,
      header: ['Report', 'Reason'],
      rows: input.excluded.map((e) => [e.citation, e.reason]),
    });
  }
  return { title: input.title, blocks };
}
