import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const PASSWORD = 'correct horse battery';

// Each test signs in from its own client address (the proxy header is trusted in this app), so
// the per-address limit of one test never decides another test's answers.
let nextAddress = 1;
const freshAddress = () => `198.51.100.${nextAddress++}`;

describe('sign-in limits cannot be raced or spelled around', () => {
  let app: TestApp;

  const login = async (email: string, password: string, address: string) =>
    (
      await app.fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ email, password }),
      })
    ).status;

  beforeAll(async () => {
    app = await startTestApp({ workers: false, config: { trustProxy: true } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 50 wrong passwords sent at once with at most 10 × 401 and the rest 429, then refuses the right one', async () => {
    const target: TestUser = await app.user('Raced');
    const from = freshAddress();
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login(target.email, `wrong ${i}`, from)),
    );
    const count = (s: number) => statuses.filter((x) => x === s).length;
    expect(count(401)).toBeLessThanOrEqual(10);
    expect(count(401) + count(429)).toBe(50);
    expect(count(429)).toBeGreaterThanOrEqual(40);
    // The account is locked, from any address, even with the right password.
    expect(await login(target.email, PASSWORD, freshAddress())).toBe(429);
  });

  it('locks out every spelling of a locked email (spaces, tab, no-break and ideographic space, capitals)', async () => {
    const target = await app.user('Spelled');
    const attacker = freshAddress();
    for (let i = 0; i < 10; i++) expect(await login(target.email, `wrong ${i}`, attacker)).toBe(401);
    const variants = [
      target.email,
      ` ${target.email}`,
      `${target.email} `,
      `\t${target.email}`,
      `\u00a0${target.email}`,
      `\u3000${target.email}`,
      target.email.toUpperCase(),
    ];
    // Each from an address with no failures of its own: only the per-email lock can refuse it.
    const got = [];
    for (const v of variants) got.push([JSON.stringify(v), await login(v, PASSWORD, freshAddress())]);
    expect(got).toEqual(variants.map((v) => [JSON.stringify(v), 429]));

    // The same spellings of an account that is not locked reach it: one form for lock and lookup.
    const other = await app.user('Unlocked');
    for (const v of [` ${other.email}`, `\u3000${other.email.toUpperCase()}\t`]) {
      expect(await login(v, PASSWORD, freshAddress())).toBe(200);
    }
  });

  it('counts failures per address across accounts, while sign-ins that work give their attempt back', async () => {
    const from = freshAddress();
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => app.user(`Shared ${i}`)));
    // Twelve good sign-ins from one address: none counts against it.
    for (const p of people) expect(await login(p.email, PASSWORD, from)).toBe(200);
    // Ten wrong passwords for ten different accounts from that address, at once: the eleventh is refused.
    const wrong = await Promise.all(people.slice(0, 11).map((p) => login(p.email, 'not it', from)));
    expect(wrong.filter((s) => s === 401).length).toBe(10);
    expect(wrong.filter((s) => s === 429).length).toBe(1);
    expect(await login(people[11]!.email, PASSWORD, from)).toBe(429);
    expect(await login(people[11]!.email, PASSWORD, freshAddress())).toBe(200);
  });
});
