// Tokens as scikit-learn's default `(?u)\b\w\w+\b` sees them: runs of two or more word characters,
// lower-cased. Matching the reference keeps our figures comparable with REFERENCE.md.
const WORD = /[\p{L}\p{N}\p{M}_]{2,}/gu;

export function tokenise(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Unigrams then bigrams (adjacent tokens joined by a space), in text order. */
export function ngrams(tokens: readonly string[], maxN: 1 | 2 = 2): string[] {
  const out = tokens.slice();
  if (maxN === 2) for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

/** The text a record contributes to the model: title, abstract, keywords and the title again. */
export interface RecordText {
  title?: string | null;
  abstract?: string | null;
  keywords?: readonly string[] | string | null;
}

export function recordText(r: RecordText): string {
  const kw = Array.isArray(r.keywords)
    ? r.keywords.join(' ; ')
    : ((r.keywords as string | null | undefined) ?? '');
  const title = r.title ?? '';
  // Fields are separated by a newline (scikit-learn joins with a space: the same tokens). The title
  // counts twice, as field weighting in retrieval does: it names the question a record answers.
  // Measured (docs/benchmarks.md): WSS@95 on ACEInhibitors 0.831 -> 0.837, nine-set mean -0.002.
  return [title, r.abstract ?? '', kw, title].join('\n');
}
