import express, { type Router } from 'express';
import { WinnowError } from '@winnow/core';
import { identify } from '../auth/authenticate.ts';
import type { Runtime } from '../app/runtime.ts';
import { forbiddenMessage } from './forbidden-message.ts';
import type { RouteDef } from './route.ts';

function validationError(
  issue: { path: PropertyKey[]; message: string } | undefined,
  where: string,
): WinnowError {
  const field = issue?.path.map(String).join('.') || where;
  return new WinnowError('VALIDATION', `${where} field "${field}": ${issue?.message ?? 'invalid'}`, {
    location: { field },
  });
}

/** Mounts route definitions with their access checks and validation; handlers stay a few lines. */
export function registerRoutes(
  router: Router,
  rt: Runtime,
  defs: readonly RouteDef[],
  jsonLimit: string,
): void {
  const json = express.json({ limit: jsonLimit });
  for (const def of defs) {
    const handlers: express.RequestHandler[] = [];
    const reviewScoped = def.path.startsWith('/reviews/:review');
    // Identity first (before the body is read), in one query with the review and roles when the
    // route is under a review.
    handlers.push(async (req, _res, next) => {
      const { review, roles } = await identify(rt.db, req, reviewScoped ? String(req.params.review) : null);
      if (def.access !== 'public' && !req.user)
        throw new WinnowError('UNAUTHORIZED', 'Sign in or send a bearer token');
      if (reviewScoped) {
        const slug = String(req.params.review);
        // Checked on every request, never cached: a removed member loses access at once.
        if (!review || roles.length === 0) throw new WinnowError('NOT_FOUND', `No review "${slug}"`);
        req.review = review;
        req.roles = roles;
        if (Array.isArray(def.access) && !roles.some((r) => def.access.includes(r))) {
          throw new WinnowError('FORBIDDEN', forbiddenMessage(def.access));
        }
      }
      next();
    });
    if (!def.rawBody) handlers.push(json);
    handlers.push(async (req, res) => {
      let body: unknown = undefined;
      if (def.body) {
        const parsed = def.body.safeParse(req.body ?? {});
        if (!parsed.success) throw validationError(parsed.error.issues[0], 'body');
        body = parsed.data;
      }
      let query: unknown = undefined;
      if (def.query) {
        const parsed = def.query.safeParse(req.query);
        if (!parsed.success) throw validationError(parsed.error.issues[0], 'query');
        query = parsed.data;
      }
      const result = await def.handler({ req, res, rt, body, query });
      if (result !== undefined && !res.headersSent) res.json(result);
    });
    router[def.method](def.path, ...handlers);
  }
}
