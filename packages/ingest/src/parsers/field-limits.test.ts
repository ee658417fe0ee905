import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseDiagnostic, ParsedRecord } from '../record.types.ts';
import type { IngestFormat } from './formats.ts';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './limits.ts';
import { formatDiagnostic, parseStream, parseText } from './parse-stream.ts';

// A real collector, so "retained" means what the parser holds, not garbage not yet collected.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;
const FILLER = 'a'.repeat(MiB);

/** One file per format: a record, a record whose title is `filler`, a record; and the title's line. */
const FILES: Record<IngestFormat, { head: string; tail: string; line: number; author?: string }> = {
  ris: {
    head: 'TY  - JOUR\nTI  - First title\nER  - \n\nTY  - JOUR\nTI  - ',
    tail: '\nAU  - Smith, J\nER  - \n\nTY  - JOUR\nTI  - Third title\nER  - \n',
    line: 6,
    author: 'Smith',
  },
  medline: {
    head: 'PMID- 1\nTI  - First title\n\nPMID- 2\nTI  - ',
    tail: '\nFAU - Smith, John\n\nPMID- 3\nTI  - Third title\n',
    line: 5,
    author: 'Smith',
  },
  'wos-plain': {
    head: 'FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI First title\nER\n\nPT J\nTI ',
    tail: '\nAU Smith, J\nER\n\nPT J\nTI Third title\nER\n\nEF\n',
    line: 8,
    author: 'Smith',
  },
  'wos-tab': {
    head: 'PT\tAU\tTI\tSO\nJ\tRoe, B\tFirst title\tJ One\nJ\tSmith, J\t',
    tail: '\tJ Two\nJ\tDoe, A\tThird title\tJ Three\n',
    line: 3,
    author: 'Smith',
  },
  csv: {
    head: 'Title,Authors,Year\n"First title",Roe B,2020\n"',
    tail: '",Smith J,2021\nThird title,Doe A,2022\n',
    line: 3,
    author: 'Smith',
  },
  'pubmed-xml': {
    head:
      '<?xml version="1.0"?>\n<PubmedArticleSet>\n' +
      '<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>First title</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n' +
      '<PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>',
    tail:
      '</ArticleTitle><AuthorList><Author><LastName>Smith</LastName></Author></AuthorList></Article></MedlineCitation></PubmedArticle>\n' +
      '<PubmedArticle><MedlineCitation><PMID>3</PMID><Article><ArticleTitle>Third title</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n' +
      '</PubmedArticleSet>\n',
    line: 4,
    author: 'Smith',
  },
  'endnote-xml': {
    head:
      '<?xml version="1.0"?>\n<xml><records>\n<record><titles><title>First title</title></titles></record>\n' +
      '<record><titles><title>',
    tail:
      '</title></titles><contributors><authors><author>Smith, J</author></authors></contributors></record>\n' +
      '<record><titles><title>Third title</title></titles></record>\n</records></xml>\n',
    line: 4,
    author: 'Smith',
  },
  bibtex: {
    head: '@article{a,\n  title = {First title},\n  year = {2020}\n}\n\n@article{b,\n  title = {',
    tail: '},\n  author = {Smith, J},\n  year = {2021}\n}\n\n@article{c,\n  title = {Third title}\n}\n',
    line: 6,
    author: 'Smith',
  },
};

/**
 * Parses a file of `format` whose second record's title is `fillerMiB` MiB of text, streamed in
 * 1 MiB chunks, and the most heap the parse held at any chunk over what it held before.
 */
async function parseHuge(format: IngestFormat, fillerMiB: number, limits?: Partial<ParseLimits>) {
  const file = FILES[format];
  const records: ParsedRecord[] = [];
  const diagnostics: ParseDiagnostic[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = 0;
  const sample = (): void => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - before);
  };
  async function* chunks(): AsyncGenerator<string> {
    yield file.head;
    for (let i = 0; i < fillerMiB; i++) {
      if (i % 8 === 7) sample();
      yield FILLER;
    }
    yield file.tail;
  }
  for await (const b of parseStream(format, chunks(), { fileName: `big.${format}`, limits })) {
    records.push(...b.records);
    diagnostics.push(...b.diagnostics);
  }
  sample();
  return { records, diagnostics, peak };
}

describe('field size limits: an over-long title is truncated with a warning, the rest of the file imports', () => {
  for (const format of Object.keys(FILES) as IngestFormat[]) {
    it(`${format}: a 64 MiB title keeps its first 64 KiB, the heap grows by a few MiB at most`, async () => {
      const { records, diagnostics, peak } = await parseHuge(format, 64);
      expect(records.map((r) => r.record.title.length)).toEqual([11, DEFAULT_PARSE_LIMITS.titleChars, 11]);
      expect(records[0]!.record.title).toBe('First title');
      expect(records[2]!.record.title).toBe('Third title');
      // What followed the huge value in the same record was read too.
      expect(records[1]!.record.authors[0]?.family).toBe(FILES[format].author);
      const warning = diagnostics.find((d) => d.field === 'title');
      expect(warning).toMatchObject({ severity: 'warning', record: 2, line: FILES[format].line });
      expect(formatDiagnostic(warning!, `big.${format}`)).toMatch(
        new RegExp(`^big\\.${format}: record 2 \\(line ${FILES[format].line}\\): title .*65,536.*truncated`),
      );
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(peak).toBeLessThan(12 * MiB);
    });
  }
});

