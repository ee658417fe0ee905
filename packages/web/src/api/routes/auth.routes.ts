import { z } from 'zod';
import {
  checkNewPassword,
  findUserByEmail,
  hashPassword,
  normaliseEmail,
  passwordHashOf,
  setPasswordHash,
  verifyPasswordOrNothing,
  WinnowError,
} from '@winnow/core';
import { SIGN_IN, takeAttempt } from '../../auth/attempt-limits.ts';
import { SESSION_COOKIE } from '../../auth/authenticate.ts';
import {
  clearAttempts,
  deleteOtherSessions,
  deleteSession,
  refundAttempt,
} from '../../auth/sessions.repository.ts';
import { startSession } from '../../auth/sign-in.ts';
import { parseCookies } from '../../http/cookies.ts';
import { currentUser } from '../../http/request-context.ts';
import { route } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';

const PASSWORD = z.string().min(1).max(1024);

export const authRoutes = [
  route({
    method: 'post',
    path: '/auth/login',
    tag: 'auth',
    summary: 'Sign in with email and password; sets a session cookie and returns the CSRF token',
    access: 'public',
    body: titled(z.object({ email: z.string().min(1).max(1000), password: z.string().min(1) }), {
      email: 'The email address',
      password: 'The password',
    }),
    handler: async ({ req, res, rt, body }) => {
      // One spelling of the address for the lock and the lookup alike: a space or a capital in
      // front must not reach the account while missing its lock.
      const email = normaliseEmail(body.email);
      const [emailKey, ipKey] = [`email:${email}`, `ip:${req.ip}`];
      await takeAttempt(rt.db, [emailKey, ipKey], SIGN_IN);
      const user = await findUserByEmail(rt.db, email);
      const ok = await verifyPasswordOrNothing(body.password, user?.passwordHash);
      if (!user || !ok) throw new WinnowError('UNAUTHORIZED', 'Wrong email or password');
      await clearAttempts(rt.db, emailKey);
      await refundAttempt(rt.db, ipKey);
      return startSession(rt.db, req, res, user);
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
  route({
    method: 'post',
    path: '/auth/password',
    tag: 'auth',
    summary: 'Change your password; your other sessions end, this one stays signed in',
    access: 'user',
    body: titled(z.object({ currentPassword: PASSWORD, newPassword: z.string().max(1024) }), {
      currentPassword: 'The current password',
      newPassword: 'The new password',
    }),
    handler: async ({ req, rt, body }) => {
      const user = currentUser(req);
      // The current password is a guess like any sign-in: a stolen session must not try it forever.
      const key = `email:${user.email}`;
      await takeAttempt(rt.db, [key], SIGN_IN);
      if (!(await verifyPasswordOrNothing(body.currentPassword, await passwordHashOf(rt.db, user.id)))) {
        throw new WinnowError('VALIDATION', 'Your current password is not right', {
          location: { field: 'currentPassword' },
        });
      }
      checkNewPassword(body.newPassword, 'newPassword');
      const hash = await hashPassword(body.newPassword);
      const keep =
        req.authKind === 'session' ? (parseCookies(req.get('cookie'))[SESSION_COOKIE] ?? null) : null;
      const ended = await rt.db.transaction(async (tx) => {
        await setPasswordHash(tx, user.id, hash);
        return deleteOtherSessions(tx, user.id, keep);
      });
      await clearAttempts(rt.db, key);
      return { ok: true, endedSessions: ended };
    },
  }),
];
