import { describe, expect, it } from 'vitest';
import { groupReasonWords } from './group-reason-words.ts';

describe('group reason words', () => {
  it('keeps the evidence, not the verdict the sentence has already given', () => {
    expect(groupReasonWords('duplicate; same DOI; same title')).toBe('same DOI; same title');
    expect(groupReasonWords('duplicate')).toBe('the records agree');
    expect(groupReasonWords('grouped')).toBe('it matches another record of the group');
  });

  it('leaves any other reason as the matcher wrote it', () => {
    expect(groupReasonWords('likely duplicate, not enough agreeing detail')).toBe(
      'likely duplicate, not enough agreeing detail',
    );
    expect(groupReasonWords('duplicates of one another')).toBe('duplicates of one another');
  });
});
