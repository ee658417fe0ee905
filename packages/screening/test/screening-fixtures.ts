import { addMember, createReview, createUser, type Db, type Role } from '@winnow/core';
import { enterTitleAbstract, routeStage, saveStageConfig } from '../src/index.ts';

/** A review with `records` records and users in the given roles; written for these tests only. */
export async function seedReview(
  db: Db,
  opts: { slug: string; records: number; users: Record<string, Role[]> },
) {
  const review = await createReview(db, { slug: opts.slug, title: opts.slug });
  const users: Record<string, string> = {};
  for (const [name, roles] of Object.entries(opts.users)) {
    const u = await createUser(db, {
      email: `${name}.${opts.slug}@test.winnow`,
      name,
      password: 'correct horse battery',
    });
    users[name] = u.id;
    for (const role of roles) await addMember(db, { reviewId: review.id, userId: u.id, role });
  }
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO imports (review_id, file_name, content_hash, status) VALUES ($1, 'fixture.ris', 'h', 'complete') RETURNING id`,
    [review.id],
  );
  const importId = rows[0]!.id;
  const recordIds: string[] = [];
  for (let i = 1; i <= opts.records; i++) {
    const data = {
      title: `Quality improvement study ${i}`,
      abstract: `A randomised trial of leadership in hospital care, number ${i}.`,
      authors: [{ family: 'Smith', given: 'A', asWritten: 'Smith, A' }],
      year: 2010 + (i % 10),
      journal: 'BMJ Quality & Safety',
      keywords: ['quality improvement'],
      mesh: ['Leadership'],
      source: { format: 'ris' },
      raw: '',
    };
    const r = await db.query<{ id: string }>(
      `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw) VALUES ($1, $2, $3, $4, $5, $6, '') RETURNING id`,
      [review.id, importId, i, data.title, data.year, JSON.stringify(data)],
    );
    recordIds.push(r.rows[0]!.id);
  }
  return { review, users, recordIds };
}

/**
 * A review of `records` records screened by ann and bob, two votes a record, title/abstract
 * entered and routed: every record is open in both queues.
 */
export async function seedRoutedReview(db: Db, slug: string, records: number) {
  const seeded = await seedReview(db, { slug, records, users: { ann: ['reviewer'], bob: ['reviewer'] } });
  const reviewId = seeded.review.id;
  const ann = seeded.users.ann!;
  await saveStageConfig(db, {
    reviewId,
    stage: 'title-abstract',
    config: { exclusionReasons: [{ code: 'wrong-design', label: 'Wrong design' }], votesNeeded: 2 },
    actorId: ann,
  });
  await enterTitleAbstract(db, reviewId);
  await routeStage(db, { reviewId, stage: 'title-abstract' });
  return { reviewId, ann, bob: seeded.users.bob!, recordIds: seeded.recordIds };
}

/** Whether another session of this database is waiting for a lock now. */
export async function someoneWaits(db: Db): Promise<boolean> {
  return (await lockWaiters(db)) > 0;
}

/** How many other sessions of this database wait for a lock now (PostgreSQL). */
export async function lockWaiters(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
  );
  return rows[0]!.n;
}
