import type { Sql } from '../db/db.types.ts';

/**
 * Streams bytes `start`..`end` (inclusive) of a blob, reading only the chunks that hold them. Chunk
 * sizes are read from the chunk table (`octet_length` needs only each value's header, not its
 * data), since an upload's last flush before 1 MiB can leave a chunk a little over or under it.
 */
export async function* readBlobRange(
  db: Sql,
  id: string,
  start: number,
  end: number,
): AsyncGenerator<Buffer> {
  if (end < start) return;
  const { rows } = await db.query<{ seq: number; n: number | string }>(
    'SELECT seq, octet_length(data) AS n FROM blob_chunks WHERE blob_id = $1 ORDER BY seq',
    [id],
  );
  let offset = 0;
  for (const row of rows) {
    const size = Number(row.n);
    const chunkStart = offset;
    const chunkEnd = offset + size - 1;
    offset += size;
    if (chunkEnd < start) continue;
    if (chunkStart > end) return;
    const { rows: data } = await db.query<{ data: Uint8Array }>(
      'SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2',
      [id, row.seq],
    );
    const bytes = data[0]?.data;
    if (!bytes) return;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    yield buf.subarray(Math.max(0, start - chunkStart), Math.min(size, end - chunkStart + 1));
  }
}

/** The first `n` bytes of a blob (its header), without reading its first chunk whole. */
export async function readBlobHead(db: Sql, id: string, n = 1024): Promise<Buffer> {
  const { rows } = await db.query<{ head: Uint8Array }>(
    'SELECT substring(data from 1 for $2) AS head FROM blob_chunks WHERE blob_id = $1 AND seq = 0',
    [id, n],
  );
  const head = rows[0]?.head;
  return head ? Buffer.from(head) : Buffer.alloc(0);
}

export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A `Range: bytes=…` header against a file of `size` bytes (RFC 9110 §14.1.2): one range, or
 * `'whole'` when there is no usable header or it asks for several ranges (a server may answer those
 * with the whole file), or `'unsatisfiable'` (416) when it starts past the end.
 */
export function parseByteRange(
  header: string | undefined,
  size: number,
): ByteRange | 'whole' | 'unsatisfiable' {
  if (!header) return 'whole';
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return 'whole';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return 'whole';
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
