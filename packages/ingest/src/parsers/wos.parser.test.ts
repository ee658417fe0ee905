import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.test-helper.ts';

describe('Web of Science readers', () => {
  it('reads plain text with indented continuation lines', async () => {
    const { format, records } = await parseFixture('wos.txt');
    expect(format).toBe('wos-plain');
    expect(records).toHaveLength(2);
    const a = records[0]!.record;
    expect(a.title).toBe('The PRISMA 2020 statement: an updated guideline for reporting systematic reviews');
    expect(a.authors.map((x) => x.asWritten)).toEqual(['Page, Matthew J.', 'McKenzie, Joanne E.']);
    expect(a.keywords).toEqual(['reporting', 'systematic reviews']);
    expect(a).toMatchObject({
      pmid: '33782057',
      doi: '10.1136/bmj.n71',
      pages: { start: 'n71' },
      source: { platform: 'Web of Science' },
    });
    expect(records[1]!.record.pages).toMatchObject({ start: '37', end: '46' });
  });

  it('reads UTF-16 tab-delimited exports (quotes are literal)', async () => {
    const { format, records, diagnostics } = await parseFixture('wos-tab-utf16.txt');
    expect(format).toBe('wos-tab');
    expect(diagnostics).toEqual([]);
    expect(records.map((r) => r.record.title)).toEqual([
      'A coefficient of agreement for "nominal" scales',
      'Measurement of observer agreement for categorical data',
    ]);
    expect(records[1]!.record.authors.map((a) => a.family)).toEqual(['Landis', 'Koch']);
    expect(records[1]!.record.doi).toBe('10.2307/2529310');
  });
});
