import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import type { PrismaCounts, PrismaFlow } from '@winnow/screening';
import { runWinnow } from './support/cli.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

/**
 * Issue 14: the PRISMA diagram is true while the review runs. Each box counts only what has happened;
 * what is under way is counted apart and the diagram says "in progress" until every record has an
 * outcome. Built through the real server, queue and database: imports, dedup, votes, a conflict, its
 * resolution, retrieval and full-text votes.
 *
 *   MEDLINE  a b c d e f    Embase  a2 (duplicate of a) g
 */
const TOPICS: Record<string, [title: string, author: string, year: number]> = {
  a: ['Leadership for quality improvement in acute hospitals: a systematic review', 'Smith, Anna', 2020],
  b: ['Patient and public involvement in improvement collaboratives', 'Jones, Ben', 2019],
  c: ['Statistical process control charts in primary care audits', 'Khan, Cara', 2021],
  d: ['Lean methods in pathology laboratories: an evaluation', 'Lee, Dan', 2018],
  e: ['Teamwork climate and safety culture surveys in intensive care', 'Patel, Eve', 2022],
  f: ['Digital dashboards for ward performance monitoring', 'Garcia, Gil', 2017],
  g: ['Plan-do-study-act cycles in maternity services', 'Hughes, Hana', 2016],
};

function ris(labels: string[]): Uint8Array {
  return new TextEncoder().encode(
    labels
      .map((l) => {
        const [title, author, year] = TOPICS[l.slice(0, 1)]!;
        const t = l === 'a2' ? title.toUpperCase() : title;
        return `TY  - JOUR\nTI  - ${t}\nAU  - ${author}\nAU  - Second, Author\nPY  - ${year}\nJO  - Journal of Improvement Studies\nDO  - 10.5555/progress.${l.slice(0, 1)}\nAB  - ${title}; an abstract written for this test.\nER  - \n`;
      })
      .join('\n'),
  );
}

