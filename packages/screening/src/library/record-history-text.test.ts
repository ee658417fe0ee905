import { describe, expect, it } from 'vitest';
import { historyEventText } from './record-history-text.ts';

describe('historyEventText', () => {
  it('says what happened to a report’s full text in words, with the file or the reason', () => {
    expect(historyEventText('report.attached', { fileName: 'smith-2019.pdf' })).toBe(
      'Full text attached (smith-2019.pdf)',
    );
    expect(historyEventText('report.not-retrieved', { reason: 'Library could not supply it' })).toBe(
      'Marked as not retrieved (Library could not supply it)',
    );
    expect(historyEventText('report.url-recorded', { url: 'https://example.org/r.pdf' })).toBe(
      'Full text web address recorded',
    );
  });
  it('says a record left full text, or stayed there, when its title/abstract inclusion changed', () => {
    expect(historyEventText('record.withdrawn', { stage: 'full-text' })).toBe(
      'Taken back out of full-text assessment (its title/abstract inclusion no longer stands)',
    );
    expect(historyEventText('record.kept-in-full-text', {})).toMatch(/^Kept in full-text assessment/);
  });
  it('names tags and the file a record was imported from', () => {
    expect(historyEventText('record.tagged', { tag: 'background' })).toBe('Tagged “background”');
    expect(historyEventText('import.completed', { fileName: 'medline.ris' })).toBe(
      'Imported from medline.ris',
    );
    expect(historyEventText('import.completed', {})).toBe('Imported from a file');
  });
});

describe('historyEventText: every line in words', () => {
  it('says marks made for PRISMA in words, with their reason', () => {
    expect(historyEventText('record.removed-by-automation', { reason: 'Not English' })).toBe(
      'Removed before screening by an automation tool (Not English)',
    );
    expect(historyEventText('record.removed-other', {})).toBe('Removed before screening for another reason');
    expect(historyEventText('record.excluded-by-automation', {})).toBe('Excluded by an automation tool');
    expect(historyEventText('dedup.marked-distinct', {})).toBe(
      'Marked a different report from a possible duplicate',
    );
  });
  it('says a duplicate took over the screening from the page of the record it took over, not as this one', () => {
    const data = { fromRecordId: 'kept' };
    expect(historyEventText('dedup.inherited', data, { pageRecordId: 'dup', entityId: 'dup' })).toBe(
      'Took over the screening of a record it duplicates',
    );
    expect(historyEventText('dedup.inherited', data, { pageRecordId: 'kept', entityId: 'dup' })).toBe(
      'A duplicate of this record took over its screening',
    );
    expect(historyEventText('dedup.inherited', data, { pageRecordId: 'third', entityId: 'dup' })).toBe(
      'A duplicate took over the screening of another record of this report',
    );
  });
  it('says an event it does not know by its name in words, never with dots or hyphens', () => {
    const text = historyEventText('report.docx-made', {});
    expect(text).toBe('Report docx made');
    expect(text).not.toMatch(/[._-]/);
  });
});
