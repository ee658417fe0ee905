import { getBlobInfo, readBlob, WinnowError, type Db } from '@winnow/core';
import { isIngestFormat, type IngestFormat } from '../parsers/formats.ts';
import type { ParseLimits } from '../parsers/limits.ts';
import { DamageCount, formatDiagnostic, parseByteStream } from '../parsers/parse-stream.ts';
import type { ParseDiagnostic, ParsedRecord } from '../record.types.ts';
import {
  addSearchWords,
  completeImport,
  countImportRecords,
  deleteImportRecords,
  failImport,
  getImport,
  insertRecords,
  searchCounts,
} from './import.repository.ts';
import { countCheckWarning, summaryOf, type ImportSummary } from './import.types.ts';
import { addRecordSearchWords } from './record-search-words.ts';

/** Diagnostics kept verbatim on the import; all are counted. */
const KEEP_DIAGNOSTICS = 500;
/**
 * Records per insert statement. The parser hands over what one input chunk held (a few hundred
 * records); they are gathered up to this many, so the per-statement cost is paid rarely while a
 * batch stays a few MB (memory stays flat in the file's size). PGlite runs each statement on this
 * process's only thread, search vectors included (a few ms a record, tens under load): its batches
 * stay small so the event loop gets back in time to renew the job's lock.
 */
const BATCH = { postgres: 2000, pglite: 250 } as const;

/** Batches written at once (see runImport). */
const WRITERS = { postgres: 2, pglite: 1 } as const;

export interface ImportHooks {
  progress(fraction: number, message?: string): Promise<void>;
  /** Field, record and import size limits (the config's `importLimits`; defaults when absent). */
  limits?: Partial<ParseLimits>;
  /** Records per insert statement (default: BATCH for the engine); tests set one to cross batch edges. */
  batchSize?: number;
  /** Batches written at once (default: WRITERS for the engine); tests set one to order them. */
  writers?: number;
}

/**
 * Streams an import's stored file through the parser into `records`, in batches keyed on
 * (import, position). Re-running after a crash re-writes nothing twice and completes the import;
 * a file that cannot be read at all leaves no records and a failed import.
 */
export async function runImport(db: Db, importId: string, hooks: ImportHooks): Promise<ImportSummary> {
  const imp = await getImport(db, importId);
  if (!imp) throw new WinnowError('NOT_FOUND', 'This import does not exist');
  if (imp.status !== 'pending') return summaryOf(imp);
  if (!imp.blobId) throw new WinnowError('VALIDATION', 'This import has no stored file');
  const blob = await getBlobInfo(db, imp.blobId);
  if (!blob) throw new WinnowError('NOT_FOUND', 'The file of this import is gone');

  const warnings: string[] = [];
  const errors: string[] = [];
  let warningCount = 0;
  let errorCount = 0;
  let records = 0;
  let parsed = 0;
  let format: IngestFormat | undefined;
  let bytesRead = 0;
  let lastProgress = 0;
  const damage = new DamageCount();
  const note = (d: ParseDiagnostic): void => {
    damage.note(d);
    const text = formatDiagnostic(d, imp.fileName);
    if (d.severity === 'error') {
      errorCount++;
      if (errors.length < KEEP_DIAGNOSTICS) errors.push(text);
    } else {
      warningCount++;
      if (warnings.length < KEEP_DIAGNOSTICS) warnings.push(text);
    }
  };
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of readBlob(db, imp!.blobId!)) {
      bytesRead += chunk.length;
      yield chunk;
    }
  }

  const requested = imp.requestedFormat && isIngestFormat(imp.requestedFormat) ? imp.requestedFormat : 'auto';
  const batchSize = hooks.batchSize ?? BATCH[db.engine];
  let pending: ParsedRecord[] = [];
  // Batches are written while the next is parsed. On PostgreSQL two are written at once, each in
  // its own transaction and connection: a batch's cost is mostly the server's (its search vectors
  // and indexes), one core's worth per connection, and the parse here is a third of it. Each batch
  // is keyed on (import, position), so the order they commit in does not matter. At most
  // WRITERS + 1 batches are held, so memory stays flat in the file's size. PGlite runs every
  // statement on this thread, one at a time: it writes one batch at a time.
  const writers = hooks.writers ?? WRITERS[db.engine];
  const writing = new Set<Promise<void>>();
  // The records' words, for searches ending in `*`: grows with the file's vocabulary (tens of
  // thousands of words), not with its records.
  const words = new Set<string>();
  // The first write that failed: the import stops at the next batch, or at the end.
  let failed: { error: unknown } | undefined;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const part = pending;
    pending = [];
    while (writing.size >= writers) await Promise.race(writing);
    if (failed) throw failed.error;
    const write: Promise<void> = db
      .transaction((tx) => insertRecords(tx, imp, part))
      .then(
        () => {
          records += part.length;
        },
        (error: unknown) => {
          failed ??= { error };
        },
      )
      .finally(() => writing.delete(write));
    writing.add(write);
  };
  try {
    for await (const batch of parseByteStream(requested, counted(), {
      fileName: imp.fileName,
      columns: imp.columnMapping ?? undefined,
      batchSize,
      limits: hooks.limits,
    })) {
      format = batch.format;
      batch.diagnostics.forEach(note);
      for (const r of batch.records) {
        parsed++;
        pending.push(r);
        addRecordSearchWords(words, r.record);
        if (pending.length >= batchSize) await flush();
      }
      // Progress is a database write: at most every half second.
      if (Date.now() - lastProgress > 500) {
        lastProgress = Date.now();
        await hooks.progress(blob.bytes ? Math.min(0.99, bytesRead / blob.bytes) : 0, `${parsed} records`);
      }
    }
    await flush();
    await Promise.all(writing);
    if (failed) throw failed.error;
  } catch (e) {
    // The batches being written settle first: the clean-up below must see all that was stored.
    await Promise.all(writing);
    // Nothing half-written: what this run stored goes, so a failed import holds no record and a
    // retry starts from the first record. (A process killed outright runs no catch: its retry
    // rewrites the same keys, and a job that fails for good is cleaned up by its onFailed; so does a
    // clean-up that fails here because the database is what went away.)
    await db.transaction((tx) => deleteImportRecords(tx, imp.id)).catch(() => {});
    if (e instanceof WinnowError && (e.code === 'PARSE_ERROR' || e.code === 'UNSUPPORTED_FORMAT')) {
      await db.transaction((tx) => failImport(tx, imp, e.message));
    }
    throw e;
  }

  const stored = await countImportRecords(db, imp.id);
  if (stored !== records)
    throw new WinnowError('INTERNAL', `Import ${imp.id}: parsed ${records} records but ${stored} are stored`);
  if (imp.searchId) {
    const s = await searchCounts(db, imp.searchId);
    const parsed = s.parsed + records;
    if (s.reported !== null && s.reported !== parsed) {
      warningCount++;
      warnings.unshift(countCheckWarning(imp.fileName, s.sourceName, s.reported, parsed));
    }
  }
  await db.transaction(async (tx) => {
    await addSearchWords(tx, imp.reviewId, words);
    await completeImport(tx, imp, {
      format: format ?? 'unknown',
      records,
      warnings,
      errors,
      warningCount,
      errorCount,
      recordsSkipped: damage.skipped,
      recordsRepaired: damage.repaired,
    });
  });
  await hooks.progress(1, `${records} records`);
  return summaryOf((await getImport(db, imp.id))!);
}
