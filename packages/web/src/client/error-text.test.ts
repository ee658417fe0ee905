import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { errorText, fieldError } from './error-text.ts';
import { codeLabels, type Codebook } from './pages/extraction-types.ts';

const CODE_OR_ID = /[A-Z_]{4,}:|[0-9a-f]{8}-[0-9a-f]{4}-/;

describe('messages a person reads', () => {
  it('never shows the error code, and says plain words for failures with no message of their own', () => {
    const cases = [
      new ApiError(422, 'VALIDATION', '"empty.ris" is empty'),
      new ApiError(0, 'NETWORK', 'Upload failed'),
      new ApiError(401, 'UNAUTHORIZED', 'Sign in or send a bearer token'),
      new ApiError(500, 'INTERNAL', 'Internal error'),
      new ApiError(403, 'FORBIDDEN', 'Only a lead of this review can do this.'),
      new ApiError(403, 'CSRF', 'Missing or wrong x-csrf-token header for a cookie-authenticated request'),
    ];
    for (const e of cases) expect(errorText(e)).not.toMatch(CODE_OR_ID);
    expect(errorText(cases[0])).toBe('"empty.ris" is empty');
    expect(errorText(cases[1])).toMatch(/could not be reached/);
    expect(errorText(cases[2])).not.toMatch(/bearer/);
    expect(errorText(cases[2])).toMatch(/signed out.*Sign in again/);
    // A sign-in made in another tab: said in words, never as the header the server names.
    expect(errorText(cases[5])).not.toMatch(/csrf|header/i);
    expect(errorText(cases[5])).toMatch(/another tab/);
  });

  it('ties a server message to the form field it names', () => {
    const e = new ApiError(422, 'VALIDATION', 'required', 'publication_type');
    expect(fieldError(e, 'publication_type')).toBe('required');
    expect(fieldError(e, 'geography')).toBeUndefined();
  });

  it('labels option keys, nested codes and emergent codes', () => {
    const book: Codebook = {
      id: 'b',
      name: 'B',
      version: 1,
      fields: [
        {
          key: 'publication_type',
          label: 'Publication type',
          type: 'single_choice',
          options: [{ key: 'academic.systematic_review', label: 'Systematic review' }],
        },
        {
          key: 'influences',
          label: 'Influences',
          type: 'code_tree',
          codes: [
            {
              key: 'leadership',
              label: 'Leadership',
              children: [{ key: 'leadership.roles', label: 'Clear roles' }],
            },
          ],
        },
      ],
    };
    const labels = codeLabels(
      [book],
      [
        {
          id: '1',
          fieldKey: 'influences',
          parentKey: null,
          key: 'emergent.family',
          label: 'Family involvement',
          status: 'proposed',
          proposedBy: 'x',
        },
      ],
    );
    expect(labels('publication_type', 'academic.systematic_review')).toBe('Systematic review');
    expect(labels('influences', 'leadership.roles')).toBe('Clear roles');
    expect(labels('influences', 'emergent.family')).toBe('Family involvement');
    // Each field's keys are its own.
    expect(labels('publication_type', 'leadership.roles')).toBeUndefined();
    expect(labels('influences', 'academic.systematic_review')).toBeUndefined();
  });

  it('labels the same key in two fields by each field’s own label', () => {
    const choice = (key: string, label: string, options: [string, string][]) => ({
      key,
      label,
      type: 'single_choice' as const,
      options: options.map(([k, l]) => ({ key: k, label: l })),
    });
    const book: Codebook = {
      id: 'b',
      name: 'B',
      version: 1,
      fields: [
        choice('geography', 'Geography', [['international', 'Draws from an international evidence base']]),
        choice('relevance', 'Relevance', [['international', 'Learning of international relevance']]),
      ],
    };
    const labels = codeLabels([book]);
    expect(labels('geography', 'international')).toBe('Draws from an international evidence base');
    expect(labels('relevance', 'international')).toBe('Learning of international relevance');
  });
});
