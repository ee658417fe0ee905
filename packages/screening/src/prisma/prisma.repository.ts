import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { retrievalSchema } from '../fulltext/full-text.schema.ts';
import { retrievalState, type RetrievalEvent } from '../fulltext/report-retrieval.ts';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import { boxListing, KIND_KEY, reportOfOwnStudy } from './prisma-flow.ts';
import { shortCitation } from './prisma-citation.ts';
import type {
  PreviousVersion,
  PrismaFlow,
  PrismaInput,
  PrismaWarningItem,
  PrismaRecord,
  PrismaReport,
  PrismaSearch,
  ScreeningOutcome,
  SourceKind,
} from './prisma.types.ts';

/**
 * Events this module reads (and, for the first three, writes through `markRecords` and `setPrevious`):
 * - `record.removed-by-automation` / `record.removed-other` (entity record, data.reason): removed before
 *   screening; `record.excluded-by-automation`: excluded at title/abstract by a tool;
 * - `automation.stopped` (data.excludedRecordIds or data.recordIds): the records a stopping rule left
 *   unscreened, counted as excluded by automation tools;
 * - `prisma.previous-set` (entity review, data {studies, reports, studyIds?}): the previous version of an
 *   updated review; the latest event wins.
 */
export const RECORD_MARK_EVENTS = {
  'removed-by-automation': 'record.removed-by-automation',
  'removed-other': 'record.removed-other',
  'excluded-by-automation': 'record.excluded-by-automation',
} as const;
export type RecordMark = keyof typeof RECORD_MARK_EVENTS;

interface StageRow {
  status: string;
  outcome: { status?: string; to?: string; reasons?: string[]; by?: string } | null;
}

/**
 * Builds the derivation input of one review from its tables and event log. With `recordId`, the same
 * facts of that one record only (its search, its marks, its title/abstract outcome, its report with
 * its retrieval and full-text outcome): every box a record or its report counts in depends on these
 * alone, so the record page can place one record without reading the whole review.
 */
