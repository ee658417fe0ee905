import { describe, expect, it } from 'vitest';
import { parseText } from './parse-stream.ts';
import { xmlProblemInWords } from './xml-errors.ts';
import { parseElement } from './xml-tree.ts';

/** The error the XML parser throws for `xml`, as it words it. */
function parserError(xml: string): Error {
  try {
    parseElement(xml);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`expected ${xml} to be refused`);
}

/** Wordings of the parser (sax) that must never reach a person. */
const PARSER_WORDS =
  /Invalid character|Unclosed root|Unexpected close|Attribute without|Unmatched closing|Text data outside|Line: |Column: |Char: /;

describe('xmlProblemInWords', () => {
  it('says what the parser found wrong in words, naming the entity at fault', () => {
    const cases: Array<[string, RegExp]> = [
      ['<a>x &#1; y</a>', /^the character reference &#1; stands for a character XML does not allow$/],
      ['<a>x &#xD800; y</a>', /^the character reference &#xD800; stands for/],
      [
        '<a>fish &chips and; peas</a>',
        /^an & that starts no reference \(in text it must be written &amp;\)$/,
      ],
      ['<a><b>text</a>', /^an end tag that does not match the element open there$/],
      ['<a x>text</a>', /^an attribute without a value/],
      ['<a><b>text</b>', /^the record’s element is not closed$/],
    ];
    for (const [xml, words] of cases) {
      const error = parserError(xml);
      const said = xmlProblemInWords(error, xml);
      expect(said, `${xml}: ${error.message}`).toMatch(words);
      expect(said).not.toMatch(PARSER_WORDS);
    }
  });

  it('maps the parser’s common messages by their wording', () => {
    const said = (message: string) => xmlProblemInWords(new Error(`${message}\nLine: 3\nColumn: 9\nChar: x`));
    expect(said('Unclosed root tag')).toBe('the record’s element is not closed');
    expect(said('Unexpected close tag')).toBe('an end tag that does not match the element open there');
    expect(said('Unmatched closing tag: Title')).toBe('an end tag </Title> for an element that is not open');
    expect(said('Invalid character entity')).toBe(
      'a character reference (&#…;) stands for a character XML does not allow',
    );
    expect(said('Text data outside of root node.')).toBe('text after the record’s element has closed');
  });

  it('says an error it does not know in a plain sentence, never in the parser’s words', () => {
    const said = xmlProblemInWords(new Error('Something sax-specific happened\nLine: 0'));
    expect(said).toBe('the XML is not well-formed, and the problem could not be pinned down');
    expect(xmlProblemInWords(undefined)).toBe('the record’s element is not closed');
  });
});

describe('a PubMed XML record with a character XML does not allow', () => {
  it('is skipped with its record and line and the problem in words', async () => {
    const article = (n: number, title: string) =>
      `<PubmedArticle>\n<MedlineCitation><PMID>${n}</PMID><Article>\n<ArticleTitle>${title}</ArticleTitle>\n</Article></MedlineCitation>\n</PubmedArticle>\n`;
    const xml = `<?xml version="1.0"?>\n<PubmedArticleSet>\n${article(1, 'One')}${article(2, 'Bell &#7; rings')}${article(3, 'Three')}</PubmedArticleSet>\n`;
    const out = await parseText(xml, { format: 'pubmed-xml' });
    expect(out.records.map((r) => r.record.pmid)).toEqual(['1', '3']);
    const errors = out.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        record: 2,
        line: 8,
        damage: 'skipped',
        message:
          'malformed XML, record skipped: the character reference &#7; stands for a character XML does not allow',
      }),
    ]);
    expect(errors[0]!.message).not.toMatch(PARSER_WORDS);
  });
});
