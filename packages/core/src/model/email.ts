// Leading/trailing characters a person cannot see: Unicode White_Space plus the zero-width
// characters and the BOM that paste and autofill bring along. String.prototype.trim misses U+0085
// and the zero-width ones, and trimming before NFKC would miss what NFKC turns into a space.
const EDGE = /^[\p{White_Space}\u200B-\u200D\u2060\uFEFF]+|[\p{White_Space}\u200B-\u200D\u2060\uFEFF]+$/gu;

/**
 * The one form of an email address used everywhere an account is named: the sign-in lookup and
 * its rate-limit key, account creation, invitations. Two spellings a person would call the same
 * address (spaces around it, full-width letters, capitals) give the same string, so no spelling
 * reaches an account or a lock that another one does not.
 */
export function normaliseEmail(raw: string): string {
  // NFKC again after lower-casing: a few lower-case mappings (e.g. U+0130) are not NFKC-stable.
  return raw.normalize('NFKC').toLowerCase().normalize('NFKC').replace(EDGE, '');
}

/** Something with one @ and no white space around it: the address check accounts have always had. */
export function looksLikeEmail(normalised: string): boolean {
  return /^[^@\s]+@[^@\s]+$/u.test(normalised);
}
