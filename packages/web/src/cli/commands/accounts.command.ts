import { command } from '../command.ts';

// Each command loads its implementation when it runs: `--help` and the command list stay fast.
// Definitions import no values from the workspace packages (that would load their libraries at
// start), so lists like the roles are written out here; command-help.test.ts checks them.

export const userAddCommand = command({
  name: 'user add',
  summary: 'Create a local account',
  options: {
    email: { type: 'string', description: 'Email (sign-in name)' },
    name: { type: 'string', description: 'Display name' },
    password: { type: 'string', description: 'Password (at least 8 characters)' },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./accounts.run.ts')).runUserAdd(ctx),
});

export const memberAddCommand = command({
  name: 'member add',
  summary: 'Give a user a role in a review',
  options: {
    email: { type: 'string', description: 'The user’s email' },
    role: { type: 'string', description: 'One of lead, reviewer, adjudicator, viewer, coder' },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./accounts.run.ts')).runMemberAdd(ctx),
});

export const tokenCreateCommand = command({
  name: 'token create',
  summary: 'Create a bearer token for scripts (printed once; only its hash is stored)',
  options: {
    email: { type: 'string', description: 'The user’s email' },
    label: { type: 'string', description: 'What the token is for' },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./accounts.run.ts')).runTokenCreate(ctx),
  human: (r: { token: string }) => r.token,
});
