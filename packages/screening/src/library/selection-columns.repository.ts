import type { Sql } from '@winnow/core';
import { getStageConfigs, type StoredStageConfig } from '../stages/stage-config.repository.ts';
import { STAGES, type Stage } from '../stages/stage.types.ts';
import { duplicateSql, stageStatesOf, type RelationOptions } from './library-relation.ts';
import type { DuplicateStatus, LibraryViewer, RecordState } from './records-library.repository.ts';
import { reasonLabeller } from './reason-labels.ts';
import { DUPLICATE_STATUS_WORDS, RECORD_STATE_WORDS } from './record-words.ts';

/** What an exported selection says of each record beside its bibliographic fields. */
export interface SelectionColumns {
  /** Per stage: the state as the viewer may know it, and the exclusion reasons' labels where it is excluded. */
  stages: Record<Stage, { state: RecordState; reasons: string[] }>;
  duplicate: DuplicateStatus;
  source: string;
  tags: string[];
}

/** The CSV columns `selectionCells` fills, after the record's own. */
export const SELECTION_HEADERS = [
  'Title/abstract screening',
  'Title/abstract exclusion reasons',
  'Full-text screening',
  'Full-text exclusion reasons',
  'Duplicates',
  'Source',
  'Tags',
];

/** A record's selection columns as the cells under SELECTION_HEADERS, in words. */
export function selectionCells(c: SelectionColumns): string[] {
  return [
    ...STAGES.flatMap((s) => [RECORD_STATE_WORDS[c.stages[s].state], c.stages[s].reasons.join('; ')]),
    DUPLICATE_STATUS_WORDS[c.duplicate],
    c.source,
    c.tags.join('; '),
  ];
}

/**
 * Each record's state at both stages, exclusion reasons, duplicate status, source and tags, as the
 * Records page shows them to this viewer: blinding hides in an export what it hides on the page
 * (the same state rules, library-relation.ts). For `ids` of the viewer's review only.
 */
export async function selectionColumns(
  db: Sql,
  viewer: LibraryViewer,
  ids: readonly string[],
  /** Both stages' configs when the caller has read them already (getStageConfigs). */
  stageConfigs?: readonly StoredStageConfig[],
): Promise<Map<string, SelectionColumns>> {
  const configs = stageConfigs ?? (await getStageConfigs(db, viewer.reviewId));
  const options: RelationOptions = {
    blind: { 'title-abstract': configs[0]!.config.blind, 'full-text': configs[1]!.config.blind },
    lead: viewer.roles.includes('lead'),
    adjudicator: viewer.roles.includes('adjudicator'),
    search: false,
    stage: 'title-abstract',
  };
  const chosen = 'FROM library_records r WHERE r.review_id = $1 AND r.record_id = ANY($3::uuid[])';
  const { rows } = await db.query<{
    id: string;
    ta_state: RecordState;
    ta_reasons: string[];
    ft_state: RecordState;
    ft_reasons: string[];
    duplicate: DuplicateStatus;
    source: string;
    tags: string[];
  }>(
    `SELECT l.record_id AS id, ta.ta_state, ta.ta_reasons, ft.ft_state, ft.ft_reasons,
            ${duplicateSql('l')} AS duplicate,
            coalesce(se.source_name, i.file_name) AS source,
            ARRAY(SELECT t.name FROM record_tags t WHERE t.record_id = l.record_id ORDER BY t.name) AS tags
       FROM library_records l
       JOIN (${stageStatesOf(options, 'title-abstract', chosen)}) ta ON ta.record_id = l.record_id
       JOIN (${stageStatesOf(options, 'full-text', chosen)}) ft ON ft.record_id = l.record_id
       JOIN imports i ON i.id = l.import_id
       LEFT JOIN searches se ON se.id = i.search_id
      WHERE l.review_id = $1 AND l.record_id = ANY($3::uuid[])`,
    [viewer.reviewId, viewer.userId, ids],
  );
  const labelOf = reasonLabeller(configs.map((c) => c.config));
  const stageOf = (stage: Stage, state: RecordState, reasons: string[]) => ({
    state,
    reasons: state === 'excluded' ? reasons.map((code) => labelOf(stage, code)) : [],
  });
  return new Map(
    rows.map((r) => [
      r.id,
      {
        stages: {
          'title-abstract': stageOf('title-abstract', r.ta_state, r.ta_reasons),
          'full-text': stageOf('full-text', r.ft_state, r.ft_reasons),
        },
        duplicate: r.duplicate,
        source: r.source,
        tags: r.tags,
      },
    ]),
  );
}
