import { inWords } from './token-words.ts';

/** Where a coder's own coding of a study stands, as the coding queue says it. */
const WORDS: Record<string, string> = {
  'not-started': 'Not started',
  draft: 'Draft saved',
  submitted: 'Submitted',
};

/** A coding status in words. */
export function codingStatusWords(status: string | undefined): string {
  return status ? inWords(WORDS, status) : '';
}
