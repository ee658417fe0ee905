import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, type Review } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const PASSWORD = 'correct horse battery';

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  cookie: string;
}

interface Invited {
  invitation: { id: string; email: string; role: string; createdAt: string; expiresAt: string; link: string };
}

/** The shape of a JSON value (keys and types, not values), to compare two answers. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, shape(x)]),
    );
  return typeof v;
}

describe('first run, invitations and password changes', () => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let nextAddress = 1;

  /** An anonymous or cookie-signed-in call from its own client address (proxy header trusted). */
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { body?: unknown; cookie?: string; csrf?: string; from?: string } = {},
  ): Promise<Answer<T>> => {
    const headers: Record<string, string> = { 'x-forwarded-for': opts.from ?? `203.0.113.${nextAddress++}` };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
    const res = await app.fetch(`/api${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : {}) as T,
      cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    };
  };
  const tokenOf = (link: string) => new URL(link).pathname.split('/').pop()!;
  const signIn = async (email: string, password = PASSWORD) => {
    const r = await call<{ csrfToken: string }>('POST', '/auth/login', { body: { email, password } });
    return { status: r.status, cookie: r.cookie, csrf: r.body.csrfToken };
  };

  beforeAll(async () => {
    app = await startTestApp({ workers: false, config: { trustProxy: true } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates the first account once: of five setups at once one gets 201 and is signed in, the rest 409', async () => {
    expect((await call('GET', '/setup')).body).toEqual({ needed: true });
    const tries = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        call<{ user?: { email: string }; csrfToken?: string }>('POST', '/setup', {
          body: { email: ` Admin${i}@Example.TEST `, name: `Admin ${i}`, password: PASSWORD },
        }),
      ),
    );
    const won = tries.filter((t) => t.status === 201);
    expect(won).toHaveLength(1);
    expect(tries.filter((t) => t.status === 409)).toHaveLength(4);
    const winner = won[0]!;
    expect(winner.body.user!.email).toMatch(/^admin\d@example\.test$/);
    expect(winner.cookie).toMatch(/^winnow_session=/);
    expect((await call('GET', '/auth/me', { cookie: winner.cookie })).status).toBe(200);
    const { rows } = await app.rt.db.query<{ n: number; admins: number }>(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE admin)::int AS admins FROM users',
    );
    expect(rows[0]).toEqual({ n: 1, admins: 1 });
    expect((await call('GET', '/setup')).body).toEqual({ needed: false });
    const late = await call<{ error: { message: string } }>('POST', '/setup', {
      body: { email: 'late@example.test', name: 'Late', password: PASSWORD },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/already set up/);

    // The rest of the file works in a review led by a user of its own.
    review = await app.review('invites', 'Invitations review');
    lead = await app.user('Lead', review, ['lead']);
  });

  it('invites by email: a one-time link stored hashed, showing the review and role; accepting creates the account and signs in', async () => {
    const made = await lead.api<Invited>('POST', '/reviews/invites/invitations', {
      email: ' New.Person@Example.test',
      role: 'reviewer',
    });
    expect(made.status).toBe(201);
    const { invitation } = made.body;
    expect(invitation.email).toBe('new.person@example.test');
    expect(invitation.link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
    const days = (Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    const token = tokenOf(invitation.link);
    const stored = await app.rt.db.query<{ token_hash: string }>('SELECT token_hash FROM invitations');
    expect(stored.rows.map((r) => r.token_hash)).toContain(sha256(token));
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    const seen = await call<{ invitation: Record<string, unknown> }>('GET', `/invitations/${token}`);
    expect(seen.status).toBe(200);
    expect(seen.body.invitation).toMatchObject({
      reviewTitle: 'Invitations review',
      role: 'reviewer',
      email: 'new.person@example.test',
      state: 'pending',
    });

    const short = await call<{ error: { location?: { field: string } } }>(
      'POST',
      `/invitations/${token}/accept`,
      {
        body: { name: 'New Person', password: 'short' },
      },
    );
    expect(short.status).toBe(422);
    expect(short.body.error.location?.field).toBe('password');

    const accepted = await call<{ user: { id: string; email: string }; csrfToken: string; review: string }>(
      'POST',
      `/invitations/${token}/accept`,
      { body: { name: 'New Person', password: PASSWORD } },
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body.review).toBe('invites');
    expect(accepted.body.user.email).toBe('new.person@example.test');
    const reviews = await call<{ reviews: { slug: string }[] }>('GET', '/reviews', {
      cookie: accepted.cookie,
    });
    expect(reviews.body.reviews.map((r) => r.slug)).toEqual(['invites']);
    const members = await lead.api<{ members: { email: string; roles: string[] }[] }>(
      'GET',
      '/reviews/invites/members',
    );
    expect(members.body.members).toContainEqual(
      expect.objectContaining({ email: 'new.person@example.test', roles: ['reviewer'] }),
    );
    expect((await signIn('NEW.PERSON@example.test')).status).toBe(200);
    // A reviewer who joins is routed a share at once: one routing run per stage, keyed on the link.
    const routed = await app.rt.db.query<{ name: string; id: string }>(
      `SELECT name, id FROM jobs WHERE review_id = $1 AND id LIKE '%joined-%' ORDER BY id`,
      [review.id],
    );
    expect(routed.rows.map((r) => r.name)).toEqual(['screening.route', 'screening.route']);

    // One time only.
    const again = await call<{ error: { message: string } }>('POST', `/invitations/${token}/accept`, {
      body: { name: 'Someone Else', password: PASSWORD },
    });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toMatch(/already been used/);
  });

  it('adds the role to a signed-in user’s account, and asks someone with an account to sign in first', async () => {
    const known = await app.user('Known');
    const made = await lead.api<Invited>('POST', '/reviews/invites/invitations', {
      email: known.email,
      role: 'adjudicator',
    });
    const token = tokenOf(made.body.invitation.link);
    // Sent again for the same role (the first seemed lost), and once for another role.
    const resent = await lead.api<Invited>('POST', '/reviews/invites/invitations', {
      email: known.email.toUpperCase(),
      role: 'adjudicator',
    });
    const other = await lead.api<Invited>('POST', '/reviews/invites/invitations', {
      email: known.email,
      role: 'viewer',
    });
    const anon = await call<{ error: { message: string } }>('POST', `/invitations/${token}/accept`, {
      body: { name: 'Impostor', password: 'another long password' },
    });
    expect(anon.status).toBe(409);
    expect(anon.body.error.message).toMatch(/Sign in/);

    const s = await signIn(known.email);
    const noCsrf = await call('POST', `/invitations/${token}/accept`, { body: {}, cookie: s.cookie });
    expect(noCsrf.status).toBe(403);
    const ok = await call<{ user: { id: string } }>('POST', `/invitations/${token}/accept`, {
      body: {},
      cookie: s.cookie,
      csrf: s.csrf,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(known.id);
    expect((await known.api<{ roles: string[] }>('GET', '/reviews/invites')).body.roles).toEqual([
      'adjudicator',
    ]);
    // The link sent again for the same role no longer waits to be accepted; the other role's does.
    const pending = await lead.api<{ invitations: { id: string }[] }>('GET', '/reviews/invites/invitations');
    const ids = pending.body.invitations.map((i) => i.id);
    expect(ids).not.toContain(resent.body.invitation.id);
    expect(ids).toContain(other.body.invitation.id);
    const { rows } = await app.rt.db.query<{ type: string }>(
      `SELECT type FROM events WHERE entity_id = $1 ORDER BY id`,
      [resent.body.invitation.id],
    );
    expect(rows.map((r) => r.type)).toContain('invitation.revoked');
  });

  it('refuses expired, used and withdrawn links with a message a person understands', async () => {
    const invite = async (email: string) =>
      tokenOf(
        (await lead.api<Invited>('POST', '/reviews/invites/invitations', { email, role: 'viewer' })).body
          .invitation.link,
      );
    const expired = await invite('late@example.test');
    await app.rt.db.query(
      `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [sha256(expired)],
    );
    const revoked = await invite('withdrawn@example.test');
    const list = await lead.api<{ invitations: { id: string; email: string }[] }>(
      'GET',
      '/reviews/invites/invitations',
    );
    const pending = list.body.invitations.map((i) => i.email);
    expect(pending).toContain('withdrawn@example.test');
    expect(pending).not.toContain('late@example.test');
    expect(pending).not.toContain('new.person@example.test');
    const id = list.body.invitations.find((i) => i.email === 'withdrawn@example.test')!.id;
    expect((await lead.api('DELETE', `/reviews/invites/invitations/${id}`)).status).toBe(204);
    expect((await lead.api('DELETE', `/reviews/invites/invitations/${id}`)).status).toBe(404);

    const cases: [string, RegExp][] = [
      [expired, /expired/],
      [revoked, /withdrawn/],
      ['A'.repeat(43), /not valid/],
    ];
    for (const [token, message] of cases) {
      for (const [method, path] of [
        ['GET', `/invitations/${token}`],
        ['POST', `/invitations/${token}/accept`],
      ] as const) {
        const r = await call<{ error: { message: string } }>(method, path, {
          body: method === 'POST' ? { name: 'X', password: PASSWORD } : undefined,
        });
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.body.error.message).toMatch(message);
        expect(r.body.error.message).not.toMatch(/[A-Z_]{4,}:|[0-9a-f]{8}-[0-9a-f]{4}-/);
      }
    }
    const { rows } = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE email IN ('late@example.test', 'withdrawn@example.test')`,
    );
    expect(rows[0]!.n).toBe(0);
    // Only leads see or manage invitations.
    const viewer = await app.user('Viewer', review, ['viewer']);
    expect((await viewer.api('GET', '/reviews/invites/invitations')).status).toBe(403);
  });

  it('answers adding a member the same way whether or not the email has an account', async () => {
    const existing = await app.user('Existing');
    const add = (email: string) =>
      lead.api<Invited>('POST', '/reviews/invites/members', { email, role: 'reviewer' });
    const known = await add(existing.email);
    const unknown = await add('nobody.here@example.test');
    expect(known.status).toBe(201);
    expect(unknown.status).toBe(known.status);
    expect(shape(unknown.body)).toEqual(shape(known.body));
    // Field by field, only what the lead typed differs (and the per-invitation id, link and time).
    const strip = (b: Invited) => ({
      ...b.invitation,
      id: '',
      email: '',
      link: '',
      createdAt: '',
      expiresAt: '',
    });
    expect(strip(unknown.body)).toEqual(strip(known.body));
    // Nobody joins until they accept, so the member list tells nothing either.
    const members = await lead.api<{ members: { email: string }[] }>('GET', '/reviews/invites/members');
    expect(members.body.members.map((m) => m.email)).not.toContain(existing.email);
    const pending = await lead.api<{ invitations: { email: string }[] }>(
      'GET',
      '/reviews/invites/invitations',
    );
    expect(pending.body.invitations.map((i) => i.email)).toEqual(
      expect.arrayContaining([existing.email, 'nobody.here@example.test']),
    );
  });

  it('changing the password ends the other sessions, keeps this one, and only the new password signs in', async () => {
    const who = await app.user('Changer');
    const here = await signIn(who.email);
    const phone = await signIn(who.email);
    const laptop = await signIn(who.email);
    const wrong = await call<{ error: { location?: { field: string } } }>('POST', '/auth/password', {
      body: { currentPassword: 'not my password', newPassword: 'a brand new password' },
      cookie: here.cookie,
      csrf: here.csrf,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.location?.field).toBe('currentPassword');
    const weak = await call<{ error: { location?: { field: string } } }>('POST', '/auth/password', {
      body: { currentPassword: PASSWORD, newPassword: 'short' },
      cookie: here.cookie,
      csrf: here.csrf,
    });
    expect(weak.body.error.location?.field).toBe('newPassword');
    for (const s of [here, phone, laptop])
      expect((await call('GET', '/auth/me', { cookie: s.cookie })).status).toBe(200);

    const changed = await call('POST', '/auth/password', {
      body: { currentPassword: PASSWORD, newPassword: 'a brand new password' },
      cookie: here.cookie,
      csrf: here.csrf,
    });
    expect(changed.status).toBe(200);
    expect((await call('GET', '/auth/me', { cookie: here.cookie })).status).toBe(200);
    expect((await call('GET', '/auth/me', { cookie: phone.cookie })).status).toBe(401);
    expect((await call('GET', '/auth/me', { cookie: laptop.cookie })).status).toBe(401);
    expect((await signIn(who.email)).status).toBe(401);
    expect((await signIn(who.email, 'a brand new password')).status).toBe(200);
  });

  it('refuses guessed invitation links from an address after 20 misses, even a real one', async () => {
    const from = '192.0.2.77';
    const real = tokenOf(
      (
        await lead.api<Invited>('POST', '/reviews/invites/invitations', {
          email: 'real@example.test',
          role: 'viewer',
        })
      ).body.invitation.link,
    );
    // A real link looked at many times costs nothing.
    for (let i = 0; i < 25; i++)
      expect((await call('GET', `/invitations/${real}`, { from })).status).toBe(200);
    const guesses = await Promise.all(
      Array.from({ length: 21 }, (_, i) =>
        call('GET', `/invitations/guess${i}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`, { from }),
      ),
    );
    expect(guesses.filter((g) => g.status === 404)).toHaveLength(20);
    expect(guesses.filter((g) => g.status === 429)).toHaveLength(1);
    expect((await call('GET', `/invitations/${real}`, { from })).status).toBe(429);
    expect((await call('POST', `/invitations/${real}/accept`, { from, body: {} })).status).toBe(429);
    expect((await call('GET', `/invitations/${real}`)).status).toBe(200);
  });
});

describe('on the embedded database (PGlite)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ engine: 'pglite', workers: false });
  });
  afterAll(async () => {
    await app.close();
  });

  it('sets up, invites, accepts and counts sign-in attempts with the same SQL', async () => {
    const post = async <T>(path: string, body: unknown, cookie = '') => {
      const res = await app.fetch(`/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    expect(
      (await post('/setup', { email: 'first@example.test', name: 'First', password: PASSWORD })).status,
    ).toBe(201);
    expect(
      (await post('/setup', { email: 'second@example.test', name: 'Second', password: PASSWORD })).status,
    ).toBe(409);
    const review = await app.review('embedded');
    const lead = await app.user('Lead', review, ['lead']);
    const made = await lead.api<Invited>('POST', '/reviews/embedded/invitations', {
      email: 'joiner@example.test',
      role: 'viewer',
    });
    const token = new URL(made.body.invitation.link).pathname.split('/').pop()!;
    const accepted = await post<{ review: string }>(`/invitations/${token}/accept`, {
      name: 'Joiner',
      password: PASSWORD,
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.review).toBe('embedded');
    const attempts = await Promise.all(
      Array.from({ length: 15 }, () =>
        post('/auth/login', { email: '\u00a0Joiner@example.test', password: 'nope' }),
      ),
    );
    expect(attempts.filter((a) => a.status === 401).length).toBeLessThanOrEqual(10);
    expect((await post('/auth/login', { email: 'joiner@example.test', password: PASSWORD })).status).toBe(
      429,
    );
  });
});
