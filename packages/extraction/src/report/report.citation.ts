import type * as CitationCore from '@citation-js/core';
import { lazyModule } from '@winnow/core/lazy-module';
// The CSL plugin's declarations add the bibliography format to Cite's types.
import type {} from '@citation-js/plugin-csl';
import type { CitationSource } from '../export/citation.ts';

const citationCore = lazyModule<typeof CitationCore>(import.meta.url, '@citation-js/core');
// The CSL plugin registers the output formats with the vancouver and harvard1 styles and en-US
// locale bundled (references are formatted with no network access). Both load at the first
// reference, not with the server.
const cslPlugin = lazyModule<unknown>(import.meta.url, '@citation-js/plugin-csl');
const citeJs = () => {
  cslPlugin();
  return citationCore().Cite;
};

export type ReferenceStyle = 'vancouver' | 'harvard';
const TEMPLATES: Record<ReferenceStyle, string> = { vancouver: 'vancouver', harvard: 'harvard1' };

/** CSL-JSON for one study's record, the input citation-js formats. */
export function toCslJson(r: CitationSource, id: string): Record<string, unknown> {
  return {
    id,
    type: r.journal ? 'article-journal' : 'document',
    title: r.title,
    author: (r.authors ?? []).map((a) =>
      a.given ? { family: a.family, given: a.given } : { literal: a.family },
    ),
    ...(r.year !== undefined ? { issued: { 'date-parts': [[r.year]] } } : {}),
    'container-title': r.journal,
    volume: r.volume,
    issue: r.issue,
    page: r.pages?.asWritten,
    DOI: r.doi,
  };
}

/** One reference in the chosen CSL style, as plain text without the style's own number (the list numbers it). */
export function formatReference(r: CitationSource, style: ReferenceStyle): string {
  const Cite = citeJs();
  const text = new Cite([toCslJson(r, 'ref')]).format('bibliography', {
    format: 'text',
    template: TEMPLATES[style],
    lang: 'en-US',
  }) as string;
  return text
    .trim()
    .replace(/^\d+\.\s*/, '')
    .replace(/\s+/g, ' ');
}
