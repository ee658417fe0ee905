import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Sql } from './db.types.ts';

// int8 (COUNT, bigserial) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric as numbers (scores, kappas).
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * Named (prepared) statements for the query texts a process runs over and over: PostgreSQL then
 * parses and plans them once per connection instead of on every call, which is most of the server
 * time of the small indexed queries on the request path. A text is named from its second use, so
 * one-off statements (migrations, scripts) stay unnamed, and at most MAX_NAMED texts are named per
 * database handle (a process has one), so SQL built with a varying number of placeholders cannot
 * fill the server's memory. The count is the handle's, not the module's: several handles in one
 * process (tests, tools) each name their own hot statements rather than finding the budget spent.
 */
const MAX_NAMED = 300;

/** Longer texts are batch statements whose shape varies with the batch: never worth a name. */
const MAX_NAMED_TEXT = 4_000;

function statementNamer(): (text: string) => string | undefined {
  const seen = new Map<string, string | null>();
  let namedCount = 0;
  return (text) => {
    if (text.length > MAX_NAMED_TEXT) return undefined;
    const known = seen.get(text);
    if (known) return known;
    if (known === undefined) {
      if (seen.size < MAX_NAMED * 4) seen.set(text, null);
      return undefined;
    }
    if (namedCount >= MAX_NAMED) return undefined;
    const name = `w_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    seen.set(text, name);
    namedCount++;
    return name;
  };
}

export function createPgDb(connectionString: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 10_000 });
  const nameOf = statementNamer();
  const toConfig = (text: string, params?: readonly unknown[]): pg.QueryConfig => {
    const name = nameOf(text);
    return { text, values: params as unknown[] | undefined, ...(name ? { name } : {}) };
  };
  // An idle client losing its server (restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const asSql = (client: pg.PoolClient): Sql => ({
    query: async <T>(text: string, params?: readonly unknown[]) => {
      const r = await client.query(toConfig(text, params));
      return { rows: r.rows as T[] };
    },
  });
  return {
    engine: 'postgres',
    async query<T>(text: string, params?: readonly unknown[]) {
      const r = await pool.query(toConfig(text, params));
      return { rows: r.rows as T[] };
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A checked-out client has no pool listener: when its server goes away (restart, crash) pg
      // emits 'error' on it, which would kill the process. Its queries reject on their own; the
      // client is then destroyed on release instead of going back to the pool broken.
      let broken: Error | undefined;
      const onError = (e: Error) => {
        broken = e;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(asSql(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!broken) await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async close() {
      await pool.end();
    },
  };
}
