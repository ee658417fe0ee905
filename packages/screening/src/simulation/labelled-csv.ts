import { parse } from 'csv-parse/sync';
import { WinnowError } from '@winnow/core';

export interface LabelledRecord {
  title: string;
  abstract: string;
  keywords: string;
  label: 0 | 1;
}

/**
 * Which column is the truth: `included` (label_included, the final decision; what REFERENCE.md
 * uses) or `title-abstract` (label_abstract_screening, the first-stage decision).
 */
export type SimulationStage = 'included' | 'title-abstract';

const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** Parses `title, abstract, label_included[, label_abstract_screening][, keywords]` CSV text. */
export function parseLabelledCsv(
  text: string,
  options: { file?: string; stage?: SimulationStage } = {},
): LabelledRecord[] {
  const file = options.file ?? 'input';
  const stage = options.stage ?? 'included';
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      relax_column_count: false,
    }) as string[][];
  } catch (e) {
    const err = e as { message: string; lines?: number; record?: number };
    throw new WinnowError('PARSE_ERROR', `${file}: ${err.message}`, {
      location: { file, ...(err.lines ? { line: err.lines } : {}) },
    });
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const labelName = stage === 'title-abstract' ? 'label_abstract_screening' : 'label_included';
  for (const required of ['title', 'abstract', labelName]) {
    if (col(required) < 0) {
      throw new WinnowError(
        'VALIDATION',
        `${file}: missing column "${required}" (header: ${header.join(', ')})`,
        { location: { file, row: 1, column: required } },
      );
    }
  }
  const [ti, ab, lb, kw] = [col('title'), col('abstract'), col(labelName), col('keywords')];
  const out: LabelledRecord[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const raw = (row[lb] ?? '').trim();
    const value = Number(raw);
    if (raw === '' || (value !== 0 && value !== 1)) {
      throw new WinnowError(
        'VALIDATION',
        `${file}: row ${r + 1} column ${labelName} must be 0 or 1, got "${raw}"`,
        {
          location: { file, row: r + 1, column: labelName },
        },
      );
    }
    out.push({
      title: row[ti] ?? '',
      abstract: row[ab] ?? '',
      keywords: kw >= 0 ? (row[kw] ?? '') : '',
      label: value as 0 | 1,
    });
  }
  return out;
}
