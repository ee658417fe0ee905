import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseText } from './parse-stream.ts';
import type { ParseOptions } from './parse-stream.ts';
import type { IngestFormat } from './formats.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/ingest');

export function fixtureBytes(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

export function parseFixture(name: string, options: ParseOptions & { format?: IngestFormat | 'auto' } = {}) {
  return parseText(fixtureBytes(name), { fileName: name, ...options });
}
