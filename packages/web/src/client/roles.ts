/** The roles a member can hold in a review, as people read them. */
export const ROLE_LABELS = {
  lead: 'Lead',
  reviewer: 'Reviewer',
  adjudicator: 'Adjudicator',
  coder: 'Coder',
  viewer: 'Viewer',
} as const;
export type Role = keyof typeof ROLE_LABELS;
export const ROLES = Object.keys(ROLE_LABELS) as Role[];

/** "as a reviewer", "as an adjudicator": the role with its article. */
export const ROLE_WORDS: Record<Role, string> = {
  lead: 'a lead',
  reviewer: 'a reviewer',
  adjudicator: 'an adjudicator',
  coder: 'a coder',
  viewer: 'a viewer',
};

/** One line on what each role does, shown where a lead chooses roles. */
export const ROLE_HELP =
  'Reviewers screen and code; adjudicators resolve conflicts; coders code included studies only; viewers read only.';
