import { defineConfig } from 'vitest/config';
import StressReporter from './scripts/stress-reporter.ts';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.stress.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default', new StressReporter()],
  },
});
