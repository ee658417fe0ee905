import path from 'node:path';
import type { WinnowConfig } from '../config/config.ts';
import type { Db } from './db.types.ts';
import { migrate } from './migrate.ts';
import { acquireDataDirLock } from './data-dir.lock.ts';

/**
 * PostgreSQL when DATABASE_URL is set; otherwise the embedded PGlite database under the data
 * directory. PGlite is single-process, so a lock file makes a second process fail with a clear
 * message instead of corrupting the files. Each engine's client library is loaded only when it is
 * the one opened (a PGlite start does not load pg, nor a PostgreSQL one PGlite).
 */
export async function openDatabase(config: WinnowConfig, opts: { migrate?: boolean } = {}): Promise<Db> {
  let db: Db;
  if (config.databaseUrl) {
    const { createPgDb } = await import('./pg.client.ts');
    db = createPgDb(config.databaseUrl);
  } else {
    const dir = path.join(config.dataDir, 'pglite');
    const release = acquireDataDirLock(config.dataDir);
    const { createPgliteDb } = await import('./pglite.client.ts');
    const inner = await createPgliteDb(dir).catch((e: unknown) => {
      release();
      throw e;
    });
    db = {
      ...inner,
      async close() {
        await inner.close();
        release();
      },
    };
  }
  if (opts.migrate !== false) await migrate(db);
  return db;
}
