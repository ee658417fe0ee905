import { describe, expect, it } from 'vitest';
import type { RouteDef } from '../../http/route.ts';
import { validationMessage } from '../../http/validation-message.ts';
import { authRoutes } from './auth.routes.ts';
import { extractionRoutes } from './extraction.routes.ts';
import { fullTextRoutes } from './fulltext.routes.ts';
import { invitationRoutes } from './invitations.routes.ts';
import { recordPageRoutes } from './record-page.routes.ts';
import { recordsLibraryRoutes } from './records-library.routes.ts';
import { setupRoutes } from './setup.routes.ts';

const ROUTES: RouteDef[] = [
  ...authRoutes,
  ...extractionRoutes,
  ...fullTextRoutes,
  ...invitationRoutes,
  ...recordPageRoutes,
  ...recordsLibraryRoutes,
  ...setupRoutes,
];

/** What the API answers a refused body of `method path`, as the person who sent it reads it. */
function refusal(method: RouteDef['method'], path: string, body: unknown): string {
  const route = ROUTES.find((r) => r.method === method && r.path.endsWith(path));
  if (!route?.body) throw new Error(`no ${method} ${path} with a body`);
  const parsed = route.body.safeParse(body);
  if (parsed.success) throw new Error('expected the body to be refused');
  return validationMessage(route.body, parsed.error.issues[0], 'body');
}

describe('fields people fill in are named in their words when refused', () => {
  it('names the full text’s web address and says what it must be', () => {
    for (const url of ['not a link', 'ftp://example.org/paper.pdf', 'example.org/paper.pdf'])
      expect(refusal('post', '/reports/:reportId/url', { url })).toBe(
        'The full text’s address must be a web address starting with http:// or https://',
      );
    expect(refusal('post', '/reports/:reportId/not-retrieved', { reason: ' ' })).toBe(
      'The reason it could not be retrieved must not be empty.',
    );
  });

  it('names emails, names, passwords, notes, tags and codes as their forms do', () => {
    const long = 'x'.repeat(20_001);
    expect(refusal('post', '/reviews/:review/invitations', { email: long, role: 'reviewer' })).toBe(
      'The email address must be at most 1000 characters long.',
    );
    expect(refusal('post', '/reviews/:review/invitations', { email: 'a@b.org', role: 'boss' })).toBe(
      'The role must be one of the roles offered',
    );
    expect(refusal('post', '/invitations/:token/accept', { name: long })).toBe(
      'Your name must be at most 200 characters long.',
    );
    expect(refusal('post', '/setup', { email: 'a@b.org', name: 'A', password: long })).toBe(
      'The password must be at most 1024 characters long.',
    );
    expect(refusal('post', '/auth/login', { email: '', password: 'x' })).toBe(
      'The email address must not be empty.',
    );
    expect(refusal('post', '/records/:recordId/notes', { text: long + long })).toBe(
      'The note must be at most 5000 characters long.',
    );
    expect(refusal('post', '/reviews/:review/tags', { name: long })).toBe(
      'The tag must be at most 200 characters long.',
    );
    expect(refusal('post', '/emergent-codes', { fieldKey: 'themes', label: '' })).toBe(
      'The new emergent code must not be empty.',
    );
  });

  it('never names a field by its bare key', () => {
    const messages = [
      refusal('post', '/reports/:reportId/url', { url: 'x' }),
      refusal('post', '/reviews/:review/tags', { name: 'x'.repeat(201) }),
      refusal('post', '/records/tags', { recordIds: [], tag: 'x', on: true }),
    ];
    for (const m of messages) expect(m).not.toMatch(/^(Url|Email|Name|Text|Tag|Label|Record ids)\b/);
  });
});
