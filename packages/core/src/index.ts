export * from './config/config.ts';
export * from './errors/winnow-error.ts';
export * from './logger.ts';
export type { Db, Sql } from './db/db.types.ts';
export { openDatabase } from './db/open-database.ts';
export { installationId, runConfig } from './db/installation.repository.ts';
export { migrate, listMigrations } from './db/migrate.ts';
export * from './events/event-log.ts';
export * from './queue/job-definition.ts';
export { JobRegistry } from './queue/job-registry.ts';
export { createJobQueue, type JobQueue } from './queue/job-queue.ts';
export { startWorkers, type WorkerRunner } from './queue/worker-runner.ts';
export * from './queue/jobs.repository.ts';
export { ensureRedis, type RedisHandle } from './queue/local-redis.ts';
export {
  assertNoEviction,
  canReachRedis,
  createProducerRedis,
  createWorkerRedis,
} from './queue/redis-connection.ts';
export * from './model/reviews.repository.ts';
export * from './model/users.repository.ts';
export { checkNewPassword, hashPassword, verifyPassword, verifyPasswordOrNothing } from './model/password.ts';
export { normaliseEmail } from './model/email.ts';
export * from './model/invitations.repository.ts';
export * from './blobs/blob.repository.ts';
export * from './blobs/blob-range.ts';
export * from './model/review-protocol.repository.ts';
export * from './model/members.repository.ts';
export * from './pdf/pdf-document.ts';
export * from './pdf/pdf-text.ts';
export { asSentence } from './text/sentence.ts';
export { eachSearchWord, searchWords } from './text/search-words.ts';
export { counted } from './text/counted.ts';
