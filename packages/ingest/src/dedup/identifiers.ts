/** DOI as compared: lower case, no resolver prefix, no trailing punctuation or `[doi]`. */
export function doiKey(doi: string | undefined): string | undefined {
  if (!doi) return undefined;
  const m = /10\.\d{4,9}\/\S+/i.exec(decodeURIComponentSafe(doi));
  if (!m) return undefined;
  return m[0]
    .toLowerCase()
    .replace(/\[doi\]$/, '')
    .replace(/[.,;)\]]+$/, '');
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function pmidKey(pmid: string | undefined): string | undefined {
  const m = pmid ? /\d+/.exec(pmid) : null;
  return m ? String(Number(m[0])) : undefined;
}
