import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, ROLES, type Review } from '@winnow/core';
import { seedIncludedReports } from '@winnow/extraction/testing';
import { tinyPdf } from '@winnow/core/testing';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, stageStatus, waitUntil } from './screening-fixtures.ts';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  default?: unknown;
  anyOf?: JsonSchema[];
}

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: { name: string; required: boolean; schema: JsonSchema }[];
  body: JsonSchema | null;
  raw: boolean;
}

/** The ids one review owns, filled in by seedReview. */
interface Owned {
  review: Review;
  records: string[];
  conflictId: string;
  reports: string[];
  studies: string[];
  groupId: string;
  emergentCodeId: string;
  /** A member of this review only. */
  memberId: string;
  /** A bulk upload of full texts, with one file in it. */
  batchId: string;
  /** A search (PRISMA-S details) of this review. */
  searchId: string;
}

/**
 * Path and body parameters that name something a review owns, with the value to send: always an
 * id of review B, sent to review A's route. A route added later with one of these names is swept
 * without editing this file; a new id name fails the first test until it is added here.
 */
const ID_PARAMS: Record<string, (b: Owned) => unknown> = {
  recordId: (b) => b.records[1],
  recordIds: (b) => [b.records[0]],
  a: (b) => b.records[2],
  b: (b) => b.records[3],
  reportId: (b) => b.reports[0],
  study: (b) => b.studies[0],
  studyId: (b) => b.studies[0],
  into: (b) => b.studies[0],
  id: (b) => b.conflictId,
  group: (b) => b.groupId,
  approve: (b) => [b.emergentCodeId],
  reject: (b) => [b.emergentCodeId],
  userId: (b) => b.memberId,
  batchId: (b) => b.batchId,
  searchId: (b) => b.searchId,
  position: () => 1,
};
/** Path parameters that are not ids of something a review owns. */
const NOT_IDS = new Set(['review', 'stage']);
/** Values for the other fields a write needs, so the call fails on the foreign id, not on validation. */
const OTHER_VALUES: Record<string, unknown> = {
  vote: 'include',
  same: true,
  fieldKey: 'influences',
  parentKey: 'data',
  label: 'Probe from another review',
  mark: 'removed-other',
  values: {},
  resolutions: {},
  url: 'https://example.org/paper.pdf',
  reason: 'probe',
  fileName: 'paper.pdf',
  roles: ['reviewer'],
  role: 'reviewer',
};

function sample(name: string, s: JsonSchema): unknown {
  if (name in OTHER_VALUES) return OTHER_VALUES[name];
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.anyOf?.[0]) return sample(name, s.anyOf[0]);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'boolean') return false;
  if (type === 'integer' || type === 'number') return s.minimum ?? 1;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return 'x';
}

async function operations(app: TestApp): Promise<Operation[]> {
  const doc = (await (await app.fetch('/api/openapi.json')).json()) as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { name: string; in: string; required: boolean; schema: JsonSchema }[];
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
        }
      >
    >;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
      query: (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, required: p.required, schema: p.schema })),
      body: op.requestBody?.content['application/json']?.schema ?? null,
      raw: Boolean(op.requestBody?.content['application/octet-stream']),
    })),
  );
}

/** Names of the body fields (top level) that are ids, by the table above or by their look. */
const bodyIdNames = (op: Operation) =>
  Object.keys(op.body?.properties ?? {}).filter((n) => n in ID_PARAMS || /(Id|Ids)$/.test(n));