describe('field, record and import limits are configurable', () => {
  it('cuts titles, abstracts and other fields at the limits given', async () => {
    const text =
      `TY  - JOUR\nTI  - ${'t'.repeat(300)}\nAB  - ${'b'.repeat(900)}\nAU  - ${'n'.repeat(500)}\n` +
      `JO  - ${'j'.repeat(100)}\nER  - \n`;
    const { records, diagnostics } = await parseText(text, {
      format: 'ris',
      limits: { titleChars: 100, abstractChars: 800, fieldChars: 200 },
    });
    const r = records[0]!.record;
    expect(r.title).toHaveLength(100);
    expect(r.abstract).toHaveLength(800);
    expect(r.authors[0]!.asWritten).toHaveLength(200);
    expect(r.journal).toHaveLength(100);
    expect(diagnostics.map((d) => [d.field, d.line])).toEqual([
      ['title', 2],
      ['abstract', 3],
      ['AU', 4],
    ]);
  });

  it('stops reading a record past the record limit, with a warning, and keeps the next record', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `KW  - keyword ${i} ${'k'.repeat(100)}`).join('\n');
    const text = `TY  - JOUR\nTI  - Big\n${lines}\nER  - \n\nTY  - JOUR\nTI  - Small\nER  - \n`;
    const { records, diagnostics } = await parseText(text, { format: 'ris', limits: { recordChars: 5_000 } });
    expect(records.map((r) => r.record.title)).toEqual(['Big', 'Small']);
    expect(records[0]!.record.raw.length).toBeLessThanOrEqual(5_000);
    expect(records[0]!.record.keywords.length).toBeLessThan(200);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', record: 1, field: 'record', line: 1 }),
    ]);
  });

  it('stops the import at the total limit with an error naming where', async () => {
    const text = Array.from({ length: 100 }, (_, i) => `TY  - JOUR\nTI  - Record ${i + 1}\nER  - \n`).join(
      '\n',
    );
    const { records, diagnostics } = await parseText(text, { format: 'ris', limits: { totalChars: 2_000 } });
    expect(records.length).toBeGreaterThan(10);
    expect(records.length).toBeLessThan(100);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        record: records.length + 1,
        message: expect.stringMatching(/limit of 2,000 characters/),
      }),
    ]);
  });
});

describe('cutting over-long values does not depend on how the file is chunked', () => {
  const limits = { titleChars: 40, abstractChars: 60, fieldChars: 50 };
  // Values around the stream cap (60 + 64 characters), with escapes and references to cut across.
  const value = fc
    .array(fc.constantFrom('a', 'b', ' ', '\\&', '&amp;', 'é', '😀'), { maxLength: 200 })
    .map((parts) => parts.join(''));
  const files: Record<'bibtex' | 'endnote-xml' | 'csv', (titles: string[]) => string> = {
    bibtex: (titles) =>
      titles.map((t, i) => `@article{k${i},\n  title = {${t}},\n  year = {2020}\n}\n`).join('\n'),
    'endnote-xml': (titles) =>
      `<xml><records>\n${titles
        .map((t) => `<record><titles><title>${t.replace(/\\&/g, '&amp;')}</title></titles></record>`)
        .join('\n')}\n</records></xml>\n`,
    csv: (titles) => `Title,Year\n${titles.map((t) => `"${t.replace(/\\/g, '')}",2020`).join('\n')}\n`,
  };
  for (const format of Object.keys(files) as (keyof typeof files)[]) {
    it(`${format}: the same records and warnings for any chunking`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(value, { minLength: 1, maxLength: 4 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          async (titles, cuts) => {
            const text = files[format](titles);
            const run = async (points: number[]) => {
              // Decoded chunks never split a surrogate pair (TextDecoder keeps it whole).
              const whole = (c: number) => (/[\uD800-\uDBFF]/.test(text[c - 1] ?? '') ? c + 1 : c);
              const at = [...new Set(points.map((c) => whole(c % text.length)))].sort((a, b) => a - b);
              async function* chunks(): AsyncGenerator<string> {
                let from = 0;
                for (const c of [...at, text.length]) {
                  yield text.slice(from, c);
                  from = c;
                }
              }
              const out: Array<{ title: string; record: number }> = [];
              const notes: ParseDiagnostic[] = [];
              for await (const b of parseStream(format, chunks(), { limits, batchSize: 100 })) {
                out.push(...b.records.map((r) => ({ title: r.record.title, record: r.index })));
                notes.push(...b.diagnostics);
              }
              return { out, notes };
            };
            const whole = await run([]);
            expect(whole.out).toHaveLength(titles.length);
            for (const r of whole.out) expect(r.title.length).toBeLessThanOrEqual(limits.titleChars);
            expect(await run(cuts)).toEqual(whole);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});

it('XML: a character reference split across chunks right where a run is cut does not spoil its record', async () => {
  const limits = { titleChars: 40, abstractChars: 60, fieldChars: 50 };
  const title = `${'x'.repeat(121)}&amp;${'y'.repeat(50)}`;
  const text = `<xml><records>\n<record><titles><title>${title}</title></titles></record>\n</records></xml>\n`;
  const split = text.indexOf('&amp;') + 3;
  async function* chunks(): AsyncGenerator<string> {
    yield text.slice(0, split);
    yield text.slice(split);
  }
  const diagnostics: ParseDiagnostic[] = [];
  const records: ParsedRecord[] = [];
  for await (const b of parseStream('endnote-xml', chunks(), { limits })) {
    records.push(...b.records);
    diagnostics.push(...b.diagnostics);
  }
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(records.map((r) => r.record.title)).toEqual(['x'.repeat(40)]);
});
