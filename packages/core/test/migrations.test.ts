import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendEvent,
  appendEvents,
  createReview,
  listEvents,
  listMigrations,
  migrate,
} from '../src/index.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../src/testing/index.ts';

describe.each(ENGINES)('migrations and event log on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('applies every migration once and is a no-op the second time', async () => {
    const { rows } = await t.db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(t.db)).toEqual([]);
  });

  it('records a review creation as an event in the same transaction', async () => {
    const review = await createReview(t.db, { slug: `r-${engine}`, title: 'A review' });
    const events = await listEvents(t.db, { reviewId: review.id });
    expect(events.map((e) => e.type)).toEqual(['review.created']);
    expect(events[0]?.data).toMatchObject({ slug: `r-${engine}` });
  });

  it('refuses to update or delete events', async () => {
    await expect(t.db.query('UPDATE events SET type = $1', ['tampered'])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM events')).rejects.toThrow(/append-only/);
  });

  it('writes an idempotency key once', async () => {
    const review = await createReview(t.db, { slug: `idem-${engine}`, title: 'Idem' });
    const e = {
      reviewId: review.id,
      type: 'x.done',
      entityType: 'x',
      entityId: '1',
      idempotencyKey: `k-${engine}`,
    };
    expect(await appendEvent(t.db, e)).not.toBeNull();
    expect(await appendEvent(t.db, e)).toBeNull();
  });

  it('appends many events in their order, across statements, each idempotency key once', async () => {
    const review = await createReview(t.db, { slug: `batch-${engine}`, title: 'Batch' });
    const events = Array.from({ length: 2500 }, (_, i) => ({
      reviewId: review.id,
      type: 'x.batched',
      entityType: 'x',
      entityId: String(i),
      data: { i },
      idempotencyKey: `batch-${engine}-${i % 2400}`,
    }));
    await t.db.transaction((tx) => appendEvents(tx, events));
    // A retried run writes nothing twice.
    await t.db.transaction((tx) => appendEvents(tx, events.slice(0, 10)));
    const stored = await listEvents(t.db, { reviewId: review.id, types: ['x.batched'], limit: 5000 });
    // Keys 0-99 came round again at 2400-2499: those appended nothing.
    expect(stored.map((e) => e.entityId)).toEqual(events.slice(0, 2400).map((e) => e.entityId));
    expect(stored.map((e) => e.data)).toEqual(events.slice(0, 2400).map((e) => e.data));
  });

  it('rolls back every write of a failed transaction', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO reviews (slug, title) VALUES ('rolled-${engine}', 'x')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await t.db.query('SELECT 1 FROM reviews WHERE slug = $1', [`rolled-${engine}`]);
    expect(rows).toHaveLength(0);
  });
});