describe('writes across reviews: every id must belong to the review in the path', () => {
  let app: TestApp;
  let both: TestUser;
  let A: Owned;
  let B: Owned;
  let writes: Operation[];

  /** A review with records, votes, a conflict, reports linked to studies, coding assignments, an emergent code, a duplicate group. */
  async function seedReview(slug: string): Promise<Owned> {
    const review = await app.review(slug);
    for (const role of ROLES) await addMember(app.rt.db, { reviewId: review.id, userId: both.id, role });
    const other = await app.user(`Other ${slug}`, review, ['reviewer']);
    const records = await seedRecords(app.rt.db, review.id, 4);
    const routed = await both.api<{ jobId: string }>('POST', `/reviews/${slug}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    const vote = async (who: TestUser, recordId: string, v: string) =>
      expect(
        (await who.api('POST', `/reviews/${slug}/stages/title-abstract/decisions`, { recordId, vote: v }))
          .status,
      ).toBe(201);
    // records[0] in conflict; records[1] carries the member's vote (what undo would retract).
    await vote(both, records[0]!, 'exclude');
    await vote(other, records[0]!, 'include');
    await vote(both, records[1]!, 'include');
    await waitUntil(
      async () => (await stageStatus(app.rt.db, records[0]!, 'title-abstract')) === 'conflict',
      10_000,
      'conflict',
    );
    const { rows: conflicts } = await app.rt.db.query<{ id: string }>(
      `SELECT id FROM conflicts WHERE review_id = $1 AND status = 'open'`,
      [review.id],
    );
    const reports = await seedIncludedReports(app.rt.db, review.id, [
      { title: `${slug} report one` },
      { title: `${slug} report two` },
    ]);
    const studies: string[] = [];
    for (const [i, reportId] of reports.entries()) {
      const linked = await both.api<{ studyId: string }>(
        'POST',
        `/reviews/${slug}/reports/${reportId}/study`,
        {
          label: `${slug} study ${i + 1}`,
        },
      );
      expect(linked.status).toBe(200);
      studies.push(linked.body.studyId);
    }
    const assigned = await both.api<{ jobId: string }>('POST', `/reviews/${slug}/extraction/assign`);
    await app.rt.queue.waitFor(assigned.body.jobId, 20_000);
    const { rows: mine } = await app.rt.db.query(
      `SELECT 1 FROM coding_assignments WHERE review_id = $1 AND coder_id = $2`,
      [review.id, both.id],
    );
    expect(mine.length, 'the member codes in both reviews').toBeGreaterThan(0);
    const code = await both.api<{ code: { id: string } }>(
      'POST',
      `/reviews/${slug}/extraction/emergent-codes`,
      {
        fieldKey: 'influences',
        parentKey: 'data',
        label: `${slug} emergent theme`,
        studyId: studies[0],
      },
    );
    expect(code.status).toBe(201);
    const groupId = `g-${records[2]}`;
    await app.rt.db.query(
      `INSERT INTO dedup_groups (review_id, group_id, kept_id, canonical, provenance, sources) VALUES ($1, $2, $3, '{}', '{}', '{}')`,
      [review.id, groupId, records[2]],
    );
    await app.rt.db.query(
      `INSERT INTO dedup_members (review_id, record_id, group_id, kept, tier, score, reason)
       VALUES ($1, $2, $4, true, 'certain', 1, 'probe'), ($1, $3, $4, false, 'certain', 1, 'probe')`,
      [review.id, records[2], records[3], groupId],
    );
    const batch = await both.api<{ batchId: string }>('POST', `/reviews/${slug}/fulltext/batches`);
    expect(
      (
        await both.api(
          'POST',
          `/reviews/${slug}/fulltext/batches/${batch.body.batchId}/files?fileName=probe.pdf`,
          new Uint8Array(tinyPdf('probe')),
        )
      ).status,
    ).toBe(201);
    const { rows: search } = await app.rt.db.query<{ id: string }>(
      `INSERT INTO searches (review_id, source_name) VALUES ($1, 'MEDLINE') RETURNING id`,
      [review.id],
    );
    return {
      searchId: search[0]!.id,
      batchId: batch.body.batchId,
      review,
      records,
      conflictId: conflicts[0]!.id,
      reports,
      studies,
      groupId,
      emergentCodeId: code.body.code.id,
      memberId: other.id,
    };
  }

  /** Everything a write could change, per review: its events and the rows that carry its ids. */
  async function snapshot(reviewId: string): Promise<unknown> {
    const q = async (sql: string) => (await app.rt.db.query(sql, [reviewId])).rows;
    return {
      events: await q(`SELECT id, type, entity_id FROM events WHERE review_id = $1 ORDER BY id`),
      decisions: await q(`SELECT id FROM decisions WHERE review_id = $1 ORDER BY id`),
      decisionsOnItsRecords: await q(
        `SELECT d.id FROM decisions d JOIN records r ON r.id = d.record_id WHERE r.review_id = $1 ORDER BY d.id`,
      ),
      resolutions: await q(`SELECT id FROM resolutions WHERE review_id = $1 ORDER BY id`),
      stages: await q(
        `SELECT record_id, stage, status, outcome FROM stage_records WHERE review_id = $1 ORDER BY record_id, stage`,
      ),
      conflicts: await q(`SELECT id, status FROM conflicts WHERE review_id = $1 ORDER BY id`),
      retrievals: await q(`SELECT id FROM report_retrievals WHERE review_id = $1 ORDER BY id`),
      retrievalsOnItsReports: await q(
        `SELECT x.id FROM report_retrievals x JOIN reports p ON p.id = x.report_id WHERE p.review_id = $1 ORDER BY x.id`,
      ),
      reports: await q(`SELECT id, study_id FROM reports WHERE review_id = $1 ORDER BY id`),
      studies: await q(`SELECT id FROM studies WHERE review_id = $1 ORDER BY id`),
      codings: await q(`SELECT id FROM codings WHERE review_id = $1 ORDER BY id`),
      codingsOnItsStudies: await q(
        `SELECT c.id FROM codings c JOIN studies s ON s.id = c.study_id WHERE s.review_id = $1 ORDER BY c.id`,
      ),
      consensus: await q(`SELECT id FROM consensus_records WHERE review_id = $1 ORDER BY id`),
      emergent: await q(`SELECT id, status, study_id FROM emergent_codes WHERE review_id = $1 ORDER BY id`),
      emergentOnItsStudies: await q(
        `SELECT e.id FROM emergent_codes e JOIN studies s ON s.id = e.study_id WHERE s.review_id = $1 ORDER BY e.id`,
      ),
      groups: await q(`SELECT group_id FROM dedup_groups WHERE review_id = $1 ORDER BY group_id`),
      members: await q(`SELECT user_id, role FROM members WHERE review_id = $1 ORDER BY user_id, role`),
      searches: await q(
        `SELECT id, source_name, source_kind, platform, searched_on, strategy, limits, records_reported
           FROM searches WHERE review_id = $1 ORDER BY id`,
      ),
    };
  }

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    both = await app.user('Member of both');
    A = await seedReview('cross-a');
    B = await seedReview('cross-b');
    writes = (await operations(app)).filter(
      (op) =>
        op.method !== 'GET' &&
        op.path.startsWith('/api/reviews/{review}') &&
        (op.pathParams.some((p) => !NOT_IDS.has(p)) || bodyIdNames(op).length > 0),
    );
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('knows every id parameter of the write routes', () => {
    expect(writes.length).toBeGreaterThan(10);
    const unknown = writes.flatMap((op) =>
      [...op.pathParams.filter((p) => !NOT_IDS.has(p)), ...bodyIdNames(op)]
        .filter((n) => !(n in ID_PARAMS))
        .map((n) => `${op.method} ${op.path}: ${n}`),
    );
    expect(unknown, 'add these to ID_PARAMS').toEqual([]);
  });

  it('answers 404 to a member of both reviews who sends review B’s ids to review A, and changes neither', async () => {
    const before = { a: await snapshot(A.review.id), b: await snapshot(B.review.id) };
    const wrong: string[] = [];
    for (const op of writes) {
      const path = op.path
        .replace(/^\/api/, '')
        .replace('{review}', A.review.slug)
        .replace(/\{(\w+)\}/g, (_, name: string) =>
          name === 'stage' ? 'title-abstract' : String(ID_PARAMS[name]!(B)),
        );
      const query = op.query
        .filter((p) => p.required)
        .map((p) => `${p.name}=${encodeURIComponent(String(sample(p.name, p.schema)))}`)
        .join('&');
      let body: unknown;
      if (op.raw) body = new Uint8Array(tinyPdf('probe'));
      else if (op.body) {
        const props = op.body.properties ?? {};
        const b: Record<string, unknown> = {};
        for (const [name, s] of Object.entries(props)) {
          if (name in ID_PARAMS) b[name] = ID_PARAMS[name]!(B);
          else if (op.body.required?.includes(name)) b[name] = sample(name, s);
        }
        body = b;
      }
      const res = await both.api<{ error?: { code: string; message: string } }>(
        op.method,
        query ? `${path}?${query}` : path,
        body,
      );
      if (res.status !== 404)
        wrong.push(`${op.method} ${op.path} -> ${res.status} ${res.body?.error?.message ?? ''}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(A.review.id)).toEqual(before.a);
    expect(await snapshot(B.review.id)).toEqual(before.b);
  });
});
