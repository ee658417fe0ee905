import { describe, expect, it } from 'vitest';
import { counted } from './counted.ts';

describe('counted', () => {
  it('says one in the singular and any other number in the plural, with thousands marked', () => {
    expect(counted(1, 'report')).toBe('1 report');
    expect(counted(0, 'report')).toBe('0 reports');
    expect(counted(1200, 'record')).toBe('1,200 records');
    expect(counted(2, 'study', 'studies')).toBe('2 studies');
  });
});
