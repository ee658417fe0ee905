import type { RecordSink } from './reader.types.ts';
import { parseElement, type XmlNode } from './xml-tree.ts';
import { xmlProblemInWords } from './xml-errors.ts';

/** One thing wrong in a damaged record element: the element it concerns and where (offset). */
export interface XmlDamage {
  element?: string;
  at: number;
  message: string;
}

// Markup of a record element: comments, CDATA, processing instructions, end and start tags.
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
// Characters XML 1.0 does not allow (a stray byte sequence decoded as control characters).
// eslint-disable-next-line no-control-regex -- matching them is the point
const BAD_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * A damaged record element made well-formed: an element left open is closed where its parent
 * closes (or at the end), a stray end tag is dropped, a tag or reference cut off at the end is
 * dropped, characters XML does not allow are removed. Entities are never declared or expanded.
 */
export function repairXml(input: string): { xml: string; damage: XmlDamage[] } {
  const damage: XmlDamage[] = [];
  let xml = input;
  BAD_CHARS.lastIndex = 0;
  if (BAD_CHARS.test(xml)) {
    BAD_CHARS.lastIndex = 0;
    damage.push({
      at: xml.search(BAD_CHARS),
      message: 'characters XML does not allow (a stray byte sequence); removed',
    });
    xml = xml.replace(BAD_CHARS, '');
  }
  // A stray byte sequence decoded as U+FFFD is text XML allows, but not in a tag.
  xml = xml.replace(/<[^<>]*\ufffd[^<>]*>/g, (tag) => tag.replace(/\ufffd/g, ''));
  const stack: Array<{ name: string; at: number }> = [];
  const out: string[] = [];
  let from = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    const name = m[2];
    if (!name || m[4]) continue;
    if (!m[1]) {
      stack.push({ name, at: m.index });
      continue;
    }
    const k = stack.map((s) => s.name).lastIndexOf(name);
    out.push(xml.slice(from, m.index));
    from = m.index;
    if (k < 0) {
      damage.push({ at: m.index, element: name, message: `</${name}> without its start tag; dropped` });
      from = m.index + m[0].length;
      continue;
    }
    while (stack.length > k + 1) {
      const open = stack.pop()!;
      damage.push({
        at: open.at,
        element: open.name,
        message: `<${open.name}> is not closed; closed at </${name}>`,
      });
      out.push(`</${open.name}>`);
    }
    stack.pop();
  }
  let rest = xml.slice(from);
  // A tag or a reference cut off by the end of the element.
  const lastLt = rest.lastIndexOf('<');
  if (lastLt >= 0 && rest.indexOf('>', lastLt) < 0) {
    damage.push({ at: from + lastLt, message: 'a tag is cut off; dropped' });
    rest = rest.slice(0, lastLt);
  }
  rest = rest.replace(/&[^;<>&\s]{0,10}$/, '');
  out.push(rest);
  while (stack.length) {
    const open = stack.pop()!;
    damage.push({ at: open.at, element: open.name, message: `<${open.name}> is not closed` });
    out.push(`</${open.name}>`);
  }
  let fixed = out.join('');
  // A bare `<` that starts no markup.
  fixed = fixed.replace(/<(?![A-Za-z_/!?])/g, () => {
    if (!damage.some((d) => d.message.startsWith('a bare <')))
      damage.push({ at: 0, message: 'a bare < that starts no tag; read as text' });
    return '&lt;';
  });
  // A bare `&` that starts no reference.
  fixed = fixed.replace(/&(?![A-Za-z_][\w.-]*;|#\d+;|#x[0-9A-Fa-f]+;)/g, () => {
    if (!damage.some((d) => d.message.startsWith('a bare &')))
      damage.push({ at: 0, message: 'a bare & that starts no reference; read as text' });
    return '&amp;';
  });
  return { xml: fixed, damage };
}

function lineIn(xml: string, at: number): number {
  let n = 0;
  for (let i = xml.indexOf('\n'); i >= 0 && i < at; i = xml.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Parses one record element; a malformed one (or one cut off where the next record starts:
 * `cutOff`) is repaired and kept with a warning per damage naming its line and element, or
 * skipped with an error when even the repair cannot be read.
 */
export function readXmlRecord(
  xml: string,
  line: number,
  index: number,
  sink: RecordSink,
  cutOff: boolean,
): XmlNode | undefined {
  let first: Error | undefined;
  if (!cutOff) {
    try {
      return parseElement(xml);
    } catch (e) {
      first = e as Error;
    }
  }
  const { xml: fixed, damage } = repairXml(xml);
  let el: XmlNode | undefined;
  try {
    if (damage.length || cutOff) el = parseElement(fixed);
  } catch {
    // reported below with the first error
  }
  if (!el) {
    const why = xmlProblemInWords(first, xml);
    sink.diagnostic({
      severity: 'error',
      record: index,
      line,
      message: `malformed XML, record skipped: ${why}`,
      damage: 'skipped',
    });
    return undefined;
  }
  const recordName = /^<([^\s>/]+)/.exec(xml)?.[1] ?? 'record';
  sink.diagnostic({
    severity: 'warning',
    record: index,
    line,
    field: damage.find((d) => d.element && d.element !== recordName)?.element,
    message: cutOff
      ? `<${recordName}> is not closed before the next record starts; kept with what could be read`
      : `malformed XML (${xmlProblemInWords(first, xml)}); repaired and kept with what could be read`,
    damage: 'repaired',
  });
  for (const d of damage) {
    if (d.element === recordName && cutOff) continue;
    sink.diagnostic({
      severity: 'warning',
      record: index,
      line: line + lineIn(xml, d.at),
      field: d.element,
      message: d.message,
    });
  }
  return el;
}
