import type { Request, Response } from 'express';
import type { Sql, User } from '@winnow/core';
import { SESSION_COOKIE } from './authenticate.ts';
import { createSession } from './sessions.repository.ts';

const SESSION_MS = 14 * 86_400_000;

/** Starts a browser session for `user`: sets the cookie, returns what the client keeps. */
export async function startSession(
  db: Sql,
  req: Request,
  res: Response,
  user: User,
): Promise<{ user: User; csrfToken: string }> {
  const { sessionId, csrfToken } = await createSession(db, user.id);
  res.cookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: SESSION_MS,
  });
  return { user: { id: user.id, email: user.email, name: user.name }, csrfToken };
}
