import { z } from 'zod';
import { createApiToken, revokeApiToken, WinnowError } from '@winnow/core';
import { currentUser, param } from '../../http/request-context.ts';
import { route } from '../../http/route.ts';

interface TokenRow {
  id: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A user's own API tokens. Only hashes are stored, so a listing can never show a token again;
 * another user's token id answers 404 exactly like an unknown one, so ids cannot be probed.
 */
export const tokenRoutes = [
  route({
    method: 'get',
    path: '/tokens',
    tag: 'auth',
    summary: 'Your API tokens (label and dates; the secret is shown only when created)',
    access: 'user',
    handler: async ({ req, rt }) => {
      const { rows } = await rt.db.query<TokenRow>(
        `SELECT id, label, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id`,
        [currentUser(req).id],
      );
      return { tokens: rows };
    },
  }),
  route({
    method: 'post',
    path: '/tokens',
    tag: 'auth',
    summary: 'Create an API token for scripts; the response is the only time the secret is shown',
    access: 'user',
    body: z.object({ label: z.string().max(200).default('') }),
    handler: async ({ req, res, rt, body }) => {
      const { id, token } = await createApiToken(rt.db, currentUser(req).id, body.label);
      res.status(201);
      return { id, label: body.label, token };
    },
  }),
  route({
    method: 'delete',
    path: '/tokens/:id',
    tag: 'auth',
    summary: 'Revoke one of your API tokens; it stops working at once',
    access: 'user',
    handler: async ({ req, res, rt }) => {
      const id = param(req, 'id');
      const ok = UUID.test(id) && (await revokeApiToken(rt.db, currentUser(req).id, id));
      if (!ok) throw new WinnowError('NOT_FOUND', 'You have no active token with this id');
      res.status(204).end();
      return undefined;
    },
  }),
];
