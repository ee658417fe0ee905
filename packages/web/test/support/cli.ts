import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CLI_MAIN = path.join(REPO_ROOT, 'packages/web/src/cli/main.ts');
/** Node's arguments that run `winnow` from the sources (the default); a build runs its cli.js. */
export const TSX_CLI: readonly string[] = ['--import', 'tsx', CLI_MAIN];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json: unknown;
}

/** Runs `winnow <args>` as a user would, in a child process with its own environment. */
export function runWinnow(
  args: string[],
  env: Record<string, string | undefined>,
  input?: string,
  cli: readonly string[] = TSX_CLI,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cli, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, WINNOW_LOG: 'error', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown = undefined;
      try {
        json = JSON.parse(stdout);
      } catch {
        // not JSON output
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
    child.stdin.end(input ?? '');
  });
}
