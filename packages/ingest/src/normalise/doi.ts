// DOIs arrive as bare values, URLs (doi.org, dx.doi.org, publisher link resolvers with the DOI
// percent-encoded in a query string), `doi:` prefixes and PubMed's `[doi]` suffix.
const DOI_IN_TEXT = /\b(10\.\d{4,9}\/[^\s"'<>]+)/i;
/**
 * A DOI's length has no set limit, but a match longer than this is the run of text a DOI-like start
 * swallowed (a malformed export's field with no spaces), far past any DOI seen in the corpus's
 * exports. Kept to this, a DOI also fits the records' DOI index: an entry of some thousands of
 * bytes failed the whole import.
 */
const MAX_DOI_CHARS = 500;

/** Normalise one DOI-bearing value; undefined when no DOI is in it. */
export function normaliseDoi(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let text = value.trim();
  if (/%2f/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      text = text.replace(/%2f/gi, '/');
    }
  }
  const m = DOI_IN_TEXT.exec(text);
  if (!m) return undefined;
  let doi = m[1]!.replace(/\s*\[doi\]$/i, '');
  // Query strings, fragments and trailing punctuation belong to the URL or sentence, not the DOI.
  doi = doi.replace(/[&?#].*$/, '').replace(/[.,;:)\]}]+$/, '');
  // Nothing left after the prefix once punctuation is stripped: not a DOI.
  if (/\/$/.test(doi) || doi.length > MAX_DOI_CHARS) return undefined;
  return doi.toLowerCase();
}

/** First DOI among the candidates, in order of trust (DOI field first, then URLs and notes). */
export function findDoi(candidates: Iterable<string | undefined>): string | undefined {
  for (const c of candidates) {
    const d = normaliseDoi(c);
    if (d) return d;
  }
  return undefined;
}
