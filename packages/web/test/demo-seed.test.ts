import { createReadStream } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestImport } from '@winnow/ingest';
import { createDemoReview, DEMO, seedDemoReview } from '../src/demo/demo-review.ts';
import { DEMO_DIR, DEMO_FILES } from '../src/demo/demo-imports.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

async function counts(app: TestApp, reviewId: string) {
  const { rows } = await app.rt.db.query<{
    imports: number;
    complete: number;
    records: number;
    assigned: number;
    members: number;
    seeded: number;
  }>(
    `SELECT (SELECT count(*)::int FROM imports WHERE review_id = $1) AS imports,
            (SELECT count(*)::int FROM imports WHERE review_id = $1 AND status = 'complete') AS complete,
            (SELECT count(*)::int FROM records WHERE review_id = $1) AS records,
            (SELECT count(DISTINCT record_id)::int FROM assignments WHERE review_id = $1 AND stage = 'title-abstract') AS assigned,
            (SELECT count(*)::int FROM members WHERE review_id = $1) AS members,
            (SELECT count(*)::int FROM events WHERE review_id = $1 AND type = 'demo.seeded') AS seeded`,
    [reviewId],
  );
  return rows[0]!;
}

describe('demo seed: finishes after an interruption, never touches a user’s own "default" review', () => {
  describe('interrupted after the review and one upload were registered', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ workers: true });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('the next start completes the seed once; a further start changes nothing', async () => {
      // What a process killed early in seedDemoReview leaves: the review with its seeding mark,
      // and the first file stored and registered but its import job never queued.
      const review = await createDemoReview(app.rt.db);
      const first = DEMO_FILES[0]!;
      await requestImport(app.rt.db, {
        reviewId: review.id,
        fileName: first.file,
        source: createReadStream(path.join(DEMO_DIR, first.file)),
        maxBytes: app.rt.config.uploadMaxBytes,
        search: first.search,
      });
      expect(await counts(app, review.id)).toMatchObject({ imports: 1, complete: 0, records: 0, seeded: 0 });

      const seeded = await seedDemoReview(app.rt);
      expect(seeded).toMatchObject({ slug: DEMO.slug, email: DEMO.accounts[0].email });
      const after = await counts(app, review.id);
      expect(after).toMatchObject({
        imports: DEMO_FILES.length,
        complete: DEMO_FILES.length,
        records: 59,
        members: 5,
        seeded: 1,
      });
      expect(after.assigned).toBe(53);

      expect(await seedDemoReview(app.rt)).toBeNull();
      expect(await counts(app, review.id)).toEqual(after);
    });
  });

  describe('a database whose only review is a user’s own called "default"', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ workers: false });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('is left alone', async () => {
      const own = await app.review(DEMO.slug, 'Our own review');
      const before = await counts(app, own.id);
      expect(await seedDemoReview(app.rt)).toBeNull();
      expect(await counts(app, own.id)).toEqual(before);
      expect(before).toMatchObject({ imports: 0, records: 0, seeded: 0 });
    });
  });
});
