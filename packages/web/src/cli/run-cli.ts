import { parseArgs } from 'node:util';
import type { ErrorCode } from '@winnow/core';
import type { Runtime } from '../app/runtime.ts';
import type { CommandDef, OptionSpec } from './command.ts';
import { COMMANDS } from './commands/index.ts';

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Machine-readable output on stdout (and nothing else there)' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
  review: { type: 'string', description: 'Review slug (default: default)' },
};

function findCommand(argv: string[]): { def: CommandDef; rest: string[] } | null {
  const two = `${argv[0]} ${argv[1]}`;
  const byTwo = COMMANDS.find((c) => c.name === two);
  if (byTwo) return { def: byTwo, rest: argv.slice(2) };
  const byOne = COMMANDS.find((c) => c.name === argv[0]);
  return byOne ? { def: byOne, rest: argv.slice(1) } : null;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: pnpm -s winnow <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help, --json and --review <slug>.',
  ].join('\n');
}

function help(def: CommandDef): string {
  const opts = { ...def.options, ...GLOBAL_OPTIONS };
  const lines = Object.entries(opts).map(
    ([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}`.padEnd(28) + o.description,
  );
  return [
    `Usage: pnpm -s winnow ${def.name} ${def.usage ?? ''} [options]`.trimEnd(),
    '',
    def.summary,
    '',
    'Options:',
    ...lines,
  ].join('\n');
}

export interface CliResult {
  code: number;
  /** The runtime of a long-running command (serve/worker), left open for its caller. */
  keepAlive?: Runtime;
}

/** What to do next, in the CLI's own terms (server messages are written for the browser too). */
const CLI_HINTS: Partial<Record<ErrorCode, string>> = {
  DUPLICATE_IMPORT: 'Use --force to import it again.',
};

/** Runs one CLI invocation; returns the exit code. Output: stdout for results, stderr for messages. */
export async function runCli(argv: string[], env?: Record<string, string | undefined>): Promise<CliResult> {
  const found = findCommand(argv);
  if (!found) {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      process.stdout.write(overview() + '\n');
      return { code: 0 };
    }
    process.stderr.write(`winnow: unknown command "${argv.join(' ')}"\n\n${overview()}\n`);
    return { code: 2 };
  }
  const { def, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...def.options, ...GLOBAL_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    process.stderr.write(`winnow ${def.name}: ${(e as Error).message}\n\n${help(def)}\n`);
    return { code: 2 };
  }
  const opts = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (opts.help) {
    process.stdout.write(help(def) + '\n');
    return { code: 0 };
  }
  const json = opts.json === true;
  let rt: Runtime | undefined;
  try {
    const { openCommandRuntime } = await import('./command-runtime.ts');
    const opened = await openCommandRuntime(def, opts, env);
    const config = opened.config;
    rt = opened.rt;
    const result = await def.run({
      args: parsed.positionals,
      opts,
      reviewSlug: typeof opts.review === 'string' ? opts.review : 'default',
      config,
      rt: rt as Runtime,
      json,
    });
    if (def.longRunning) return { code: 0, keepAlive: rt };
    if (json) process.stdout.write(JSON.stringify(result ?? null) + '\n');
    else if (def.human) process.stdout.write(def.human(result as never) + '\n');
    else if (result !== undefined) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    await rt?.close();
    return { code: 0 };
  } catch (e) {
    await rt?.close().catch(() => {});
    // Imported here: a value import from a workspace package would load its libraries at start.
    const { WinnowError } = await import('@winnow/core');
    const err = e instanceof WinnowError ? e : null;
    const message = err ? err.message : (e as Error).message;
    const where = err?.details?.location;
    const hint = err ? CLI_HINTS[err.code] : undefined;
    process.stderr.write(`winnow ${def.name}: ${message}${hint ? `\n${hint}` : ''}\n`);
    if (json) {
      process.stdout.write(
        JSON.stringify({
          error: { code: err?.code ?? 'INTERNAL', message, ...(where ? { location: where } : {}) },
        }) + '\n',
      );
    }
    return { code: err?.code === 'VALIDATION' || err?.code === 'BAD_REQUEST' ? 2 : 1 };
  }
}
