import type { Request } from 'express';
import { WinnowError, type Review, type Role, type User } from '@winnow/core';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: User;
      authKind?: 'session' | 'token';
      csrfToken?: string;
      review?: Review;
      roles?: Role[];
    }
  }
}

export function currentUser(req: Request): User {
  if (!req.user) throw new WinnowError('UNAUTHORIZED', 'Sign in first');
  return req.user;
}

export function currentReview(req: Request): Review {
  if (!req.review) throw new WinnowError('INTERNAL', 'Route has no review loaded');
  return req.review;
}

export function currentRoles(req: Request): Role[] {
  return req.roles ?? [];
}

/** Who is asking about this review: what blinding and role checks in the repositories take. */
export function currentViewer(req: Request): { reviewId: string; userId: string; roles: Role[] } {
  return { reviewId: currentReview(req).id, userId: currentUser(req).id, roles: currentRoles(req) };
}

export function hasRole(req: Request, ...roles: Role[]): boolean {
  return currentRoles(req).some((r) => roles.includes(r));
}

/** Route parameters as one string (Express 5 may give arrays for wildcards). */
export function param(req: Request, name: string): string {
  const v = req.params[name] as unknown;
  if (typeof v !== 'string' || v === '')
    throw new WinnowError('BAD_REQUEST', `Missing path parameter ${name}`);
  return v;
}
