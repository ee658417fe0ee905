import type { Db } from '@winnow/core';
import type { NormalisedRecord } from '../record.types.ts';
import type { DedupSource } from './dedupe.ts';
import type { KeyInput } from './key-set.ts';
import { MATCH_FIELDS, type MatchFields } from './match-keys.ts';

/** Records read per query: a page of keys, or of whole records for groups. */
const PAGE = 5000;

/**
 * The record's fields no match key reads, the bulky ones (abstract, the source text) among them,
 * taken out of `data` in one operation: naming each match field instead (`data->'title'`, …)
 * unpacked the stored record once per field, 13 times a row (PostgreSQL, in-sample: 257 ms against
 * 64 ms for 20,000 records with 120-word abstracts). A field left off this list is sent, not lost.
 */
const NOT_MATCHED = [
  'titleHtml',
  'abstract',
  'abstractHtml',
  'pmcid',
  'issn',
  'isbn',
  'keywords',
  'mesh',
  'language',
  'url',
  'raw',
] as const satisfies readonly Exclude<keyof NormalisedRecord, (typeof MATCH_FIELDS)[number] | 'source'>[];

/**
 * Planner settings for one page of keys, for its transaction only: the page walks the import's
 * `(import_id, source_index)` index in order and stops once it has PAGE rows. Left to itself with
 * no statistics (a review's first import, read by the dedup job it queues before autovacuum's
 * ANALYZE; PGlite until its own), the planner guessed four rows, combined two indexes in a bitmap
 * and sorted every record of the import after the page's start to keep the first PAGE: each page
 * read the rest of the import again. The fifth page of 54,642 real records sorted 34,642 of them on
 * disk (399 ms, against 85 ms walked in order; PostgreSQL, in-sample).
 */
const WALK_IN_ORDER = `SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`;

/**
 * A review's records for a streamed dedup run (issue 18). Keys: import by import in the order
 * they were made, each paged by position in its file (the `(import_id, source_index)` index), so
 * the run never holds every record; only the fields match keys need are sent, not abstracts or
 * the source text. Whole records are read again, by id, only for the records that end up in groups.
 */
export function dedupSource(db: Db, reviewId: string): DedupSource {
  return {
    async *keys() {
      const { rows: imports } = await db.query<{ id: string; fileName: string; sourceName: string | null }>(
        `SELECT i.id, i.file_name AS "fileName", s.source_name AS "sourceName"
           FROM imports i LEFT JOIN searches s ON s.id = i.search_id
          WHERE i.review_id = $1 ORDER BY i.created_at, i.id`,
        [reviewId],
      );
      for (const imp of imports) {
        for (let after = -2147483648; ;) {
          const { rows } = await db.transaction(async (tx) => {
            await tx.query(WALK_IN_ORDER);
            return tx.query<{
              id: string;
              sourceIndex: number;
              fields: Record<string, unknown> & { source?: { database?: string } };
              screened: boolean;
              queued: boolean;
            }>(
              `SELECT r.id, r.source_index AS "sourceIndex", r.data - $5::text[] AS fields,
                    EXISTS (SELECT 1 FROM decisions d WHERE d.record_id = r.id) AS screened,
                    EXISTS (SELECT 1 FROM stage_records sr WHERE sr.record_id = r.id) AS queued
               FROM records r
              WHERE r.review_id = $1 AND r.import_id = $2 AND r.source_index > $3
              ORDER BY r.source_index LIMIT $4`,
              [reviewId, imp.id, after, PAGE, NOT_MATCHED],
            );
          });
          if (rows.length === 0) break;
          yield rows.map((r): KeyInput => ({
            id: r.id,
            record: matchFields(r.fields),
            // The search as recorded for PRISMA-S (`MEDLINE`), else what the export says, else the file.
            source: imp.sourceName ?? r.fields.source?.database ?? imp.fileName,
            screened: r.screened,
            queued: r.queued,
          }));
          after = rows[rows.length - 1]!.sourceIndex;
          if (rows.length < PAGE) break;
        }
      }
    },
    async records(ids) {
      const out = new Map<string, NormalisedRecord>();
      for (let i = 0; i < ids.length; i += PAGE) {
        const { rows } = await db.query<{ id: string; data: NormalisedRecord }>(
          `SELECT id, data FROM records WHERE review_id = $1 AND id = ANY($2::uuid[])`,
          [reviewId, ids.slice(i, i + PAGE)],
        );
        for (const r of rows) out.set(r.id, r.data);
      }
      return out;
    },
  };
}

/** The match fields a row carries. */
function matchFields(fields: Record<string, unknown>): MatchFields {
  const out: Record<string, unknown> = {};
  for (const f of MATCH_FIELDS) if (fields[f] !== null && fields[f] !== undefined) out[f] = fields[f];
  return out as unknown as MatchFields;
}
