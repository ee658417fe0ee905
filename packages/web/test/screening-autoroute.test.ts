import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listEvents, type Review } from '@winnow/core';
import type { Engine } from '@winnow/core/testing';
import { ADVANCE_ROUTING_DELAY_MS, routeJob } from '@winnow/screening';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/cli.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { waitUntil } from './screening-fixtures.ts';

const fixture = (name: string): Buffer => readFileSync(path.join(REPO_ROOT, 'fixtures', name));

interface Queued {
  recordId: string;
  position: number;
}

/** Everything in a user's queue at a stage, paged through GET …/next the way the page reads it. */
async function queueOf(user: TestUser, base: string, stage: string): Promise<string[]> {
  const ids: string[] = [];
  let after = 0;
  for (;;) {
    const r = await user.api<{ record: Queued; upcoming: Queued[] }>(
      'GET',
      `${base}/stages/${stage}/next?prefetch=10&after=${after}`,
    );
    if (r.status === 204) return ids;
    expect(r.status).toBe(200);
    const page = [r.body.record, ...r.body.upcoming];
    ids.push(...page.map((q) => q.recordId));
    after = page[page.length - 1]!.position + 1;
  }
}

// Every test below reaches screening with no route call: the import -> dedup -> route chain alone.
describe.each<Engine>(['postgres', 'pglite'])('records flow into screening on their own (%s)', (engine) => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  const slug = `autoroute-${engine}`;
  const base = `/reviews/${slug}`;
  /** Ann and Bob both include the record at title/abstract. */
  const include = async (recordId: string) => {
    for (const who of [ann, bob])
      expect(
        (await who.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'include' }))
          .status,
      ).toBe(201);
  };

  beforeAll(async () => {
    app = await startTestApp({ engine, workers: true });
    review = await app.review(slug);
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
  });
  afterAll(async () => {
    await app?.close();
  });

  const jobState = async (id: string) =>
    (await app.rt.db.query<{ state: string }>(`SELECT state FROM jobs WHERE id = $1`, [id])).rows[0]?.state;

  /** Uploads an export and waits for the routing job its dedup run queues (a deterministic id). */
  async function upload(file: string, source: string): Promise<string> {
    const r = await lead.api<{ importId: string; jobId: string }>(
      'POST',
      `${base}/imports?fileName=${path.basename(file)}&source=${source}`,
      fixture(file),
    );
    expect(r.status).toBe(202);
    const routeId = `screening-route-${review.id}-title-abstract-dedup-${r.body.importId}`;
    await waitUntil(async () => (await jobState(routeId)) === 'completed', 30_000, `routing ${routeId}`);
    return routeId;
  }

  const uniqueRecords = async () =>
    (
      await app.rt.db.query<{ id: string }>(
        `SELECT id FROM records WHERE review_id = $1 AND duplicate_of IS NULL ORDER BY id`,
        [review.id],
      )
    ).rows.map((r) => r.id);

  let firstQueue: string[] = [];

  it('an uploaded export reaches both reviewers’ queues with no further call', async () => {
    const routeId = await upload('demo/medline-ovid.ris', 'MEDLINE');
    const unique = await uniqueRecords();
    expect(unique.length).toBe(35);
    firstQueue = (await queueOf(ann, base, 'title-abstract')).sort();
    expect(firstQueue).toEqual(unique);
    expect((await queueOf(bob, base, 'title-abstract')).sort()).toEqual(unique);
    // The routing job is listed with the review's jobs, with its progress, for the dashboard.
    const jobs = await lead.api<{ jobs: { id: string; state: string; progress: number }[] }>(
      'GET',
      `${base}/jobs`,
    );
    expect(jobs.body.jobs.find((j) => j.id === routeId)).toMatchObject({ state: 'completed', progress: 1 });
  });

  it('a later import with duplicates of queued records queues only its new unique records, once', async () => {
    await upload('demo/pubmed.nbib', 'PubMed');
    const { rows: dups } = await app.rt.db.query<{ id: string; keptId: string }>(
      `SELECT id, duplicate_of AS "keptId" FROM records WHERE review_id = $1 AND duplicate_of IS NOT NULL`,
      [review.id],
    );
    expect(dups.length).toBeGreaterThan(0);
    // The record already in the queues stays the one screened; its new copy does not join them.
    for (const d of dups) expect(firstQueue).toContain(d.keptId);
    const unique = await uniqueRecords();
    for (const who of [ann, bob]) {
      const q = await queueOf(who, base, 'title-abstract');
      expect(new Set(q).size).toBe(q.length);
      expect(q.sort()).toEqual(unique);
    }
  });

  it('a re-delivered routing job assigns nothing twice', async () => {
    const count = async () =>
      (
        await app.rt.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM assignments WHERE review_id = $1 AND state <> 'revoked'`,
          [review.id],
        )
      ).rows[0]!.n;
    const before = await count();
    const { rows: imports } = await app.rt.db.query<{ id: string }>(
      `SELECT id FROM imports WHERE review_id = $1`,
      [review.id],
    );
    // At-least-once: the handler of a job already run runs again, twice at once, and once more
    // through the queue under a fresh id (as after its Redis entry was lost).
    const payload = {
      reviewId: review.id,
      stage: 'title-abstract' as const,
      trigger: `dedup-${imports[0]!.id}`,
    };
    const ctx = {
      db: app.rt.db,
      config: app.config,
      log: { info() {}, warn() {}, error() {}, debug() {} },
      jobId: 'redelivered',
      attempt: 2,
      progress: async () => {},
      enqueue: async () => ({ jobId: 'none' }),
    } as unknown as Parameters<typeof routeJob.handler>[1];
    await Promise.all([routeJob.handler(payload, ctx), routeJob.handler(payload, ctx)]);
    const again = await app.rt.queue.enqueue('screening.route', payload, { jobId: `redelivered-${engine}` });
    await app.rt.queue.waitFor(again.jobId, 30_000);
    expect(await count()).toBe(before);
    const unique = await uniqueRecords();
    expect(before).toBe(unique.length * 2);
  });

  it('a record merged into another later leaves the queues; its vote stays in the log; a split brings it back', async () => {
    const queue = await queueOf(ann, base, 'title-abstract');
    const [a, b] = queue.slice(-2) as [string, string];
    // Ann votes on both (so each is "screened"); Bob has voted on neither.
    for (const recordId of [a, b])
      expect(
        (await ann.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'include' }))
          .status,
      ).toBe(201);
    const decided = await lead.api<{ jobId: string }>('POST', `${base}/duplicates/decisions`, {
      a,
      b,
      same: true,
    });
    expect(decided.status).toBe(202);
    const merged = await waitUntil(async () => {
      const { rows } = await app.rt.db.query<{ id: string; keptId: string }>(
        `SELECT id, duplicate_of AS "keptId" FROM records WHERE id = ANY($1::uuid[]) AND duplicate_of IS NOT NULL`,
        [[a, b]],
      );
      return rows[0] ?? null;
    });
    const routed = `screening-route-${review.id}-title-abstract-dedup-${decided.body.jobId.slice(`dedup-${review.id}-`.length)}`;
    await waitUntil(async () => (await jobState(routed)) === 'completed', 30_000, 'routing after merge');
    const bobQueue = await queueOf(bob, base, 'title-abstract');
    expect(bobQueue).not.toContain(merged.id);
    expect(bobQueue).toContain(merged.keptId);
    const revoked = await listEvents(app.rt.db, {
      reviewId: review.id,
      types: ['assignment.revoked'],
      entityId: merged.id,
    });
    expect(revoked.map((e) => e.data)).toEqual([
      { stage: 'title-abstract', reviewerId: bob.id, reason: 'merged as a duplicate', keptId: merged.keptId },
    ]);
    const { rows: votes } = await app.rt.db.query<{ vote: string }>(
      `SELECT vote FROM decisions WHERE record_id = $1`,
      [merged.id],
    );
    expect(votes.map((v) => v.vote)).toEqual(['include']);
    // Bob cannot vote on the withdrawn record.
    expect(
      (
        await bob.api('POST', `${base}/stages/title-abstract/decisions`, {
          recordId: merged.id,
          vote: 'include',
        })
      ).status,
    ).not.toBe(201);
    // The dashboard counts the pair once.
    const status = await lead.api<{ screeningTitleAbstract: { records: number } }>('GET', `${base}/status`);
    expect(status.body.screeningTitleAbstract.records).toBe((await uniqueRecords()).length);

    const { rows: groups } = await app.rt.db.query<{ groupId: string }>(
      `SELECT group_id AS "groupId" FROM dedup_members WHERE record_id = $1`,
      [merged.id],
    );
    const split = await lead.api<{ jobId: string }>(
      'POST',
      `${base}/duplicates/groups/${groups[0]!.groupId}/split`,
      {},
    );
    expect(split.status).toBe(202);
    await waitUntil(
      async () => (await queueOf(bob, base, 'title-abstract')).includes(merged.id),
      30_000,
      'the split record back in the queue',
    );
  });

  it('a held stage routes nothing until the lead opens it; each change is logged', async () => {
    const held = await lead.api<{ held: boolean; changed: boolean }>(
      'PUT',
      `${base}/stages/title-abstract/hold`,
      {
        held: true,
      },
    );
    expect(held.body).toMatchObject({ held: true, changed: true });
    expect((await ann.api('PUT', `${base}/stages/title-abstract/hold`, { held: false })).status).toBe(403);
    expect((await ann.api<{ held: boolean }>('GET', `${base}/stages/title-abstract/config`)).body.held).toBe(
      true,
    );
    const before = new Set(await uniqueRecords());
    await upload('demo/grey-literature.csv', 'Websites');
    const fresh = (await uniqueRecords()).filter((id) => !before.has(id));
    expect(fresh.length).toBeGreaterThan(0);
    // Held: nothing is served, not even what was already assigned; the new records wait unassigned.
    expect((await ann.api('GET', `${base}/stages/title-abstract/next`)).status).toBe(204);
    // A record Ann already had on screen: her vote is refused in words, and the record stays hers.
    const { rows: mine } = await app.rt.db.query<{ record_id: string }>(
      `SELECT record_id FROM assignments WHERE reviewer_id = $1 AND stage = 'title-abstract' AND state = 'open' LIMIT 1`,
      [ann.id],
    );
    const onScreen = mine[0]!.record_id;
    const refused = await ann.api<{ error: { message: string } }>(
      'POST',
      `${base}/stages/title-abstract/decisions`,
      { recordId: onScreen, vote: 'include' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'Title/abstract screening is on hold: the lead has paused it. Your vote was not recorded; the record stays in your queue for when the lead opens the stage again.',
    );
    const { rows: kept } = await app.rt.db.query<{ votes: number; open: number }>(
      `SELECT (SELECT count(*)::int FROM decisions WHERE record_id = $1 AND reviewer_id = $2) AS votes,
              (SELECT count(*)::int FROM assignments WHERE record_id = $1 AND reviewer_id = $2 AND state = 'open') AS open`,
      [onScreen, ann.id],
    );
    expect(kept[0]).toEqual({ votes: 0, open: 1 });
    // Nor is a vote taken back while held: it would reopen the record behind the lead's pause.
    const { rows: voted } = await app.rt.db.query<{ record_id: string }>(
      `SELECT record_id FROM decisions WHERE reviewer_id = $1 AND stage = 'title-abstract' AND vote <> 'retract' ORDER BY id DESC LIMIT 1`,
      [ann.id],
    );
    const undo = await ann.api<{ error: { message: string } }>(
      'POST',
      `${base}/stages/title-abstract/decisions/undo`,
      { recordId: voted[0]!.record_id },
    );
    expect(undo.status).toBe(409);
    expect(undo.body.error.message).toMatch(/^Title\/abstract screening is on hold: .*Your vote stands/);
    const { rows: retracts } = await app.rt.db.query(
      `SELECT 1 FROM decisions WHERE reviewer_id = $1 AND record_id = $2 AND vote = 'retract'`,
      [ann.id, voted[0]!.record_id],
    );
    expect(retracts).toEqual([]);
    const { rows } = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assignments WHERE record_id = ANY($1::uuid[])`,
      [fresh],
    );
    expect(rows[0]!.n).toBe(0);

    const opened = await lead.api<{ jobId: string }>('PUT', `${base}/stages/title-abstract/hold`, {
      held: false,
    });
    expect(opened.status).toBe(200);
    await app.rt.queue.waitFor(opened.body.jobId, 30_000);
    for (const who of [ann, bob]) {
      const q = await queueOf(who, base, 'title-abstract');
      for (const id of fresh) expect(q).toContain(id);
    }
    const events = await listEvents(app.rt.db, {
      reviewId: review.id,
      types: ['stage.held', 'stage.opened'],
    });
    expect(events.map((e) => [e.type, e.actorId, e.entityId])).toEqual([
      ['stage.held', lead.id, 'title-abstract'],
      ['stage.opened', lead.id, 'title-abstract'],
    ]);
  });

  it('records included at title/abstract reach full text without a route call; a held full-text stage waits', async () => {
    const queue = await queueOf(ann, base, 'title-abstract');
    const bobQueue = new Set(await queueOf(bob, base, 'title-abstract'));
    const both = queue.filter((id) => bobQueue.has(id));
    const [first, second] = both as [string, string];
    await include(first);
    await waitUntil(
      async () =>
        (await queueOf(ann, base, 'full-text')).includes(first) &&
        (await queueOf(bob, base, 'full-text')).includes(first),
      30_000,
      'the included record at full text',
    );

    await lead.api('PUT', `${base}/stages/full-text/hold`, { held: true });
    const { rows: before } = await app.rt.db.query<{ at: Date }>('SELECT clock_timestamp() AS at');
    await include(second);
    await waitUntil(async () => {
      const { rows } = await app.rt.db.query(
        `SELECT 1 FROM stage_records WHERE record_id = $1 AND stage = 'full-text'`,
        [second],
      );
      return rows.length > 0;
    });
    // The run queued for the window the record advanced in, once it has run.
    const advanceJob = await waitUntil(async () => {
      const { rows } = await app.rt.db.query<{ id: string; state: string }>(
        `SELECT id, state FROM jobs WHERE name = 'screening.route' AND payload->>'stage' = 'full-text'
            AND created_at >= $1 ORDER BY created_at LIMIT 1`,
        [before[0]!.at],
      );
      return rows[0]?.state === 'completed' ? rows[0] : null;
    });
    expect(advanceJob.id).toMatch(/full-text-advance-\d+$/);
    expect((await ann.api('GET', `${base}/stages/full-text/next`)).status).toBe(204);
    const opened = await lead.api<{ jobId: string }>('PUT', `${base}/stages/full-text/hold`, { held: false });
    await app.rt.queue.waitFor(opened.body.jobId, 30_000);
    expect(await queueOf(ann, base, 'full-text')).toContain(second);
    expect(await queueOf(bob, base, 'full-text')).toContain(second);
  });

  it('records advancing close together are routed to full text by one run per moment, not one each', async () => {
    const bobQueue = new Set(await queueOf(bob, base, 'title-abstract'));
    const both = (await queueOf(ann, base, 'title-abstract')).filter((id) => bobQueue.has(id)).slice(0, 4);
    expect(both).toHaveLength(4);
    const { rows: before } = await app.rt.db.query<{ at: Date }>('SELECT clock_timestamp() AS at');
    // The windows (of the server's clock: it runs in this process) the advances fall in.
    const firstWindow = Math.floor(Date.now() / ADVANCE_ROUTING_DELAY_MS);
    for (const recordId of both) await include(recordId);
    const lastWindow = Math.floor(Date.now() / ADVANCE_ROUTING_DELAY_MS);
    await waitUntil(
      async () => {
        const [a, b] = [await queueOf(ann, base, 'full-text'), await queueOf(bob, base, 'full-text')];
        return both.every((id) => a.includes(id) && b.includes(id));
      },
      30_000,
      'the four records at full text',
    );
    const { rows: jobs } = await app.rt.db.query<{ id: string }>(
      `SELECT id FROM jobs WHERE name = 'screening.route' AND payload->>'stage' = 'full-text' AND created_at >= $1`,
      [before[0]!.at],
    );
    // One run per window the advances fell in, named by its window: never one per record.
    const windows = jobs.map((j) => Number(/-advance-(\d+)$/.exec(j.id)?.[1]));
    expect(windows.every((w) => w >= firstWindow && w <= lastWindow)).toBe(true);
    expect(new Set(windows).size).toBe(windows.length);
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.length).toBeLessThanOrEqual(Math.min(4, lastWindow - firstWindow + 1));
  });
});
