export * from './prisma.types.ts';
export { boxListing, derivePrismaFlow, KIND_KEY, REASON_NOT_RECORDED } from './prisma-flow.ts';
export { shortCitation } from './prisma-citation.ts';
export { checkFlowInvariants } from './prisma-invariants.ts';
export {
  toPrismaTemplateCsv,
  parsePrismaTemplateCsv,
  IN_PROGRESS_ROWS,
  type PrismaCsvIssue,
} from './prisma.csv.ts';
export { renderPrismaSvg, describeFlow, inProgressText, type PrismaSvgOptions } from './prisma.svg.ts';
export { renderPrismaPng } from './prisma.png.ts';
export {
  searchSummary,
  searchSummaryCsv,
  SEARCH_SUMMARY_COLUMNS,
  type SearchSummaryRow,
} from './prisma-s.ts';
export { sampleInput as samplePrismaInput } from './prisma.fixture.ts';
export {
  loadPrismaInput,
  setPrevious,
  markRecords,
  describeItems,
  describeWarnings,
  WARNING_ITEMS,
  RECORD_MARK_EVENTS,
  type RecordMark,
} from './prisma.repository.ts';
export { boxWords, boxForViewer, recordBoxKeys, stagesRevealedBy, type BoxView } from './record-box.ts';
export { recordPrismaBoxes } from './record-box.repository.ts';
