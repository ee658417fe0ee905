import { describe, expect, it } from 'vitest';
import type { QueueItem } from '@winnow/extraction';
import { codingStatusWords } from './coding-status-words.ts';

describe('codingStatusWords', () => {
  it('says every status of a coder’s queue in words', () => {
    // A status added to the queue fails to compile here until it has words.
    const words: Record<QueueItem['status'], string> = {
      'not-started': 'Not started',
      draft: 'Draft saved',
      submitted: 'Submitted',
    };
    for (const [status, said] of Object.entries(words)) expect(codingStatusWords(status)).toBe(said);
  });

  it('never shows a token: an unknown status reads as words, a missing one as nothing', () => {
    expect(codingStatusWords('in-review')).toBe('In review');
    expect(codingStatusWords(undefined)).toBe('');
  });
});
