import type { Sql } from '@winnow/core';

/** A table of a dedup run's rows, one set per review: its columns besides `review_id`. */
export interface ReviewRowsTable {
  name: 'dedup_pairs' | 'dedup_members';
  /** The columns that name a row within its review (its primary key without `review_id`). */
  key: readonly Column[];
  /** The columns the run sets. */
  values: readonly Column[];
}

interface Column {
  name: string;
  /** Its SQL type, for the arrays the rows travel in. */
  type: string;
}

/** A run's members: one row per record in a group. */
export const DEDUP_MEMBERS: ReviewRowsTable = {
  name: 'dedup_members',
  key: [{ name: 'record_id', type: 'uuid' }],
  values: [
    { name: 'group_id', type: 'text' },
    { name: 'kept', type: 'boolean' },
    { name: 'tier', type: 'text' },
    { name: 'score', type: 'real' },
    { name: 'reason', type: 'text' },
  ],
};

/** A run's candidate pairs, each with its status (the pair export). */
export const DEDUP_PAIRS: ReviewRowsTable = {
  name: 'dedup_pairs',
  key: [
    { name: 'record_a', type: 'uuid' },
    { name: 'record_b', type: 'uuid' },
  ],
  values: [
    { name: 'status', type: 'text' },
    { name: 'score', type: 'real' },
    { name: 'reason', type: 'text' },
  ],
};

/** Rows per statement: on PGlite a statement holds the process's only thread. */
const BATCH = 5000;

/**
 * Makes the review's rows of `table` the run's `rows`, each read into the table's columns (key
 * columns first) by `columns`, a batch at a time (a million records make millions of pairs),
 * writing only the difference. A dedup run derives the review's whole state again after every
 * import, and most of it is what the run before stored: deleting every row and inserting it again
 * rewrote it all, fired the library's triggers for every member, and each insert checked its key
 * against the row just deleted. So the run's rows go to a temporary table and the review's rows are
 * compared with them: gone ones deleted, changed ones updated, new ones inserted. A review with no
 * rows yet (its first run) gets them inserted directly. Same rows either way (a test compares).
 */
export async function writeReviewRows<T>(
  tx: Sql,
  reviewId: string,
  table: ReviewRowsTable,
  rows: readonly T[],
  columns: readonly ((row: T) => unknown)[],
): Promise<void> {
  const all = [...table.key, ...table.values];
  const names = all.map((c) => c.name).join(', ');
  /** The columns' arrays as `unnest(...)`, numbered after `lead` parameters. */
  const unnest = (lead: number) => `unnest(${all.map((c, i) => `$${lead + i + 1}::${c.type}[]`).join(', ')})`;
  /** Runs `sql` on each batch: its `lead` parameters, then the batch's column arrays. */
  const batches = async (sql: string, lead: unknown[]) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const part = rows.slice(i, i + BATCH);
      await tx.query(sql, [...lead, ...columns.map((column) => part.map(column))]);
    }
  };
  const { rows: stored } = await tx.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${table.name} WHERE review_id = $1) AS any`,
    [reviewId],
  );
  if (!stored[0]?.any) {
    await batches(`INSERT INTO ${table.name} (review_id, ${names}) SELECT $1, * FROM ${unnest(1)}`, [
      reviewId,
    ]);
    return;
  }
  const next = `${table.name}_next`;
  await tx.query(`CREATE TEMPORARY TABLE ${next} (${all.map((c) => `${c.name} ${c.type}`).join(', ')})`);
  await batches(`INSERT INTO ${next} (${names}) SELECT * FROM ${unnest(0)}`, []);
  // Statistics for the joins below: a temporary table has none until it is analyzed.
  await tx.query(`ANALYZE ${next}`);
  const sameKey = table.key.map((c) => `n.${c.name} = t.${c.name}`).join(' AND ');
  const valuesOf = (alias: string) => `(${table.values.map((c) => `${alias}.${c.name}`).join(', ')})`;
  await tx.query(
    `DELETE FROM ${table.name} t WHERE t.review_id = $1 AND NOT EXISTS (SELECT 1 FROM ${next} n WHERE ${sameKey})`,
    [reviewId],
  );
  await tx.query(
    `UPDATE ${table.name} t SET ${table.values.map((c) => `${c.name} = n.${c.name}`).join(', ')}
       FROM ${next} n WHERE t.review_id = $1 AND ${sameKey} AND ${valuesOf('t')} IS DISTINCT FROM ${valuesOf('n')}`,
    [reviewId],
  );
  await tx.query(
    `INSERT INTO ${table.name} (review_id, ${names})
     SELECT $1, ${all.map((c) => `n.${c.name}`).join(', ')} FROM ${next} n
      WHERE NOT EXISTS (SELECT 1 FROM ${table.name} t WHERE t.review_id = $1 AND ${sameKey})`,
    [reviewId],
  );
  // Made in this transaction: a failure before here rolls it back with the rest.
  await tx.query(`DROP TABLE ${next}`);
}
