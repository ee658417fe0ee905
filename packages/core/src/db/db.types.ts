/** The one query surface every repository uses, whatever the engine (PostgreSQL or PGlite). */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
}

export interface Db extends Sql {
  readonly engine: 'postgres' | 'pglite';
  /**
   * Runs `fn` in one transaction: all of its writes land or none do. Retries once on a
   * serialization failure or deadlock is the caller's choice, not done here.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
