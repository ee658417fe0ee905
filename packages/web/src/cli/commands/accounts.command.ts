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
import { command } from '../command.ts';

function requireString(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new WinnowError('VALIDATION', `--${flag} is required`);
  return value;
}

export const userAddCommand = command({
  name: 'user add',
  summary: 'Create a local account',
  options: {
    email: { type: 'string', description: 'Email (sign-in name)' },
    name: { type: 'string', description: 'Display name' },
    password: { type: 'string', description: 'Password (at least 8 characters)' },
  },
  needs: 'runtime',
  async run({ rt, opts }) {
    const user = await createUser(rt.db, {
      email: requireString(opts.email, 'email'),
      name: requireString(opts.name, 'name'),
      password: requireString(opts.password, 'password'),
    });
    return { user };
  },
});

export const memberAddCommand = command({
  name: 'member add',
  summary: 'Give a user a role in a review',
  options: {
    email: { type: 'string', description: 'The user’s email' },
    role: { type: 'string', description: `One of ${ROLES.join(', ')}` },
  },
  needs: 'runtime',
  async run({ rt, opts, reviewSlug }) {
    const role = requireString(opts.role, 'role');
    if (!ROLES.includes(role as Role))
      throw new WinnowError('VALIDATION', `--role must be one of ${ROLES.join(', ')}`);
    const review = await getReviewBySlug(rt.db, reviewSlug);
    const user = await getUserByEmail(rt.db, requireString(opts.email, 'email'));
    await addMember(rt.db, { reviewId: review.id, userId: user.id, role: role as Role });
    return { review: review.slug, email: user.email, role };
  },
});

export const tokenCreateCommand = command({
  name: 'token create',
  summary: 'Create a bearer token for scripts (printed once; only its hash is stored)',
  options: {
    email: { type: 'string', description: 'The user’s email' },
    label: { type: 'string', description: 'What the token is for' },
  },
  needs: 'runtime',
  async run({ rt, opts }) {
    const user = await getUserByEmail(rt.db, requireString(opts.email, 'email'));
    const { id, token } = await createApiToken(
      rt.db,
      user.id,
      typeof opts.label === 'string' ? opts.label : '',
    );
    return { id, token };
  },
  human: (r: { token: string }) => r.token,
});
