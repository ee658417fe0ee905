import type { Coding, FieldValues } from '../coding/coding.types.ts';
import type { ExportStudy } from '../export/table.types.ts';

/** Three studies coded by two coders against the default codebook v1, with deliberate differences. */
export const sampleStudies: ExportStudy[] = [
  { studyId: 'S1', number: 15, citation: 'Alpha A. Lean in paediatrics. 2019', reportIds: ['R1', 'R4'] },
  { studyId: 'S2', number: 16, citation: '=HYPERLINK("http://evil","Beta")', reportIds: ['R2'] },
  { studyId: 'S3', number: 40, citation: 'Gamma G. EBCD at end of life. 2016', reportIds: ['R3'] },
];

const v = {
  one: (option: string | null) => ({ type: 'single_choice' as const, option }),
  many: (...options: string[]) => ({ type: 'multi_choice' as const, options }),
  text: (text: string) => ({ type: 'text' as const, text }),
  num: (value: number | null) => ({ type: 'number' as const, value }),
  tree: (...codes: Array<[string, string?, number?]>) => ({
    type: 'code_tree' as const,
    applications: codes.map(([code, text, page]) => ({
      code,
      quotes: text ? [{ text, ...(page !== undefined ? { page } : {}) }] : [],
    })),
  }),
};

function coding(studyId: string, coderId: string, values: FieldValues): Coding {
  return { studyId, coderId, codebookId: 'influences-on-improvement', codebookVersion: 1, values };
}

export const sampleCodings: Coding[] = [
  coding('S1', 'ann', {
    publication_type: v.one('academic.systematic_review'),
    geography: v.one('international.including_uk'),
    improvement_approach: v.many('lean'),
    learning_aim: v.one('explicit.core'),
    included_studies: v.num(23),
    quality_notes: v.text('Good  search; no appraisal'),
    influences: v.tree(
      ['leadership.clear_roles', 'Roles were defined', 4],
      ['data.it_infrastructure', 'IT support mattered', 7],
    ),
  }),
  coding('S1', 'bob', {
    publication_type: v.one('academic.systematic_review'),
    geography: v.one('international.including_uk'),
    improvement_approach: v.many('lean', 'six_sigma'),
    learning_aim: v.one('explicit.core'),
    included_studies: v.num(23),
    quality_notes: v.text('Good search; no appraisal'),
    influences: v.tree(['leadership.clear_roles', 'Clear roles for leads', 5], ['data.it_infrastructure']),
  }),
  coding('S2', 'ann', {
    publication_type: v.one('grey.other.blog'),
    geography: v.one('single_country.england'),
    improvement_approach: v.many('collaboratives'),
    learning_aim: v.one('implicit'),
    quality_notes: v.text('+opinion piece'),
    influences: v.tree(['relationships.open_discussion', '-candid talk helped', 2]),
  }),
  coding('S2', 'bob', {
    publication_type: v.one('grey.other.blog'),
    geography: v.one('single_country.uk_wide'),
    improvement_approach: v.many('collaboratives'),
    learning_aim: v.one('implicit'),
    quality_notes: v.text('+opinion piece'),
    influences: v.tree(
      ['relationships.open_discussion'],
      ['ppi.early_involvement', 'patients joined early', 3],
    ),
  }),
  coding('S3', 'ann', {
    publication_type: v.one('academic.non_systematic'),
    geography: v.one('unclear.not_reported'),
    improvement_approach: v.many('ebcd'),
    learning_aim: v.one('explicit.with_other_aims'),
    influences: v.tree(['ppi.diverse_roles', 'co-design with families', 11]),
  }),
  coding('S3', 'bob', {
    publication_type: v.one('academic.non_systematic'),
    geography: v.one('unclear.not_reported'),
    improvement_approach: v.many('ebcd'),
    learning_aim: v.one('explicit.with_other_aims'),
    influences: v.tree(['ppi.diverse_roles', 'co-design with families', 11]),
  }),
];
