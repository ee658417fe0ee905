import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT, TSX_CLI } from './cli.ts';

export interface ServeProcess {
  child: ChildProcess;
  /** The URL `serve` printed; empty for `worker`. */
  url: string;
  /** Everything the process wrote on stderr so far. */
  log(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a long-running `winnow` command in a child process and waits until its stderr matches
 * `ready` (group 1, when there is one, becomes `url`).
 */
function startWinnowProcess(
  args: string[],
  env: Record<string, string | undefined>,
  ready: RegExp,
  cli: readonly string[],
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cli, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, WINNOW_LOG: 'error', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => {
      // A process that never came up must not outlive the test that started it.
      child.kill('SIGKILL');
      reject(new Error(`winnow ${args[0]} did not start within 60 s:\n${stderr}`));
    }, 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = ready.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1] ?? '',
          log: () => stderr,
          kill: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill(signal);
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`winnow ${args[0]} exited with ${code}:\n${stderr}`));
    });
  });
}

/** Starts `winnow serve` (from the sources, or the build `cli` names) and waits until it prints its URL. */
export function startServe(
  env: Record<string, string | undefined>,
  args: string[] = [],
  cli: readonly string[] = TSX_CLI,
): Promise<ServeProcess> {
  return startWinnowProcess(['serve', '--port', '0', ...args], env, /running at (http:\/\/\S+)/, cli);
}

/** Starts `winnow worker` in a child process and waits until its workers run. */
export function startWorker(
  env: Record<string, string | undefined>,
  args: string[] = [],
): Promise<ServeProcess> {
  return startWinnowProcess(['worker', ...args], env, /winnow worker running/, TSX_CLI);
}
