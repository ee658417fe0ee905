import { Link } from '../router.tsx';
import { useApi } from '../use-api.ts';

type Box = { key: string; words: string; reasonHidden: boolean } | { hidden: true } | null;

function BoxLine({ review, label, box, link }: { review: string; label: string; box: Box; link: boolean }) {
  if (box === null) return null;
  return (
    <li data-testid="prisma-box">
      {label}:{' '}
      {'hidden' in box ? (
        <span className="muted">not shown until blind screening lets you see this record’s outcome</span>
      ) : (
        <>
          {link ? (
            <Link to={`/reviews/${review}/prisma/box/${encodeURIComponent(box.key)}`}>{box.words}</Link>
          ) : (
            box.words
          )}
          {box.reasonHidden ? (
            <span className="muted"> (the reason is not shown: screening is blind)</span>
          ) : (
            ''
          )}
        </>
      )}
    </li>
  );
}

/**
 * The PRISMA 2020 boxes the record and its report count in, asked apart from the page (the server
 * derives the whole flow for it) and as blinding lets the viewer see them; a link to the box's list
 * for those who may open the PRISMA pages.
 */
export function RecordPrismaBox({ review, recordId }: { review: string; recordId: string }) {
  const { data, error } = useApi<{ record: Box; report: Box; canOpenBoxes: boolean }>(
    `/reviews/${review}/records/${recordId}/prisma-box`,
  );
  if (error)
    return <p className="muted">Where PRISMA counts this record could not be worked out just now.</p>;
  if (!data) return <p className="muted">Working out where PRISMA counts this record…</p>;
  if (data.record === null && data.report === null)
    return <p data-testid="prisma-box">PRISMA does not count this record yet (its search is not known).</p>;
  return (
    <ul className="record-prisma" aria-label="Counted in the PRISMA diagram">
      <BoxLine review={review} label="Counted in" box={data.record} link={data.canOpenBoxes} />
      <BoxLine review={review} label="Its report is counted in" box={data.report} link={data.canOpenBoxes} />
    </ul>
  );
}
