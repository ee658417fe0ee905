import { describe, expect, it } from 'vitest';
import { timeAgo } from './time-ago.ts';

describe('timeAgo', () => {
  it('says how long ago in words', () => {
    expect(timeAgo(0)).toBe('just now');
    expect(timeAgo(-5_000)).toBe('just now');
    expect(timeAgo(44_000)).toBe('just now');
    expect(timeAgo(60_000)).toBe('1 minute ago');
    expect(timeAgo(2 * 60_000 + 10_000)).toBe('2 minutes ago');
    expect(timeAgo(44 * 60_000)).toBe('44 minutes ago');
    expect(timeAgo(50 * 60_000)).toBe('1 hour ago');
    expect(timeAgo(5 * 3_600_000)).toBe('5 hours ago');
    expect(timeAgo(23 * 3_600_000)).toBe('1 day ago');
    expect(timeAgo(3 * 86_400_000)).toBe('3 days ago');
  });
});
