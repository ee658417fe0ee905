import { useState } from 'react';
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';
import { Link } from '../router.tsx';

export interface Decided {
  id: string;
  title: string;
  vote: 'include' | 'exclude';
  reason: string | undefined;
  note?: string | undefined;
}

export interface ConflictVote {
  reviewerName: string;
  vote: string;
  reasons: string[];
  note?: string;
}

interface ConflictVotes {
  conflict: {
    recordId: string;
    votesHidden: boolean;
    votes: ConflictVote[];
  };
}

const VOTE_WORDS: Record<string, string> = { include: 'Include', exclude: 'Exclude', maybe: 'Maybe' };

/** The reviewers' votes on a conflict, each in words: vote, reasons by label, note. */
export function ConflictVoteList({
  votes,
  reasonLabel,
}: {
  votes: readonly ConflictVote[];
  reasonLabel: (code: string) => string;
}) {
  return (
    <ul className="conflict-votes" aria-label="The reviewers’ votes">
      {votes.map((v) => (
        <li key={v.reviewerName}>
          {v.reviewerName}: <strong>{VOTE_WORDS[v.vote] ?? v.vote}</strong>
          {v.reasons.length > 0 ? `: ${v.reasons.map(reasonLabel).join('; ')}` : ''}
          {v.note ? ` (note: ${v.note})` : ''}
        </li>
      ))}
    </ul>
  );
}

/**
 * A conflict the adjudicator has just decided: their decision and, fetched from the server (which
 * sends the votes only to those who have decided or lead the review), both reviewers' votes with
 * their reasons and notes.
 */
export function DecidedConflict({
  review,
  decided,
  reasonLabel,
  reasons,
  onChanged,
}: {
  review: string;
  decided: Decided;
  reasonLabel: (code: string) => string;
  /** The stage's exclusion reasons to pick from when changing to exclude. */
  reasons: readonly { code: string; label: string }[];
  onChanged: (now: Decided) => void;
}) {
  const { data, error } = useApi<ConflictVotes>(`/reviews/${review}/conflicts/${decided.id}`);
  const [changing, setChanging] = useState(false);
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const other = decided.vote === 'include' ? 'exclude' : 'include';
  const change = async () => {
    setSending(true);
    setRefused(null);
    try {
      await api('POST', `/reviews/${review}/conflicts/${decided.id}/change`, {
        vote: other,
        ...(other === 'exclude' && reason ? { reasons: [reason] } : {}),
      });
      setChanging(false);
      onChanged({ ...decided, vote: other, reason: other === 'exclude' && reason ? reason : undefined });
    } catch (e) {
      setRefused(errorText(e));
    } finally {
      setSending(false);
    }
  };
  return (
    <section className="card conflict decided" data-testid="decided-conflict" data-conflict-id={decided.id}>
      <h3 style={{ marginTop: 0 }}>{decided.title}</h3>
      <p>
        You decided: <strong>{VOTE_WORDS[decided.vote]}</strong>
        {decided.reason ? `: ${reasonLabel(decided.reason)}` : ''}
        {decided.note ? ` (note: ${decided.note})` : ''}
      </p>
      {error && <p className="error">{errorText(error)}</p>}
      {!data && !error && <p className="muted">Loading the reviewers’ votes…</p>}
      {data?.conflict.votesHidden && <p className="muted">The reviewers’ votes are not shown to you.</p>}
      {data && !data.conflict.votesHidden && (
        <ConflictVoteList votes={data.conflict.votes} reasonLabel={reasonLabel} />
      )}
      {data && (
        <p>
          <Link to={`/reviews/${review}/records/${data.conflict.recordId}`}>Whole record and history</Link>
        </p>
      )}
      {/* A slip of I for E is mended here: the record follows the decision as it now stands. */}
      {changing ? (
        <div className="vote-buttons" role="group" aria-label="Change your decision">
          {other === 'exclude' && reasons.length > 0 && (
            <select aria-label="Exclusion reason" value={reason} onChange={(e) => setReason(e.target.value)}>
              <option value="">reason…</option>
              {reasons.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
          <button type="button" disabled={sending} onClick={() => void change()}>
            {other === 'include' ? 'Include instead' : 'Exclude instead'}
          </button>
          <button type="button" onClick={() => setChanging(false)}>
            Keep my decision
          </button>
        </div>
      ) : (
        <p>
          <button type="button" onClick={() => setChanging(true)}>
            Change my decision
          </button>
        </p>
      )}
      {refused && (
        <p className="error" role="alert">
          {refused}
        </p>
      )}
    </section>
  );
}
