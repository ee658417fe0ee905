export interface PlannedAssignment {
  studyId: string;
  coderId: string;
}

/**
 * Gives each study `perStudy` distinct coders, least-loaded first so work spreads evenly; ties go
 * to the coder listed first. Existing assignments count towards load and are never duplicated,
 * so running the planner again after new studies arrive only adds what is missing.
 */
export function planCodingAssignments(
  studyIds: readonly string[],
  coderIds: readonly string[],
  perStudy: number,
  existing: readonly PlannedAssignment[],
): PlannedAssignment[] {
  const load = new Map(coderIds.map((c) => [c, 0]));
  const byStudy = new Map<string, Set<string>>();
  for (const a of existing) {
    if (load.has(a.coderId)) load.set(a.coderId, (load.get(a.coderId) ?? 0) + 1);
    (byStudy.get(a.studyId) ?? byStudy.set(a.studyId, new Set()).get(a.studyId)!).add(a.coderId);
  }
  const out: PlannedAssignment[] = [];
  for (const studyId of studyIds) {
    const have = byStudy.get(studyId) ?? new Set<string>();
    const missing = perStudy - have.size;
    if (missing <= 0) continue;
    const candidates = coderIds
      .filter((c) => !have.has(c))
      .map((c, i) => ({ c, i, load: load.get(c) ?? 0 }))
      .sort((a, b) => a.load - b.load || a.i - b.i)
      .slice(0, missing);
    for (const { c } of candidates) {
      out.push({ studyId, coderId: c });
      load.set(c, (load.get(c) ?? 0) + 1);
    }
  }
  return out;
}
