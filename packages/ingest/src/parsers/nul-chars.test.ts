import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalisedRecord, ParsedRecord } from '../record.types.ts';
import { formatDiagnostic, parseText } from './parse-stream.ts';
import type { IngestFormat } from './formats.ts';
import { dropNul, withoutNul } from './nul-chars.ts';

const NUL = '\u0000';

function parsed(record: Partial<NormalisedRecord>): ParsedRecord {
  return {
    index: 4,
    line: 31,
    record: { title: '', authors: [], keywords: [], mesh: [], raw: '', source: { format: 'ris' }, ...record },
  } as ParsedRecord;
}

/** Every string anywhere in `value`. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('withoutNul', () => {
  it('leaves a record whose source text holds no NUL as it is', () => {
    expect(withoutNul(parsed({ title: 'Lean in wards', raw: 'TI  - Lean in wards' }))).toBeNull();
  });

  it('removes every NUL from the fields and the source text, and says which fields and how many', () => {
    const out = withoutNul(
      parsed({
        title: `Lean${NUL} in wards`,
        authors: [{ family: `Sm${NUL}ith`, asWritten: `Sm${NUL}ith, J` }],
        raw: `TI  - Lean${NUL} in wards\nAU  - Sm${NUL}ith, J`,
      }),
    )!;
    expect(out.record.record.title).toBe('Lean in wards');
    expect(out.record.record.authors).toEqual([{ family: 'Smith', asWritten: 'Smith, J' }]);
    expect(out.record.record.raw).toBe('TI  - Lean in wards\nAU  - Smith, J');
    expect(out.record.index).toBe(4);
    expect(out.warning).toMatchObject({
      severity: 'warning',
      record: 4,
      line: 31,
      field: 'title',
      damage: 'repaired',
    });
    expect(formatDiagnostic(out.warning, 'search.ris')).toBe(
      'search.ris: record 4 (line 31): 2 NUL characters (bytes 0x00) removed from title, authors (the database cannot store them); kept with warning',
    );
  });

  it('names the source text when no field held the NUL', () => {
    const out = withoutNul(parsed({ title: 'Lean', raw: `TI  - Lean\nX${NUL}  - note` }))!;
    expect(out.record.record.raw).toBe('TI  - Lean\nX  - note');
    expect(out.warning.message).toBe(
      'a NUL character (byte 0x00) removed from its source text (the database cannot store it); kept with warning',
    );
  });

  it('dropNul removes NUL from a message and returns other text unchanged', () => {
    expect(dropNul(`unknown tag "T${NUL}I"`)).toBe('unknown tag "TI"');
    const text = 'no NUL here';
    expect(dropNul(text)).toBe(text);
  });
});

/** A file of each text format with two records; `t` and `a` are the second record's title and abstract. */
const FILES: Partial<Record<IngestFormat, (t: string, a: string) => string>> = {
  ris: (t, a) => `TY  - JOUR\nTI  - First\nER  - \n\nTY  - JOUR\nTI  - ${t}\nAB  - ${a}\nER  - \n`,
  medline: (t, a) => `PMID- 1\nTI  - First\n\nPMID- 2\nTI  - ${t}\nAB  - ${a}\n`,
  'wos-plain': (t, a) =>
    `FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI First\nER\n\nPT J\nTI ${t}\nAB ${a}\nER\n\nEF\n`,
  csv: (t, a) => `Title,Abstract\nFirst,x\n"${t}","${a}"\n`,
  bibtex: (t, a) => `@article{one, title={First}}\n\n@article{two, title={${t}}, abstract={${a}}}\n`,
};

/** Words of letters: nothing a format reads as structure. */
const word = fc.stringMatching(/^[A-Za-z]{1,8}$/);
const text = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));

/** `s` with a NUL put inside some of its words (between two letters, so no spacing changes). */
function withNuls(s: string, at: number[]): string {
  const chars = [...s];
  const inner = chars.flatMap((c, i) =>
    i > 0 && /[A-Za-z]/.test(c) && /[A-Za-z]/.test(chars[i - 1]!) ? [i] : [],
  );
  const picks = new Set(at.map((k) => inner[k % Math.max(1, inner.length)]).filter((i) => i !== undefined));
  return chars.map((c, i) => (picks.has(i) ? NUL + c : c)).join('');
}

describe('a file with NUL characters in its fields (property)', () => {
  for (const [format, file] of Object.entries(FILES) as [IngestFormat, (t: string, a: string) => string][]) {
    it(`${format}: gives the records of the same file without them, with no NUL left and a warning for the record`, async () => {
      await fc.assert(
        fc.asyncProperty(text, text, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), async (t, a, at) => {
          const dirtyTitle = withNuls(t, at);
          const dirtyAbstract = withNuls(
            a,
            at.map((k) => k + 1),
          );
          const clean = await parseText(file(t, a), { format });
          const dirty = await parseText(file(dirtyTitle, dirtyAbstract), { format });
          expect(strings(dirty.records).some((s) => s.includes(NUL))).toBe(false);
          expect(dirty.records.map((r) => r.record)).toEqual(clean.records.map((r) => r.record));
          const warnings = dirty.diagnostics.filter((d) => d.damage === 'repaired');
          const removed = (dirtyTitle + dirtyAbstract).split(NUL).length - 1;
          expect(warnings.map((d) => d.record)).toEqual(removed > 0 ? [2] : []);
        }),
        { numRuns: 60 },
      );
    });
  }
});
