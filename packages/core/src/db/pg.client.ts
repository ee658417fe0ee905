import pg from 'pg';
import type { Db, Sql } from './db.types.ts';

// int8 (COUNT, bigserial) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric as numbers (scores, kappas).
pg.types.setTypeParser(1700, (v) => Number(v));

export function createPgDb(connectionString: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 10_000 });
  // An idle client losing its server (restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const asSql = (client: pg.PoolClient): Sql => ({
    query: async <T>(text: string, params?: readonly unknown[]) => {
      const r = await client.query(text, params as unknown[] | undefined);
      return { rows: r.rows as T[] };
    },
  });
  return {
    engine: 'postgres',
    async query<T>(text: string, params?: readonly unknown[]) {
      const r = await pool.query(text, params as unknown[] | undefined);
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
