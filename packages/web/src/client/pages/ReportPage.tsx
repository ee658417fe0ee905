import { useState } from 'react';

const PARTS = [
  { key: 'flow', label: 'Flow of records', hint: 'the PRISMA 2020 diagram and the table of searches' },
  {
    key: 'methods',
    label: 'Methods',
    hint: 'stages, reviewers per record, conflicts, calibration, agreement and any stopping rule',
  },
  {
    key: 'profiles',
    label: 'Profile tables',
    hint: 'one table per category field, with numbered references',
  },
  { key: 'evidence', label: 'Evidence by theme', hint: 'quotations by study under each framework code' },
  { key: 'references', label: 'References', hint: 'every included study, numbered' },
  { key: 'excluded', label: 'Excluded reports', hint: 'reports excluded at full text, with the reason' },
] as const;

/** A lead chooses what goes into the review's report and downloads it as Word or HTML. */
export function ReportPage({ review }: { review: string }) {
  const [parts, setParts] = useState<Set<string>>(new Set(PARTS.map((p) => p.key)));
  const [format, setFormat] = useState<'docx' | 'html'>('docx');
  const [style, setStyle] = useState<'vancouver' | 'harvard'>('vancouver');
  const chosen = PARTS.filter((p) => parts.has(p.key)).map((p) => p.key);
  const href = `/api/reviews/${review}/report?format=${format}&style=${style}&parts=${chosen.join(',')}`;
  const toggle = (key: string) =>
    setParts((old) => {
      const next = new Set(old);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <main>
      <h1>Report</h1>
      <p>
        The review written up as one document your team can edit. Every number comes from the review as it is
        now, so download it again after more screening or coding.
      </p>
      <fieldset>
        <legend>What the report holds</legend>
        {PARTS.map((p) => (
          <div key={p.key}>
            <label>
              <input type="checkbox" checked={parts.has(p.key)} onChange={() => toggle(p.key)} /> {p.label}
            </label>{' '}
            <span className="muted">({p.hint})</span>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>File</legend>
        <label>
          <input type="radio" name="format" checked={format === 'docx'} onChange={() => setFormat('docx')} />{' '}
          Word document
        </label>{' '}
        <label>
          <input type="radio" name="format" checked={format === 'html'} onChange={() => setFormat('html')} />{' '}
          Web page (HTML)
        </label>
      </fieldset>
      <fieldset>
        <legend>Reference style</legend>
        <label>
          <input
            type="radio"
            name="style"
            checked={style === 'vancouver'}
            onChange={() => setStyle('vancouver')}
          />{' '}
          Vancouver
        </label>{' '}
        <label>
          <input
            type="radio"
            name="style"
            checked={style === 'harvard'}
            onChange={() => setStyle('harvard')}
          />{' '}
          Harvard
        </label>
      </fieldset>
      <p>
        {chosen.length === 0 ? (
          <span className="error">Choose at least one part to download.</span>
        ) : (
          <a className="button" href={href} download data-download="report">
            Download the report ({format === 'docx' ? 'Word' : 'HTML'})
          </a>
        )}
      </p>
    </main>
  );
}
