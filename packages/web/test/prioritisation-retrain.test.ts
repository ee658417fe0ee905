import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Review } from '@winnow/core';
import { waitForQueueIdle } from '@winnow/core/testing';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

// Issue 14, item 7: the model retrains on settled labels, queued where outcomes settle, never on a
// page view and never when the labels are the same as the latest model's.

const RELEVANT = (i: number) => ({
  title: `Ward leadership and quality improvement culture in hospitals ${i}`,
  abstract: `Nurse leadership and improvement teams in acute hospital wards; quality improvement study ${i}.`,
});
const IRRELEVANT = (i: number) => ({
  title: `Nitrogen uptake in wheat under drought ${i}`,
  abstract: `Soil chemistry, fertiliser timing and crop yield in field trials of winter wheat, season ${i}.`,
});

async function seed(
  db: Db,
  reviewId: string,
  n: number,
): Promise<{ relevant: string[]; irrelevant: string[] }> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO imports (review_id, file_name, content_hash, status) VALUES ($1, 'retrain.ris', $2, 'complete') RETURNING id`,
    [reviewId, `retrain-${Date.now()}-${Math.random()}`],
  );
  const out = { relevant: [] as string[], irrelevant: [] as string[] };
  for (let i = 0; i < n; i++) {
    const isRelevant = i % 3 === 0;
    const r = isRelevant ? RELEVANT(i) : IRRELEVANT(i);
    const { rows: rec } = await db.query<{ id: string }>(
      `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw)
       VALUES ($1, $2, $3, $4, 2020, $5, '') RETURNING id`,
      [
        reviewId,
        rows[0]!.id,
        i + 1,
        r.title,
        JSON.stringify({ ...r, authors: [], keywords: [], mesh: [], source: { format: 'ris' } }),
      ],
    );
    (isRelevant ? out.relevant : out.irrelevant).push(rec[0]!.id);
  }
  return out;
}

describe('prioritisation retrains on settled labels (votes through the API, real queue and PostgreSQL)', () => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let relevant: string[];
  let irrelevant: string[];
  const base = '/reviews/prio-retrain';
  const stage = 'title-abstract';

  const vote = async (user: TestUser, recordId: string, v: 'include' | 'exclude') => {
    const r = await user.api('POST', `${base}/stages/${stage}/decisions`, { recordId, vote: v });
    expect(r.status).toBe(201);
  };
  /** Both reviewers agree, so the record settles (two votes needed). */
  const settle = async (recordId: string, v: 'include' | 'exclude') => {
    await vote(ann, recordId, v);
    await vote(bob, recordId, v);
  };
  const idle = () => waitForQueueIdle(app.config, 30_000);
  const retrainJobs = async () =>
    (
      await app.rt.db.query<{ id: string; state: string }>(
        `SELECT id, state FROM jobs WHERE review_id = $1 AND name = 'prioritisation.retrain' ORDER BY created_at`,
        [review.id],
      )
    ).rows;
  const models = async () =>
    (
      await app.rt.db.query<{ labelled: number; relevant: number }>(
        `SELECT labelled, relevant FROM prioritisation_models WHERE review_id = $1 AND stage = $2 ORDER BY id`,
        [review.id, stage],
      )
    ).rows;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('prio-retrain');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    ({ relevant, irrelevant } = await seed(app.rt.db, review.id, 24));
    const cfg = await lead.api<{ jobId: string }>('PUT', `${base}/stages/${stage}/config`, {
      order: 'prioritised',
      seed: 5,
    });
    expect(cfg.status).toBe(200);
    const settings = await lead.api('PUT', `${base}/prioritisation/${stage}/settings`, { retrainEvery: 3 });
    expect(settings.status).toBe(200);
    await idle();
    // Two reviewers, two votes needed: every record is in both queues.
    const { rows } = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assignments WHERE review_id = $1 AND stage = $2 AND state = 'open'`,
      [review.id, stage],
    );
    expect(rows[0]!.n).toBe(48);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('trains the first model as soon as one included and one excluded record are settled, from votes alone', async () => {
    await settle(relevant[0]!, 'include');
    await settle(relevant[1]!, 'include');
    await idle();
    // Two included and none excluded: nothing to learn from, so no job at all.
    expect(await retrainJobs()).toEqual([]);
    expect(await models()).toEqual([]);

    await settle(irrelevant[0]!, 'exclude');
    await idle();
    const jobs = await retrainJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.state).toBe('completed');
    expect(await models()).toEqual([{ labelled: 3, relevant: 2 }]);
  });

  it('retrains once every retrainEvery settled records, and queues nothing when the labels did not change', async () => {
    // A vote that settles nothing (one of two) and a disagreement (a conflict) change no label.
    await vote(ann, irrelevant[1]!, 'exclude');
    await vote(ann, relevant[2]!, 'include');
    await vote(bob, relevant[2]!, 'exclude');
    await idle();
    expect(await retrainJobs()).toHaveLength(1);

    // Two more settled records: fewer than retrainEvery (3) beyond the model's 3.
    await vote(bob, irrelevant[1]!, 'exclude');
    await settle(irrelevant[2]!, 'exclude');
    await idle();
    expect(await retrainJobs()).toHaveLength(1);
    expect(await models()).toHaveLength(1);

    // The third settles: one retrain, on all six.
    await settle(relevant[3]!, 'include');
    await idle();
    const jobs = await retrainJobs();
    expect(jobs).toHaveLength(2);
    expect(jobs.every((j) => j.state === 'completed')).toBe(true);
    expect(await models()).toEqual([
      { labelled: 3, relevant: 2 },
      { labelled: 6, relevant: 3 },
    ]);
    // Idle means nothing waiting, running or delayed: no retrain is scheduled for later either.
    await idle();
    expect(await retrainJobs()).toHaveLength(2);
  });

  it('shows the model on the prioritisation page without queueing anything', async () => {
    for (const user of [lead, ann, bob]) {
      const r = await user.api<{
        model: { labelled: number; relevant: number; trainedAt: string } | null;
        settled: { labelled: number; included: number; excluded: number };
        settledSinceModel: number;
        now: string;
      }>('GET', `${base}/prioritisation/${stage}`);
      expect(r.status).toBe(200);
      expect(r.body.model).toMatchObject({ labelled: 6, relevant: 3 });
      expect(r.body.settled).toEqual({ labelled: 6, included: 3, excluded: 3 });
      expect(r.body.settledSinceModel).toBe(0);
      expect(Date.parse(r.body.now)).toBeGreaterThanOrEqual(Date.parse(r.body.model!.trainedAt));
    }
    await idle();
    expect(await retrainJobs()).toHaveLength(2);
  });

  it('waits between retrains that come faster than ten times what the last one took', async () => {
    // As though the last retrain had taken long: the next may start once its model is ten times as
    // old as that, some 10 s from now (ample for the ten votes below).
    const { rows: paced } = await app.rt.db.query<{ id: string; dueAt: Date }>(
      `UPDATE prioritisation_models SET busy_ms = ceil(extract(epoch FROM clock_timestamp() - created_at) * 100) + 1000
        WHERE id = (SELECT max(id) FROM prioritisation_models WHERE review_id = $1 AND stage = $2)
        RETURNING id, created_at + busy_ms * 10 * interval '1 millisecond' AS "dueAt"`,
      [review.id, stage],
    );
    const latest = paced[0]!;
    // Three more settled records make a retrain due, and two more settle while it waits.
    for (const id of [relevant[4]!, irrelevant[3]!, irrelevant[4]!, irrelevant[5]!, irrelevant[6]!])
      await settle(id, id === relevant[4] ? 'include' : 'exclude');
    await idle();
    const jobs = await retrainJobs();
    expect(jobs).toHaveLength(3);
    expect(jobs[2]!.id).toMatch(new RegExp(`-paced-after-${latest.id}-at-\\d+$`));
    expect(jobs[2]!.state).toBe('completed');
    const { rows: trained } = await app.rt.db.query<{ labelled: number; onTime: boolean }>(
      `SELECT labelled, created_at >= $3 AS "onTime" FROM prioritisation_models
        WHERE review_id = $1 AND stage = $2 AND id > $4 ORDER BY id`,
      [review.id, stage, latest.dueAt, latest.id],
    );
    // One retrain, after its time, on all eleven settled records.
    expect(trained).toEqual([{ labelled: 11, onTime: true }]);
  });
});
