import { describe, expect, it } from 'vitest';
import { checkUpload, retrievalSchema, safeFileName } from './full-text.schema.ts';
import { fullTextCounts, reportsByStudy, retrievalState, type RetrievalEvent } from './report-retrieval.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const sha = 'a'.repeat(64);

describe('checkUpload', () => {
  it('accepts a file that starts with a PDF header and records it as application/pdf', () => {
    expect(checkUpload({ fileName: 'paper.pdf', sizeBytes: 10, head: bytes('%PDF-1.7\n') })).toEqual({
      fileName: 'paper.pdf',
      mediaType: 'application/pdf',
    });
    expect(
      checkUpload({ fileName: 'scan', sizeBytes: 10, head: bytes('\ufeff\r\n%PDF-1.4') }).mediaType,
    ).toBe('application/pdf');
  });

  it('refuses %PDF- anywhere but the start: the script "PDF" of issue 21 and junk before the header', () => {
    for (const head of ['//%PDF-1.4\nfetch("/api/reviews")', '\r\n junk %PDF-1.4', '<html>%PDF-1.4']) {
      expect(() => checkUpload({ fileName: 'paper.pdf', sizeBytes: 40, head: bytes(head) })).toThrow(
        /paper\.pdf is not a PDF\. Only PDF files can be attached/,
      );
    }
  });

  it('refuses HTML, SVG and every other type whatever it is called, an oversized and an empty file', () => {
    for (const [fileName, head] of [
      ['page.html', '<!doctype html><script>alert(1)</script>'],
      ['image.svg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
      ['notes.txt', 'plain text'],
      ['report.docx', 'PK\u0003\u0004'],
    ] as const) {
      expect(() => checkUpload({ fileName, sizeBytes: 40, head: bytes(head) })).toThrow(/is not a PDF/);
    }
    expect(() => checkUpload({ fileName: 'big.pdf', sizeBytes: 101, head: bytes('%PDF-') }, 100)).toThrow(
      /big\.pdf is 101 bytes; the limit is 100/,
    );
    expect(() => checkUpload({ fileName: 'e.pdf', sizeBytes: 0, head: bytes('') })).toThrow(/empty/);
  });

  it('strips paths and control characters from names', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\a"b.pdf')).toBe('a_b.pdf');
    expect(safeFileName('...')).toBe('attachment');
    expect(safeFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(safeFileName('report\u202Efdp.exe')).toBe('report_fdp.exe');
  });
});

describe('retrieval', () => {
  it('validates the three kinds of retrieval', () => {
    expect(retrievalSchema.safeParse({ kind: 'url', url: 'https://doi.org/10.1/x' }).success).toBe(true);
    expect(retrievalSchema.safeParse({ kind: 'url', url: 'javascript:alert(1)' }).success).toBe(false);
    expect(retrievalSchema.safeParse({ kind: 'not-retrieved', reason: '' }).success).toBe(false);
    expect(
      retrievalSchema.safeParse({
        kind: 'file',
        fileName: 'a.pdf',
        mediaType: 'application/pdf',
        sizeBytes: 3,
        sha256: sha,
        blobId: '5f0c7c1e-8d0a-4c4b-9a57-1f1f8f2b1c11',
      }).success,
    ).toBe(true);
  });

  it('the latest live event decides; a later find undoes "not retrieved"', () => {
    const events: RetrievalEvent[] = [
      { seq: 1, reportId: 'p', retrieval: { kind: 'not-retrieved', reason: 'paywalled' } },
      { seq: 2, reportId: 'p', retrieval: { kind: 'url', url: 'https://example.org/a.pdf' } },
    ];
    expect(retrievalState(events).state).toBe('retrieved');
    expect(retrievalState(events.slice(0, 1)).state).toBe('not-retrieved');
    expect(retrievalState([{ ...events[1]!, withdrawn: true }]).state).toBe('awaiting');
  });

  it('counts PRISMA full-text boxes per report and groups reports by study', () => {
    const reports = [
      { reportId: 'r1', studyId: 's1', state: 'retrieved' as const },
      { reportId: 'r2', studyId: 's1', state: 'retrieved' as const },
      { reportId: 'r3', studyId: null, state: 'not-retrieved' as const },
      { reportId: 'r4', studyId: null, state: 'awaiting' as const },
    ];
    expect(fullTextCounts(reports)).toEqual({ sought: 4, notRetrieved: 1, assessable: 2, awaiting: 1 });
    expect(reportsByStudy(reports)).toEqual(new Map([['s1', ['r1', 'r2']]]));
  });
});
