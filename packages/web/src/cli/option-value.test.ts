import { describe, expect, it } from 'vitest';
import { numberOption, oneOf } from './option-value.ts';

describe('oneOf', () => {
  it('takes one of its words, the fallback when absent, and names the option otherwise', () => {
    expect(oneOf('b', ['a', 'b'] as const, 'a', 'mode')).toBe('b');
    expect(oneOf(undefined, ['a', 'b'] as const, 'a', 'mode')).toBe('a');
    expect(() => oneOf('c', ['a', 'b'] as const, 'a', 'mode')).toThrow('--mode must be one of a, b (got c)');
  });
});

describe('numberOption', () => {
  it('reads a number in range and falls back when the option is absent', () => {
    expect(numberOption('12', { whole: true, from: 1, to: 500 }, 50, 'limit')).toBe(12);
    expect(numberOption(undefined, { whole: true, from: 1, to: 500 }, 50, 'limit')).toBe(50);
    expect(numberOption('1', { above: 0, to: 1 }, 0.95, 'target-recall')).toBe(1);
    expect(numberOption('0.9', { above: 0, below: 1 }, 0.95, 'confidence')).toBe(0.9);
  });

  it('refuses what is not a number, not whole, or out of range, naming the option and the range', () => {
    const limit = { whole: true, from: 1, to: 500 };
    expect(() => numberOption('ten', limit, 50, 'limit')).toThrow(
      '--limit must be a whole number from 1 to 500 (got ten)',
    );
    expect(() => numberOption('2.5', limit, 50, 'limit')).toThrow(/whole number/);
    expect(() => numberOption('501', limit, 50, 'limit')).toThrow(/from 1 to 500/);
    expect(() => numberOption('', limit, 50, 'limit')).toThrow(/--limit/);
    // A flag given without a value arrives as `true`.
    expect(() => numberOption(true, limit, 50, 'limit')).toThrow('(got true)');
    expect(() => numberOption('1', { above: 0, below: 1 }, 0.95, 'confidence')).toThrow(
      '--confidence must be a number above 0 and below 1 (got 1)',
    );
    expect(() => numberOption('0', { above: 0, to: 1 }, 0.95, 'target-recall')).toThrow(
      'a number above 0 and at most 1',
    );
  });
});
