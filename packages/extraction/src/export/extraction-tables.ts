import { CATEGORICAL_TYPES, type Codebook } from '../codebook/codebook.types.ts';
import { longTable } from './long.table.ts';
import { profileTable, type ProfileOptions } from './profile.table.ts';
import type { ExportStudy, Table } from './table.types.ts';
import { wideTable, type CodedStudy, type WideOptions } from './wide.table.ts';

export type ExtractionTableKind = 'wide' | 'long' | 'profile';

export interface ExtractionExportInput {
  /** The codebook version the final (consensus) records use. */
  codebook: Codebook;
  /** Every version any coding uses (for long-table labels); the current one is enough if all are migrated. */
  versions?: Codebook[];
  studies: ExportStudy[];
  /** Final record per study: consensus, or the single coding when one coder is configured. */
  final: CodedStudy[];
  /** Individual codings, for the long table. */
  codings?: CodedStudy[];
}

export interface ExtractionExportOptions extends Partial<WideOptions> {
  tables?: ExtractionTableKind[];
  /** Profile tables to build; default: one per categorical field. */
  profiles?: ProfileOptions[];
  /** Long table: individual codings, the final records, or both. */
  longSource?: 'codings' | 'final' | 'both';
}

/**
 * Default profiles: one per categorical field, split academic vs grey when the codebook
 * has a top-level publication type (as Table 2 of the seed review does).
 */
export function defaultProfiles(book: Codebook): ProfileOptions[] {
  const split = book.fields.some((f) => f.key === 'publication_type' && f.type === 'single_choice');
  return book.fields
    .filter((f) => CATEGORICAL_TYPES.has(f.type))
    .map((f) =>
      split && f.key !== 'publication_type'
        ? { field: f.key, columnsBy: { field: 'publication_type', level: 'root' as const } }
        : { field: f.key },
    );
}

export function extractionTables(input: ExtractionExportInput, opts: ExtractionExportOptions = {}): Table[] {
  const kinds = opts.tables ?? ['wide', 'long', 'profile'];
  const out: Table[] = [];
  if (kinds.includes('wide'))
    out.push(wideTable(input.codebook, input.studies, input.final, { multi: opts.multi ?? 'binary' }));
  if (kinds.includes('long')) {
    const source = opts.longSource ?? 'both';
    const rows = [
      ...(source !== 'final' ? (input.codings ?? []) : []),
      ...(source !== 'codings' ? input.final : []),
    ];
    out.push(longTable([input.codebook, ...(input.versions ?? [])], input.studies, rows));
  }
  if (kinds.includes('profile'))
    for (const p of opts.profiles ?? defaultProfiles(input.codebook))
      out.push(profileTable(input.codebook, input.studies, input.final, p));
  return out;
}
