// Prints one plain closing line, `tests: N passed, N failed, N skipped`, after vitest's own
// summary, so that whatever reads the end of a CI log sees how many tests ran.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const n = { passed: 0, failed: 0, skipped: 0 };
    for (const mod of modules)
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') n.passed++;
        else if (state === 'failed') n.failed++;
        else n.skipped++;
      }
    // After the default reporter's summary, which it prints on the same hook.
    setImmediate(() =>
      process.stdout.write(`\ntests: ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped\n`),
    );
  }
}
