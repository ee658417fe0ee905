import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WinnowError } from '@winnow/core';
import { INGEST_FORMATS, parseText, type IngestFormat } from '@winnow/ingest';

/**
 * Hostile exports, fed to the real parsers: XML entity tricks, prototype-polluting keys, script in
 * titles and abstracts, and random input for every format.
 */

const XSS = [
  '<script>alert("t")</script>Bad <i>title</i>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(2)">click</a>',
  '<svg onload=alert(3)><b onmouseover=alert(4)>bold</b>',
  '<iframe src="javascript:alert(5)"></iframe> p < 0.05',
].join(' ');
const XSS_XML = XSS.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;

const XSS_INPUTS: Record<IngestFormat, string> = {
  ris: `TY  - JOUR\nTI  - ${XSS}\nAB  - ${XSS}\nER  - \n`,
  medline: `PMID- 123\nTI  - ${XSS}\nAB  - ${XSS}\n\n`,
  'wos-plain': `FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI ${XSS}\nAB ${XSS}\nER\n\nEF\n`,
  'wos-tab': `PT\tTI\tAB\nJ\t${XSS}\t${XSS}\n`,
  csv: `title,abstract\n${csvCell(XSS)},${csvCell(XSS)}\n`,
  bibtex: `@article{k, title={${XSS}}, abstract={${XSS}}}\n`,
  'pubmed-xml': `<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>${XSS_XML}</ArticleTitle><Abstract><AbstractText>${XSS_XML}</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n`,
  'endnote-xml': `<?xml version="1.0"?>\n<xml><records><record><ref-type name="Journal Article">17</ref-type><titles><title><style face="normal">${XSS_XML}</style></title></titles><abstract><style face="normal">${XSS_XML}</style></abstract></record></records></xml>\n`,
};

/** Only the allow-listed inline tags, with no attributes at all. */
const SAFE_HTML = /^(?:[^<>]|<\/?(?:i|b|sup|sub)>)*$/;

function assertSafe(field: string | undefined, html: boolean, where: string): void {
  if (field === undefined) return;
  const lower = field.toLowerCase();
  for (const bad of [
    '<script',
    'onerror',
    'onload',
    'onmouseover',
    'javascript:',
    '<iframe',
    '<img',
    '<svg',
    '<a ',
  ]) {
    expect(lower, `${where} contains ${bad}: ${field}`).not.toContain(bad);
  }
  if (html) expect(field, `${where} has markup outside the allow-list`).toMatch(SAFE_HTML);
}

describe('titles and abstracts with script come out sanitised from every parser', () => {
  it.each(INGEST_FORMATS)('%s', async (format) => {
    const { records } = await parseText(XSS_INPUTS[format], { format });
    expect(records.length, format).toBe(1);
    const r = records[0]!.record;
    // The harmless text survives; the active content does not.
    expect(r.title).toContain('Bad');
    expect(r.title).toContain('click');
    assertSafe(r.title, false, `${format} title`);
    assertSafe(r.abstract, false, `${format} abstract`);
    assertSafe(r.titleHtml, true, `${format} titleHtml`);
    assertSafe(r.abstractHtml, true, `${format} abstractHtml`);
  });
});

const PASSWD = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!; // e.g. root:x:0:0:...

function pubmed(dtd: string, title: string): string {
  return `<?xml version="1.0"?>\n${dtd}\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>${title}</ArticleTitle></Article></MedlineCitation></PubmedArticle><PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>A harmless second record</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n`;
}
function endnote(dtd: string, title: string): string {
  return `<?xml version="1.0"?>\n${dtd}\n<xml><records><record><ref-type name="Journal Article">17</ref-type><titles><title>${title}</title></titles></record><record><ref-type name="Journal Article">17</ref-type><titles><title>A harmless second record</title></titles></record></records></xml>\n`;
}
const XML_BUILDERS = { 'pubmed-xml': pubmed, 'endnote-xml': endnote } as const;

const lols =
  '<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n') +
  '\n]>';

describe.each(Object.keys(XML_BUILDERS) as (keyof typeof XML_BUILDERS)[])(
  '%s with a hostile DTD',
  (format) => {
    const build = XML_BUILDERS[format];

    it('never reads a file named by an external entity', async () => {
      for (const uri of ['file:///etc/passwd', '/etc/passwd', 'http://127.0.0.1:9/xxe']) {
        const text = build(`<!DOCTYPE x [<!ENTITY xxe SYSTEM "${uri}">]>`, 'Leak: &xxe;');
        const out = await parseText(text, { format }).catch((e: unknown) => e);
        const seen = JSON.stringify(out instanceof Error ? out.message : out);
        expect(seen).not.toContain(PASSWD);
        expect(seen).not.toContain('root:');
        // The record that does not use the entity is still imported.
        if (!(out instanceof Error)) expect(JSON.stringify(out)).toContain('A harmless second record');
      }
    });

    it('ignores a parameter entity pointing outside', async () => {
      const text = build('<!DOCTYPE x [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>', 'Plain title');
      const out = await parseText(text, { format });
      expect(JSON.stringify(out)).not.toContain(PASSWD);
      expect(out.records.map((r) => r.record.title)).toContain('Plain title');
    });

    it('does not expand a billion laughs: bounded time, memory and output', async () => {
      const rss = process.memoryUsage().rss;
      const started = performance.now();
      const out = await parseText(build(lols, '&lol9;'), { format }).catch((e: unknown) => e);
      const ms = performance.now() - started;
      expect(ms).toBeLessThan(2000);
      // Expanded, &lol9; alone is 3 GB; anything near that would show here.
      expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
      const text = JSON.stringify(out instanceof Error ? out.message : out);
      expect(text).not.toContain('lollollollol');
      expect(text.length).toBeLessThan(100_000);
    });
  },
);

