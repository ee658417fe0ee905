import { useState } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { Link } from '../router.tsx';
import { titleInSentence, type Study } from './extraction-types.ts';

/** "study 3, “Lean on wards”": how the lead's messages name a study (its first report's title). */
const named = (s: Pick<Study, 'number' | 'title'>) => `study ${s.number}, “${titleInSentence(s.title)}”`;

/**
 * A study's reports, each linking to its record, for the lead: a report of several can be
 * separated into a study of its own, and the study can be joined to another study (the reports
 * of one study found as separate records: a protocol and its results paper, say).
 */
export function StudyReports({
  review,
  study,
  studies,
  onChanged,
  note,
}: {
  review: string;
  study: Study;
  studies: readonly Study[];
  /** Said in the row of `studyId`, the study the lead will look for next (it may be far down a long list). */
  onChanged: (message: string, studyId: string) => void;
  /** What the last change said, in this study's row. */
  note?: string | null;
}) {
  const [into, setInto] = useState('');
  const [busy, setBusy] = useState(false);
  // A refusal is shown in the study's own row, where the lead clicked: the page's message sits
  // above a list that may be long, out of sight.
  const [refused, setRefused] = useState<string | null>(null);
  const act = async (f: () => Promise<[string, string]>) => {
    setBusy(true);
    setRefused(null);
    try {
      onChanged(...(await f()));
    } catch (e) {
      setRefused(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const join = () =>
    act(async () => {
      // Named as the list will show it (the answer says how): studies are numbered in order, so one
      // after the study joined moves up a number, and a study is named after its earliest report,
      // which may be the one just joined to it.
      const { study: target } = await api<{ study?: Study }>(
        'POST',
        `/reviews/${review}/extraction/studies/${study.id}/join`,
        { into },
      );
      setInto('');
      const before = studies.find((s) => s.id === into);
      const one = study.reports.length === 1;
      const moved = one
        ? `“${titleInSentence(study.title)}” is now a report of`
        : `The ${study.reports.length} reports of ${named(study)} are now reports of`;
      if (!target) return [`${moved} the study you chose.`, into];
      // Its own earliest report was the one joined: the row now bears that report's title.
      if (before && before.title !== target.title)
        return [
          `${moved} study ${target.number}, with “${titleInSentence(before.title)}”: a study is listed under its earliest report.`,
          into,
        ];
      return [`${moved} ${named(target)}.`, into];
    });
  const separate = (reportId: string, title: string) =>
    act(async () => {
      await api('POST', `/reviews/${review}/reports/${reportId}/study`, { separate: true });
      return [
        `“${titleInSentence(title)}” is now a study of its own, at the end of the list. Assign included studies to coders to give it coders.`,
        study.id,
      ];
    });
  const others = studies.filter((s) => s.id !== study.id);
  return (
    <div className="study-reports" data-study-reports={study.number}>
      {study.reports.length > 1 && (
        <ul aria-label={`Reports of ${named(study)}`}>
          {study.reports.map((r) => (
            <li key={r.id}>
              {r.recordId ? <Link to={`/reviews/${review}/records/${r.recordId}`}>{r.title}</Link> : r.title}{' '}
              <button type="button" disabled={busy} onClick={() => separate(r.id, r.title)}>
                Separate
              </button>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <span className="join-study">
          <select
            aria-label={`Same study as (for ${named(study)})`}
            value={into}
            onChange={(e) => {
              setInto(e.target.value);
              setRefused(null);
            }}
          >
            <option value="">Same study as…</option>
            {others.map((s) => (
              <option key={s.id} value={s.id}>
                {s.number}. {s.citation || s.label}
              </option>
            ))}
          </select>{' '}
          <button type="button" disabled={busy || !into} onClick={join}>
            Join
          </button>
        </span>
      )}
      {note && !refused && (
        <p className="notice" role="status">
          {note}
        </p>
      )}
      {refused && (
        <p className="error" role="alert">
          {refused}
        </p>
      )}
    </div>
  );
}
