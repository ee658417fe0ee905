import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/reviews/{review}/status */
  path: string;
  access: 'public' | 'user' | Role[];
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** Every operation of the published OpenAPI document, so new routes are swept without editing this file. */
async function operations(app: TestApp): Promise<Operation[]> {
  const doc = (await (await app.fetch('/api/openapi.json')).json()) as {
    paths: Record<string, Record<string, { 'x-access': Operation['access'] }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      access: op['x-access'],
    })),
  );
}

function concrete(path: string, slug: string): string {
  return path
    .replace('{review}', slug)
    .replace(/\{[^}]+\}/g, UNKNOWN_ID)
    .replace(/^\/api/, '');
}

const label = (op: Operation) => `${op.method} ${op.path}`;

describe('every route enforces authentication, membership and roles', () => {
  let app: TestApp;
  let ops: Operation[];
  let outsider: TestUser;
  const byRole = new Map<Role, TestUser>();

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('sweep-review');
    const elsewhere = await app.review('sweep-elsewhere');
    // A lead of another review: membership of one review grants nothing in another.
    outsider = await app.user('Outsider', elsewhere, [...ROLES]);
    for (const role of ROLES) byRole.set(role, await app.user(`Only ${role}`, review, [role]));
    ops = await operations(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('finds the routes in the OpenAPI document', () => {
    expect(ops.length).toBeGreaterThan(5);
    expect(ops.some((o) => o.path.startsWith('/api/reviews/{review}'))).toBe(true);
    // The access of every route is published, so this sweep can read it.
    for (const op of ops) expect(op.access, label(op)).toBeDefined();
  });

  it('answers 401 to anonymous callers on every non-public route', async () => {
    const wrong: string[] = [];
    for (const op of ops.filter((o) => o.access !== 'public')) {
      const res = await app.fetch(`/api${concrete(op.path, 'sweep-review')}`, {
        method: op.method,
        headers: { 'content-type': 'application/json' },
        body: op.method === 'GET' || op.method === 'HEAD' ? undefined : '{}',
      });
      if (res.status !== 401) wrong.push(`${label(op)} -> ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 404 to a member of another review on every review route, as if it did not exist', async () => {
    const wrong: string[] = [];
    for (const op of ops.filter((o) => o.path.startsWith('/api/reviews/{review}'))) {
      const res = await outsider.api<{ error?: { code: string; message: string } }>(
        op.method,
        concrete(op.path, 'sweep-review'),
        op.method === 'GET' ? undefined : {},
      );
      if (res.status !== 404 || res.body.error?.code !== 'NOT_FOUND')
        wrong.push(`${label(op)} -> ${res.status}`);
      // Same answer as a review that does not exist at all: nothing to tell them apart.
      const none = await outsider.api<{ error?: { message: string } }>(
        op.method,
        concrete(op.path, 'no-such-review'),
        op.method === 'GET' ? undefined : {},
      );
      if (none.status !== res.status)
        wrong.push(`${label(op)}: ${res.status} vs missing review ${none.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to members without a listed role and lets listed roles past the check', async () => {
    const wrong: string[] = [];
    for (const op of ops.filter(
      (o) => Array.isArray(o.access) && o.path.startsWith('/api/reviews/{review}'),
    )) {
      const allowed = op.access as Role[];
      const check = async (role: Role) => {
        const res = await byRole
          .get(role)!
          .api<{ error?: { code: string } }>(
            op.method,
            concrete(op.path, 'sweep-review'),
            op.method === 'GET' ? undefined : {},
          );
        const code = res.body?.error?.code;
        if (allowed.includes(role)) {
          if (res.status === 401 || code === 'FORBIDDEN')
            wrong.push(`${label(op)} as ${role} -> ${res.status} ${code}`);
        } else if (res.status !== 403 || code !== 'FORBIDDEN') {
          wrong.push(`${label(op)} as ${role} (not in ${allowed.join('|')}) -> ${res.status} ${code ?? ''}`);
        }
      };
      await Promise.all(ROLES.map(check));
    }
    expect(wrong).toEqual([]);
  });

  it('never lets a viewer change a review: their calls to every route append no event', async () => {
    const viewer = byRole.get('viewer')!;
    const count = async () =>
      (await app.rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
    const before = await count();
    for (const op of ops.filter((o) => o.method !== 'GET' && o.path.startsWith('/api/reviews/{review}'))) {
      await viewer.api(op.method, concrete(op.path, 'sweep-review'), {});
    }
    expect(await count()).toBe(before);
  });

  it('answers garbage input on every route with a typed error, never a 500', async () => {
    const lead = byRole.get('lead')!;
    const crashed: string[] = [];
    for (const op of ops) {
      const res = await lead.api<{ error?: { code: string; message: string } }>(
        op.method,
        concrete(op.path, 'sweep-review'),
        op.method === 'GET' ? undefined : { junk: '\u0000<script>', n: -1e308, __proto__: { admin: true } },
      );
      if (res.status >= 500 && res.status !== 503)
        crashed.push(`${label(op)} -> ${res.status} ${res.body?.error?.message ?? ''}`);
    }
    expect(crashed).toEqual([]);
  });
});

describe('security headers and request limits', () => {
  let app: TestApp;
  let lead: TestUser;
  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    lead = await app.user('Lead');
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends helmet headers and a strict content security policy on API answers and errors', async () => {
    for (const path of ['/api/health', '/api/reviews', '/api/nope', '/']) {
      const res = await app.fetch(path);
      const h = res.headers;
      const csp = h.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
      expect(csp, path).toContain("frame-ancestors 'self'");
      expect(csp, path).toContain("base-uri 'self'");
      expect(h.get('x-content-type-options'), path).toBe('nosniff');
      expect(h.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(h.get('referrer-policy'), path).toBe('no-referrer');
      expect(h.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
      expect(h.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(h.get('x-powered-by'), path).toBeNull();
    }
  });

  it('refuses JSON bodies over 2 MB with 413 and a typed error', async () => {
    const big = JSON.stringify({ slug: 'big-body', title: 'x', description: 'a'.repeat(2 * 1024 * 1024) });
    const res = await app.fetch('/api/reviews', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${lead.token}` },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const { rows } = await app.rt.db.query("SELECT 1 FROM reviews WHERE slug = 'big-body'");
    expect(rows).toHaveLength(0);
    // Just under the limit is still parsed (and then validated by the schema).
    const ok = await lead.api('POST', '/reviews', {
      slug: 'almost-big',
      title: 'x',
      description: 'a'.repeat(9_000),
    });
    expect(ok.status).toBe(201);
  });

  it('does not let a __proto__ key in a JSON body reach Object.prototype', async () => {
    const res = await app.fetch('/api/reviews', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${lead.token}` },
      body: '{"slug":"proto-body","title":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    });
    expect(res.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
