import path from 'node:path';
import { z } from 'zod';

/** Every setting Winnow reads from its environment. `process.env` is read here and nowhere else. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  WINNOW_DATA_DIR: z.string().min(1).default('./data'),
  WINNOW_QUEUE_PREFIX: z.string().min(1).default('winnow'),
  WINNOW_START_REDIS: z.enum(['auto', 'never']).default('auto'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  WINNOW_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  WINNOW_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  WINNOW_LOG: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  CI: z.string().optional(),
});

export interface WinnowConfig {
  /** PostgreSQL connection string; absent means an embedded PGlite database under `dataDir`. */
  databaseUrl: string | undefined;
  redisUrl: string;
  dataDir: string;
  queuePrefix: string;
  /** Whether `serve` may start a private redis-server when nothing answers at `redisUrl`. */
  startRedis: boolean;
  port: number;
  host: string;
  uploadMaxBytes: number;
  trustProxy: boolean;
  log: 'silent' | 'error' | 'info' | 'debug';
  ci: boolean;
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
    queuePrefix: e.WINNOW_QUEUE_PREFIX,
    startRedis: e.WINNOW_START_REDIS === 'auto',
    port: e.PORT,
    host: e.HOST,
    uploadMaxBytes: e.WINNOW_UPLOAD_MAX_BYTES,
    trustProxy: e.WINNOW_TRUST_PROXY === 'true',
    log: e.WINNOW_LOG,
    ci: e.CI === 'true' || e.CI === '1',
  };
}
