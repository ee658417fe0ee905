import { readFileSync } from 'node:fs';
import { parseCodebook } from './codebook.schema.ts';
import type { Codebook } from './codebook.types.ts';

const FILE = new URL('./default-codebook.json', import.meta.url);

let cached: Codebook | undefined;

/**
 * The framework shipped with Winnow ("Influences on improvement processes"). Validated through
 * the same schema as user imports, so the shipped file can never drift from the format.
 * Returns a fresh copy: callers may revise it.
 */
export function loadDefaultCodebook(): Codebook {
  cached ??= parseCodebook(JSON.parse(readFileSync(FILE, 'utf8')), 'default-codebook.json');
  return structuredClone(cached);
}
