import { describe, expect, it } from 'vitest';
import { WinnowError } from '@winnow/core';
import {
  activeReasons,
  defaultStageConfig,
  mayAdjudicate,
  reasonCode,
  reasonsRequired,
  withReasonCodes,
  screeningConfigSchema,
  stageConfigSchema,
} from './stage-config.schema.ts';
import { checkDecision } from './decision.schema.ts';
import { highlightSegments } from './highlight.ts';

describe('stage configuration', () => {
  it('defaults to two blind votes, reasons optional at title/abstract and mandatory at full text', () => {
    const cfg = defaultStageConfig();
    expect(cfg).toMatchObject({ votesNeeded: 2, blind: true, order: 'random' });
    expect(reasonsRequired('title-abstract', cfg)).toBe(false);
    expect(reasonsRequired('full-text', cfg)).toBe(true);
    expect(reasonsRequired('title-abstract', { ...cfg, reasonsRequired: true })).toBe(true);
    expect(screeningConfigSchema.parse({})['full-text'].votesNeeded).toBe(2);
  });

  it('rejects duplicate reason codes and bad vote counts with a path', () => {
    const r = stageConfigSchema.safeParse({
      exclusionReasons: [
        { code: 'wrong-design', label: 'Wrong design' },
        { code: 'wrong-design', label: 'Again' },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['exclusionReasons', 1, 'code']);
    expect(stageConfigSchema.safeParse({ votesNeeded: 0 }).success).toBe(false);
  });
});

describe('checkDecision', () => {
  const cfg = stageConfigSchema.parse({
    exclusionReasons: [{ code: 'wrong-design', label: 'Wrong design' }],
    labels: ['nice'],
  });

  it('accepts a plain include and an exclude without reasons at title/abstract', () => {
    expect(checkDecision('title-abstract', cfg, { recordId: 'r', vote: 'include' }).reasons).toEqual([]);
    expect(checkDecision('title-abstract', cfg, { recordId: 'r', vote: 'exclude' }).vote).toBe('exclude');
  });

  it('requires a reason to exclude at full text and knows the shared list', () => {
    expect(() => checkDecision('full-text', cfg, { recordId: 'r', vote: 'exclude' })).toThrow(
      /needs at least one exclusion reason/,
    );
    expect(() =>
      checkDecision('full-text', cfg, { recordId: 'r', vote: 'exclude', reasons: ['nope'] }),
    ).toThrow(/Unknown exclusion reason "nope"/);
    expect(
      checkDecision('full-text', cfg, {
        recordId: 'r',
        vote: 'exclude',
        reasons: ['wrong-design', 'wrong-design'],
      }).reasons,
    ).toEqual(['wrong-design']);
  });

  it('refuses reasons on an include and unknown labels, as VALIDATION errors on the field', () => {
    try {
      checkDecision('title-abstract', cfg, { recordId: 'r', vote: 'include', reasons: ['wrong-design'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WinnowError);
      expect((e as WinnowError).code).toBe('VALIDATION');
      expect((e as WinnowError).details?.location?.field).toBe('reasons');
    }
    expect(() =>
      checkDecision('title-abstract', cfg, { recordId: 'r', vote: 'include', labels: ['odd'] }),
    ).toThrow(/Unknown label/);
  });
});

describe('retired exclusion reasons', () => {
  const cfg = stageConfigSchema.parse({
    exclusionReasons: [
      { code: 'wrong-design', label: 'Wrong design' },
      { code: 'not-health', label: 'Not health care', retired: true },
    ],
  });

  it('are no longer offered or accepted for a new vote, and keep their label in the list', () => {
    expect(activeReasons(cfg).map((r) => r.code)).toEqual(['wrong-design']);
    expect(() =>
      checkDecision('full-text', cfg, { recordId: 'r', vote: 'exclude', reasons: ['not-health'] }),
    ).toThrow(/“Not health care” has been retired/);
    expect(cfg.exclusionReasons.find((r) => r.code === 'not-health')?.label).toBe('Not health care');
  });
});

describe('reason codes made from labels', () => {
  it('slugs the label, keeps codes already given and never repeats one', () => {
    expect(reasonCode('Not health care', new Set())).toBe('not-health-care');
    expect(reasonCode('Étude « hors sujet »!', new Set())).toBe('etude-hors-sujet');
    expect(reasonCode('Wrong design', new Set(['wrong-design']))).toBe('wrong-design-2');
    expect(reasonCode('!!!', new Set())).toBe('reason');
    const filled = withReasonCodes({
      exclusionReasons: [{ label: 'Wrong design' }, { code: 'wrong-design', label: 'Renamed' }],
    }) as { exclusionReasons: { code: string }[] };
    expect(filled.exclusionReasons.map((r) => r.code)).toEqual(['wrong-design-2', 'wrong-design']);
    expect(stageConfigSchema.safeParse(filled).success).toBe(true);
  });
});

describe('mayAdjudicate', () => {
  const base = defaultStageConfig();
  it('lets every lead and adjudicator resolve by default, and only the chosen ones once set', () => {
    expect(mayAdjudicate(base, 'u1', ['adjudicator'])).toBe(true);
    expect(mayAdjudicate(base, 'u1', ['reviewer'])).toBe(false);
    const only = { ...base, adjudication: { roles: [] as 'lead'[], userIds: ['u2'] } };
    expect(mayAdjudicate(only, 'u1', ['adjudicator', 'lead'])).toBe(false);
    expect(mayAdjudicate(only, 'u2', ['adjudicator'])).toBe(true);
    const leads = { ...base, adjudication: { roles: ['lead' as const], userIds: [] } };
    expect(mayAdjudicate(leads, 'u1', ['lead'])).toBe(true);
    expect(mayAdjudicate(leads, 'u1', ['adjudicator'])).toBe(false);
  });
});

describe('highlightSegments', () => {
  it('marks include and exclude terms as whole words, with * as a suffix wildcard', () => {
    const segs = highlightSegments('A randomised trial, not a review of trials.', {
      include: ['random*', 'trial'],
      exclude: ['review'],
    });
    expect(segs.filter((s) => s.kind).map((s) => `${s.kind}:${s.text}`)).toEqual([
      'include:randomised',
      'include:trial',
      'exclude:review',
    ]);
    expect(segs.map((s) => s.text).join('')).toBe('A randomised trial, not a review of trials.');
  });

  it('prefers the longer term, lets exclude win on a tie and ignores case', () => {
    const segs = highlightSegments('Quality Improvement in care', {
      include: ['quality', 'quality improvement'],
      exclude: ['care'],
    });
    expect(segs.filter((s) => s.kind).map((s) => s.text)).toEqual(['Quality Improvement', 'care']);
    expect(highlightSegments('care', { include: ['care'], exclude: ['care'] })[0]?.kind).toBe('exclude');
  });

  it('treats regex characters literally and handles empty input', () => {
    expect(
      highlightSegments('c++ (beta) cxx', { include: ['c++', '(beta)'], exclude: [] })
        .filter((s) => s.kind)
        .map((s) => s.text),
    ).toEqual(['c++', '(beta)']);
    expect(highlightSegments('', { include: ['x'], exclude: [] })).toEqual([]);
    expect(highlightSegments('text', { include: ['*'], exclude: [] })).toEqual([
      { text: 'text', kind: null },
    ]);
  });
});
