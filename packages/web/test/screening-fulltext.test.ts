import { tinyPdf } from '@winnow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, waitUntil } from './screening-fixtures.ts';

describe('full text: attach, URL, not retrieved, studies; calibration pilot', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let records: string[];
  let reportId: string;
  const base = '/reviews/ft-review';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('ft-review');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    records = await seedRecords(app.rt.db, review.id, 8);
    const r = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
    for (const u of [ann, bob])
      await u.api('POST', `${base}/stages/title-abstract/decisions`, {
        recordId: records[0],
        vote: 'include',
      });
    reportId = await waitUntil(
      async () => {
        const { rows } = await app.rt.db.query<{ id: string }>(
          `SELECT id FROM reports WHERE record_id = $1`,
          [records[0]],
        );
        return rows[0]?.id ?? null;
      },
      20_000,
      'report',
    );
    // Routed at full text (a queued job, shortly after the record advanced): the votes below need it.
    await waitUntil(
      async () => {
        const { rows } = await app.rt.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM assignments WHERE record_id = $1 AND stage = 'full-text'`,
          [records[0]],
        );
        return rows[0]!.n === 2 ? true : null;
      },
      20_000,
      'full-text assignments',
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('attaches a PDF and serves it back; refuses a fake PDF', async () => {
    const pdf = tinyPdf('The full text of the first report.');
    const up = await ann.api<{ blobId: string; bytes: number }>(
      'POST',
      `${base}/reports/${reportId}/file?fileName=paper.pdf`,
      pdf,
    );
    expect(up.status).toBe(201);
    expect(up.body.bytes).toBe(pdf.length);
    const rep = await ann.api<{ report: { state: string; sources: { kind: string; blobId?: string }[] } }>(
      'GET',
      `${base}/reports/${reportId}`,
    );
    expect(rep.body.report.state).toBe('retrieved');
    const file = await app.fetch(`/api${base}/reports/${reportId}/files/${up.body.blobId}`, {
      headers: { authorization: `Bearer ${ann.token}` },
    });
    expect(file.status).toBe(200);
    expect(new TextDecoder().decode(new Uint8Array(await file.arrayBuffer()))).toMatch(/^%PDF-1\.4/);
    const fake = await ann.api<{ error: { code: string } }>(
      'POST',
      `${base}/reports/${reportId}/file?fileName=fake.pdf`,
      '<html>not a pdf</html>',
    );
    expect(fake.status).toBe(422);
  });

  it('marks not retrieved (counted), then a URL makes it retrieved again; links reports to a study', async () => {
    // The PDF attached above is only set aside when the request says the mark replaces it.
    const over = await ann.api<{ error: { message: string } }>(
      'POST',
      `${base}/reports/${reportId}/not-retrieved`,
      { reason: 'Paywalled; author did not reply' },
    );
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/paper\.pdf is attached to this report/);
    const nr = await ann.api('POST', `${base}/reports/${reportId}/not-retrieved`, {
      reason: 'Paywalled; author did not reply',
      confirm: true,
    });
    expect(nr.status).toBe(201);
    expect(
      (await ann.api<{ report: { state: string } }>('GET', `${base}/reports/${reportId}`)).body.report.state,
    ).toBe('not-retrieved');
    // A not-retrieved report cannot be assessed: it leaves the full-text queue.
    const next = await ann.api('GET', `${base}/stages/full-text/next`);
    expect(next.status).toBe(204);
    expect(
      (await ann.api('POST', `${base}/reports/${reportId}/url`, { url: 'javascript:alert(1)' })).status,
    ).toBe(422);
    await ann.api('POST', `${base}/reports/${reportId}/url`, { url: 'https://example.org/paper' });
    expect(
      (await ann.api<{ report: { state: string } }>('GET', `${base}/reports/${reportId}`)).body.report.state,
    ).toBe('retrieved');
    const link = await ann.api<{ studyId: string }>('POST', `${base}/reports/${reportId}/study`, {
      label: 'Smith 2010 trial',
    });
    expect(link.status).toBe(200);
    const { rows } = await app.rt.db.query(`SELECT type FROM events WHERE entity_id = $1 ORDER BY id`, [
      reportId,
    ]);
    expect(rows.map((r) => (r as { type: string }).type)).toEqual([
      'report.attached',
      'report.not-retrieved',
      'report.url-recorded',
      'report.linked',
    ]);
  });

  it('full-text exclusions need a reason from the shared list', async () => {
    await lead.api('PUT', `${base}/stages/full-text/config`, {
      exclusionReasons: [{ code: 'wrong-outcome', label: 'Wrong outcome' }],
    });
    const bad = await ann.api<{ error: { message: string } }>('POST', `${base}/stages/full-text/decisions`, {
      recordId: records[0],
      vote: 'exclude',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/needs at least one exclusion reason/);
    const ok = await ann.api('POST', `${base}/stages/full-text/decisions`, {
      recordId: records[0],
      vote: 'exclude',
      reasons: ['wrong-outcome'],
    });
    expect(ok.status).toBe(201);
  });

  it('a calibration pilot closes the stage until kappa reaches the threshold', async () => {
    const start = await lead.api<{ records: number; jobId: string }>(
      'POST',
      `${base}/stages/title-abstract/calibration`,
      { size: 4, threshold: 0.5 },
    );
    expect(start.status).toBe(201);
    await app.rt.queue.waitFor(start.body.jobId, 20_000);
    const pilot = (
      await app.rt.db.query<{ id: string }>(
        `SELECT record_id AS id FROM stage_records WHERE pilot AND stage = 'title-abstract'`,
      )
    ).rows.map((r) => r.id);
    expect(pilot).toHaveLength(4);
    const status = await lead.api<{ calibration: { open: boolean; status: string } }>(
      'GET',
      `${base}/stages/title-abstract/calibration`,
    );
    expect(status.body.calibration).toMatchObject({ open: false, status: 'running' });
    expect((await ann.api<{ open: boolean }>('GET', `${base}/stages/title-abstract/config`)).body.open).toBe(
      false,
    );
    // Only pilot records are served while the stage is closed.
    const n = await ann.api<{ record: { recordId: string }; upcoming: { recordId: string }[] }>(
      'GET',
      `${base}/stages/title-abstract/next?prefetch=10`,
    );
    expect([n.body.record, ...n.body.upcoming].every((r) => pilot.includes(r.recordId))).toBe(true);
    for (const [i, recordId] of pilot.entries()) {
      const v = i % 2 === 0 ? 'include' : 'exclude';
      for (const u of [ann, bob])
        expect(
          (await u.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: v })).status,
        ).toBe(201);
    }
    const after = await lead.api<{ calibration: { open: boolean; status: string; kappa: number } }>(
      'GET',
      `${base}/stages/title-abstract/calibration`,
    );
    expect(after.body.calibration).toMatchObject({ open: true, status: 'passed', kappa: 1 });
    expect((await ann.api<{ open: boolean }>('GET', `${base}/stages/title-abstract/config`)).body.open).toBe(
      true,
    );
  });
});
