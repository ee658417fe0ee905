import { describe, expect, it } from 'vitest';
import { JOB_CATALOG } from '../app/job-catalog.ts';
import { JOB_LABELS } from './job-words.ts';

describe('job words', () => {
  it('has a label for every job Winnow runs, so the dashboard never shows a job name', () => {
    const names = JOB_CATALOG.map((j) => j.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(JOB_LABELS[name], name).toBeTruthy();
  });
});
