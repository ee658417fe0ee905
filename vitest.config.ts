import { defineConfig } from 'vitest/config';
import SummaryReporter from './scripts/summary-reporter.ts';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.stress.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each run's temporary files in a directory of its own, removed at the end (scripts/test-tmpdir.ts).
    globalSetup: ['./scripts/test-tmpdir.ts'],
    maxWorkers: 2,
    // Test files share each worker's loaded modules instead of loading the app again per file.
    // On a 2-core AMD EPYC, module loading took 193-215 s of the suite's summed time and the suite
    // 749-806 s; sharing, 20-21 s and 688-695 s, with each worker at most 1.8 GB. No test mocks
    // modules, stubs globals or sets the environment, and module state (caches, hooks) is keyed by
    // what it holds; a test must not assume it is the first in its process to run a statement.
    isolate: false,
    reporters: ['default', new SummaryReporter()],
  },
});
