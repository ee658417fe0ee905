import type { NormalisedRecord, ParseDiagnostic, ParsedRecord } from '../record.types.ts';

const NUL = '\u0000';

/** `text` without NUL characters (a diagnostic may quote the line that held one). */
export function dropNul(text: string): string {
  return text.includes(NUL) ? text.replaceAll(NUL, '') : text;
}

/** A copy of `value` without NUL in any of its strings, adding `field` to `found` when it had one. */
function strip(value: unknown, field: string, found: Set<string>): unknown {
  if (typeof value === 'string') {
    const kept = dropNul(value);
    if (kept !== value) found.add(field);
    return kept;
  }
  if (Array.isArray(value)) return value.map((v) => strip(v, field, found));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = strip(v, field, found);
    return out;
  }
  return value;
}

/**
 * A record without NUL characters (U+0000), which no text column can hold: PostgreSQL refuses
 * the whole statement, so one such byte in an export failed its import. They carry nothing a
 * reviewer reads, so they are removed and the record kept, with a warning that says where. A field
 * is read out of the record's source text (`raw`), so a NUL in a field is in the source text too:
 * a record whose source text has none is returned as it is, at the cost of one scan of that text.
 */
export function withoutNul(r: ParsedRecord): { record: ParsedRecord; warning: ParseDiagnostic } | null {
  if (!r.record.raw.includes(NUL)) return null;
  const found = new Set<string>();
  const record: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.record)) record[k] = strip(v, k, found);
  found.delete('raw');
  const fields = [...found];
  // Counted in the source text: one NUL there can reach several fields (an author's name and its parts).
  const count = r.record.raw.split(NUL).length - 1;
  const chars = count === 1 ? 'a NUL character (byte 0x00)' : `${count} NUL characters (bytes 0x00)`;
  const where = fields.length ? `from ${fields.join(', ')}` : 'from its source text';
  const them = count === 1 ? 'it' : 'them';
  return {
    record: { ...r, record: record as unknown as NormalisedRecord },
    warning: {
      severity: 'warning',
      record: r.index,
      line: r.line,
      ...(fields[0] ? { field: fields[0] } : {}),
      message: `${chars} removed ${where} (the database cannot store ${them}); kept with warning`,
      damage: 'repaired',
    },
  };
}
