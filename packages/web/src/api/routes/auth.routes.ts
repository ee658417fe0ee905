import { z } from 'zod';
import { findUserByEmail, verifyPasswordOrNothing, WinnowError } from '@winnow/core';
import { SESSION_COOKIE } from '../../auth/authenticate.ts';
import {
  clearFailures,
  createSession,
  deleteSession,
  recentFailures,
  recordFailure,
} from '../../auth/sessions.repository.ts';
import { parseCookies } from '../../http/cookies.ts';
import { currentUser } from '../../http/request-context.ts';
import { route } from '../../http/route.ts';

const MAX_FAILURES = 10;
const WINDOW_MINUTES = 15;

export const authRoutes = [
  route({
    method: 'post',
    path: '/auth/login',
    tag: 'auth',
    summary: 'Sign in with email and password; sets a session cookie and returns the CSRF token',
    access: 'public',
    body: z.object({ email: z.string().min(1), password: z.string().min(1) }),
    handler: async ({ req, res, rt, body }) => {
      const keys = [`email:${body.email.toLowerCase()}`, `ip:${req.ip}`];
      for (const key of keys) {
        if ((await recentFailures(rt.db, key, WINDOW_MINUTES)) >= MAX_FAILURES) {
          throw new WinnowError(
            'RATE_LIMITED',
            `Too many failed sign-ins; try again in ${WINDOW_MINUTES} minutes`,
          );
        }
      }
      const user = await findUserByEmail(rt.db, body.email);
      const ok = await verifyPasswordOrNothing(body.password, user?.passwordHash);
      if (!user || !ok) {
        for (const key of keys) await recordFailure(rt.db, key);
        throw new WinnowError('UNAUTHORIZED', 'Wrong email or password');
      }
      await clearFailures(rt.db, keys[0]!);
      const { sessionId, csrfToken } = await createSession(rt.db, user.id);
      res.cookie(SESSION_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        path: '/',
        maxAge: 14 * 86_400_000,
      });
      return { user: { id: user.id, email: user.email, name: user.name }, csrfToken };
    },
  }),
  route({
    method: 'post',
    path: '/auth/logout',
    tag: 'auth',
    summary: 'End the current session',
    access: 'user',
    handler: async ({ req, res, rt }) => {
      const sid = parseCookies(req.get('cookie'))[SESSION_COOKIE];
      if (sid) await deleteSession(rt.db, sid);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  }),
  route({
    method: 'get',
    path: '/auth/me',
    tag: 'auth',
    summary: 'The signed-in user and the CSRF token for this session',
    access: 'user',
    handler: ({ req }) => ({ user: currentUser(req), csrfToken: req.csrfToken ?? null }),
  }),
];
