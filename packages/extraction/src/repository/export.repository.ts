import type { Db } from '@winnow/core';
import type { ExtractionExportInput } from '../export/extraction-tables.ts';
import type { CodedStudy } from '../export/wide.table.ts';
import { ensureExtractionSettings, listCodebookVersions } from './codebook.repository.ts';
import { listCurrentCodings } from './coding.repository.ts';
import { listCurrentConsensus } from './consensus.repository.ts';
import { listEmergent } from './emergent.repository.ts';
import { withProposedCodes } from '../coding/emergent.ts';
import { listStudies } from './study.repository.ts';

/**
 * Everything the extraction exports need. Final records are the consensus records; with one
 * coder per study a submitted coding is final by itself. Coder ids become names for readers.
 */
export async function loadExportInput(db: Db, reviewId: string): Promise<ExtractionExportInput> {
  const { codersPerStudy } = await ensureExtractionSettings(db, reviewId);
  // Codes proposed while coding and not yet decided are read with their labels, under their theme.
  const proposed = (await listEmergent(db, reviewId)).filter((c) => c.status === 'proposed');
  const versions = (await listCodebookVersions(db, reviewId)).map((b) => withProposedCodes(b, proposed));
  const codebook = versions.at(-1)!;
  const studies = await listStudies(db, reviewId);
  const { rows: users } = await db.query<{ id: string; name: string }>(
    `SELECT DISTINCT u.id, u.name FROM users u JOIN members m ON m.user_id = u.id WHERE m.review_id = $1`,
    [reviewId],
  );
  const name = new Map(users.map((u) => [u.id, u.name]));
  const codings: CodedStudy[] = (await listCurrentCodings(db, reviewId, { submittedOnly: true })).map(
    (c) => ({
      studyId: c.studyId,
      coderId: name.get(c.coderId) ?? c.coderId,
      codebookVersion: c.codebookVersion,
      values: c.values,
    }),
  );
  const consensus = await listCurrentConsensus(db, reviewId);
  const final: CodedStudy[] = consensus.map((c) => ({
    studyId: c.studyId,
    coderId: `consensus (${name.get(c.finalisedBy) ?? c.finalisedBy})`,
    codebookVersion: c.codebookVersion,
    values: c.values,
  }));
  if (codersPerStudy === 1) {
    const done = new Set(final.map((f) => f.studyId));
    for (const c of codings) if (!done.has(c.studyId)) final.push(c);
  }
  return {
    codebook,
    versions,
    studies: studies.map((s) => ({
      studyId: s.id,
      number: s.number,
      citation: s.citation,
      reportIds: s.reportIds,
    })),
    final,
    codings,
  };
}
