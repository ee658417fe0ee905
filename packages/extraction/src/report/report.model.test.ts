import { describe, expect, it } from 'vitest';
import { loadDefaultCodebook } from '../codebook/default-codebook.ts';
import { renderReportHtml } from './report.html.ts';
import { buildReport, type ReportInput } from './report.model.ts';

const input = (): ReportInput => ({
  title: 'A <review> & more',
  codebook: loadDefaultCodebook(),
  studies: [{ studyId: 'S1', number: 1, citation: 'Alpha A. <i>Lean</i>. 2019' }],
  final: [],
  searches: [
    { source: 'MEDLINE', platform: 'Ovid', date: '2024-01-02', strategy: 'lean*', limits: '', records: 12 },
  ],
  methods: {
    stages: ['title and abstract', 'full text'],
    reviewersPerRecord: 2,
    codersPerStudy: 2,
    conflicts: 'a third person resolved disagreements',
    calibrationKappa: 0.812,
    agreement: [{ stage: 'Agreement at title and abstract', text: '40 records, 90% agreement' }],
    stoppingRule: 'a hypergeometric test at title and abstract, leaving 30 records unscreened',
  },
  excluded: [{ citation: 'Beta B. Wrong design.', reason: 'Wrong study design' }],
});

describe('buildReport', () => {
  it('writes the methods paragraph from the configuration', () => {
    const doc = buildReport(input(), { parts: ['methods'] });
    expect(doc.blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph']);
    const text = (doc.blocks[1] as { text: string }).text;
    expect(text).toContain('Records went through 2 stages: title and abstract, full text.');
    expect(text).toContain('by 2 reviewers; a third person resolved disagreements.');
    expect(text).toContain("Cohen's kappa 0.81");
    expect(text).toContain('Agreement at title and abstract: 40 records, 90% agreement.');
    expect(text).toContain('stopping rule: a hypergeometric test');
    expect(text).toContain('coded independently by 2 coders');
  });

  it('leaves out parts switched off and lists excluded reports with reasons', () => {
    const doc = buildReport(input(), { parts: ['excluded'] });
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Appendix: reports excluded at full text' },
      {
        kind: 'table',
        caption: 'Reports excluded at full text (1), with the reason',
        header: ['Report', 'Reason'],
        rows: [['Beta B. Wrong design.', 'Wrong study design']],
      },
    ]);
  });

  it('escapes every user text in HTML', () => {
    const html = renderReportHtml(buildReport(input(), { parts: ['references', 'flow'] }));
    expect(html).toContain('<title>A &#60;review&#62; &#38; more</title>');
    expect(html).toContain('Alpha A. &#60;i&#62;Lean&#60;/i&#62;. 2019');
    expect(html).not.toContain('<i>');
    expect(html).toContain('<th scope="row">MEDLINE</th>');
  });

  it('names the report a quotation is of, in a study of several reports, before its page', () => {
    const doc = buildReport(
      {
        ...input(),
        final: [
          {
            studyId: 'S1',
            coderId: 'consensus',
            codebookVersion: 1,
            values: {
              influences: {
                type: 'code_tree',
                applications: [
                  {
                    code: 'leadership.clear_roles',
                    quotes: [
                      { text: 'Roles were set out.', page: 4, location: 'Report 2: Trial results' },
                      { text: 'One report only.', page: 2 },
                    ],
                  },
                ],
              },
            },
          },
        ],
      },
      { parts: ['evidence'] },
    );
    const sources = doc.blocks.flatMap((b) => (b.kind === 'quote' ? [b.source] : []));
    expect(sources).toEqual([
      '[1], Report 2: Trial results, p. 4 (Roles and responsibilities spelled out for leaders and for those they lead)',
      '[1], p. 2 (Roles and responsibilities spelled out for leaders and for those they lead)',
    ]);
  });

  it('references each report of a study of several, numbered as quotations name them', () => {
    const reports = [
      {
        title: 'Lean on wards: protocol',
        authors: [{ family: 'Alpha', given: 'A', asWritten: 'Alpha A' }],
        year: 2018,
      },
      {
        title: 'Lean on wards: results',
        authors: [{ family: 'Alpha', given: 'A', asWritten: 'Alpha A' }],
        year: 2020,
      },
    ];
    const doc = buildReport(
      {
        ...input(),
        studies: [{ studyId: 'S1', number: 1, citation: 'Alpha 2018', reports }],
      },
      { parts: ['references'] },
    );
    const refs = doc.blocks.find((b) => b.kind === 'references') as { items: { text: string }[] };
    expect(refs.items).toHaveLength(1);
    expect(refs.items[0]!.text).toMatch(
      /^Report 1: Alpha A\. Lean on wards: protocol\..*Report 2: Alpha A\. Lean on wards: results\./,
    );
  });
});
