import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, WEB_DIR } from '../../../scripts/build-server.ts';
import { REPO_ROOT, runWinnow } from './support/cli.ts';
import { startServe } from './support/serve-process.ts';

// The production build, run as a user runs it: plain JavaScript from a bundle, no tsx. Only the
// server bundle is built here, into its own folder (scripts/test.sh builds the client before the
// tests; rebuilding it here would race the browser tests that load it).
describe('production build', () => {
  const outDir = path.join(WEB_DIR, 'dist', `.test-build-${process.pid}-${Date.now()}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'winnow-build-'));
  const cli = [path.join(outDir, 'cli.js')];
  const env = {
    WINNOW_DATA_DIR: dataDir,
    WINNOW_QUEUE_PREFIX: `build-${process.pid}-${Date.now()}`,
    // No tsx in the child: a bundle that still needed TypeScript would fail to load.
    NODE_OPTIONS: '',
  };
  const winnow = (args: string[]) => runWinnow(args, env, undefined, cli);

  beforeAll(async () => {
    await buildServer(outDir);
  }, 60_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers --help without loading the database or queue libraries', async () => {
    const help = await winnow(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('serve');
    expect(help.stdout).toContain('import');
    const bad = await winnow(['import', '--no-such-option']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--no-such-option');
  });

  it(
    'creates a review and imports an export into a PGlite data directory, then serves the client and the API from it',
    { timeout: 150_000 },
    async () => {
      // Two CLI processes and one server: each start on a fresh PGlite directory costs seconds.
      expect((await winnow(['review', 'create', 'built'])).code).toBe(0);
      const imported = await winnow([
        'import',
        path.join(REPO_ROOT, 'fixtures/demo/medline-ovid.ris'),
        '--review',
        'built',
        '--json',
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.json).toMatchObject({ format: 'ris', records: 35, errorCount: 0 });

      const server = await startServe(env, [], cli);
      try {
        expect(
          existsSync(path.join(WEB_DIR, 'dist/client/index.html')),
          'build the client first: node --import tsx scripts/build-client.ts',
        ).toBe(true);
        const page = await fetch(server.url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<div id="root">');
        expect(await (await fetch(`${server.url}/api/setup`)).json()).toEqual({ needed: true });
        const setup = await fetch(`${server.url}/api/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'lead@build.test', name: 'Lead', password: 'build pw 123' }),
        });
        expect(setup.status).toBe(201);
        const { csrfToken } = (await setup.json()) as { csrfToken: string };
        const session = {
          cookie: setup.headers.get('set-cookie')!.split(';')[0]!,
          'x-csrf-token': csrfToken,
        };
        const created = await fetch(`${server.url}/api/reviews`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...session },
          body: JSON.stringify({ slug: 'served', title: 'Served' }),
        });
        expect(created.status).toBe(201);
        // The diagram is drawn in a worker thread whose entry is its own file in the build.
        const png = await fetch(`${server.url}/api/reviews/served/prisma?format=png&width=600`, {
          headers: session,
        });
        expect(png.status).toBe(200);
        expect(
          Buffer.from(await png.arrayBuffer())
            .subarray(1, 4)
            .toString(),
        ).toBe('PNG');
      } finally {
        expect(await server.kill('SIGTERM')).toBe(0);
      }
    },
  );
});
