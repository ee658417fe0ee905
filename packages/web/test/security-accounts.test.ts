import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const PASSWORD = 'correct horse battery';

interface Login {
  status: number;
  setCookie: string;
  cookie: string;
  csrfToken: string;
}

async function login(
  app: TestApp,
  email: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
): Promise<Login> {
  const res = await app.fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const body = (await res.json()) as { csrfToken?: string };
  return {
    status: res.status,
    setCookie,
    cookie: setCookie.split(';')[0] ?? '',
    csrfToken: body.csrfToken ?? '',
  };
}

describe('accounts, sessions, CSRF and tokens', () => {
  let app: TestApp;
  let lead: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('security-accounts');
    lead = await app.user('Lead', review, ['lead']);
    other = await app.user('Other');
  });
  afterAll(async () => {
    await app.close();
  });

  it('stores passwords as salted scrypt hashes, never in clear', async () => {
    const { rows } = await app.rt.db.query<{ h: string }>(
      'SELECT password_hash AS h FROM users WHERE id = ANY($1::uuid[])',
      [[lead.id, other.id]],
    );
    expect(rows).toHaveLength(2);
    for (const { h } of rows) {
      expect(h).toMatch(/^scrypt\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(h).not.toContain(PASSWORD);
    }
    // Same password, different salt: different hashes.
    expect(rows[0]!.h).not.toBe(rows[1]!.h);
  });

  it('sets an httpOnly SameSite=Lax session cookie, not Secure over plain HTTP', async () => {
    const s = await login(app, lead.email);
    expect(s.status).toBe(200);
    expect(s.setCookie).toMatch(/^winnow_session=[^;]{40,};/);
    expect(s.setCookie).toMatch(/;\s*HttpOnly/i);
    expect(s.setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(s.setCookie).toMatch(/;\s*Path=\//i);
    expect(s.setCookie).not.toMatch(/;\s*Secure/i);
  });

  it('keeps sessions in the database, by hash only, and ends them on logout', async () => {
    const s = await login(app, lead.email);
    const sid = decodeURIComponent(s.cookie.split('=')[1]!);
    const stored = await app.rt.db.query<{ id_hash: string }>(
      'SELECT id_hash FROM sessions WHERE user_id = $1',
      [lead.id],
    );
    expect(stored.rows.map((r) => r.id_hash)).toContain(sha256(sid));
    expect(stored.rows.map((r) => r.id_hash)).not.toContain(sid);

    const me = await app.fetch('/api/auth/me', { headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
    const out = await app.fetch('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
    });
    expect(out.status).toBe(200);
    expect((await app.fetch('/api/auth/me', { headers: { cookie: s.cookie } })).status).toBe(401);
    const left = await app.rt.db.query('SELECT 1 FROM sessions WHERE id_hash = $1', [sha256(sid)]);
    expect(left.rows).toHaveLength(0);
  });

  it('ends a session at its expiry time: the next request is refused and writes need a new sign-in', async () => {
    const s = await login(app, lead.email);
    const sid = decodeURIComponent(s.cookie.split('=')[1]!);
    const { rows } = await app.rt.db.query<{ days: number }>(
      `SELECT round(extract(epoch FROM expires_at - now()) / 86400)::int AS days FROM sessions WHERE id_hash = $1`,
      [sha256(sid)],
    );
    expect(rows[0]!.days).toBeGreaterThan(0);
    expect((await app.fetch('/api/auth/me', { headers: { cookie: s.cookie } })).status).toBe(200);
    await app.rt.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1`, [
      sha256(sid),
    ]);
    expect((await app.fetch('/api/auth/me', { headers: { cookie: s.cookie } })).status).toBe(401);
    const write = await app.fetch('/api/tokens', {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'after expiry' }),
    });
    expect(write.status).toBe(401);
    const again = await login(app, lead.email);
    expect((await app.fetch('/api/auth/me', { headers: { cookie: again.cookie } })).status).toBe(200);
  });

  it('rejects a forged or unknown session cookie', async () => {
    const res = await app.fetch('/api/auth/me', {
      headers: { cookie: 'winnow_session=forged-value-that-is-not-a-session' },
    });
    expect(res.status).toBe(401);
  });

  it('refuses cookie-authenticated writes without the CSRF token, with a wrong one, or another session’s', async () => {
    const a = await login(app, lead.email);
    const b = await login(app, other.email);
    const write = (headers: Record<string, string>) =>
      app.fetch('/api/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: a.cookie, ...headers },
        body: JSON.stringify({ label: 'csrf' }),
      });
    const variants: Record<string, string>[] = [
      {},
      { 'x-csrf-token': 'wrong' },
      { 'x-csrf-token': b.csrfToken },
      { 'x-csrf-token': '' },
    ];
    for (const headers of variants) {
      const res = await write(headers);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CSRF');
    }
    const before = await app.rt.db.query('SELECT 1 FROM api_tokens WHERE user_id = $1 AND label = $2', [
      lead.id,
      'csrf',
    ]);
    expect(before.rows).toHaveLength(0);
    expect((await write({ 'x-csrf-token': a.csrfToken })).status).toBe(201);
    // Reads need no token: they change nothing.
    expect((await app.fetch('/api/tokens', { headers: { cookie: a.cookie } })).status).toBe(200);
  });

  it('hashes bearer tokens at rest, lists only your own and revokes them at once', async () => {
    const created = await lead.api<{ id: string; token: string }>('POST', '/tokens', { label: 'script' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^wn_/);
    const stored = await app.rt.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE id = $1',
      [created.body.id],
    );
    expect(stored.rows[0]!.token_hash).toBe(sha256(created.body.token));

    const call = (token: string) =>
      app.fetch('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect((await call(created.body.token)).status).toBe(200);

    const mine = await lead.api<{ tokens: { id: string; label: string }[] }>('GET', '/tokens');
    expect(mine.body.tokens.map((t) => t.id)).toContain(created.body.id);
    expect(JSON.stringify(mine.body)).not.toContain(created.body.token);
    const theirs = await other.api<{ tokens: { id: string }[] }>('GET', '/tokens');
    expect(theirs.body.tokens.map((t) => t.id)).not.toContain(created.body.id);

    // Someone else's token id looks exactly like an unknown one.
    expect((await other.api('DELETE', `/tokens/${created.body.id}`)).status).toBe(404);
    expect((await call(created.body.token)).status).toBe(200);
    expect((await lead.api('DELETE', '/tokens/not-a-uuid')).status).toBe(404);

    expect((await lead.api('DELETE', `/tokens/${created.body.id}`)).status).toBe(204);
    const after = await call(created.body.token);
    expect(after.status).toBe(401);
    expect((await lead.api('DELETE', `/tokens/${created.body.id}`)).status).toBe(404);
    const listed = await lead.api<{ tokens: { id: string; revokedAt: string | null }[] }>('GET', '/tokens');
    expect(listed.body.tokens.find((t) => t.id === created.body.id)?.revokedAt).toBeTruthy();
  });

  it('rejects malformed bearer headers and disabled users', async () => {
    for (const authorization of [
      'Bearer ',
      'Bearer wn_nope',
      `Bearer ${lead.token}x`,
      `bearer ${lead.token}`,
    ]) {
      const res = await app.fetch('/api/auth/me', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
    }
    const victim = await app.user('Disabled');
    expect((await victim.api('GET', '/auth/me')).status).toBe(200);
    await app.rt.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [victim.id]);
    expect((await victim.api('GET', '/auth/me')).status).toBe(401);
  });

  it('rate-limits failed sign-ins per account and keeps the right password locked out too', async () => {
    const target = await app.user('Target');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(app, target.email, `wrong ${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    // Guessing right after the limit still does not sign in.
    expect((await login(app, target.email)).status).toBe(429);
  });
});

describe('behind a TLS-terminating proxy', () => {
  let app: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    app = await startTestApp({ workers: false, config: { trustProxy: true } });
    user = await app.user('Proxied');
  });
  afterAll(async () => {
    await app.close();
  });

  it('marks the session cookie Secure when the request came over HTTPS', async () => {
    const s = await login(app, user.email, PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(s.status).toBe(200);
    expect(s.setCookie).toMatch(/;\s*Secure/i);
    expect(s.setCookie).toMatch(/;\s*HttpOnly/i);
  });
});