export async function loadPrismaInput(db: Sql, reviewId: string, recordId?: string): Promise<PrismaInput> {
  const { rows: searchRows } = await db.query<{
    id: string;
    source: string;
    kind: SourceKind;
    platform: string | null;
    date: Date | string | null;
    strategy: string | null;
    limits: string | null;
    recordsReported: number | null;
  }>(
    `SELECT id, source_name AS source, source_kind AS kind, platform, searched_on AS date, strategy, limits,
            records_reported AS "recordsReported"
     FROM searches s WHERE review_id = $1
       -- A search is made with its upload; one whose every upload failed identified nothing the
       -- review holds (its file could not be read), so it is not reported until one is read.
       AND EXISTS (SELECT 1 FROM imports i WHERE i.search_id = s.id AND i.status <> 'failed')
     ORDER BY searched_on NULLS LAST, created_at, id`,
    [reviewId],
  );
  const searches: PrismaSearch[] = searchRows.map((s) => ({
    id: s.id,
    source: s.source,
    kind: s.kind,
    platform: s.platform ?? undefined,
    date: s.date ? isoDate(s.date) : undefined,
    strategy: s.strategy ?? undefined,
    limits: s.limits ?? undefined,
    recordsReported: s.recordsReported ?? undefined,
  }));
  // An import with no search still identified records: it stands for its own (database) search.
  const { rows: loose } = await db.query<{ id: string; fileName: string }>(
    `SELECT id, file_name AS "fileName" FROM imports
     WHERE review_id = $1 AND search_id IS NULL AND status <> 'failed' ORDER BY created_at, id`,
    [reviewId],
  );
  for (const i of loose) searches.push({ id: `import:${i.id}`, source: i.fileName, kind: 'database' });

  const marks = await recordMarks(db, reviewId, recordId);
  const { rows: recordRows } = await db.query<{
    id: string;
    searchId: string;
    duplicateOf: string | null;
    ta: StageRow['status'] | null;
    taOutcome: StageRow['outcome'];
  }>(
    `SELECT r.id, COALESCE(i.search_id::text, 'import:' || i.id::text) AS "searchId", r.duplicate_of AS "duplicateOf",
            ta.status AS ta, ta.outcome AS "taOutcome"
     FROM records r JOIN imports i ON i.id = r.import_id
     LEFT JOIN stage_records ta ON ta.record_id = r.id AND ta.stage = 'title-abstract'
     WHERE r.review_id = $1 AND i.status <> 'failed' ${recordId === undefined ? '' : 'AND r.id = $2'}
     ORDER BY i.created_at, i.id, r.source_index`,
    recordId === undefined ? [reviewId] : [reviewId, recordId],
  );
  const records: PrismaRecord[] = recordRows.map((r) => {
    const mark = marks.get(r.id);
    let screening: ScreeningOutcome | null = null;
    if (r.ta === 'advanced') screening = 'included';
    else if (r.ta === 'excluded')
      screening = r.taOutcome?.by === 'automation' ? 'excluded_automation' : 'excluded_human';
    // A tool's exclusion stands only while no human decision has settled the record.
    if (mark?.excludedByAutomation && screening === null) screening = 'excluded_automation';
    return {
      id: r.id,
      searchId: r.searchId,
      duplicateOf: r.duplicateOf,
      removedByAutomation: mark?.removedByAutomation ?? false,
      removedOtherReason: mark?.removedOther ?? null,
      screening,
    };
  });

  const retrievals = await loadRetrievals(db, reviewId, recordId);
  const { rows: reportRows } = await db.query<{
    id: string;
    recordId: string | null;
    studyId: string | null;
    ft: string | null;
    ftOutcome: StageRow['outcome'];
  }>(
    `SELECT p.id, p.record_id AS "recordId", p.study_id AS "studyId", ft.status AS ft, ft.outcome AS "ftOutcome"
     FROM reports p LEFT JOIN stage_records ft ON ft.record_id = p.record_id AND ft.stage = 'full-text'
     WHERE p.review_id = $1 ${recordId === undefined ? '' : 'AND p.record_id = $2'} ORDER BY p.created_at, p.id`,
    recordId === undefined ? [reviewId] : [reviewId, recordId],
  );
  // Votes store reason codes; the diagram shows the team's labels for them.
  const { config: fullText } = await getStageConfig(db, reviewId, 'full-text');
  const label = new Map(fullText.exclusionReasons.map((r) => [r.code, r.label]));
  const reports: PrismaReport[] = reportRows.map((p) => {
    const state = retrievalState(retrievals.get(p.id) ?? []).state;
    const assessment = p.ft === 'advanced' ? 'included' : p.ft === 'excluded' ? 'excluded' : null;
    return {
      id: p.id,
      recordId: p.recordId ?? '',
      retrieved: state === 'retrieved' ? true : state === 'not-retrieved' ? false : null,
      assessment,
      exclusionReason:
        assessment === 'excluded' && p.ftOutcome?.reasons?.[0]
          ? (label.get(p.ftOutcome.reasons[0]) ?? p.ftOutcome.reasons[0])
          : null,
      studyId: p.studyId,
    };
  });
  // The previous version changes the totals only, never the box a record counts in.
  const previous = recordId === undefined ? await loadPrevious(db, reviewId) : undefined;
  return { searches, records, reports, previous };
}

