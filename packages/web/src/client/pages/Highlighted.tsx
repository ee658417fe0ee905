export interface Segment {
  text: string;
  kind: 'include' | 'exclude' | null;
}

/** Text with the stage's highlight terms marked (segments computed by the server). */
export function Highlighted({ segments, fallback }: { segments: Segment[]; fallback: string }) {
  if (segments.length === 0) return <>{fallback}</>;
  return (
    <>
      {segments.map((s, i) =>
        s.kind ? (
          <mark key={i} className={`hl-${s.kind}`}>
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
