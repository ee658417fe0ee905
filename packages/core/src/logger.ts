export type LogLevel = 'silent' | 'error' | 'info' | 'debug';
export interface Logger {
  error(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  debug(msg: string, data?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, info: 2, debug: 3 };

/** Logs go to stderr so that `--json` output on stdout stays machine-readable. */
export function createLogger(level: LogLevel, scope = 'winnow'): Logger {
  const write = (lvl: Exclude<LogLevel, 'silent'>, msg: string, data?: Record<string, unknown>) => {
    if (RANK[lvl] > RANK[level]) return;
    const extra = data ? ' ' + JSON.stringify(data) : '';
    process.stderr.write(`${new Date().toISOString()} ${lvl} [${scope}] ${msg}${extra}\n`);
  };
  return {
    error: (m, d) => write('error', m, d),
    info: (m, d) => write('info', m, d),
    debug: (m, d) => write('debug', m, d),
  };
}
