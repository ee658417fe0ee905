import { parseText } from '../parsers/parse-stream.ts';
import type { NormalisedRecord } from '../record.types.ts';

/**
 * The labelled EndNote XML dedup sets (caption `Duplicate` marks every member of a duplicate set,
 * the original included), read with the shared EndNote XML parser. For the accuracy test and the
 * benchmark.
 */
export interface LabelledRecord {
  id: string;
  /** 1-based position in the file. */
  index: number;
  labelledDuplicate: boolean;
  record: NormalisedRecord;
}

export async function readLabelledEndnote(xml: string): Promise<LabelledRecord[]> {
  const { records } = await parseText(xml, { format: 'endnote-xml' });
  return records.map(({ record, index }) => ({
    id: `r${index}`,
    index,
    labelledDuplicate: /<caption>(?:<style[^>]*>)?\s*Duplicate\s*(?:<\/style>)?<\/caption>/.test(record.raw),
    record,
  }));
}

/** The review's scoring rule (DESIGN.md, "Dedup scoring"), counting only automatic merges. */
export function scoreAgainstLabels(
  records: readonly LabelledRecord[],
  grouped: ReadonlySet<string>,
): { sensitivity: number; specificity: number; falseMerges: string[]; missed: string[] } {
  const dup = records.filter((r) => r.labelledDuplicate);
  const unique = records.filter((r) => !r.labelledDuplicate);
  const missed = dup.filter((r) => !grouped.has(r.id)).map((r) => r.id);
  const falseMerges = unique.filter((r) => grouped.has(r.id)).map((r) => r.id);
  return {
    sensitivity: 1 - missed.length / Math.max(1, dup.length),
    specificity: 1 - falseMerges.length / Math.max(1, unique.length),
    falseMerges,
    missed,
  };
}
