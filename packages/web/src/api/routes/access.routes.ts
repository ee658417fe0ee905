import { currentRoles } from '../../http/request-context.ts';
import { allowedActions } from '../../http/allowed-actions.ts';
import { ANY_MEMBER, route, type RouteDef } from '../../http/route.ts';

/** Takes the catalog lazily: the catalog lists this route too. */
export function accessRoutes(catalog: () => readonly RouteDef[]) {
  return [
    route({
      method: 'get',
      path: '/reviews/:review/access',
      tag: 'reviews',
      summary:
        'The caller’s roles and the review routes they may call (pages show only what the caller can use)',
      access: ANY_MEMBER,
      handler: ({ req }) => {
        const roles = currentRoles(req);
        return { roles, allowed: allowedActions(catalog(), roles) };
      },
    }),
  ];
}
