import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { WinnowError, type Db, type Review, type Role } from '@winnow/core';
import { parseCookies } from '../http/cookies.ts';
import { findCaller, type Credential } from './caller.repository.ts';

export const SESSION_COOKIE = 'winnow_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      credential?: Credential;
    }
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Reads the caller's credential: a bearer token (scripts) or a session cookie (browser). The
 * database lookup is done by identify(), per route, so that a route under `/reviews/:review` can
 * load the caller and their roles in that review in the same query.
 */
export function authenticate(): RequestHandler {
  return (req, _res, next) => {
    const auth = req.get('authorization');
    if (auth?.startsWith('Bearer ')) {
      req.credential = { kind: 'token', secret: auth.slice(7).trim() };
    } else {
      const sessionId = parseCookies(req.get('cookie'))[SESSION_COOKIE];
      if (sessionId) req.credential = { kind: 'session', secret: sessionId };
    }
    next();
  };
}

/**
 * Who is calling (sets req.user), and with `reviewSlug` the review and the caller's roles in it.
 * An unknown or revoked bearer token is refused; an unknown session cookie just means signed out.
 * Cookie-authenticated requests that change state must echo the session's CSRF token in
 * `x-csrf-token`; bearer tokens are not sent by browsers on their own, so they need none.
 */
export async function identify(
  db: Db,
  req: Request,
  reviewSlug: string | null,
): Promise<{ review: Review | null; roles: Role[] }> {
  const credential = req.credential;
  if (!credential) return { review: null, roles: [] };
  const caller = await findCaller(db, credential, reviewSlug);
  if (!caller) {
    if (credential.kind === 'token')
      throw new WinnowError('UNAUTHORIZED', 'The bearer token is unknown or revoked');
    return { review: null, roles: [] };
  }
  req.user = caller.user;
  req.authKind = credential.kind;
  if (credential.kind === 'session') {
    req.csrfToken = caller.csrfToken ?? '';
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.get('x-csrf-token') ?? '';
      if (!sameToken(sent, req.csrfToken)) {
        throw new WinnowError(
          'CSRF',
          'Missing or wrong x-csrf-token header for a cookie-authenticated request',
        );
      }
    }
  }
  return { review: caller.review, roles: caller.roles };
}
