/**
 * `JSON.stringify`, with any lone surrogate (a string cut inside a pair, or an XML character
 * reference such as `&#xD800;`) written as U+FFFD: PostgreSQL's json parser refuses a lone
 * surrogate escape, which the driver's own text encoding had always turned into U+FFFD.
 * JSON.stringify writes a well-formed pair as its characters and a lone surrogate as `\udxxx`,
 * so every such escape not itself escaped (`\\udxxx` is the text "\udxxx") is a lone one.
 */
export function wellFormedJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!LONE_ESCAPE_HINT.test(json)) return json;
  return json.replace(LONE_ESCAPE, (_m, backslashes: string) => `${backslashes}\ufffd`);
}

const LONE_ESCAPE_HINT = /\\ud[89a-f]/i;
/** An escape `\udxxx` preceded by an even number of backslashes (itself, then, not escaped). */
const LONE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/gi;
