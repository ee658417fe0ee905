export * from './test-database.ts';
export * from './test-config.ts';
export * from './tiny-pdf.ts';
export * from './queue-idle.ts';
export * from './test-pdf.ts';
// A PostgreSQL client with a pool of a chosen size (one connection: a session's own statistics).
export { createPgDb } from '../db/pg.client.ts';
