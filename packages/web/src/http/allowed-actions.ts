import type { Role } from '@winnow/core';
import type { RouteDef } from './route.ts';

/**
 * The review routes a member holding `roles` may call, as `METHOD /path` (path as declared).
 * Pages show a control only when its route is in this list: the browser asks the same access rule
 * the server enforces, instead of keeping a second copy of who may do what.
 */
export function allowedActions(defs: readonly RouteDef[], roles: readonly Role[]): string[] {
  return defs
    .filter((d) => d.path.startsWith('/reviews/:review'))
    .filter((d) => Array.isArray(d.access) && roles.some((r) => (d.access as readonly Role[]).includes(r)))
    .map((d) => `${d.method.toUpperCase()} ${d.path}`);
}
