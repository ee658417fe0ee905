import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lazyModule } from './lazy-module.ts';

describe('lazyModule', () => {
  it('loads the package at its first use, once, resolved from the caller', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'winnow-lazy-'));
    const counter = `winnowLazyLoads${process.pid}`;
    writeFileSync(
      path.join(dir, 'counted.cjs'),
      `globalThis.${counter} = (globalThis.${counter} ?? 0) + 1; module.exports = { answer: 42 };`,
    );
    const loads = () => (globalThis as Record<string, unknown>)[counter] ?? 0;
    const get = lazyModule<{ answer: number }>(
      pathToFileURL(path.join(dir, 'caller.mjs')).href,
      './counted.cjs',
    );
    expect(loads()).toBe(0);
    expect(get().answer).toBe(42);
    expect(get()).toBe(get());
    expect(loads()).toBe(1);
  });

  it('names the package when it cannot be found', () => {
    const get = lazyModule(import.meta.url, 'no-such-package-winnow');
    expect(() => get()).toThrow(/no-such-package-winnow/);
  });
});
