import { defineConfig } from 'vitest/config';
import StressReporter from './scripts/stress-reporter.ts';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.stress.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Each run's temporary files in a directory of its own, removed at the end (scripts/test-tmpdir.ts).
    globalSetup: ['./scripts/test-tmpdir.ts'],
    maxWorkers: 1,
    reporters: ['default', new StressReporter()],
  },
});
