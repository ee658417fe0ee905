import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { httpStatusOf } from '../src/http/http-status.ts';

describe('API error mapping, authentication and roles', () => {
  let app: TestApp;
  let lead: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('errors-review');
    lead = await app.user('Lead', review, ['lead']);
    viewer = await app.user('Viewer', review, ['viewer']);
    outsider = await app.user('Outsider');
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers JSON errors with the status of their code', async () => {
    const res = await app.fetch('/api/reviews');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(httpStatusOf('VALIDATION')).toBe(422);
    expect(httpStatusOf('UNAVAILABLE')).toBe(503);
  });

  it('says which field is invalid', async () => {
    const r = await lead.api<{ error: { code: string; location: { field: string } } }>('POST', '/reviews', {
      slug: 'Bad Slug',
      title: 'x',
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION', location: { field: 'slug' } });
  });

  it('rejects malformed JSON with 400 and unknown routes with 404', async () => {
    const res = await app.fetch('/api/reviews', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${lead.token}` },
      body: '{"slug":',
    });
    expect(res.status).toBe(400);
    expect((await lead.api('GET', '/nope')).status).toBe(404);
  });

  it('answers a malformed id in the address in words, naming the parameter for scripts', async () => {
    const r = await lead.api<{ error: { code: string; message: string; location: { field: string } } }>(
      'GET',
      '/reviews/errors-review/records/not-a-uuid',
    );
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({
      code: 'NOT_FOUND',
      message: 'Nothing at this address: the link may be mistyped or cut short. Go back and follow it again.',
      location: { field: 'recordId' },
    });
  });

  it('hides a review from non-members (404) and checks roles of members (403)', async () => {
    expect((await outsider.api('GET', '/reviews/errors-review')).status).toBe(404);
    expect((await outsider.api('GET', '/reviews/errors-review/status')).status).toBe(404);
    expect((await viewer.api('GET', '/reviews/errors-review/status')).status).toBe(200);
    expect((await viewer.api('GET', '/reviews/errors-review/events')).status).toBe(403);
    expect((await lead.api('GET', '/reviews/errors-review/events')).status).toBe(200);
  });

  it('requires the CSRF token on cookie-authenticated writes, not on bearer calls', async () => {
    const login = await app.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: lead.email, password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    const body = JSON.stringify({ slug: 'csrf-made', title: 'x' });
    const headers = { 'content-type': 'application/json', cookie };
    const without = await app.fetch('/api/reviews', { method: 'POST', headers, body });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('CSRF');
    const withToken = await app.fetch('/api/reviews', {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': csrfToken },
      body,
    });
    expect(withToken.status).toBe(201);
  });

  it('rate-limits failed sign-ins', async () => {
    const attempt = () =>
      app.fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: viewer.email, password: 'wrong password' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('publishes an OpenAPI document listing every route', async () => {
    const doc = (await (await app.fetch('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/reviews', '/api/reviews/{review}/status']),
    );
  });
});
