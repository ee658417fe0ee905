import {
  addMember,
  createApiToken,
  createUser,
  getReviewBySlug,
  getUserByEmail,
  ROLES,
  type Role,
  WinnowError,
} from '@winnow/core';
import type { CommandContext } from '../command.ts';

function requireString(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new WinnowError('VALIDATION', `--${flag} is required`);
  return value;
}

export async function runUserAdd({ rt, opts }: CommandContext) {
  const user = await createUser(rt.db, {
    email: requireString(opts.email, 'email'),
    name: requireString(opts.name, 'name'),
    password: requireString(opts.password, 'password'),
  });
  return { user };
}

export async function runMemberAdd({ rt, opts, reviewSlug }: CommandContext) {
  const role = requireString(opts.role, 'role');
  if (!ROLES.includes(role as Role))
    throw new WinnowError('VALIDATION', `--role must be one of ${ROLES.join(', ')}`);
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const user = await getUserByEmail(rt.db, requireString(opts.email, 'email'));
  await addMember(rt.db, { reviewId: review.id, userId: user.id, role: role as Role });
  return { review: review.slug, email: user.email, role };
}

export async function runTokenCreate({ rt, opts }: CommandContext) {
  const user = await getUserByEmail(rt.db, requireString(opts.email, 'email'));
  const { id, token } = await createApiToken(
    rt.db,
    user.id,
    typeof opts.label === 'string' ? opts.label : '',
  );
  return { id, token };
}
