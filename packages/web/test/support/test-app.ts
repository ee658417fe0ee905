import {
  addMember,
  createApiToken,
  createReview,
  createUser,
  type Review,
  type Role,
  type User,
  type RunConfig,
} from '@winnow/core';
import { createTestDatabase, testConfig, type Engine, type TestDatabase } from '@winnow/core/testing';
import { startHttpServer, type RunningServer } from '../../src/app/http-server.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';

export interface TestUser extends User {
  token: string;
  /** Calls the API as this user with a bearer token. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export interface TestApp {
  rt: Runtime;
  server: RunningServer;
  url: string;
  database: TestDatabase;
  config: RunConfig;
  /** Creates a user with a token, optionally a member of `review` with `roles`. */
  user(name: string, review?: Review, roles?: Role[]): Promise<TestUser>;
  review(slug: string, title?: string): Promise<Review>;
  /** Anonymous request. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real server, the real queue (a unique prefix on the real Redis) and a fresh real database
 * (PostgreSQL or PGlite) with the real migrations, for one test file.
 */
export async function startTestApp(
  opts: { engine?: Engine; workers?: boolean; config?: Partial<RunConfig> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(opts.engine ?? 'postgres');
  const config = testConfig({ databaseUrl: database.url, ...opts.config });
  const rt = await createRuntime(config, { db: database.db, workers: opts.workers ?? true });
  const server = await startHttpServer(rt, 0, '127.0.0.1');
  let n = 0;
  const call = async <T>(token: string | null, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | Uint8Array | undefined;
    if (body instanceof Uint8Array || typeof body === 'string') {
      headers['content-type'] = 'application/octet-stream';
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${server.url}/api${path}`, { method, headers, body: payload as never });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Non-JSON bodies (CSV, SVG) come back as text.
    }
    return { status: res.status, body: parsed as T };
  };
  return {
    rt,
    server,
    url: server.url,
    database,
    config,
    async user(name, review, roles = []) {
      n += 1;
      const email = `${name.toLowerCase().replace(/\W+/g, '')}.${n}.${Date.now()}@test.winnow`;
      const user = await createUser(rt.db, { email, name, password: 'correct horse battery' });
      for (const role of roles) await addMember(rt.db, { reviewId: review!.id, userId: user.id, role });
      const { token } = await createApiToken(rt.db, user.id, 'test');
      return { ...user, token, api: (method, path, body) => call(token, method, path, body) };
    },
    review: (slug, title) => createReview(rt.db, { slug, title: title ?? slug }),
    fetch: (path, init) => fetch(`${server.url}${path}`, init),
    async close() {
      await server.close();
      await rt.close();
      await database.drop();
    },
  };
}
