export type HighlightKind = 'include' | 'exclude';
export interface Segment {
  text: string;
  kind: HighlightKind | null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `random*` matches "randomised" and "randomized"; other terms match whole words only. */
function termPattern(term: string): string {
  const wildcard = term.endsWith('*');
  const body = escape(wildcard ? term.slice(0, -1) : term).replace(/\s+/g, '\\s+');
  return wildcard ? `${body}[\\p{L}\\p{N}]*` : body;
}

interface Matcher {
  re: RegExp;
  kindOf: Map<string, HighlightKind>;
}

// Keyed on the lists object: stage configurations are memoised (see parseStageConfig), so the
// pattern of up to 1,000 terms is compiled once per configuration, not twice per record served.
const matchers = new WeakMap<object, Matcher | null>();

function matcherFor(lists: { include: string[]; exclude: string[] }): Matcher | null {
  const cached = matchers.get(lists);
  if (cached !== undefined) return cached;
  const terms: { term: string; kind: HighlightKind }[] = [
    ...lists.exclude.map((term) => ({ term: term.trim(), kind: 'exclude' as const })),
    ...lists.include.map((term) => ({ term: term.trim(), kind: 'include' as const })),
  ].filter((t) => t.term.replace(/\*$/, '').length > 0);
  let matcher: Matcher | null = null;
  if (terms.length > 0) {
    const kindOf = new Map<string, HighlightKind>();
    const ordered = [...terms].sort((a, b) => b.term.length - a.term.length);
    const alternatives = ordered.map((t, i) => `(?<t${i}>${termPattern(t.term)})`).join('|');
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'giu');
    ordered.forEach((t, i) => kindOf.set(`t${i}`, t.kind));
    matcher = { re, kindOf };
  }
  // Only frozen lists are cached: a caller's own mutable lists could change after this call.
  if (Object.isFrozen(lists)) matchers.set(lists, matcher);
  return matcher;
}

/**
 * Splits text into plain and highlighted segments for the screening page. Longer terms win over
 * shorter ones at the same place; when a term is on both lists, exclude wins (it is the warning).
 */
export function highlightSegments(text: string, lists: { include: string[]; exclude: string[] }): Segment[] {
  const matcher = matcherFor(lists);
  if (!matcher || text.length === 0) return text ? [{ text, kind: null }] : [];
  const { re, kindOf } = matcher;
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0 || m.index === undefined) continue;
    const group = Object.entries(m.groups ?? {}).find(([, v]) => v !== undefined)?.[0];
    if (m.index > last) out.push({ text: text.slice(last, m.index), kind: null });
    out.push({ text: m[0], kind: (group && kindOf.get(group)) || 'include' });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), kind: null });
  return out;
}
