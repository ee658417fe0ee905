/**
 * What is wrong with a damaged XML record, in words, from the XML parser's (sax's) error. The
 * parser's own wording ("Invalid character entity\nLine: 3\nColumn: 20\nChar: ;") is for its
 * developers; the diagnostic keeps the record and line, and says the problem like this.
 */
const PROBLEMS: Array<[RegExp, string | ((m: RegExpMatchArray, xml: string) => string)]> = [
  [
    /^Invalid character entity/,
    (_, xml) => {
      const ref = badCharacterReference(xml);
      return `${ref ? `the character reference ${ref}` : 'a character reference (&#…;)'} stands for a character XML does not allow`;
    },
  ],
  [/^Invalid character in entity name/, 'an & that starts no reference (in text it must be written &amp;)'],
  [/^Unclosed root tag/, 'the record’s element is not closed'],
  [/^Unexpected end/, 'the record ends in the middle of a tag'],
  [/^Unexpected close tag/, 'an end tag that does not match the element open there'],
  [
    /^Unmatched closing tag: ?(\S*)/,
    (m) => `an end tag ${m[1] ? `</${m[1]}> ` : ''}for an element that is not open`,
  ],
  [/^Text data outside of root node/, 'text after the record’s element has closed'],
  [/^Non-whitespace before first tag/, 'text before the record’s first tag'],
  [/^Attribute without value/, 'an attribute without a value (name="value")'],
  [/^Unquoted attribute value/, 'an attribute value without quotation marks'],
  [/^Invalid attribute name/, 'an attribute with a name XML does not allow'],
  [/^No whitespace between attributes/, 'two attributes with no space between them'],
  [/^Unencoded </, 'a < that starts no tag (in text it must be written &lt;)'],
  [/^Invalid character in tag name/, 'a tag name with a character XML does not allow'],
  [/^Invalid tagname in closing tag/, 'an end tag with a name XML does not allow'],
  [/^Invalid characters in closing tag/, 'an end tag with characters after its name'],
  [/^Weird empty close tag/, 'an end tag without a name (</>)'],
  [/^Forward-slash in opening tag not followed by >/, 'a / inside a start tag that does not end it'],
  [/^Malformed comment/, 'a comment that is not written correctly (<!-- … -->)'],
  [/^Unbound namespace prefix/, 'a namespace prefix that is not declared'],
  [/^xmlns?: prefix must be bound/, 'a namespace declaration XML does not allow'],
  [/^Inappropriately located doctype declaration/, 'a document type declaration inside the record'],
  [/^XML declaration encoding/, 'an XML declaration naming another encoding than the file’s'],
  [/^Max buffer length exceeded/, 'a piece of text too long to read'],
  [/^empty element/, 'the record’s element is empty'],
];

/** The first numbered reference in `xml` to no character XML allows (`&#1;`, `&#xD800;`, `&#;`). */
function badCharacterReference(xml: string): string | undefined {
  for (const m of xml.matchAll(/&#(x?)([^;\s<&]{0,12});/g)) {
    const code = m[2] && /^[0-9a-f]+$/i.test(m[2]) ? parseInt(m[2], m[1] ? 16 : 10) : NaN;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed || (!m[1] && !/^\d+$/.test(m[2] ?? ''))) return m[0];
  }
  return undefined;
}

/**
 * A sentence part naming what is wrong with a record element (`xml`, for naming the entity at
 * fault); an error this list does not know gets a plain sentence, never the parser's text.
 */
export function xmlProblemInWords(error: { message?: string } | undefined, xml = ''): string {
  const first = (error?.message ?? '').split('\n')[0]!.trim();
  if (!first) return 'the record’s element is not closed';
  for (const [pattern, words] of PROBLEMS) {
    const m = first.match(pattern);
    if (m) return typeof words === 'string' ? words : words(m, xml);
  }
  return 'the XML is not well-formed, and the problem could not be pinned down';
}
