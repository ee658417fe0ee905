import { WinnowError } from '@winnow/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INGEST_FORMATS } from './formats.ts';
import { parseText } from './parse-stream.ts';

const fragments = fc.constantFrom(
  'TY  - JOUR\n',
  'ER  -\n',
  'TI  - x\n',
  'PMID- 1\n',
  'AU  - A B\n',
  '      cont\n',
  'FN Web\n',
  'PT J\n',
  'ER\n',
  '<PubmedArticle>',
  '</PubmedArticle>',
  '<record>',
  '</record>',
  '<title>',
  '&amp;',
  '&bad;',
  '<!ENTITY a "b">',
  '@article{k,',
  'title = {',
  '}',
  '"',
  ',',
  ';',
  '\t',
  '\n',
  '\r',
  '\uFEFF',
  '{\\"o}',
  '1.\n',
  'Title,Year\n',
);
const input = fc
  .array(fc.oneof(fragments, fc.string({ maxLength: 12 })), { maxLength: 40 })
  .map((a) => a.join(''));

describe('parseStream on arbitrary input', () => {
  it('gives records or typed errors, never anything else, and terminates', async () => {
    await fc.assert(
      fc.asyncProperty(input, fc.constantFrom('auto' as const, ...INGEST_FORMATS), async (text, format) => {
        try {
          const out = await parseText(text, { format, fileName: 'fuzz.txt' });
          expect(out.records.length).toBeGreaterThan(0);
          for (const r of out.records) {
            expect(typeof r.record.title).toBe('string');
            expect(Array.isArray(r.record.authors)).toBe(true);
            expect(r.index).toBeGreaterThan(0);
          }
          for (const d of out.diagnostics) expect(['warning', 'error']).toContain(d.severity);
        } catch (e) {
          expect(e).toBeInstanceOf(WinnowError);
          expect(['PARSE_ERROR', 'UNSUPPORTED_FORMAT']).toContain((e as WinnowError).code);
          expect((e as WinnowError).message).toContain('fuzz.txt');
        }
      }),
      { numRuns: 400, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('rejects an empty file with PARSE_ERROR', async () => {
    await expect(parseText('', { fileName: 'empty.ris' })).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    await expect(parseText('   \n\n', { format: 'ris', fileName: 'blank.ris' })).rejects.toMatchObject({
      code: 'PARSE_ERROR',
      details: { location: { file: 'blank.ris' } },
    });
  });
});
