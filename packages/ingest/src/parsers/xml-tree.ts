import { lazyModule } from '@winnow/core/lazy-module';
import type * as Xml2js from 'xml2js';
import { escapeText } from '../normalise/markup.ts';

/** An element as xml2js gives it with preserveChildrenOrder: children in document order under `$$`. */
export interface XmlNode {
  '#name': string;
  $?: Record<string, string>;
  $$?: XmlNode[];
  _?: string;
}

// Strict sax, no entity table, no DTD processing: an undeclared entity is an error for that record.
/** Loaded at the first XML export parsed, not with the server. */
const xml2js = lazyModule<typeof Xml2js>(import.meta.url, 'xml2js');

const OPTIONS: Xml2js.ParserOptions = {
  explicitChildren: true,
  preserveChildrenOrder: true,
  charsAsChildren: true,
  includeWhiteChars: true,
  explicitArray: true,
  async: false,
  strict: true,
};

/** Parse one record element synchronously; throws xml2js's error on malformed XML. */
export function parseElement(xml: string): XmlNode {
  let result: unknown;
  let error: unknown;
  new (xml2js().Parser)(OPTIONS).parseString(xml, (err: unknown, r: unknown) => {
    error = err;
    result = r;
  });
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const root =
    result && typeof result === 'object' ? Object.values(result as Record<string, XmlNode>)[0] : undefined;
  if (!root) throw new Error('empty element');
  return root;
}

export function kids(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.$$?.filter((c) => c['#name'] === name) ?? [];
}

/** First descendant along a path of element names. */
export function kid(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let n = node;
  for (const p of path) {
    n = kids(n, p)[0];
    if (!n) return undefined;
  }
  return n;
}

/** All descendants matching the last name of the path. */
export function all(node: XmlNode | undefined, ...path: string[]): XmlNode[] {
  if (!node) return [];
  if (path.length === 0) return [node];
  const [head, ...rest] = path;
  return kids(node, head!).flatMap((k) => all(k, ...rest));
}

export function text(node: XmlNode | undefined): string {
  if (!node) return '';
  if (node['#name'] === '__text__') return node._ ?? '';
  if (!node.$$) return node._ ?? '';
  return node.$$.map(text).join('');
}

const INLINE: Record<string, string> = {
  i: 'i',
  italic: 'i',
  em: 'i',
  b: 'b',
  bold: 'b',
  strong: 'b',
  sup: 'sup',
  superscript: 'sup',
  sub: 'sub',
  subscript: 'sub',
};

/**
 * Text with inline emphasis kept as <i>/<b>/<sup>/<sub> markup (escaped otherwise): PubMed uses
 * `<i>`, `<sup>`; EndNote uses `<style face="italic superscript">`.
 */
export function markup(node: XmlNode | undefined): string {
  if (!node) return '';
  if (node['#name'] === '__text__') return escapeText(node._ ?? '');
  const inner = node.$$ ? node.$$.map(markup).join('') : escapeText(node._ ?? '');
  const tags: string[] = [];
  const direct = INLINE[node['#name'].toLowerCase()];
  if (direct) tags.push(direct);
  if (node['#name'] === 'style' && node.$?.face) {
    for (const face of node.$.face.split(/\s+/)) {
      const t = INLINE[face.toLowerCase()];
      if (t && !tags.includes(t)) tags.push(t);
    }
  }
  return tags.reduce((acc, t) => `<${t}>${acc}</${t}>`, inner);
}
