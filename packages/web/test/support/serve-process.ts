import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_MAIN, REPO_ROOT } from './cli.ts';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote on stderr so far. */
  log(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `winnow serve` in a child process and waits until it prints its URL. */
export function startServe(
  env: Record<string, string | undefined>,
  args: string[] = [],
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, 'serve', '--port', '0', ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, WINNOW_LOG: 'error', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => {
      // A server that never came up must not outlive the test that started it.
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within 60 s:\n${stderr}`));
    }, 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
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
      reject(new Error(`serve exited with ${code}:\n${stderr}`));
    });
  });
}
