// Vitest global setup: every temporary file the run makes (data directories, PGlite databases,
// CLI outputs, private Redis and PostgreSQL instances, children's files) goes under one directory
// of its own, removed when the run ends. Tests make their directories with os.tmpdir(), which
// reads TMPDIR; the test processes and the processes they start inherit it. Left to each test,
// a run left about 90 MB in /tmp, and CI runs on the same machine again and again.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-run-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
