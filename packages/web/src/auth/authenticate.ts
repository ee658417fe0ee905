import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { userForToken, WinnowError, type Db } from '@winnow/core';
import { parseCookies } from '../http/cookies.ts';
import { findSession } from './sessions.repository.ts';

export const SESSION_COOKIE = 'winnow_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who is calling: a bearer token (scripts) or a session cookie (browser). Cookie-authenticated
 * requests that change state must echo the session's CSRF token in `x-csrf-token`; bearer tokens
 * are not sent by browsers on their own, so they need none.
 */
export function authenticate(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const auth = req.get('authorization');
    if (auth?.startsWith('Bearer ')) {
      const user = await userForToken(db, auth.slice(7).trim());
      if (!user) throw new WinnowError('UNAUTHORIZED', 'The bearer token is unknown or revoked');
      req.user = user;
      req.authKind = 'token';
      return next();
    }
    const sessionId = parseCookies(req.get('cookie'))[SESSION_COOKIE];
    if (sessionId) {
      const session = await findSession(db, sessionId);
      if (session) {
        req.user = session.user;
        req.authKind = 'session';
        req.csrfToken = session.csrfToken;
        if (!SAFE_METHODS.has(req.method)) {
          const sent = req.get('x-csrf-token') ?? '';
          if (!sameToken(sent, session.csrfToken)) {
            throw new WinnowError(
              'CSRF',
              'Missing or wrong x-csrf-token header for a cookie-authenticated request',
            );
          }
        }
      }
    }
    next();
  };
}
