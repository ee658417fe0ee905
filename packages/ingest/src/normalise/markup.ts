import { lazyModule } from '@winnow/core/lazy-module';
import type SanitizeHtml from 'sanitize-html';

/** Loaded at the first record with markup, not with every process that imports the normalisers. */
const sanitizeHtml = lazyModule<typeof SanitizeHtml>(import.meta.url, 'sanitize-html');

const ALLOWED = ['i', 'b', 'sup', 'sub'];
const SANITIZE: SanitizeHtml.IOptions = {
  allowedTags: ALLOWED,
  allowedAttributes: {},
  allowedSchemes: [],
  transformTags: { em: 'i', strong: 'b' },
  disallowedTagsMode: 'discard',
};
const LOOKS_MARKED_UP = /<\/?[a-z][^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]{1,31});/i;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

// Most values have single spaces only, so they are checked before any rewriting (parsing speed is
// dominated by this): the check is true wherever `replace(/\s+/g, ' ').trim()` would change
// something (whitespace other than a space, two spaces in a row, a space at either end), and
// possibly for other control characters, where the rewrite then changes nothing. Long values
// (abstracts) are searched for each such character with indexOf, which V8 runs several characters
// at a time, and for the rarer spaces above U+00FF with one regex: on the abstracts of the corpus's
// real RIS exports a third of the time of one regex scan for all of them (`/[^\S ]| {2}/`: 140 ms
// for 40 MB, 50 ms this way). Short ones (names, journals, keywords) go through a loop, which
// beats the cost of a call.
const WIDE_SPACE = /[\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

function hasCollapsible(text: string): boolean {
  return (
    text.indexOf('  ') !== -1 ||
    text.indexOf('\n') !== -1 ||
    text.indexOf('\t') !== -1 ||
    text.indexOf('\r') !== -1 ||
    text.indexOf('\v') !== -1 ||
    text.indexOf('\f') !== -1 ||
    text.indexOf('\u00a0') !== -1 ||
    WIDE_SPACE.test(text)
  );
}

function needsCollapse(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  if (text.charCodeAt(0) === 32 || text.charCodeAt(n - 1) === 32) return true;
  if (n > 40) return hasCollapsible(text);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) {
      if (c !== 32 || prev === 32) return true;
    } else if (c >= 0xa0 && isOtherSpace(c)) return true;
    prev = c;
  }
  return false;
}

/** The white space above U+00A0 that `String.prototype.trim` and `\s` know (the parsers share it). */
export function isOtherSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export function collapseWhitespace(text: string): string {
  return needsCollapse(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

// Decoded text could spell a tag again (`&lt;script&gt;`); plain text is for matching and
// display as text, so tag-like runs and script URLs are removed until none remain. The check
// before the loop finds exactly what the loop's first pass would remove (or text holding `<` or
// `javascript`): without `\b` it sent every abstract with "condition =" or "comparison =" through
// three rewrites that changed nothing.
const MAYBE_ACTIVE = /<|javascript|\bon[a-z]+\s*=/i;

export function stripActive(text: string): string {
  if (text.indexOf('<') === -1 && text.indexOf('=') === -1 && !/javascript/i.test(text)) return text;
  if (!MAYBE_ACTIVE.test(text)) return text;
  return removeActive(text);
}

/** The removal itself, with no checks before it: tag-like runs and script URLs until none remain. */
export function removeActive(text: string): string {
  let prev: string;
  let out = text;
  do {
    prev = out;
    out = out
      .replace(/<\/?[a-z!][^<>]*>/gi, '')
      .replace(/javascript\s*:/gi, '')
      .replace(/\bon[a-z]+\s*=/gi, '');
  } while (out !== prev);
  return out;
}

/**
 * Title/abstract text as plain text (always) and sanitised markup (only when the source had
 * allowed markup: <i>, <b>, <sup>, <sub>). Whitespace is collapsed in both.
 */
export function normaliseMarkup(value: string | undefined): { text: string; html?: string } {
  if (!value) return { text: '' };
  if (value.indexOf('<') === -1 && value.indexOf('&') === -1)
    return { text: collapseWhitespace(stripActive(value)) };
  if (!LOOKS_MARKED_UP.test(value)) return { text: collapseWhitespace(stripActive(value)) };
  const html = collapseWhitespace(sanitizeHtml()(value, SANITIZE));
  const text = collapseWhitespace(stripActive(decodeEntities(html.replace(/<[^>]*>/g, ''))));
  const hasTags = /<(i|b|sup|sub)>/.test(html);
  return hasTags && text ? { text, html } : { text };
}

/** Plain text back to markup-safe text, for exporting a title that has no markup. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