function isoDate(d: Date | string): string {
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

async function recordMarks(
  db: Sql,
  reviewId: string,
  recordId: string | undefined,
): Promise<
  Map<string, { removedByAutomation?: boolean; removedOther?: string; excludedByAutomation?: boolean }>
> {
  const types = [...Object.values(RECORD_MARK_EVENTS), 'automation.stopped'];
  // One record: its own mark events by the entity index, and the (few) stopping rules' events.
  const { rows } = await db.query<{ type: string; entityId: string; data: Record<string, unknown> }>(
    recordId === undefined
      ? `SELECT type, entity_id AS "entityId", data FROM events
          WHERE review_id = $1 AND type = ANY($2::text[]) ORDER BY id`
      : `SELECT type, entity_id AS "entityId", data FROM events
          WHERE review_id = $1 AND type = ANY($2::text[])
            AND ((entity_type = 'record' AND entity_id = $3) OR type = 'automation.stopped') ORDER BY id`,
    recordId === undefined ? [reviewId, types] : [reviewId, types, recordId],
  );
  const out = new Map<
    string,
    { removedByAutomation?: boolean; removedOther?: string; excludedByAutomation?: boolean }
  >();
  const at = (id: string) => {
    let m = out.get(id);
    if (!m) out.set(id, (m = {}));
    return m;
  };
  for (const e of rows) {
    if (e.type === 'automation.stopped') {
      // A stop at full text excludes reports, not records: the full-text outcome already says so.
      if (e.data['stage'] !== undefined && e.data['stage'] !== 'title-abstract') continue;
      const ids = (e.data['excludedRecordIds'] ?? e.data['recordIds']) as unknown;
      if (Array.isArray(ids))
        for (const id of ids) if (typeof id === 'string') at(id).excludedByAutomation = true;
    } else if (e.type === RECORD_MARK_EVENTS['removed-by-automation'])
      at(e.entityId).removedByAutomation = true;
    else if (e.type === RECORD_MARK_EVENTS['removed-other'])
      at(e.entityId).removedOther = String(e.data['reason'] ?? 'other reason');
    else at(e.entityId).excludedByAutomation = true;
  }
  return out;
}

async function loadRetrievals(
  db: Sql,
  reviewId: string,
  recordId: string | undefined,
): Promise<Map<string, RetrievalEvent[]>> {
  const { rows } = await db.query<{
    seq: number;
    reportId: string;
    kind: string;
    detail: Record<string, unknown>;
    withdraws: number | null;
  }>(
    recordId === undefined
      ? `SELECT id AS seq, report_id AS "reportId", kind, detail, withdraws FROM report_retrievals
          WHERE review_id = $1 ORDER BY id`
      : `SELECT id AS seq, report_id AS "reportId", kind, detail, withdraws FROM report_retrievals
          WHERE review_id = $1 AND report_id = (SELECT p.id FROM reports p WHERE p.record_id = $2) ORDER BY id`,
    recordId === undefined ? [reviewId] : [reviewId, recordId],
  );
  const withdrawn = new Set(rows.filter((e) => e.withdraws !== null).map((e) => Number(e.withdraws)));
  const out = new Map<string, RetrievalEvent[]>();
  for (const e of rows) {
    if (e.withdraws !== null) continue;
    const parsed = retrievalSchema.safeParse({ kind: e.kind, ...e.detail });
    if (!parsed.success) continue;
    const list = out.get(e.reportId) ?? [];
    list.push({
      seq: Number(e.seq),
      reportId: e.reportId,
      retrieval: parsed.data,
      withdrawn: withdrawn.has(Number(e.seq)),
    });
    out.set(e.reportId, list);
  }
  return out;
}

async function loadPrevious(db: Sql, reviewId: string): Promise<PreviousVersion | undefined> {
  const { rows } = await db.query<{ data: Record<string, unknown> }>(
    `SELECT data FROM events WHERE review_id = $1 AND type = 'prisma.previous-set' ORDER BY id DESC LIMIT 1`,
    [reviewId],
  );
  const d = rows[0]?.data;
  if (!d || d['cleared']) return undefined;
  return {
    studies: Number(d['studies'] ?? 0),
    reports: Number(d['reports'] ?? 0),
    studyIds: Array.isArray(d['studyIds']) ? (d['studyIds'] as string[]) : undefined,
  };
}

/** Records the previous version of an updated review (null clears it), as an event. */
export async function setPrevious(
  db: Db,
  input: { reviewId: string; previous: PreviousVersion | null; actorId: string },
): Promise<void> {
  await db.transaction((tx) =>
    appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'prisma.previous-set',
      actorId: input.actorId,
      entityType: 'review',
      entityId: input.reviewId,
      data: input.previous ? { ...input.previous } : { cleared: true },
    }),
  );
}

