import { describe, expect, it } from 'vitest';
import { findIsbns, findIssns, findPmcid, normalisePmid } from './identifiers.ts';

describe('identifiers', () => {
  it('finds ISSNs with valid check digits in mixed fields', () => {
    expect(findIssns('03064530 (ISSN)')).toEqual(['0306-4530']);
    expect(findIssns('1939-1676 0891-6640')).toEqual(['1939-1676', '0891-6640']);
    expect(findIssns('2211-369X')).toEqual(['2211-369X']);
    expect(findIssns('1234-5678')).toEqual([]);
  });
  it('finds ISBN-10 and ISBN-13', () => {
    expect(findIsbns('ISBN 978-0-306-40615-7')).toEqual(['9780306406157']);
    expect(findIsbns('0-306-40615-2')).toEqual(['0306406152']);
    expect(findIsbns('1756-1833')).toEqual([]);
  });
  it('reads PMIDs and PMCIDs', () => {
    expect(normalisePmid('PMID: 33782057')).toBe('33782057');
    expect(normalisePmid('31690499 [pmid]')).toBe('31690499');
    expect(normalisePmid('2019-65183-001')).toBeUndefined();
    expect(findPmcid('PMID: 33782057 PMCID: pmc8005924')).toBe('PMC8005924');
  });
});
