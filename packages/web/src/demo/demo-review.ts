import {
  addMember,
  appendEvent,
  createReview,
  createUser,
  findReviewBySlug,
  findUserByEmail,
  listReviews,
  type Db,
  type Review,
} from '@winnow/core';
import type { Runtime } from '../app/runtime.ts';
import { importDemoFiles } from './demo-imports.ts';
import { openDemoScreening } from './demo-screening.ts';

export const DEMO = {
  slug: 'default',
  title: 'Influences on quality improvement processes in healthcare',
  description:
    'Demo rapid evidence assessment: what influences the processes of quality improvement in healthcare ' +
    '(leadership, relationships and culture, skills, data, patient and public involvement, working as a system).',
  password: 'winnow-demo',
  accounts: [
    { email: 'lead@demo.winnow', name: 'Demo Lead', roles: ['lead', 'adjudicator'] },
    { email: 'alice@demo.winnow', name: 'Alice (reviewer)', roles: ['reviewer'] },
    { email: 'bob@demo.winnow', name: 'Bob (reviewer)', roles: ['reviewer'] },
    { email: 'carol@demo.winnow', name: 'Carol (adjudicator)', roles: ['adjudicator'] },
  ],
} as const;

async function ensureUser(db: Db, email: string, name: string): Promise<string> {
  const existing = await findUserByEmail(db, email);
  if (existing) return existing.id;
  return (await createUser(db, { email, name, password: DEMO.password })).id;
}

const SEEDING = 'demo.seeding';
const SEEDED = 'demo.seeded';

async function demoState(db: Db, review: Review): Promise<'seeded' | 'interrupted' | 'not-demo'> {
  const { rows } = await db.query<{ type: string }>(
    `SELECT DISTINCT type FROM events WHERE review_id = $1 AND type IN ($2, $3)`,
    [review.id, SEEDING, SEEDED],
  );
  const types = new Set(rows.map((r) => r.type));
  if (types.has(SEEDED)) return 'seeded';
  return types.has(SEEDING) ? 'interrupted' : 'not-demo';
}

/** The demo review, created with the event that marks it as the demo's (seeding has begun). */
export async function createDemoReview(db: Db): Promise<Review> {
  return db.transaction(async (tx) => {
    const created = await createReview(
      { transaction: (fn) => fn(tx) },
      { slug: DEMO.slug, title: DEMO.title, description: DEMO.description },
    );
    await appendEvent(tx, {
      reviewId: created.id,
      type: SEEDING,
      actorId: null,
      entityType: 'review',
      entityId: created.id,
      data: {},
    });
    return created;
  });
}

/**
 * Creates the demo review, its team and imports its sample exports, when the database holds no
 * review yet; finishes a seed that was interrupted (the process killed half-way), which the
 * `demo.seeding` event, written with the review itself, tells apart from a user's own review that
 * happens to be called "default" (that one is never touched). Every step is safe to repeat.
 * Returns null when there was nothing to do.
 */
export async function seedDemoReview(
  rt: Runtime,
): Promise<{ slug: string; email: string; password: string } | null> {
  let review = await findReviewBySlug(rt.db, DEMO.slug);
  if (review) {
    if ((await demoState(rt.db, review)) !== 'interrupted') return null;
    rt.log.info(`demo review "${DEMO.slug}": finishing a seed that was interrupted`);
  } else {
    if ((await listReviews(rt.db)).length > 0) return null;
    review = await createDemoReview(rt.db);
  }
  let leadId = '';
  for (const a of DEMO.accounts) {
    const userId = await ensureUser(rt.db, a.email, a.name);
    for (const role of a.roles) await addMember(rt.db, { reviewId: review.id, userId, role });
    if ((a.roles as readonly string[]).includes('lead')) leadId = userId;
  }
  await importDemoFiles(rt, review);
  await openDemoScreening(rt, review, leadId);
  await appendEvent(rt.db, {
    reviewId: review.id,
    type: SEEDED,
    actorId: null,
    entityType: 'review',
    entityId: review.id,
    data: {},
  });
  return { slug: review.slug, email: DEMO.accounts[0].email, password: DEMO.password };
}
