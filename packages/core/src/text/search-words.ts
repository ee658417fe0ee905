/** Letters and digits of any script: what a search vector keeps of a word. */
const WORD_PART = /[\p{L}\p{N}]+/gu;

/**
 * The words of `text` as the records library reads them: split at anything that is not a letter or
 * a digit, in lower case. A search's words are split this way, and so are the records' words that a
 * search ending in `*` is widened to.
 */
export function searchWords(text: string): string[] {
  return (text.match(WORD_PART) ?? []).map((w) => w.toLowerCase());
}
