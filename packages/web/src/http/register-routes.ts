import express, { type Router } from 'express';
import type { z } from 'zod';
import { WinnowError } from '@winnow/core';
import { identify } from '../auth/authenticate.ts';
import type { Runtime } from '../app/runtime.ts';
import { forbiddenMessage } from './forbidden-message.ts';
import { findNul } from './nul-guard.ts';
import { paramSchemas } from './path-params.ts';
import type { RouteDef } from './route.ts';
import { validationMessage, type Issue } from './validation-message.ts';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * Refused input, in words a person can act on (the field by its form's label, the rule it broke);
 * the field's path, for scripts and for forms to highlight it, is the error's location.
 */
function validationError(
  schema: z.ZodType | undefined,
  issue: Issue | undefined,
  where: 'body' | 'query',
): WinnowError {
  const field = issue?.path.map(String).join('.') || where;
  return new WinnowError('VALIDATION', validationMessage(schema, issue, where), { location: { field } });
}

function nulError(schema: z.ZodType | undefined, path: string[], where: 'body' | 'query'): WinnowError {
  return validationError(schema, { path, message: NUL_MESSAGE }, where);
}

/**
 * A path parameter that cannot name anything answers 404 like an unknown one (a malformed token id
 * must look like someone else's), but names the parameter (its location) for scripts.
 */
function paramError(req: express.Request, name: string, schema: z.ZodType<string>): WinnowError | null {
  const raw: unknown = req.params[name];
  const value = typeof raw === 'string' ? raw : '';
  const problem = value.includes('\u0000') ? NUL_MESSAGE : schema.safeParse(value).error?.issues[0]?.message;
  if (problem === undefined) return null;
  // In words for the person who followed the link; the parameter's name, for scripts, in its location.
  return new WinnowError(
    'NOT_FOUND',
    'Nothing at this address: the link may be mistyped or cut short. Go back and follow it again.',
    { location: { field: name } },
  );
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
    // Resolved at mount, so a parameter without a schema stops the server at startup.
    const schemas = paramSchemas(def);
    // Identity first (before the body is read), in one query with the review and roles when the
    // route is under a review.
    handlers.push(async (req, _res, next) => {
      // A malformed review name is never looked up: it cannot exist, and PostgreSQL refuses NUL.
      const badSlug = reviewScoped ? paramError(req, 'review', schemas.review!) : null;
      const slugToLoad = reviewScoped && !badSlug ? String(req.params.review) : null;
      const { review, roles } = await identify(rt.db, req, slugToLoad);
      if (def.access !== 'public' && !req.user)
        throw new WinnowError('UNAUTHORIZED', 'Sign in or send a bearer token');
      if (badSlug) throw badSlug;
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
      // After the access checks, so outsiders still learn nothing beyond "no such review".
      for (const [name, schema] of Object.entries(schemas)) {
        const error = paramError(req, name, schema);
        if (error) throw error;
      }
      next();
    });
    if (!def.rawBody) handlers.push(json);
    handlers.push(async (req, res) => {
      const nulInBody = def.rawBody ? null : findNul(req.body);
      if (nulInBody) throw nulError(def.body, nulInBody, 'body');
      const nulInQuery = findNul(req.query);
      if (nulInQuery) throw nulError(def.query, nulInQuery, 'query');
      let body: unknown = undefined;
      if (def.body) {
        const parsed = def.body.safeParse(req.body ?? {});
        if (!parsed.success) throw validationError(def.body, parsed.error.issues[0], 'body');
        body = parsed.data;
      }
      let query: unknown = undefined;
      if (def.query) {
        const parsed = def.query.safeParse(req.query);
        if (!parsed.success) throw validationError(def.query, parsed.error.issues[0], 'query');
        query = parsed.data;
      }
      const result = await def.handler({ req, res, rt, body, query });
      if (result !== undefined && !res.headersSent) res.json(result);
    });
    router[def.method](def.path, ...handlers);
  }
}
