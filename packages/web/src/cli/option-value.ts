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
