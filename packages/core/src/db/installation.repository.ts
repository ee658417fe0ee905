import { queuePrefixFor, type RunConfig, type WinnowConfig } from '../config/config.ts';
import type { Sql } from './db.types.ts';

/** This database's installation id (migration 0860): the same for every process that opens it. */
export async function installationId(db: Sql): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM installation');
  if (!rows[0]) throw new Error('The database has no installation row: run its migrations first');
  return rows[0].id;
}

/**
 * The configuration a process runs with: unless one is set, the queue's prefix is this database's
 * (queuePrefixFor), so every process of an installation shares its queue and another installation
 * on the same Redis never takes its jobs.
 */
export async function runConfig(config: WinnowConfig, db: Sql): Promise<RunConfig> {
  return { ...config, queuePrefix: config.queuePrefix ?? queuePrefixFor(await installationId(db)) };
}
