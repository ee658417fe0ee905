import { addMember, createUser, findReviewBySlug, findUserByEmail, listReviews, type Db } from '@winnow/core';
import { createReview } from '@winnow/core';
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

/**
 * Creates the demo review, its team and imports its sample exports, when the database holds no
 * review yet. Returns null when there was already something to show.
 */
export async function seedDemoReview(
  rt: Runtime,
): Promise<{ slug: string; email: string; password: string } | null> {
  if ((await listReviews(rt.db)).length > 0 && (await findReviewBySlug(rt.db, DEMO.slug)) === null)
    return null;
  let review = await findReviewBySlug(rt.db, DEMO.slug);
  const fresh = review === null;
  review ??= await createReview(rt.db, { slug: DEMO.slug, title: DEMO.title, description: DEMO.description });
  if (!fresh) return null;
  let leadId = '';
  for (const a of DEMO.accounts) {
    const userId = await ensureUser(rt.db, a.email, a.name);
    for (const role of a.roles) await addMember(rt.db, { reviewId: review.id, userId, role });
    if ((a.roles as readonly string[]).includes('lead')) leadId = userId;
  }
  await importDemoFiles(rt, review);
  await openDemoScreening(rt, review, leadId);
  return { slug: review.slug, email: DEMO.accounts[0].email, password: DEMO.password };
}
