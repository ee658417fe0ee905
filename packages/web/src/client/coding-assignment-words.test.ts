import { describe, expect, it } from 'vitest';
import { codingAssignmentWords } from './coding-assignment-words.ts';

const team = { studies: 3, coders: 2, codersPerStudy: 2 };

describe('coding assignment words', () => {
  it('says what was handed out', () => {
    expect(codingAssignmentWords({ ...team, newStudies: 3, assigned: 6 })).toBe(
      '6 coding tasks handed out (3 new studies): each is in its coder’s queue.',
    );
    expect(codingAssignmentWords({ ...team, newStudies: 0, assigned: 1 })).toBe(
      '1 coding task handed out: each is in its coder’s queue.',
    );
  });

  it('says why nothing was handed out, never that it was', () => {
    expect(codingAssignmentWords({ ...team, studies: 0, newStudies: 0, assigned: 0 })).toMatch(
      /^No included studies to assign yet/,
    );
    expect(codingAssignmentWords({ ...team, coders: 0, newStudies: 3, assigned: 0 })).toMatch(
      /^No one to assign the studies to: .*Members page/,
    );
    expect(codingAssignmentWords({ ...team, newStudies: 0, assigned: 0 })).toBe(
      'Nothing new to assign: every included study already has its coders.',
    );
  });

  it('says when the team is smaller than the coders each study needs', () => {
    expect(codingAssignmentWords({ ...team, coders: 1, newStudies: 3, assigned: 3 })).toBe(
      '3 coding tasks handed out (3 new studies): each is in its coder’s queue. Each study needs 2 coders but the review has 1: add coders on the Members page, then assign again.',
    );
  });
});
