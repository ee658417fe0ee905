import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword, verifyPasswordOrNothing } from './password.ts';

describe('passwords', () => {
  it('verifies the right password only, and hashes the same password differently each time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$/);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterz', a)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'md5$abc')).toBe(false);
  });

  it('answers false for an account with no hash, after the same scrypt work', async () => {
    const stored = await hashPassword('pw for a real account');
    expect(await verifyPasswordOrNothing('pw for a real account', stored)).toBe(true);
    expect(await verifyPasswordOrNothing('pw for a real account', null)).toBe(false);
    expect(await verifyPasswordOrNothing('', undefined)).toBe(false);
  });
});
