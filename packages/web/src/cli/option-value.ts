import { WinnowError } from '@winnow/core';

/** An option that takes one of a few words: its value, the fallback when it is absent, or an error naming the option and the words it takes. */
export function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  option: string,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new WinnowError(
    'BAD_REQUEST',
    `--${option} must be one of ${allowed.join(', ')} (got ${String(value)})`,
    {
      location: { field: option },
    },
  );
}

/** The range a numeric option takes; `above`/`below` exclude their bound, `from`/`to` include it. */
export interface NumberRange {
  whole?: boolean;
  from?: number;
  to?: number;
  above?: number;
  below?: number;
}

function describeRange(r: NumberRange): string {
  const kind = r.whole ? 'a whole number' : 'a number';
  if (r.from !== undefined && r.to !== undefined) return `${kind} from ${r.from} to ${r.to}`;
  const bounds = [
    r.from !== undefined ? `at least ${r.from}` : r.above !== undefined ? `above ${r.above}` : '',
    r.to !== undefined ? `at most ${r.to}` : r.below !== undefined ? `below ${r.below}` : '',
  ].filter(Boolean);
  return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
}

/** A numeric option: its value, the fallback when it is absent, or an error naming the option and the range it takes. */
export function numberOption(value: unknown, range: NumberRange, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  const ok =
    Number.isFinite(v) &&
    (!range.whole || Number.isInteger(v)) &&
    (range.from === undefined || v >= range.from) &&
    (range.to === undefined || v <= range.to) &&
    (range.above === undefined || v > range.above) &&
    (range.below === undefined || v < range.below);
  if (ok) return v;
  throw new WinnowError('BAD_REQUEST', `--${option} must be ${describeRange(range)} (got ${String(value)})`, {
    location: { field: option },
  });
}
