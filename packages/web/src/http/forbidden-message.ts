const ROLE_NAMES: Record<string, string> = {
  lead: 'a lead',
  reviewer: 'a reviewer',
  adjudicator: 'an adjudicator',
  viewer: 'a viewer',
};

/** Read by people in the browser: says who may do it, in words, without codes or slugs. */
export function forbiddenMessage(roles: readonly string[]): string {
  const names = roles.map((r) => ROLE_NAMES[r] ?? r);
  const who = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
  return `Only ${who} of this review can do this.`;
}
