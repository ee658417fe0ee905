import path from 'node:path';
import type { WinnowConfig } from '../config/config.ts';
import type { Db } from './db.types.ts';
import { migrate } from './migrate.ts';
import { createPgDb } from './pg.client.ts';
import { createPgliteDb } from './pglite.client.ts';
import { acquireDataDirLock } from './data-dir.lock.ts';

/**
 * PostgreSQL when DATABASE_URL is set; otherwise the embedded PGlite database under the data
 * directory. PGlite is single-process, so a lock file makes a second process fail with a clear
 * message instead of corrupting the files.
 */
export async function openDatabase(config: WinnowConfig, opts: { migrate?: boolean } = {}): Promise<Db> {
  let db: Db;
  if (config.databaseUrl) {
    db = createPgDb(config.databaseUrl);
  } else {
    const dir = path.join(config.dataDir, 'pglite');
    const release = acquireDataDirLock(config.dataDir);
    const inner = await createPgliteDb(dir);
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
