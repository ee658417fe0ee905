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
  it('names tags and the file a record was imported from', () => {
    expect(historyEventText('record.tagged', { tag: 'background' })).toBe('Tagged “background”');
    expect(historyEventText('import.completed', { fileName: 'medline.ris' })).toBe(
      'Imported from medline.ris',
    );
    expect(historyEventText('import.completed', {})).toBe('Imported from a file');
  });
});
