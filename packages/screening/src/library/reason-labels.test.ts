import { describe, expect, it } from 'vitest';
import { reasonLabeller } from './reason-labels.ts';

const reason = (code: string, label: string) => ({ code, label, retired: false });

describe('reasonLabeller', () => {
  const label = reasonLabeller([
    { exclusionReasons: [reason('setting', 'Not a healthcare setting'), reason('design', 'Not a review')] },
    {
      exclusionReasons: [reason('design', 'Wrong study design'), reason('outcome', 'No outcome of interest')],
    },
  ]);

  it("reads a code by its own stage's label first", () => {
    expect(label('title-abstract', 'design')).toBe('Not a review');
    expect(label('full-text', 'design')).toBe('Wrong study design');
  });

  it("falls back to the other stage's label, then to the code", () => {
    expect(label('full-text', 'setting')).toBe('Not a healthcare setting');
    expect(label('title-abstract', 'outcome')).toBe('No outcome of interest');
    expect(label('full-text', 'gone')).toBe('gone');
  });
});
