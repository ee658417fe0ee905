import { describe, expect, it } from 'vitest';
import { INGEST_FORMATS } from '@winnow/ingest';
import { SOURCE_KINDS } from '@winnow/screening';
import { FORMAT_OPTIONS, KIND_OPTIONS, formatName, kindName } from './import-words.ts';

describe('import words', () => {
  it('offers every format Winnow reads, by its name, after detection', () => {
    expect(FORMAT_OPTIONS).toEqual(['auto', ...INGEST_FORMATS]);
    expect(formatName('auto')).toBe('Detect from the file');
    expect(formatName('medline')).toBe('MEDLINE / PubMed (.nbib)');
    expect(formatName('wos-tab')).toBe('Web of Science (tab-delimited)');
    for (const f of INGEST_FORMATS) expect(formatName(f), f).not.toMatch(/^[a-z-]+$/);
  });

  it('offers every source kind, by its name', () => {
    expect(KIND_OPTIONS).toEqual([...SOURCE_KINDS]);
    for (const k of SOURCE_KINDS) expect(kindName(k), k).toMatch(/^[A-Z]/);
    expect(kindName('register')).toBe('Register');
  });

  it('never shows a token, even one it does not know', () => {
    expect(formatName(null)).toBe('');
    expect(formatName('new-format')).toBe('NEW FORMAT');
    expect(kindName('grey-literature')).toBe('Grey literature');
  });
});
