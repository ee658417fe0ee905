import { describe, expect, it } from 'vitest';
import { explanationInWords } from './record-page.repository.ts';

describe('an outcome explained in words', () => {
  const label = (code: string) =>
    ({ setting: 'Not a healthcare setting', design: 'Wrong design' })[code] ?? code;

  it('names the reasons by their labels', () => {
    expect(explanationInWords('both reviewers voted exclude (setting, design)', label)).toBe(
      'both reviewers voted exclude (Not a healthcare setting; Wrong design)',
    );
  });

  it('names the reasons of a decision the adjudicator changed', () => {
    expect(
      explanationInWords(
        'conflict (exclude/include) resolved as exclude by an adjudicator, who changed the decision (setting)',
        label,
      ),
    ).toBe(
      'conflict (exclude/include) resolved as exclude by an adjudicator, who changed the decision (Not a healthcare setting)',
    );
  });

  it('leaves brackets that are not reason codes as they are', () => {
    expect(explanationInWords('resolved by an adjudicator (after a conflict)', label)).toBe(
      'resolved by an adjudicator (after a conflict)',
    );
    expect(explanationInWords('2 of 2 votes in', label)).toBe('2 of 2 votes in');
  });
});

describe('an outcome stored in older words', () => {
  it('reads in today’s words, reasons still by their labels', () => {
    const label = (code: string) => ({ setting: 'Not a healthcare setting' })[code] ?? code;
    expect(explanationInWords('all 2 reviewers voted include: moves to full-text', label)).toBe(
      'both reviewers voted include: moves to full-text assessment',
    );
    expect(explanationInWords('all 2 reviewers voted exclude (setting)', label)).toBe(
      'both reviewers voted exclude (Not a healthcare setting)',
    );
  });
});
