/**
 * Why a duplicate group was made, after "Grouped as certain duplicates:". The matcher's reason opens
 * with its verdict ("duplicate; same DOI; same title"), which the sentence has already said: read
 * as "…certain duplicates: duplicate; same DOI", the verdict looks like a code. Only the evidence
 * is kept; a reason that is the verdict alone says so in words.
 */
export function groupReasonWords(reason: string): string {
  // A member joined through another member of its group, not by a link of its own.
  if (reason === 'grouped') return 'it matches another record of the group';
  const evidence = reason.replace(/^duplicate(?:;\s*|$)/, '').trim();
  return evidence || 'the records agree';
}
