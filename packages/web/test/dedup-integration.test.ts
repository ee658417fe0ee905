import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { runWinnow } from './support/cli.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

// The same three reports exported by two databases in two formats, plus one report with the same
// title in a different volume (a review-queue pair) and one unrelated report.
const RIS = `TY  - JOUR
AU  - Wheeldon LJ
AU  - Worthington T
TI  - Antimicrobial efficacy of copper surfaces against spores and vegetative cells of Clostridium difficile
JO  - J Antimicrob Chemother
PY  - 2008
VL  - 62
IS  - 3
SP  - 522
EP  - 5
DO  - 10.1093/jac/dkn219
ER  - 

TY  - JOUR
AU  - Schmidt MG
AU  - Tuuri RE
TI  - Antimicrobial copper alloys decreased bacteria on stethoscope surfaces
JO  - Am J Infect Control
PY  - 2017
VL  - 45
IS  - 6
SP  - 642
EP  - 647
ER  - 

TY  - JOUR
AU  - Salgado CD
TI  - Copper surfaces reduce the rate of healthcare-acquired infections in the intensive care unit
JO  - Infect Control Hosp Epidemiol
PY  - 2013
VL  - 34
IS  - 5
SP  - 479
EP  - 86
ER  - 
`;

const author = (name: string) => `<author><style face="normal">${name}</style></author>`;
const endnote = (r: {
  authors: string[];
  title: string;
  journal: string;
  year: number;
  volume: string;
  issue: string;
  pages: string;
  doi?: string;
  type?: string;
}) =>
  `<record><ref-type name="Journal Article">17</ref-type><contributors><authors>${r.authors.map(author).join('')}</authors></contributors>` +
  `<titles><title>${r.title}</title><secondary-title>${r.journal}</secondary-title></titles><periodical><full-title>${r.journal}</full-title></periodical>` +
  `<pages>${r.pages}</pages><volume>${r.volume}</volume><number>${r.issue}</number><dates><year>${r.year}</year></dates>` +
  (r.doi ? `<electronic-resource-num>${r.doi}</electronic-resource-num>` : '') +
  `<work-type>${r.type ?? 'Article'}</work-type></record>`;
const XML = `<?xml version="1.0" encoding="UTF-8"?><xml><records>${[
  endnote({
    authors: ['Wheeldon, L. J.', 'Worthington, T.'],
    title:
      'Antimicrobial Efficacy of Copper Surfaces against Spores and Vegetative Cells of <i>Clostridium difficile</i>',
    journal: 'Journal of Antimicrobial Chemotherapy',
    year: 2008,
    volume: '62',
    issue: '3',
    pages: '522-525',
    doi: '10.1093/JAC/dkn219',
  }),
  endnote({
    authors: ['Schmidt, M. G.', 'Tuuri, R. E.'],
    title: 'Antimicrobial copper alloys decreased bacteria on stethoscope surfaces.',
    journal: 'American Journal of Infection Control',
    year: 2017,
    volume: '45',
    issue: '6',
    pages: '642-647',
  }),
  endnote({
    authors: ['Salgado, C. D.'],
    title: 'Copper surfaces reduce the rate of healthcare-acquired infections in the intensive care unit',
    journal: 'Infection Control and Hospital Epidemiology',
    year: 2013,
    volume: '34',
    issue: '5',
    pages: '479-486',
  }),
  endnote({
    authors: ['Schmidt, M. G.', 'Tuuri, R. E.'],
    title: 'Antimicrobial copper alloys decreased bacteria on stethoscope surfaces',
    journal: 'American Journal of Infection Control',
    year: 2018,
    volume: '46',
    issue: '2',
    pages: '101-105',
  }),
  endnote({
    authors: ['Casey, A. L.'],
    title: 'Role of copper in reducing hospital environment contamination',
    journal: 'Journal of Hospital Infection',
    year: 2010,
    volume: '74',
    issue: '1',
    pages: '72-77',
  }),
].join('')}</records></xml>`;

let app: TestApp;
let review: Review;
let lead: TestUser;
let reviewer: TestUser;
const ids = new Map<string, string>(); // `${file}#${index}` -> record id

