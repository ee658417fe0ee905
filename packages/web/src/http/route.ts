import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Role } from '@winnow/core';
import type { Runtime } from '../app/runtime.ts';

/**
 * Who may call a route:
 * - 'public': anyone; 'user': any signed-in user;
 * - a list of roles: members of the review in the path (`/reviews/:review/...`) holding one of them.
 * Routes under `/reviews/:review` always require membership: non-members get 404, as if the review
 * did not exist, so they learn nothing about it.
 */
export type Access = 'public' | 'user' | readonly Role[];

export const ANY_MEMBER: readonly Role[] = ['lead', 'reviewer', 'adjudicator', 'viewer', 'coder'];

export interface RouteDef<B = unknown, Q = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path under /api, e.g. `/reviews/:review/imports`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /**
   * Schemas of path parameters whose name means something other than in `PATH_PARAMS`
   * (path-params.ts); every other parameter is checked against that shared list.
   */
  params?: Record<string, z.ZodType<string>>;
  /** Raw request bodies (uploads): the handler reads the stream itself. */
  rawBody?: boolean;
  /** Describes the success response for the OpenAPI document. */
  responses?: Record<string, string>;
  /**
   * Returns the JSON body (status 200), or undefined after writing the response itself
   * (files, 204, streams).
   */
  handler(ctx: { req: Request; res: Response; rt: Runtime; body: B; query: Q }): Promise<unknown> | unknown;
}

export function route<B = unknown, Q = unknown>(def: RouteDef<B, Q>): RouteDef<unknown, unknown> {
  return def as unknown as RouteDef<unknown, unknown>;
}
