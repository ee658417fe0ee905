import type { Retrieval } from './full-text.schema.ts';

/** A retrieval event for one report: attaching, recording a URL, or marking it not retrieved. */
export interface RetrievalEvent {
  seq: number;
  reportId: string;
  retrieval: Retrieval;
  /** A later event can withdraw an attachment (wrong file) without erasing the log. */
  withdrawn?: boolean;
}

export type RetrievalState = 'awaiting' | 'retrieved' | 'not-retrieved';

/**
 * A report's state from its events: the latest non-withdrawn event decides. A file or URL found
 * after a "not retrieved" mark makes the report retrieved again (and it leaves the PRISMA count).
 */
export function retrievalState(events: readonly RetrievalEvent[]): {
  state: RetrievalState;
  sources: Retrieval[];
} {
  const live = [...events].sort((a, b) => a.seq - b.seq);
  let state: RetrievalState = 'awaiting';
  const sources: Retrieval[] = [];
  for (const e of live) {
    if (e.withdrawn) continue;
    if (e.retrieval.kind === 'not-retrieved') state = 'not-retrieved';
    else {
      state = 'retrieved';
      sources.push(e.retrieval);
    }
  }
  if (state === 'not-retrieved') return { state, sources: [] };
  return { state, sources };
}

export interface ReportSummary {
  reportId: string;
  studyId: string | null;
  state: RetrievalState;
}

/** PRISMA 2020 full-text boxes: reports sought, not retrieved, and assessed (sought − not retrieved). */
export function fullTextCounts(reports: readonly ReportSummary[]): {
  sought: number;
  notRetrieved: number;
  assessable: number;
  awaiting: number;
} {
  const sought = reports.length;
  const notRetrieved = reports.filter((r) => r.state === 'not-retrieved').length;
  const awaiting = reports.filter((r) => r.state === 'awaiting').length;
  return { sought, notRetrieved, assessable: sought - notRetrieved - awaiting, awaiting };
}

/** Studies with their reports: one study can have several reports (PRISMA counts both). */
export function reportsByStudy(reports: readonly ReportSummary[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of reports) {
    if (!r.studyId) continue;
    const list = out.get(r.studyId) ?? [];
    list.push(r.reportId);
    out.set(r.studyId, list);
  }
  return out;
}