/** Marks records removed before screening (by automation or another reason) or excluded by a tool. */
export async function markRecords(
  db: Db,
  input: {
    reviewId: string;
    recordIds: string[];
    mark: RecordMark;
    reason?: string | undefined;
    actorId: string;
  },
): Promise<{ marked: number }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM records WHERE review_id = $1 AND id = ANY($2::uuid[])`,
      [input.reviewId, input.recordIds],
    );
    const found = new Set(rows.map((r) => r.id));
    const missing = input.recordIds.filter((id) => !found.has(id));
    if (missing.length > 0)
      throw new WinnowError('NOT_FOUND', `No record(s) ${missing.slice(0, 5).join(', ')} in this review`, {
        location: { field: 'recordIds' },
      });
    let marked = 0;
    for (const id of input.recordIds) {
      const e = await appendEvent(tx, {
        reviewId: input.reviewId,
        type: RECORD_MARK_EVENTS[input.mark],
        actorId: input.actorId,
        entityType: 'record',
        entityId: id,
        data: { reason: input.reason ?? null },
        idempotencyKey: `prisma:${input.mark}:${id}`,
      });
      if (e) marked++;
    }
    return { marked };
  });
}

/**
 * Titles of the records, reports or studies behind a box, each with the record whose page tells
 * its history (a report's record; a study's first report's record). A report not yet linked to a
 * study counts as a study of its own: it is named by its report, or the list would read "Untitled
 * study" once per included report with nothing to open.
 */
export async function describeItems(
  db: Sql,
  reviewId: string,
  ids: string[],
): Promise<{ id: string; kind: 'record' | 'report' | 'study'; title: string; recordId: string | null }[]> {
  const uuids = ids.map((id) => reportOfOwnStudy(id) ?? id).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  type Row = { id: string; kind: 'record' | 'report' | 'study'; title: string; recordId: string | null };
  const { rows } = await db.query<Row>(
    `SELECT id::text, 'record' AS kind, title, id::text AS "recordId" FROM records WHERE review_id = $1 AND id = ANY($2::uuid[])
     UNION ALL SELECT p.id::text, 'report', COALESCE(NULLIF(p.title, ''), r.title, ''), p.record_id::text
       FROM reports p LEFT JOIN records r ON r.id = p.record_id WHERE p.review_id = $1 AND p.id = ANY($2::uuid[])
     UNION ALL SELECT s.id::text, 'study', s.label,
            (SELECT p.record_id::text FROM reports p WHERE p.study_id = s.id ORDER BY p.created_at, p.id LIMIT 1)
       FROM studies s WHERE s.review_id = $1 AND s.id = ANY($2::uuid[])`,
    [reviewId, uuids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const own = byId.get(reportOfOwnStudy(id) ?? '');
    if (own?.kind === 'report')
      return { id, kind: 'study' as const, title: own.title, recordId: own.recordId };
    return byId.get(id) ?? { id, kind: 'study' as const, title: '', recordId: null };
  });
}

/** How many of a warning's ids are named by citation (the rest are counted). */
export const WARNING_ITEMS = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names the first `WARNING_ITEMS` ids of each warning as people name them: records and reports by
 * short citation (first author, year, title; a report by its record's), studies by label, searches by
 * source, each with the box whose list shows it, so the page can link there.
 */
export async function describeWarnings(
  db: Sql,
  reviewId: string,
  flow: PrismaFlow,
  searches: readonly PrismaSearch[],
): Promise<PrismaFlow> {
  if (!flow.warnings.some((w) => w.ids.length > 0)) return flow;
  const wanted = (kind: string): string[] => [
    ...new Set(flow.warnings.filter((w) => w.idKind === kind).flatMap((w) => w.ids.slice(0, WARNING_ITEMS))),
  ];
  const uuids = (kind: string): string[] => wanted(kind).filter((id) => UUID.test(id));
  const citation = new Map<string, string>();
  type Row = { id: string; title: string | null; year: number | null; authors: unknown };
  const cite = (r: Row): string =>
    shortCitation({
      title: r.title,
      year: r.year,
      authors: Array.isArray(r.authors) ? (r.authors as { family?: string; given?: string }[]) : [],
    });
  const records = uuids('record');
  if (records.length > 0) {
    const { rows } = await db.query<Row>(
      `SELECT id::text, title, year, data->'authors' AS authors FROM records
       WHERE review_id = $1 AND id = ANY($2::uuid[])`,
      [reviewId, records],
    );
    for (const r of rows) citation.set(r.id, cite(r));
  }
  const reports = uuids('report');
  if (reports.length > 0) {
    const { rows } = await db.query<Row>(
      `SELECT p.id::text, COALESCE(NULLIF(r.title, ''), p.title) AS title, r.year, r.data->'authors' AS authors
       FROM reports p LEFT JOIN records r ON r.id = p.record_id
       WHERE p.review_id = $1 AND p.id = ANY($2::uuid[])`,
      [reviewId, reports],
    );
    for (const r of rows) citation.set(r.id, cite(r));
  }
  const studies = uuids('study');
  if (studies.length > 0) {
    const { rows } = await db.query<{ id: string; label: string }>(
      `SELECT id::text, label FROM studies WHERE review_id = $1 AND id = ANY($2::uuid[])`,
      [reviewId, studies],
    );
    for (const r of rows) citation.set(r.id, r.label);
  }
  const searchById = new Map(searches.map((s) => [s.id, s]));
  const listing = boxListing(flow.ids);
  const warnings = flow.warnings.map((w) => {
    const items: PrismaWarningItem[] = w.ids.slice(0, WARNING_ITEMS).map((id) => {
      if (w.idKind === 'search') {
        const s = searchById.get(id);
        return {
          id,
          kind: 'search',
          citation: s?.source ?? 'Unknown search',
          box: s ? `${KIND_KEY[s.kind]}:${s.source}` : null,
        };
      }
      const fallback = w.idKind === 'study' ? 'Unnamed study' : `Unknown ${w.idKind}`;
      return { id, kind: w.idKind, citation: citation.get(id) ?? fallback, box: listing(id) };
    });
    return { ...w, items };
  });
  return { ...flow, warnings };
}
