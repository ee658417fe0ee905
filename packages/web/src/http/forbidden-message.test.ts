import { describe, expect, it } from 'vitest';
import { forbiddenMessage } from './forbidden-message.ts';

describe('forbiddenMessage', () => {
  it('names the roles that may act, in words', () => {
    expect(forbiddenMessage(['lead'])).toBe('Only a lead of this review can do this.');
    expect(forbiddenMessage(['adjudicator', 'lead'])).toBe(
      'Only an adjudicator or a lead of this review can do this.',
    );
  });
});
