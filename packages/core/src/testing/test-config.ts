import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type RunConfig } from '../config/config.ts';

/** A config for one test: its own data directory and its own queue prefix on the real Redis. */
export function testConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  const base = loadConfig({});
  return {
    ...base,
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'winnow-test-')),
    queuePrefix: `wt-${randomBytes(5).toString('hex')}`,
    startRedis: false,
    port: 0,
    log: 'error',
    ...overrides,
  };
}
