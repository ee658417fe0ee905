// A vitest reporter for `pnpm test:stress`: writes the run's results (each test, its outcome and
// time, and the figures the tests print) into the `stress` section of docs/benchmarks.md, so the
// last results of the long fault and load runs are on record next to the benchmarks.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { UserConsoleLog } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';
import { writeBenchmarkSections } from './benchmarks-doc.ts';

const KEY = 'stress';

function stressFileCount(): number {
  const root = path.resolve(import.meta.dirname, '..', 'packages');
  let n = 0;
  for (const pkg of readdirSync(root)) {
    const dir = path.join(root, pkg, 'test');
    if (existsSync(dir)) n += readdirSync(dir).filter((f) => f.endsWith('.stress.test.ts')).length;
  }
  return n;
}

export default class StressReporter implements Reporter {
  private readonly logs = new Map<string, string[]>();

  onUserConsoleLog(log: UserConsoleLog): void {
    if (log.type !== 'stdout' || !log.taskId) return;
    const lines = this.logs.get(log.taskId) ?? [];
    lines.push(...log.content.trim().split('\n'));
    this.logs.set(log.taskId, lines);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    // A filtered run (some of the files) must not replace the record of the whole suite.
    if (modules.length < stressFileCount()) return;
    const rows: string[] = [];
    const reports: string[] = [];
    let passed = 0;
    let failed = 0;
    for (const mod of modules) {
      const file = path.relative(process.cwd(), mod.moduleId);
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        if (state === 'failed') failed++;
        const seconds = ((test.diagnostic()?.duration ?? 0) / 1000).toFixed(1);
        const lines = this.logs.get(test.id) ?? [];
        // A short note goes in the table; a longer report (a Markdown table of figures) below it.
        const inline = lines.length <= 3;
        const said = inline ? lines.map((l) => l.replace(/\|/g, '\\|')).join('<br>') : 'see below';
        rows.push(`| \`${file}\` › ${test.name.replace(/\|/g, '\\|')} | ${state} | ${seconds} | ${said} |`);
        if (!inline) reports.push(lines.map((l) => l.replace(/^#{1,3} /, '### ')).join('\n'));
      }
    }
    const md = `## Stress: faults and load (\`pnpm test:stress\`)

The long variants of the fault and load tests (docs/security.md says what each one guarantees). Quick
variants of the same faults run in \`pnpm test\`. "Printed" is what the test logged while it ran.

| test | result | s | printed |
|---|---|---:|---|
${rows.join('\n')}

${reports.map((r) => `${r}\n\n`).join('')}${passed} passed, ${failed} failed. Reproduce: \`pnpm test:stress\` (needs Redis on 6379 and PostgreSQL's
\`initdb\`/\`pg_ctl\` for the private cluster of the restart test).

_vitest.stress.config.ts, ${new Date().toISOString().slice(0, 10)}_
`;
    writeBenchmarkSections(new Map([[KEY, md]]));
  }
}
