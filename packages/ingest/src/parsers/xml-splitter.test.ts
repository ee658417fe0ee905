import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseDiagnostic } from '../record.types.ts';
import { DEFAULT_PARSE_LIMITS } from './limits.ts';
import { XmlRecordSplitter } from './xml-splitter.ts';

function split(chunks: string[], maxElement?: number) {
  const elements: Array<{ xml: string; line: number; cutOff: boolean }> = [];
  const diagnostics: ParseDiagnostic[] = [];
  const s = new XmlRecordSplitter(
    ['record'],
    { record: () => {}, diagnostic: (d) => diagnostics.push(d) },
    (xml, line, cutOff) => elements.push({ xml, line, cutOff }),
    maxElement === undefined ? undefined : { ...DEFAULT_PARSE_LIMITS, recordChars: maxElement },
  );
  for (const c of chunks) s.push(c);
  s.end();
  return { elements, diagnostics };
}

const FILE =
  '<?xml version="1.0"?>\n<xml><records>\n<record><title>One</title></record>\n' +
  '<record>\n<title>Two</title>\n</record>\n<recordset/>\n<record><title>Three</title></record>\n</records></xml>\n';

describe('XmlRecordSplitter', () => {
  it('cuts whole record elements with their first line, however the text is chunked', () => {
    const whole = split([FILE]);
    expect(whole.elements.map((e) => e.line)).toEqual([3, 4, 8]);
    expect(whole.elements[1]!.xml).toBe('<record>\n<title>Two</title>\n</record>');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: FILE.length - 1 }), { maxLength: 12 }), (cuts) => {
        const at = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i) => FILE.slice(from, at[i] ?? FILE.length));
        expect(split(chunks)).toEqual(whole);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('skips an element over the size limit with a diagnostic and keeps the records after it', () => {
    const big = `<record><abstract>${'x'.repeat(5_000)}</abstract></record>`;
    const text = `<records>\n${big}\n<record><title>After</title></record>\n</records>`;
    const chunks = text.match(/[\s\S]{1,300}/g)!;
    const r = split(chunks, 1_000);
    expect(r.elements.map((e) => e.xml)).toEqual(['<record><title>After</title></record>']);
    expect(r.elements[0]!.cutOff).toBe(false);
    expect(r.elements[0]!.line).toBe(3);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 2,
        message: expect.stringMatching(/longer than 1000 characters/),
      }),
    ]);
  });

  it('hands on an element that never closes as cut off, by the line it starts on', () => {
    const r = split(['<records>\n\n<record><title>Cut off', ' here'], 1_000);
    expect(r.elements).toEqual([{ xml: '<record><title>Cut off here', line: 3, cutOff: true }]);
    expect(r.diagnostics).toEqual([]);
  });

  it('ends an element without its end tag where the next record starts, however the text is chunked', () => {
    const text =
      '<records>\n<record><title>One</title></record>\n<record><title>Two</title>\n' +
      '<record><title>Three</title></record>\n</records>\n';
    const whole = split([text]);
    expect(whole.elements).toEqual([
      { xml: '<record><title>One</title></record>', line: 2, cutOff: false },
      { xml: '<record><title>Two</title>\n', line: 3, cutOff: true },
      { xml: '<record><title>Three</title></record>', line: 4, cutOff: false },
    ]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        const at = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i) => text.slice(from, at[i] ?? text.length));
        expect(split(chunks)).toEqual(whole);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
