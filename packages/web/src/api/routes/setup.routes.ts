import { z } from 'zod';
import { createFirstAdmin, needsSetup, WinnowError } from '@winnow/core';
import { startSession } from '../../auth/sign-in.ts';
import { route } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';

/**
 * First run: a fresh install has no account, so the browser offers a setup page that creates the
 * first one (an administrator) and signs in. Once any account exists the door is shut for good.
 */
export const setupRoutes = [
  route({
    method: 'get',
    path: '/setup',
    tag: 'auth',
    summary: 'Whether this install still needs its first account',
    access: 'public',
    handler: async ({ rt }) => ({ needed: await needsSetup(rt.db) }),
  }),
  route({
    method: 'post',
    path: '/setup',
    tag: 'auth',
    summary: 'Create the first account (an administrator) and sign in; 409 once any account exists',
    access: 'public',
    // Titled as the set-up form labels them, so a refused value is named in its words.
    body: titled(
      z.object({
        email: z.string().max(1000),
        name: z.string().max(200),
        password: z.string().max(1024),
      }),
      { email: 'The email address', name: 'Your name', password: 'The password' },
    ),
    handler: async ({ req, res, rt, body }) => {
      // Checked before any password hashing, so hammering a set-up install costs one cheap query.
      if (!(await needsSetup(rt.db)))
        throw new WinnowError('CONFLICT', 'Winnow is already set up: sign in with your account instead');
      if (!body.name.trim())
        throw new WinnowError('VALIDATION', 'Enter your name', { location: { field: 'name' } });
      const user = await createFirstAdmin(rt.db, { ...body, name: body.name.trim() });
      res.status(201);
      return startSession(rt.db, req, res, user);
    },
  }),
];
