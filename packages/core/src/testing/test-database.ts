import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../db/db.types.ts';
import { migrate } from '../db/migrate.ts';
import { createPgDb } from '../db/pg.client.ts';
import { createPgliteDb } from '../db/pglite.client.ts';

export type Engine = 'postgres' | 'pglite';
export const ENGINES: readonly Engine[] = ['postgres', 'pglite'];

/** The PostgreSQL server tests use; every test file gets its own database on it. */
export const TEST_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  db: Db;
  /** Connection string (postgres only), for starting real servers/workers against the same data. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, migrated database: a new PostgreSQL database, or an in-memory PGlite. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const db = await createPgliteDb(undefined);
    await migrate(db);
    return { db, url: undefined, drop: () => db.close() };
  }
  const name = `winnow_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = TEST_PG_ADMIN_URL.replace(/\/test$/, `/${name}`);
  const db = createPgDb(url, 5);
  await migrate(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
