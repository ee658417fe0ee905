import type { Db, Review, Role } from '@winnow/core';
import {
  buildReport,
  ensureExtractionSettings,
  formatCitation,
  loadExportInput,
  renderReportDocx,
  renderReportHtml,
  type CitationSource,
  type ReferenceStyle,
  type ReportInput,
  type ReportPart,
} from '@winnow/extraction';
import {
  agreementFor,
  derivePrismaFlow,
  describeFlow,
  getStageConfig,
  loadPrismaInput,
  renderPrismaSvg,
  searchSummary,
  STAGES,
  type Stage,
} from '@winnow/screening';
import { renderPngOffThread } from './png-renderer.ts';

export type ReportFormat = 'docx' | 'html';

const STAGE_NAMES: Record<Stage, string> = {
  'title-abstract': 'title and abstract',
  'full-text': 'full text',
};
const PNG_WIDTH = 1600;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Everything the report shows, read from the review as it is now (counts derived, never stored). */
export async function loadReportInput(
  db: Db,
  review: Review,
  viewer: { id: string; roles: readonly Role[] },
  parts: ReadonlySet<ReportPart>,
): Promise<ReportInput> {
  const extraction = await loadExportInput(db, review.id);
  const { codersPerStudy } = await ensureExtractionSettings(db, review.id);
  const prisma = await loadPrismaInput(db, review.id);
  // Every report of each study, in the coding page's order (a quotation names "Report 2").
  const { rows: sources } = await db.query<{ id: string; data: CitationSource | null }>(
    `SELECT rp.study_id AS id, rc.data
       FROM reports rp JOIN records rc ON rc.id = rp.record_id
      WHERE rp.review_id = $1 AND rp.study_id IS NOT NULL
      ORDER BY rp.study_id, rp.created_at, rp.id`,
    [review.id],
  );
  const reportsOf = new Map<string, CitationSource[]>();
  for (const s of sources) if (s.data) reportsOf.set(s.id, [...(reportsOf.get(s.id) ?? []), s.data]);

  let flow: ReportInput['flow'];
  if (parts.has('flow')) {
    const counts = derivePrismaFlow(prisma).counts;
    const svg = renderPrismaSvg(counts, { title: `PRISMA 2020 flow diagram: ${review.title}` });
    const png = await renderPngOffThread(svg, PNG_WIDTH);
    flow = { png, ...pngSize(png), description: describeFlow(counts) };
  }

  const excludedReports = prisma.reports.filter((r) => r.assessment === 'excluded');
  const { rows: excludedData } = await db.query<{ id: string; data: CitationSource | null }>(
    `SELECT rp.id, rc.data FROM reports rp JOIN records rc ON rc.id = rp.record_id WHERE rp.review_id = $1 AND rp.id = ANY($2::uuid[])`,
    [review.id, excludedReports.map((r) => r.id)],
  );
  const excludedCitation = new Map(
    excludedData.map((r) => [r.id, (r.data && formatCitation(r.data)) || 'Untitled report']),
  );

  const agreement: ReportInput['methods']['agreement'] = [];
  const stages: string[] = [];
  let reviewersPerRecord = 0;
  let adjudicated = false;
  for (const stage of STAGES) {
    const { config } = await getStageConfig(db, review.id, stage);
    stages.push(STAGE_NAMES[stage]);
    reviewersPerRecord = Math.max(reviewersPerRecord, config.votesNeeded);
    adjudicated ||= config.votesNeeded > 1;
    // A lead reads every vote: no record is withheld from a lead by blinding.
    const a = await agreementFor(db, {
      reviewId: review.id,
      stage,
      viewerId: viewer.id,
      roles: viewer.roles,
    });
    if (a.overall.n > 0)
      agreement.push({
        stage: `Agreement at ${STAGE_NAMES[stage]}`,
        text: `${a.overall.n} records screened by two reviewers, ${Math.round((a.overall.percentAgreement ?? 0) * 100)}% agreement${a.overall.kappa !== null ? `, Cohen's kappa ${a.overall.kappa.toFixed(2)}` : ''}`,
      });
  }
  const { rows: cal } = await db.query<{ kappa: number | null }>(
    `SELECT (data->>'kappa')::float8 AS kappa FROM events WHERE review_id = $1 AND type = 'calibration.passed' ORDER BY id DESC LIMIT 1`,
    [review.id],
  );
  // Pilots the lead stopped before agreement reached the threshold, with where the pilot stood then
  // (logged with the stop; a stop logged before that was recorded says the threshold alone).
  const { rows: stoppedPilots } = await db.query<{
    stage: Stage;
    records: number;
    threshold: number;
    rule: string | null;
    kappa: number | null;
  }>(
    `SELECT c.stage, jsonb_array_length(c.record_ids)::int AS records, (c.config->>'threshold')::float8 AS threshold,
            c.config->>'rule' AS rule, (e.data->>'kappa')::float8 AS kappa
       FROM calibrations c
       LEFT JOIN events e ON e.review_id = c.review_id AND e.type = 'calibration.cancelled'
                         AND e.data->>'calibrationId' = c.id::text
      WHERE c.review_id = $1 AND c.status = 'cancelled'
      ORDER BY c.closed_at, c.id`,
    [review.id],
  );
  const { rows: stops } = await db.query<{ stage: string; method: string | null; n: number }>(
    `SELECT data->>'stage' AS stage, data->>'method' AS method, jsonb_array_length(COALESCE(data->'excludedRecordIds', '[]'::jsonb))::int AS n
       FROM events WHERE review_id = $1 AND type = 'automation.stopped' ORDER BY id DESC LIMIT 1`,
    [review.id],
  );
  const stop = stops[0];

  return {
    title: review.title,
    codebook: extraction.codebook,
    studies: extraction.studies.map((s, i) => ({
      studyId: s.studyId,
      number: s.number ?? i + 1,
      citation: s.citation,
      reports: reportsOf.get(s.studyId) ?? [],
    })),
    final: extraction.final,
    flow,
    searches: searchSummary(prisma).map((s) => ({
      source: s.source,
      platform: s.platform,
      date: s.date,
      strategy: s.strategy,
      limits: s.limits,
      records: s.recordsReported ?? s.recordsImported,
    })),
    methods: {
      stages,
      reviewersPerRecord,
      codersPerStudy,
      conflicts: adjudicated
        ? 'disagreements were resolved by a lead or adjudicator who had not screened the record'
        : 'a single vote decided each record',
      calibrationKappa: cal[0]?.kappa ?? null,
      calibrationStopped: stoppedPilots.map(
        (p) =>
          `A calibration pilot of ${p.records} records in ${STAGE_NAMES[p.stage]} screening was stopped before agreement reached the threshold (${
            p.kappa === null
              ? `threshold ${p.threshold.toFixed(2)}`
              : `${p.rule === 'pooled' ? 'pooled' : 'lowest pairwise'} kappa ${p.kappa.toFixed(2)} against ${p.threshold.toFixed(2)}`
          })`,
      ),
      agreement,
      stoppingRule: stop
        ? `${stop.method ?? 'a statistical stopping test'} at ${STAGE_NAMES[stop.stage as Stage] ?? stop.stage}, leaving ${stop.n} records unscreened`
        : null,
    },
    excluded: excludedReports.map((r) => ({
      citation: excludedCitation.get(r.id) ?? 'Untitled report',
      reason: r.exclusionReason ?? 'Reason not recorded',
    })),
  };
}

/** The report file: the document model built from the review, rendered as DOCX or HTML. */
export async function renderReviewReport(
  db: Db,
  review: Review,
  viewer: Parameters<typeof loadReportInput>[2],
  opts: { format: ReportFormat; parts: readonly ReportPart[]; style: ReferenceStyle },
): Promise<{ body: Buffer; mediaType: string; fileName: string }> {
  const input = await loadReportInput(db, review, viewer, new Set(opts.parts));
  const doc = buildReport(input, { parts: opts.parts, style: opts.style });
  if (opts.format === 'html')
    return {
      body: Buffer.from(renderReportHtml(doc), 'utf8'),
      mediaType: 'text/html; charset=utf-8',
      fileName: `${review.slug}-report.html`,
    };
  return {
    body: await renderReportDocx(doc),
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    fileName: `${review.slug}-report.docx`,
  };
}
