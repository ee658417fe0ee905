import { foldText } from './text.ts';

// Words abbreviation standards (ISO 4, NLM) drop.
const STOP = new Set([
  'of',
  'the',
  'and',
  'de',
  'et',
  'la',
  'le',
  'les',
  'der',
  'die',
  'das',
  'und',
  'for',
  'in',
  'on',
  'du',
  'des',
  'y',
  'e',
  'da',
  'do',
  'del',
  'di',
  'a',
  'an',
  'fur',
]);

/** Journal name as significant word tokens: `Acta Obstet. Gynecol. Scand.` -> acta obstet gynecol scand. */
export function journalTokens(name: string): string[] {
  return foldText(name)
    .split(' ')
    .filter((t) => t.length > 0 && !STOP.has(t));
}

/** `ctries` abbreviates `countries`: same first letter, letters in order. */
function abbreviates(short: string, long: string): boolean {
  if (short === long) return true;
  if (short[0] !== long[0] || short.length > long.length) return false;
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

function tokenMatch(x: string, y: string): boolean {
  return x.length <= y.length ? abbreviates(x, y) : abbreviates(y, x);
}

/**
 * True when two journal names can be the same journal: equal, one the abbreviation of the other,
 * or one the other plus a subtitle/section (`..., Supplement`, `Kinderkrankenschwester : Organ der ...`).
 */
export function journalsMatch(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 1 && long.length > 1 && short[0]!.length < 8) return false; // `J` alone says nothing
  for (let i = 0; i < short.length; i++) if (!tokenMatch(short[i]!, long[i]!)) return false;
  return true;
}
