import type { z } from 'zod';
import type { RunConfig } from '../config/config.ts';
import type { Db } from '../db/db.types.ts';
import type { Logger } from '../logger.ts';

export interface EnqueueOptions {
  /** Overrides the definition's deterministic id. */
  jobId?: string;
  delayMs?: number;
}

export type Enqueue = (name: string, payload: unknown, opts?: EnqueueOptions) => Promise<{ jobId: string }>;

export interface JobContext {
  db: Db;
  config: RunConfig;
  log: Logger;
  jobId: string;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  /** Reports progress in [0, 1] to the dashboard; also extends nothing (BullMQ renews the lock itself). */
  progress(fraction: number, message?: string): Promise<void>;
  /** Enqueues follow-up work (e.g. dedup after an import). */
  enqueue: Enqueue;
}

/**
 * One entry of the job registry: name -> payload schema -> handler.
 * Handlers must be idempotent: BullMQ delivers at least once.
 */
export interface JobDefinition<P = unknown> {
  name: string;
  schema: z.ZodType<P>;
  /** Deterministic id, so a re-sent job is deduplicated. No ':' (BullMQ reserves it). */
  jobId(payload: P): string;
  /** The review the job belongs to, for access control and dashboards. */
  reviewId(payload: P): string | null;
  handler(payload: P, ctx: JobContext): Promise<unknown>;
  /** Attempts for transient faults (default 5, exponential backoff). */
  attempts?: number;
  /**
   * Runs once the job has failed for good (bad input, attempts used up, or stopped after taking its
   * worker down), so what it was building is marked failed rather than left half done.
   */
  onFailed?(payload: P, ctx: { db: Db; log: Logger; reason: string }): Promise<void>;
}

export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  if (!/^[a-z][a-z0-9.-]*$/.test(def.name)) throw new Error(`Bad job name ${def.name}`);
  return def;
}

/** A job definition of any payload type, for lists and the registry (payloads are checked by schema). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;
