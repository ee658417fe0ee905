import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createApiToken,
  createReview,
  createUser,
  openDatabase,
  type Db,
  type Review,
} from '@winnow/core';
import { testConfig } from '@winnow/core/testing';
import { waitUntil } from './screening-fixtures.ts';
import {
  HAS_POSTGRES_BINARIES,
  startPrivatePostgres,
  type PrivatePostgres,
} from './support/private-services.ts';
import { startServe, type ServeProcess } from './support/serve-process.ts';

const N = 20_000;

if (!HAS_POSTGRES_BINARIES)
  console.warn('faults-postgres.stress: no initdb/pg_ctl under /usr/lib/postgresql; skipped');

function exportOf(n: number): string {
  return Array.from(
    { length: n },
    (_, i) =>
      `TY  - JOUR\nTI  - Restart study ${i + 1} of discharge planning\nAU  - Doe, R.\nPY  - 2021\nER  - \n`,
  ).join('\n');
}

/**
 * A private PostgreSQL cluster is crashed (pg_ctl stop -m immediate) and restarted while the server
 * imports a file. The import is whole or absent at every moment it is read, and the job retries
 * until it is whole: every record once, one completion event.
 */
describe.skipIf(!HAS_POSTGRES_BINARIES)('PostgreSQL restarted during an import', () => {
  let pg: PrivatePostgres;
  let db: Db;
  let serve: ServeProcess;
  let review: Review;
  let token: string;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const config = testConfig({ databaseUrl: pg.url });
    db = await openDatabase(config, { migrate: true });
    const user = await createUser(db, { email: 'lead@pg.test', name: 'Lead', password: 'pg restart pw' });
    review = await createReview(db, { slug: 'pg-restart', title: 'PostgreSQL restart' });
    await addMember(db, { reviewId: review.id, userId: user.id, role: 'lead' });
    token = (await createApiToken(db, user.id, 'test')).token;
    serve = await startServe({
      DATABASE_URL: pg.url,
      WINNOW_QUEUE_PREFIX: config.queuePrefix,
      WINNOW_START_REDIS: 'never',
      WINNOW_DATA_DIR: config.dataDir,
    });
  });
  afterAll(async () => {
    await serve?.kill('SIGKILL');
    await db?.close();
    await pg?.close();
  });

  const read = async () => {
    try {
      const { rows } = await db.query<{ records: number; status: string; completed: number }>(
        `SELECT (SELECT count(*)::int FROM records WHERE review_id = $1) AS records,
                (SELECT status FROM imports WHERE review_id = $1 LIMIT 1) AS status,
                (SELECT count(*)::int FROM events WHERE review_id = $1 AND type = 'import.completed') AS completed`,
        [review.id],
      );
      return rows[0]!;
    } catch {
      return null; // the database is down or the pool is reconnecting
    }
  };

  it(
    'keeps the import whole or absent and completes it once after the restart',
    { timeout: 300_000 },
    async () => {
      const res = await fetch(`${serve.url}/api/reviews/pg-restart/imports?fileName=restart.ris`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body: exportOf(N),
      });
      expect(res.status).toBe(202);
      const atCrash = await waitUntil(
        async () => {
          const r = await read();
          return r && r.records > 0 ? r : null;
        },
        120_000,
        'the first records',
      );
      await pg.stop('immediate');
      await new Promise((r) => setTimeout(r, 3_000));
      await pg.start();
      console.log(`postgres crashed with ${atCrash.records} of ${N} records written`);

      // Never a completed import with missing records, never more than N.
      const seen: string[] = [];
      const done = await waitUntil(
        async () => {
          const r = await read();
          if (!r) return null;
          seen.push(`${r.status}:${r.records}`);
          expect(r.records).toBeLessThanOrEqual(N);
          if (r.status === 'complete') expect(r.records).toBe(N);
          return r.status === 'complete' || r.status === 'failed' ? r : null;
        },
        90_000,
        'the import to finish after the restart',
      ).catch(async (e: Error) => {
        const jobs = await db
          .query('SELECT name, state, attempts, progress, message, error FROM jobs')
          .catch(() => null);
        throw new Error(
          `${e.message}; last reads ${seen.slice(-3).join(' ')}; jobs ${JSON.stringify(jobs?.rows)}; server log: ${serve.log().slice(-1500)}`,
        );
      });
      expect(done, seen.slice(-5).join(' ')).toEqual({ records: N, status: 'complete', completed: 1 });
      // The server itself survived the crash of its database.
      expect(serve.child.exitCode).toBeNull();
      expect((await fetch(`${serve.url}/api/health`)).status).toBe(200);
    },
  );
});
