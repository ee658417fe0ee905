import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@winnow/core/testing';
import { REPO_ROOT, runWinnow } from './support/cli.ts';
import { startServe, startWorker } from './support/serve-process.ts';

async function login(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrfToken };
}

async function reviews(url: string, cookie: string): Promise<string[]> {
  const res = await fetch(`${url}/api/reviews`, { headers: { cookie } });
  return ((await res.json()) as { reviews: { slug: string }[] }).reviews.map((r) => r.slug);
}

describe('winnow serve processes', () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await pg.drop();
  });

  it(
    'two servers against one PostgreSQL and one Redis share sessions and data; a killed one loses nothing',
    { timeout: 150_000 },
    async () => {
      const env = { DATABASE_URL: pg.url!, WINNOW_QUEUE_PREFIX: `srv-${Date.now()}` };
      await runWinnow(
        ['user', 'add', '--email', 'lead@two.test', '--name', 'Lead', '--password', 'two servers pw'],
        env,
      );
      const [a, b] = await Promise.all([startServe(env), startServe(env)]);
      try {
        const s = await login(a.url, 'lead@two.test', 'two servers pw');
        const created = await fetch(`${a.url}/api/reviews`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrfToken },
          body: JSON.stringify({ slug: 'shared', title: 'Shared' }),
        });
        expect(created.status).toBe(201);
        // The session made on A works on B: sessions live in the database.
        expect(await reviews(b.url, s.cookie)).toEqual(['shared']);
        await a.kill('SIGKILL');
        const a2 = await startServe(env);
        try {
          expect(await reviews(a2.url, s.cookie)).toEqual(['shared']);
        } finally {
          expect(await a2.kill('SIGTERM')).toBe(0);
        }
      } finally {
        await a.kill('SIGKILL');
        await b.kill('SIGTERM');
      }
    },
  );

  it(
    'a web process without workers and a separate `winnow worker` process run an import together',
    { timeout: 150_000 },
    async () => {
      const env = { DATABASE_URL: pg.url!, WINNOW_QUEUE_PREFIX: `wrk-${Date.now()}` };
      await runWinnow(
        ['user', 'add', '--email', 'lead@worker.test', '--name', 'Lead', '--password', 'worker pw 123'],
        env,
      );
      await runWinnow(['review', 'create', 'split', '--lead', 'lead@worker.test'], env);
      const token = (
        (await runWinnow(['token', 'create', '--email', 'lead@worker.test', '--json'], env)).json as {
          token: string;
        }
      ).token;
      const web = await startServe(env, ['--no-workers']);
      const worker = await startWorker(env, ['--concurrency', '1']);
      try {
        const auth = { authorization: `Bearer ${token}` };
        const up = await fetch(
          `${web.url}/api/reviews/split/imports?fileName=medline-ovid.ris&source=MEDLINE`,
          {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/octet-stream' },
            body: readFileSync(path.join(REPO_ROOT, 'fixtures/demo/medline-ovid.ris')),
          },
        );
        expect(up.status).toBe(202);
        const { importId } = (await up.json()) as { importId: string };
        let imported: { status: string; records: number } | undefined;
        for (let i = 0; i < 120 && imported?.status !== 'complete'; i++) {
          await new Promise((r) => setTimeout(r, 250));
          const res = await fetch(`${web.url}/api/reviews/split/imports/${importId}`, { headers: auth });
          imported = (await res.json()) as { status: string; records: number };
        }
        // Only the worker process runs jobs, so the import completing proves it did the work.
        expect(imported).toMatchObject({ status: 'complete', records: 35 });
      } finally {
        // SIGTERM: running jobs finish, then the worker exits cleanly.
        expect(await worker.kill('SIGTERM')).toBe(0);
        await web.kill('SIGTERM');
      }
    },
  );

  it(
    'on the embedded database, a write committed before SIGKILL is there after restart',
    { timeout: 150_000 },
    async () => {
      const env = {
        WINNOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'winnow-kill-')),
        WINNOW_QUEUE_PREFIX: `pgl-${Date.now()}`,
      };
      const first = await startServe(env, ['--demo']);
      let cookie: string;
      try {
        const s = await login(first.url, 'lead@demo.winnow', 'winnow-demo');
        cookie = s.cookie;
        // The demo opens with its exports imported, deduplicated and routed for screening.
        const status = (await (
          await fetch(`${first.url}/api/reviews/default/status`, { headers: { cookie } })
        ).json()) as Record<string, Record<string, number>>;
        expect(status.identification).toMatchObject({ records: 59, duplicatesRemoved: 6, unique: 53 });
        expect(status.screeningTitleAbstract).toMatchObject({ records: 53, 'awaiting-votes': 53 });
        const alice = await login(first.url, 'alice@demo.winnow', 'winnow-demo');
        const next = await fetch(`${first.url}/api/reviews/default/stages/title-abstract/next`, {
          headers: { cookie: alice.cookie },
        });
        expect(next.status).toBe(200);
        const created = await fetch(`${first.url}/api/reviews`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': s.csrfToken },
          body: JSON.stringify({ slug: 'survives', title: 'Survives a kill' }),
        });
        expect(created.status).toBe(201);
      } finally {
        await first.kill('SIGKILL');
      }
      // The lock file of the killed process is stale; the new process takes it over.
      const second = await startServe(env);
      try {
        expect(await reviews(second.url, cookie)).toEqual(expect.arrayContaining(['default', 'survives']));
      } finally {
        await second.kill('SIGTERM');
      }
    },
  );
});
