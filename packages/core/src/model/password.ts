import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { WinnowError } from '../errors/winnow-error.ts';

// scrypt N=2^15, r=8, p=1: ~50 ms per hash here, far above what a guesser can afford per account.
const N = 32768;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEYLEN, { N: n, r: 8, p: 1, maxmem: MAXMEM }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N);
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(n));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const DUMMY_SALT = Buffer.alloc(16);

/**
 * verifyPassword for a stored hash that may be missing (no such account, or no password set):
 * then it still spends one scrypt at the same cost, so the answer time does not tell which emails
 * have accounts.
 */
export async function verifyPasswordOrNothing(
  password: string,
  stored: string | null | undefined,
): Promise<boolean> {
  if (stored) return verifyPassword(password, stored);
  await derive(password, DUMMY_SALT, N);
  return false;
}

/**
 * The rules a new password must meet, wherever one is set (account creation, setup, invitation,
 * change): `field` names the form field the message is about.
 */
export function checkNewPassword(password: string, field = 'password'): void {
  if (password.length < 8) {
    throw new WinnowError('VALIDATION', 'Passwords need at least 8 characters', { location: { field } });
  }
}
