import type { WinnowConfig } from '@winnow/core';
import type { Runtime } from '../app/runtime.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  multiple?: boolean;
  short?: string;
}

export interface CommandContext {
  /** Positional arguments after the command words. */
  args: string[];
  opts: Record<string, string | boolean | string[] | undefined>;
  /** `--review`, default `default`. */
  reviewSlug: string;
  config: WinnowConfig;
  /** Present when the command declared `needs: 'runtime'`. */
  rt: Runtime;
  json: boolean;
}

export interface CommandDef {
  /** One or two words: `serve`, `review create`. */
  name: string;
  summary: string;
  /** Positional arguments, for --help: `<file...>`. */
  usage?: string;
  options?: Record<string, OptionSpec>;
  /**
   * 'none': no database or queue; 'runtime': database + queue producer; 'workers': also runs job
   * workers in this process while the command waits for its jobs.
   */
  needs: 'none' | 'runtime' | 'workers';
  run(ctx: CommandContext): Promise<unknown>;
  /** Text for people; without it the result is printed as indented JSON. */
  human?(result: never): string;
  /** Long-running commands (serve, worker) keep the process alive after run() returns. */
  longRunning?: boolean;
  /**
   * A long-running command may start a private redis-server when none answers (serve on a laptop).
   * `false` for `worker`: a worker joins the Redis its web process uses, it never starts its own.
   */
  mayStartRedis?: boolean;
}

export function command(def: CommandDef): CommandDef {
  return def;
}