/** Through the real upload route and import job, which enqueues `dedup.run` when it completes. */
async function importFile(fileName: string, text: string, source: string): Promise<void> {
  const res = await lead.api<{ importId: string; jobId: string }>(
    'POST',
    `/reviews/${review.slug}/imports?fileName=${fileName}&source=${encodeURIComponent(source)}`,
    text,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await app.rt.queue.waitFor(res.body.jobId);
  await app.rt.queue.waitFor(`dedup-${review.id}-${res.body.importId}`);
  const { rows } = await app.rt.db.query<{ id: string; source_index: number }>(
    `SELECT id, source_index FROM records WHERE import_id = $1`,
    [res.body.importId],
  );
  for (const r of rows) ids.set(`${fileName}#${r.source_index}`, r.id);
}

async function run(): Promise<Record<string, number>> {
  const res = await lead.api<{ jobId: string }>('POST', `/reviews/${review.slug}/duplicates/run`);
  expect(res.status).toBe(202);
  return (await app.rt.queue.waitFor(res.body.jobId)) as Record<string, number>;
}

type Group = {
  id: string;
  keptId: string;
  sources: Record<string, number>;
  members: { recordId: string; kept: boolean; reason: string }[];
};
async function groups(): Promise<Group[]> {
  return (await lead.api<{ groups: Group[] }>('GET', `/reviews/${review.slug}/duplicates/groups`)).body
    .groups;
}
const membersOf = (gs: Group[]) =>
  gs.map((g) => g.members.map((m) => m.recordId).sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
const pair = (a: string, b: string) => [ids.get(a)!, ids.get(b)!].sort();

describe('dedup across formats, with manual decisions and undo', () => {
  beforeAll(async () => {
    app = await startTestApp();
    review = await app.review('dedup-int');
    lead = await app.user('Lead', review, ['lead']);
    reviewer = await app.user('Reviewer', review, ['reviewer']);
    await importFile('medline.ris', RIS, 'MEDLINE');
    await importFile('embase.xml', XML, 'Embase');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('groups the same reports from RIS and EndNote XML and queues the same-title pair', async () => {
    // dedup.run already ran after each import.
    expect(await groups()).toHaveLength(3);
    // Per-source counts stay intact: each group holds one record from each export.
    for (const g of await groups()) expect(g.sources).toEqual({ MEDLINE: 1, Embase: 1 });
    // A page of groups says how many there are in all, and the pages follow on without overlap.
    const page = (offset: number) =>
      lead.api<{ groups: Group[]; total: number }>(
        'GET',
        `/reviews/${review.slug}/duplicates/groups?limit=2&offset=${offset}`,
      );
    const [first, second] = [await page(0), await page(2)];
    expect([first.body.total, second.body.total]).toEqual([3, 3]);
    expect([...first.body.groups, ...second.body.groups].map((g) => g.id).sort()).toEqual(
      (await groups()).map((g) => g.id).sort(),
    );
    const summary = await run();
    expect(summary).toEqual({
      records: 8,
      groups: 3,
      duplicatesRemoved: 3,
      autoMerged: 3,
      needsReview: expect.any(Number),
      pendingPairs: expect.any(Number),
    });
    expect(membersOf(await groups())).toEqual(
      [
        pair('medline.ris#1', 'embase.xml#1'),
        pair('medline.ris#2', 'embase.xml#2'),
        pair('medline.ris#3', 'embase.xml#3'),
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    const { rows } = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM records WHERE review_id = $1 AND duplicate_of IS NOT NULL`,
      [review.id],
    );
    expect(rows[0]!.n).toBe(3);
    const queue = await reviewer.api<{
      total: number;
      pairs: { a: { id: string }; b: { id: string }; reason: string }[];
    }>('GET', `/reviews/${review.slug}/duplicates/queue`);
    expect(queue.status).toBe(200);
    const stethoscope = queue.body.pairs.find((p) => [p.a.id, p.b.id].includes(ids.get('embase.xml#4')!));
    expect(stethoscope?.reason).toMatch(/volumes differ/);
  });

  it('keeps a reviewer’s "different" decision across re-runs', async () => {
    const queue = await reviewer.api<{ pairs: { a: { id: string }; b: { id: string } }[] }>(
      'GET',
      `/reviews/${review.slug}/duplicates/queue`,
    );
    for (const p of queue.body.pairs) {
      const res = await reviewer.api<{ jobId: string }>(
        'POST',
        `/reviews/${review.slug}/duplicates/decisions`,
        { a: p.a.id, b: p.b.id, same: false },
      );
      expect(res.status).toBe(202);
      await app.rt.queue.waitFor(res.body.jobId);
    }
    const again = await run();
    expect(again.needsReview).toBe(0);
    expect(again.groups).toBe(3);
  });

  it('lets only a lead split a merge, and the split survives a re-run', async () => {
    const target = (await groups()).find((g) =>
      g.members.some((m) => m.recordId === ids.get('medline.ris#1')),
    )!;
    const denied = await reviewer.api(
      'POST',
      `/reviews/${review.slug}/duplicates/groups/${target.id}/split`,
      {},
    );
    expect(denied.status).toBe(403);
    const res = await lead.api<{ jobId: string }>(
      'POST',
      `/reviews/${review.slug}/duplicates/groups/${target.id}/split`,
      {},
    );
    expect(res.status).toBe(202);
    await app.rt.queue.waitFor(res.body.jobId);
    const after = await run();
    expect(after.groups).toBe(2);
    expect((await groups()).some((g) => g.id === target.id)).toBe(false);
    const { rows } = await app.rt.db.query<{ duplicate_of: string | null }>(
      `SELECT duplicate_of FROM records WHERE id = ANY($1::uuid[])`,
      [pair('medline.ris#1', 'embase.xml#1')],
    );
    expect(rows.every((r) => r.duplicate_of === null)).toBe(true);
    const events = await lead.api<{ events: { type: string; data: { manual?: boolean } }[] }>(
      'GET',
      `/reviews/${review.slug}/events`,
    );
    expect(events.body.events.some((e) => e.type === 'dedup.split' && e.data.manual)).toBe(true);
  });

  it('undoes the split with a "same" decision', async () => {
    const [a, b] = pair('medline.ris#1', 'embase.xml#1');
    const res = await lead.api<{ jobId: string }>('POST', `/reviews/${review.slug}/duplicates/decisions`, {
      a,
      b,
      same: true,
    });
    await app.rt.queue.waitFor(res.body.jobId);
    expect((await groups()).length).toBe(3);
  });

  it('exports one CSV row per record and prints the dedupe summary from the CLI', async () => {
    const csv = await lead.api<string>('GET', `/reviews/${review.slug}/duplicates.csv`);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('group_id,record_id,source_file,source_index,kept,tier,score,reason');
    expect(lines).toHaveLength(9);
    expect(lines.filter((l) => l.includes(',false,')).length).toBe(3);
    const env = { DATABASE_URL: app.database.url!, WINNOW_QUEUE_PREFIX: `dedup-cli-${Date.now()}` };
    const cli = await runWinnow(['dedupe', '--review', review.slug, '--json'], env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.json).toMatchObject({ records: 8, groups: 3, duplicatesRemoved: 3, needsReview: 0 });
    const exported = await runWinnow(
      ['export', 'duplicates', '--format', 'csv', '--review', review.slug],
      env,
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(9);
  });
});
