import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import type { LibraryPage } from '@winnow/screening';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const ris = (title: string, abstract = '') =>
  `TY  - JOUR\nTI  - ${title}\nAU  - Okafor, N.\nPY  - 2020\n${abstract ? `AB  - ${abstract}\n` : ''}ER  - \n`;

/** 1,001 different made-up words beginning "zq" (zqa, zqb, … zqaa, …): more than a prefix may be widened to. */
const letters = (n: number): string =>
  (n >= 26 ? letters(Math.floor(n / 26) - 1) : '') + String.fromCharCode(97 + (n % 26));
const MANY_ZQ = Array.from({ length: 1001 }, (_, i) => `zq${letters(i)}`);

describe.each(['postgres', 'pglite'] as const)('records library: searches ending in * (%s)', (engine) => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  const base = `/reviews/prefix-${engine}`;
  const titles = (p: LibraryPage) => p.items.map((i) => i.title).sort();
  const search = (q: string) => lead.api<LibraryPage>('GET', `${base}/records?q=${encodeURIComponent(q)}`);

  beforeAll(async () => {
    app = await startTestApp({ engine, workers: true });
    review = await app.review(`prefix-${engine}`);
    lead = await app.user('Lead', review, ['lead']);
    // Through the real upload route and import job: the import writes the records' words.
    const file = [
      ris('Sustainability of lean programmes'),
      ris('Sustainable change in hospitals'),
      ris('Sustained effort on wards'),
      ris('Effectiveness of audit and feedback', 'Audit was effective.'),
      ris('Pediatric wards', 'Quality of care.'),
      ris('A list of made-up words', MANY_ZQ.join(' ')),
    ].join('');
    const res = await lead.api<{ jobId: string }>('POST', `${base}/imports?fileName=prefix.ris`, file);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await app.rt.queue.waitFor(res.body.jobId);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds the words a prefix begins, though the stemmer stores them shorter than it', async () => {
    // Stored as "sustain": the prefix "sustainab" alone is longer than the stem and found nothing.
    // Each word beginning so is searched as typed in full, stemmed as the records were, so a record
    // the stemmer reads as the same word ("sustained") is found too, as a search for
    // "sustainable" finds it.
    const r = await search('sustainab*');
    expect(r.status).toBe(200);
    expect(titles(r.body)).toEqual([
      'Sustainability of lean programmes',
      'Sustainable change in hospitals',
      'Sustained effort on wards',
    ]);
    expect(titles((await search('effectiv*')).body)).toEqual(['Effectiveness of audit and feedback']);
    // In a phrase, with NOT, and as before where the prefix is shorter than the stems.
    expect(titles((await search('"of audit and feed*"')).body)).toEqual([]);
    expect(titles((await search('audit and feed*')).body)).toEqual(['Effectiveness of audit and feedback']);
    expect(titles((await search('ward* NOT pediatric*')).body)).toEqual(['Sustained effort on wards']);
    expect(titles((await search('sust*')).body)).toHaveLength(3);
  });

  it('asks for more letters when a prefix begins more than 1,000 words', async () => {
    expect(titles((await search('zqb*')).body)).toEqual(['A list of made-up words']);
    const r = await search('lean OR zq*');
    expect(r.status).toBe(422);
    expect((r.body as unknown as { error: { message: string } }).error.message).toBe(
      'The search could not be read: “zq*” begins more than 1,000 different words in this review: type more of the word before the * (at character 9)',
    );
  });
});