async function until<T>(fn: () => Promise<T | false | undefined>, what: string, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('PRISMA diagram while the review runs (issue 14)', () => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let r1: TestUser;
  let r2: TestUser;
  let base: string;
  const id = new Map<string, string>();

  const flow = async (): Promise<PrismaFlow> => {
    const res = await lead.api<PrismaFlow>('GET', `${base}/prisma?format=json`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const text = async (format: 'svg' | 'csv'): Promise<string> => {
    const res = await lead.api<string>('GET', `${base}/prisma?format=${format}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const csvValue = (csv: string, key: string): string | undefined =>
    csv
      .split('\n')
      .find((l) => l.startsWith(`${key},`))
      ?.split(',')
      .at(-1);
  const status = async (label: string, stage = 'title-abstract'): Promise<string | undefined> => {
    const { rows } = await app.rt.db.query<{ status: string }>(
      `SELECT status FROM stage_records WHERE record_id = $1 AND stage = $2`,
      [id.get(label), stage],
    );
    return rows[0]?.status;
  };
  const vote = async (stage: string, label: string, votes: ['include' | 'exclude', TestUser][]) => {
    for (const [v, who] of votes) {
      const res = await who.api('POST', `${base}/stages/${stage}/decisions`, {
        recordId: id.get(label),
        vote: v,
      });
      if (res.status !== 201)
        throw new Error(`vote ${label} by ${who.name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  const both = (v: 'include' | 'exclude'): ['include' | 'exclude', TestUser][] => [
    [v, r1],
    [v, r2],
  ];

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('prisma-progress', 'Improvement capability');
    base = `/reviews/${review.slug}`;
    lead = await app.user('Lead', review, ['lead']);
    r1 = await app.user('Ada', review, ['reviewer']);
    r2 = await app.user('Ben', review, ['reviewer']);
    for (const [source, labels] of [
      ['MEDLINE', ['a', 'b', 'c', 'd', 'e', 'f']],
      ['Embase', ['a2', 'g']],
    ] as const) {
      const q = new URLSearchParams({ fileName: `${source}.ris`, source, kind: 'database' });
      const res = await lead.api<{ jobId: string }>('POST', `${base}/imports?${q}`, ris([...labels]));
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await app.rt.queue.waitFor(res.body.jobId, 30_000);
    }
    // The import queues dedup: wait until the one true duplicate is merged.
    await until(async () => (await flow()).counts.duplicates === 1, 'dedup of a2 into a');
    const { rows } = await app.rt.db.query<{ id: string; title: string; duplicateOf: string | null }>(
      `SELECT id, title, duplicate_of AS "duplicateOf" FROM records WHERE review_id = $1`,
      [review.id],
    );
    for (const [label, [title]] of Object.entries(TOPICS)) {
      const same = rows.filter((r) => r.title.toLowerCase() === title.toLowerCase());
      id.set(label, same.find((r) => !r.duplicateOf)!.id);
      if (label === 'a') id.set('a2', same.find((r) => r.duplicateOf)!.id);
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('after import and dedup, no vote: nothing screened, every unique record awaiting, marked in progress', async () => {
    const f = await flow();
    expect(f.counts).toMatchObject({
      databaseTotal: 8,
      duplicates: 1,
      screened: 0,
      recordsExcluded: 0,
      awaitingScreening: 7,
      dbr: { sought: 0, notRetrieved: 0, assessed: 0, awaitingRetrieval: 0, awaitingAssessment: 0 },
    });
    expect(f.inProgress).toBe(true);
    expect(f.warnings).toEqual([]);
    expect(new Set(f.ids['records_awaiting'])).toEqual(
      new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((l) => id.get(l))),
    );

    const svg = await text('svg');
    expect(svg).toContain('(in progress)</title>');
    expect(svg).toContain('In progress: the counts show what has happened so far (7 records awaiting');
    expect(svg).toContain('Records screened (n\u00a0=\u00a00)');
    const csv = await text('csv');
    expect(csvValue(csv, 'records_screened')).toBe('0');
    expect(csvValue(csv, 'records_awaiting')).toBe('7');

    // The CLI reads the same database and says the same.
    const cli = await runWinnow(['prisma', '--review', review.slug, '--format', 'json'], {
      DATABASE_URL: app.database.url,
      WINNOW_QUEUE_PREFIX: `prisma-progress-cli-${Date.now()}`,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const out = cli.json as PrismaFlow;
    expect(out.counts).toMatchObject({ screened: 0, awaitingScreening: 7 });
    expect(out.inProgress).toBe(true);
    expect(cli.stderr).toContain('in progress: 7 records awaiting title/abstract screening');
  }, 60_000);

  it('after partial screening with one conflict: each box counts exactly what has happened', async () => {
    for (const [stage, cfg] of [
      ['title-abstract', { votesNeeded: 2 }],
      ['full-text', { votesNeeded: 2 }],
    ] as const) {
      const res = await lead.api<{ jobId: string }>('PUT', `${base}/stages/${stage}/config`, cfg);
      expect(res.status).toBe(200);
      await app.rt.queue.waitFor(res.body.jobId, 20_000);
    }
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    await vote('title-abstract', 'a', both('include'));
    await vote('title-abstract', 'b', both('include'));
    await vote('title-abstract', 'c', both('exclude'));
    await vote('title-abstract', 'd', both('exclude'));
    await vote('title-abstract', 'e', [
      ['include', r1],
      ['exclude', r2],
    ]);
    await until(
      async () =>
        (await status('a')) === 'advanced' &&
        (await status('b')) === 'advanced' &&
        (await status('c')) === 'excluded' &&
        (await status('d')) === 'excluded' &&
        (await status('e')) === 'conflict',
      'title/abstract reconciliation',
    );
    // One report found online: its full text is in hand, awaiting assessment; the other awaits retrieval.
    const { rows: reports } = await app.rt.db.query<{ id: string; recordId: string }>(
      `SELECT id, record_id AS "recordId" FROM reports WHERE review_id = $1`,
      [review.id],
    );
    const report = (label: string) => reports.find((r) => r.recordId === id.get(label))!.id;
    expect(
      (await r1.api('POST', `${base}/reports/${report('a')}/url`, { url: 'https://example.org/a.pdf' }))
        .status,
    ).toBe(201);

    const f = await flow();
    const expected: Partial<PrismaCounts> = {
      databaseTotal: 8,
      duplicates: 1,
      screened: 4,
      recordsExcluded: 2,
      excludedByAutomation: 0,
      awaitingScreening: 3,
      dbr: {
        sought: 2,
        notRetrieved: 0,
        assessed: 0,
        excluded: [],
        awaitingRetrieval: 1,
        awaitingAssessment: 1,
      },
      newStudies: 0,
      newReports: 0,
    };
    expect(f.counts).toMatchObject(expected);
    expect(f.inProgress).toBe(true);
    expect(f.warnings).toEqual([]);
    expect(new Set(f.ids['records_awaiting'])).toEqual(new Set(['e', 'f', 'g'].map((l) => id.get(l))));
    expect(new Set(f.ids['records_screened'])).toEqual(new Set(['a', 'b', 'c', 'd'].map((l) => id.get(l))));
    expect(f.ids['dbr_awaiting_assessment']).toEqual([report('a')]);
    expect(f.ids['dbr_awaiting_retrieval']).toEqual([report('b')]);
    const csv = await text('csv');
    expect(csvValue(csv, 'records_screened')).toBe('4');
    expect(csvValue(csv, 'records_awaiting')).toBe('3');
    expect(csvValue(csv, 'dbr_awaiting_retrieval')).toBe('1');
    expect(csvValue(csv, 'dbr_awaiting_assessment')).toBe('1');
  }, 60_000);

  it('names a record in a warning by short citation, with the box that lists it', async () => {
    // A report sought from a record excluded at title/abstract: the arithmetic breaks and names it.
    const { rows } = await app.rt.db.query<{ id: string }>(
      `INSERT INTO reports (review_id, record_id, title) VALUES ($1, $2, 'stray') RETURNING id`,
      [review.id, id.get('c')],
    );
    try {
      const f = await flow();
      const w = f.warnings.find((x) => x.code === 'SCREENED_MINUS_EXCLUDED_NE_SOUGHT');
      expect(w?.items).toEqual([
        {
          id: id.get('c'),
          kind: 'record',
          citation: 'Khan C, et al. (2021). Statistical process control charts in primary care audits.',
          box: 'records_excluded',
        },
      ]);
      const box = await lead.api<{ offset: number; items: { id: string }[] }>(
        'GET',
        `${base}/prisma/boxes/records_excluded?around=${id.get('c')}&limit=1`,
      );
      expect(box.body.items.map((x) => x.id)).toEqual([id.get('c')]);
    } finally {
      await app.rt.db.query(`DELETE FROM reports WHERE id = $1`, [rows[0]!.id]);
    }
  });

  it('once every record and report has an outcome, the diagram is no longer marked in progress', async () => {
    const conflicts = await lead.api<{ conflicts: { id: string; recordId: string }[] }>(
      'GET',
      `${base}/conflicts?stage=title-abstract`,
    );
    const conflict = conflicts.body.conflicts.find((c) => c.recordId === id.get('e'));
    expect(conflict).toBeDefined();
    expect(
      (await lead.api('POST', `${base}/conflicts/${conflict!.id}/resolve`, { vote: 'exclude' })).status,
    ).toBe(200);
    await vote('title-abstract', 'f', both('exclude'));
    await vote('title-abstract', 'g', both('exclude'));
    await until(
      async () => (await Promise.all(['e', 'f', 'g'].map((l) => status(l)))).every((s) => s === 'excluded'),
      'title/abstract outcomes',
    );
    const { rows: reports } = await app.rt.db.query<{ id: string; recordId: string }>(
      `SELECT id, record_id AS "recordId" FROM reports WHERE review_id = $1`,
      [review.id],
    );
    const report = (label: string) => reports.find((r) => r.recordId === id.get(label))!.id;
    expect(
      (
        await r1.api('POST', `${base}/reports/${report('b')}/not-retrieved`, {
          reason: 'not held by any library',
        })
      ).status,
    ).toBe(201);
    const ft = await lead.api<{ jobId: string }>('POST', `${base}/stages/full-text/route`);
    await app.rt.queue.waitFor(ft.body.jobId, 20_000);
    await vote('full-text', 'a', both('include'));
    await lead.api('POST', `${base}/reports/${report('a')}/study`, { label: 'Smith 2020' });

    const f = await until(async () => {
      const x = await flow();
      return x.counts.newReports === 1 && x;
    }, 'full-text reconciliation');
    expect(f.counts).toMatchObject({
      screened: 7,
      recordsExcluded: 5,
      awaitingScreening: 0,
      dbr: {
        sought: 2,
        notRetrieved: 1,
        assessed: 1,
        excluded: [],
        awaitingRetrieval: 0,
        awaitingAssessment: 0,
      },
      newStudies: 1,
      newReports: 1,
    });
    expect(f.inProgress).toBe(false);
    expect(f.warnings).toEqual([]);
    const svg = await text('svg');
    expect(svg).not.toContain('In progress');
    expect(svg).not.toContain('(in progress)');
    expect(svg).toContain('Records screened (n\u00a0=\u00a07)');
    const csv = await text('csv');
    expect(csv).not.toContain('awaiting');
    expect(csvValue(csv, 'records_screened')).toBe('7');
  }, 60_000);
});