describe('prototype pollution', () => {
  const inputs: [IngestFormat, string][] = [
    [
      'pubmed-xml',
      '<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor><Article><ArticleTitle>Proto</ArticleTitle><__proto__>x</__proto__></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n',
    ],
    [
      'endnote-xml',
      '<?xml version="1.0"?><xml><records><record><ref-type name="Journal Article">17</ref-type><__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor><titles><title>Proto</title><__proto__>x</__proto__></titles></record></records></xml>\n',
    ],
    ['csv', 'title,__proto__,constructor,prototype,polluted\nProto,{"polluted":"yes"},yes,yes,yes\n'],
    ['wos-tab', 'PT\tTI\t__proto__\tconstructor\nJ\tProto\tyes\tyes\n'],
    ['bibtex', '@article{__proto__, title={Proto}, __proto__={yes}, constructor={yes}, prototype={yes}}\n'],
    ['ris', 'TY  - JOUR\nTI  - Proto\n__  - yes\nER  - \n'],
  ];

  it.each(inputs)(
    '%s keys named __proto__/constructor do not reach Object.prototype',
    async (format, text) => {
      const before = Object.getOwnPropertyNames(Object.prototype).sort();
      const out = await parseText(text, { format });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
      // (In RIS `__  - yes` is not a tag, so it continues the title line.)
      expect(out.records.map((r) => r.record.title.slice(0, 5))).toEqual(['Proto']);
      for (const { record } of out.records) {
        expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
        expect((record as unknown as Record<string, unknown>).polluted).toBeUndefined();
      }
    },
  );
});

// Tokens that steer random input into each grammar, so fuzzing reaches past the first line.
const TOKENS: Record<IngestFormat, string[]> = {
  ris: ['TY  - JOUR', 'TI  - ', 'AU  - ', 'PY  - 2020', 'DO  - 10.1/x', 'ER  - ', 'AB  - ', '  '],
  medline: ['PMID- 1', 'TI  - ', 'AU  - ', 'DP  - 2020', 'AB  - ', '      ', ''],
  'wos-plain': ['FN Web of Science', 'VR 1.0', 'PT J', 'TI ', 'AU ', 'PY 2020', 'ER', 'EF', '   '],
  'wos-tab': ['PT\tTI\tAU\tPY', 'J\t', '\t', '"', '""'],
  csv: ['title,abstract,year,doi', '"', '""', ',', '\r', 'x'],
  bibtex: ['@article{', '@string{a=', '}', '{', '=', ',', 'title', '"', '\\', '@comment{', '%'],
  'pubmed-xml': [
    '<?xml version="1.0"?>',
    '<PubmedArticleSet>',
    '<PubmedArticle>',
    '</PubmedArticle>',
    '<ArticleTitle>',
    '</ArticleTitle>',
    '<PMID>1</PMID>',
    '&amp;',
    '&#x0;',
    '<![CDATA[',
    ']]>',
    '<!--',
    '-->',
    '<!DOCTYPE x [<!ENTITY e "ee">]>',
    '&e;',
  ],
  'endnote-xml': [
    '<xml>',
    '<records>',
    '<record>',
    '</record>',
    '<titles><title>',
    '</title></titles>',
    '<style face="bold">',
    '</style>',
    '&lt;',
    '&#65;',
    '<![CDATA[',
    ']]>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    '&e;',
  ],
};

describe('every parser under fuzzing returns records or a typed error, never a crash or hang', () => {
  it.each(INGEST_FORMATS)('%s', async (format) => {
    const piece = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...TOKENS[format]) },
      { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    );
    const doc = fc
      .array(
        fc.array(piece, { maxLength: 6 }).map((p) => p.join('')),
        { maxLength: 40 },
      )
      .map((l) => l.join('\n'));
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(doc, async (text) => {
        const started = performance.now();
        try {
          const out = await parseText(text, { format });
          for (const r of out.records) {
            expect(typeof r.record.title).toBe('string');
            expect(r.index).toBeGreaterThan(0);
          }
        } catch (e) {
          if (!(e instanceof WinnowError)) throw e;
          expect(['PARSE_ERROR', 'UNSUPPORTED_FORMAT', 'VALIDATION']).toContain(e.code);
        }
        slowest = Math.max(slowest, performance.now() - started);
      }),
      { numRuns: 150, seed: 20_261_122 },
    );
    // Each input is under 10 kB: anything near a second is a runaway loop.
    expect(slowest).toBeLessThan(1000);
  });

  it('auto-detection copes with random bytes too', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        try {
          await parseText(bytes);
        } catch (e) {
          if (!(e instanceof WinnowError)) throw e;
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
