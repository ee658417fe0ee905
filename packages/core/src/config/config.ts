import path from 'node:path';
import { z } from 'zod';

function chars(fallback: number) {
  return z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 30)
    .default(fallback);
}

/** Every setting Winnow reads from its environment. `process.env` is read here and nowhere else. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  WINNOW_DATA_DIR: z.string().min(1).default('./data'),
  WINNOW_QUEUE_PREFIX: z.string().min(1).optional(),
  WINNOW_START_REDIS: z.enum(['auto', 'never']).default('auto'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  WINNOW_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  WINNOW_IMPORT_MAX_TITLE_CHARS: chars(64 * 1024),
  WINNOW_IMPORT_MAX_ABSTRACT_CHARS: chars(1024 * 1024),
  WINNOW_IMPORT_MAX_FIELD_CHARS: chars(256 * 1024),
  WINNOW_IMPORT_MAX_RECORD_CHARS: chars(4 * 1024 * 1024),
  WINNOW_IMPORT_MAX_TOTAL_CHARS: chars(1024 * 1024 * 1024),
  WINNOW_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  WINNOW_LOG: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  CI: z.string().optional(),
});

export interface WinnowConfig {
  /** PostgreSQL connection string; absent means an embedded PGlite database under `dataDir`. */
  databaseUrl: string | undefined;
  redisUrl: string;
  dataDir: string;
  /**
   * BullMQ's key prefix in Redis. Null when not set: the runtime derives it from the database's
   * installation id (queuePrefixFor), so installations sharing a Redis keep apart by default.
   */
  queuePrefix: string | null;
  /** Whether `serve` may start a private redis-server when nothing answers at `redisUrl`. */
  startRedis: boolean;
  port: number;
  host: string;
  uploadMaxBytes: number;
  /**
   * How much text an import keeps, in characters: longer titles, abstracts and other field values
   * are truncated with a warning; a record over `recordChars` loses its excess; once an import has
   * kept `totalChars` the rest of its file is not imported. They bound one upload's memory and what
   * dedup later holds of it.
   */
  importLimits: ImportLimits;
  trustProxy: boolean;
  log: 'silent' | 'error' | 'info' | 'debug';
  ci: boolean;
}

/** The configuration a running process works with: its queue prefix is known. */
export type RunConfig = WinnowConfig & { queuePrefix: string };

/** The default queue prefix of the installation whose id this is (migration 0860). */
export function queuePrefixFor(installationId: string): string {
  return `winnow-${installationId.replace(/-/g, '').slice(0, 12)}`;
}

export interface ImportLimits {
  titleChars: number;
  abstractChars: number;
  /** Any other field value (an author, a journal, a keyword cell). */
  fieldChars: number;
  recordChars: number;
  totalChars: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): WinnowConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    dataDir: path.resolve(e.WINNOW_DATA_DIR),
    queuePrefix: e.WINNOW_QUEUE_PREFIX ?? null,
    startRedis: e.WINNOW_START_REDIS === 'auto',
    port: e.PORT,
    host: e.HOST,
    uploadMaxBytes: e.WINNOW_UPLOAD_MAX_BYTES,
    importLimits: {
      titleChars: e.WINNOW_IMPORT_MAX_TITLE_CHARS,
      abstractChars: e.WINNOW_IMPORT_MAX_ABSTRACT_CHARS,
      fieldChars: e.WINNOW_IMPORT_MAX_FIELD_CHARS,
      recordChars: e.WINNOW_IMPORT_MAX_RECORD_CHARS,
      totalChars: e.WINNOW_IMPORT_MAX_TOTAL_CHARS,
    },
    trustProxy: e.WINNOW_TRUST_PROXY === 'true',
    log: e.WINNOW_LOG,
    ci: e.CI === 'true' || e.CI === '1',
  };
}
