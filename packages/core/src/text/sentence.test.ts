import { describe, expect, it } from 'vitest';
import { asSentence } from './sentence.ts';

describe('asSentence', () => {
  it('adds a full stop only where the text does not end a sentence already', () => {
    expect(asSentence('Lean in wards')).toBe('Lean in wards.');
    expect(asSentence('Does it work?')).toBe('Does it work?');
    expect(asSentence('Stop!')).toBe('Stop!');
    expect(asSentence('Cut short…')).toBe('Cut short…');
    expect(asSentence('Smith et al.')).toBe('Smith et al.');
    expect(asSentence('A “quoted?”')).toBe('A “quoted?”');
  });
});
