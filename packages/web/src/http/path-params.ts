import { z } from 'zod';
import { STAGES } from '@winnow/screening';
import type { RouteDef } from './route.ts';

/** The largest value of a PostgreSQL `integer` column (codebook versions, queue positions). */
export const INT4_MAX = 2_147_483_647;

const uuid = z.uuid({ error: 'must be a UUID' });

/**
 * What each path parameter name means, wherever a route uses it. Checked before the handler runs,
 * so a malformed id never reaches a query (where PostgreSQL would refuse it with a 500), and
 * published in the OpenAPI document. A route whose parameter means something else declares its
 * own schema in `params`; a parameter with no schema stops the server at startup.
 */
export const PATH_PARAMS: Readonly<Record<string, z.ZodType<string>>> = {
  review: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)'),
  stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }),
  id: uuid,
  reportId: uuid,
  blobId: uuid,
  importId: uuid,
  recordId: uuid,
  study: uuid,
  userId: uuid,
  version: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'must be a whole number from 1')
    .refine((v) => Number(v) <= INT4_MAX, `must be at most ${INT4_MAX}`),
  // Job and dedup group ids are text made by Winnow; PRISMA box keys carry source names and reasons.
  jobId: z.string().max(500, 'is too long'),
  group: z.string().max(500, 'is too long'),
  key: z.string().max(2_000, 'is too long'),
  // Invitation links carry a random base64url secret, looked up by its hash.
  token: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'is not an invitation code'),
};

/** The names of the `:params` in an Express path, in order. */
export function paramNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

/** The schema of each path parameter of a route; throws when one has none (a startup error). */
export function paramSchemas(
  def: Pick<RouteDef, 'method' | 'path' | 'params'>,
): Record<string, z.ZodType<string>> {
  return Object.fromEntries(
    paramNames(def.path).map((name) => {
      const schema = def.params?.[name] ?? PATH_PARAMS[name];
      if (!schema)
        throw new Error(
          `${def.method.toUpperCase()} ${def.path}: path parameter "${name}" has no schema; add it to PATH_PARAMS or the route's params`,
        );
      return [name, schema];
    }),
  );
}
