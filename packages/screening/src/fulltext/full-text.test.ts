import { describe, expect, it } from 'vitest';
import { checkUpload, looksLikePdf, retrievalSchema, safeFileName } from './full-text.schema.ts';
import { fullTextCounts, reportsByStudy, retrievalState, type RetrievalEvent } from './report-retrieval.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const sha = 'a'.repeat(64);

describe('checkUpload', () => {
  it('accepts a real PDF header and normalises the media type', () => {
    expect(
      checkUpload({
        fileName: 'paper.pdf',
        mediaType: 'application/pdf; charset=binary',
        sizeBytes: 10,
        head: bytes('%PDF-1.7\n'),
      }),
    ).toEqual({
      fileName: 'paper.pdf',
      mediaType: 'application/pdf',
    });
    expect(looksLikePdf(bytes('\r\n junk %PDF-1.4'))).toBe(true);
  });

  it('refuses a fake PDF, an oversized file, an empty file and unknown types, naming the file', () => {
    expect(() =>
      checkUpload({ fileName: 'x.pdf', mediaType: 'application/pdf', sizeBytes: 10, head: bytes('<html>') }),
    ).toThrow(/x\.pdf is labelled PDF/);
    expect(() =>
      checkUpload(
        { fileName: 'big.pdf', mediaType: 'application/pdf', sizeBytes: 101, head: bytes('%PDF-') },
        100,
      ),
    ).toThrow(/big\.pdf is 101 bytes; the limit is 100/);
    expect(() =>
      checkUpload({ fileName: 'e.txt', mediaType: 'text/plain', sizeBytes: 0, head: bytes('') }),
    ).toThrow(/empty/);
    expect(() =>
      checkUpload({
        fileName: 'run.exe',
        mediaType: 'application/x-msdownload',
        sizeBytes: 3,
        head: bytes('MZ'),
      }),
    ).toThrow(/not accepted/);
  });

  it('strips paths and control characters from names', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\a"b.pdf')).toBe('a_b.pdf');
    expect(safeFileName('...')).toBe('attachment');
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
