import { describe, expect, it } from 'vitest';
import { derivePrismaFlow } from './prisma-flow.ts';
import { sampleInput } from './prisma.fixture.ts';
import { renderPrismaPng } from './prisma.png.ts';
import { inProgressText, renderPrismaSvg } from './prisma.svg.ts';

const flow = derivePrismaFlow(sampleInput());

describe('PRISMA SVG', () => {
  const svg = renderPrismaSvg(flow.counts, {
    link: (key) => `/reviews/demo/prisma/${encodeURIComponent(key)}`,
  });

  it('matches the stored diagram of the sample review', async () => {
    await expect(svg).toMatchFileSnapshot('./__snapshots__/sample-review.svg');
  });

  it('is accessible: a group of links (an image when unlinked), title and a description with every count', () => {
    expect(svg).toContain('role="group"');
    expect(renderPrismaSvg(flow.counts)).toContain('role="img"');
    expect(svg).toMatch(/<title id="prisma-title">PRISMA 2020 flow diagram<\/title>/);
    expect(svg).toContain('Records screened 7; excluded 3 (by automation tools 1).');
    expect(svg).toContain('Total studies included 13; reports 18.');
  });

  it('draws counts as real text and links boxes and lines to their records', () => {
    expect(svg).toContain('>Records screened (n\u00a0=\u00a07)</text>');
    expect(svg).toContain('<a href="/reviews/demo/prisma/dbr_excluded%3AWrong%20population">');
    expect(svg).toContain(
      '<a href="/reviews/demo/prisma/records_screened" aria-label="Records screened (n\u00a0=\u00a07)"><rect',
    );
    expect(svg).not.toContain('<foreignObject');
  });

  it('makes every part of a counting box a link, its words too; title boxes are not links', () => {
    const boxes = svg.split('<g class="prisma-box"').slice(1);
    const key = (b: string): string => /^ data-key="([^"]*)"/.exec(b)![1]!;
    const titles = ['newstud', 'othstud', 'prevstud'];
    for (const b of boxes.filter((x) => !titles.includes(key(x)))) {
      const box = b.slice(0, b.indexOf('</g>'));
      // Take out every link: no rectangle or line of text may be left outside one.
      const outside = box.replace(/<a [^>]*>[\s\S]*?<\/a>/g, '');
      expect(outside, key(b)).not.toMatch(/<text|<rect/);
    }
    // The number of a box without lines of its own is inside the box's link.
    expect(svg).toMatch(
      /<a href="\/reviews\/demo\/prisma\/records_screened" aria-label="[^"]*"><rect [^>]*\/>\n<text [^>]*>Records screened \(n\u00a0=\u00a07\)<\/text><\/a>/,
    );
    expect(svg).toMatch(
      /<a href="\/reviews\/demo\/prisma\/records_excluded" aria-label="[^"]*"><rect [^>]*\/>\n<text [^>]*>Records excluded \(n\u00a0=\u00a03\)<\/text>/,
    );
    expect(svg).toMatch(
      /<a href="\/reviews\/demo\/prisma\/dbr_sought_reports" aria-label="[^"]*"><rect [^>]*\/>\n<text [^>]*>Reports sought for retrieval/,
    );
    for (const t of boxes.filter((x) => titles.includes(key(x)))) expect(t).not.toMatch(/^[^]*?<a /);
    // A heading further down the box links to it too, without a second tab stop (the box's link reads it).
    expect(svg).toMatch(
      /<a href="\/reviews\/demo\/prisma\/other_identified" tabindex="-1" aria-hidden="true"><text [^>]*>Per source \(all records\):<\/text><\/a>/,
    );
    // A line with a list of its own links there, not to its box.
    expect(svg).toContain('<a href="/reviews/demo/prisma/database_results"><text');
  });

  it('opens, from each line with a count, a list of as many records as the line says', () => {
    const lines = [
      ...svg.matchAll(
        /<a href="\/reviews\/demo\/prisma\/([^"]+)"><text [^>]*>([^<]*)\(n\u00a0=\u00a0(\d+)\)<\/text>/g,
      ),
    ];
    expect(lines.length).toBeGreaterThan(10);
    const perSource = lines.filter(([, key]) => decodeURIComponent(key!).startsWith('other_identified:'));
    expect(perSource.map(([, , text]) => text!.trim())).toContain('NICE website');
    for (const [, key, text, n] of lines) {
      // Previous-version counts are typed in, with no records behind them (totals add them in).
      if (key!.startsWith('previous_') || key!.startsWith('total_')) continue;
      const ids = flow.ids[decodeURIComponent(key!)] ?? [];
      expect(ids.length, `${text} links ${decodeURIComponent(key!)}`).toBe(Number(n));
    }
    // The other-methods box as a whole lists every record it counts, of every kind of source.
    const box =
      /<g class="prisma-box" data-key="other_results">\n<a href="\/reviews\/demo\/prisma\/([^"]+)"/.exec(svg);
    expect(box?.[1]).toBe('other_identified');
    expect(flow.ids['other_identified']!.length).toBeGreaterThan(0);
  });

  it('escapes names', () => {
    const c = structuredClone(flow.counts);
    c.databases = [{ name: 'A & B <script>', n: 1 }];
    const out = renderPrismaSvg(c);
    expect(out).toContain('A &amp; B &lt;script&gt;');
    expect(out).not.toContain('<script>');
  });

  it('grows boxes with many sources and reasons and keeps columns apart', () => {
    const c = structuredClone(flow.counts);
    c.databases = Array.from({ length: 30 }, (_, i) => ({
      name: `Database number ${i} with a long name`,
      n: i,
    }));
    c.dbr.excluded = Array.from({ length: 25 }, (_, i) => ({ name: `Reason ${i}`, n: i }));
    const height = (s: string): number => Number(/height="(\d+)"/.exec(s)![1]);
    expect(height(renderPrismaSvg(c))).toBeGreaterThan(height(svg) + 25 * 15 + 30 * 15);
  });

  it('leaves out the other-methods and previous columns for a new review', () => {
    const c = { ...flow.counts, other: undefined, previous: undefined };
    const out = renderPrismaSvg(c);
    expect(out).not.toContain('via other methods');
    expect(out).not.toContain('Previous studies');
    expect(out).not.toContain('Total studies included');
  });
});

/** The words of the in-progress line above the diagram, its wrapped lines joined. */
const banner = (svg: string): string =>
  [
    ...(/<g class="prisma-in-progress"[^>]*>([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '').matchAll(
      />([^<]*)<\/text>/g,
    ),
  ]
    .map((m) => m[1])
    .join(' ');

describe('PRISMA SVG of a review in progress', () => {
  const input = sampleInput();
  const running = derivePrismaFlow({
    ...input,
    records: [...input.records, { id: 'm6', searchId: 's-med' }, { id: 'm7', searchId: 's-med' }],
    reports: input.reports.map((r) =>
      r.id === 'r-c1' ? { id: 'r-c1', recordId: 'c1', retrieved: true } : r,
    ),
  });

  it('says under the title that it is in progress, and what waits', () => {
    expect(running.inProgress).toBe(true);
    const out = renderPrismaSvg(running.counts, { title: 'PRISMA 2020 flow diagram: Demo' });
    expect(out).toContain('<title id="prisma-title">PRISMA 2020 flow diagram: Demo (in progress)</title>');
    expect(out).toContain('class="prisma-in-progress"');
    expect(out).toContain('In progress: the counts show what has happened so far');
    // The review has an other-methods column: what waits in the main column is named as such.
    expect(banner(out)).toBe(
      'In progress: the counts show what has happened so far (2 records from databases and registers awaiting title/abstract screening, 1 report from databases and registers awaiting full-text assessment).',
    );
    const alone = renderPrismaSvg({ ...running.counts, other: undefined });
    expect(banner(alone)).toContain(
      '(2 records awaiting title/abstract screening, 1 report awaiting full-text assessment)',
    );
  });

  it('counts records and reports of other methods apart from those of databases and registers', () => {
    const c = structuredClone(running.counts);
    c.awaitingScreening = 37;
    c.other!.awaitingScreening = 10;
    c.other!.awaitingRetrieval = 2;
    expect(inProgressText(c)).toBe(
      '37 records from databases and registers and 10 from other methods awaiting title/abstract screening, 2 reports from other methods awaiting retrieval, 1 report from databases and registers awaiting full-text assessment',
    );
    const out = renderPrismaSvg(c);
    // Never the two columns summed into one number.
    expect(banner(out)).toContain('37 records from databases and registers and 10 from other methods');
    expect(banner(out)).not.toContain('47');
    expect(out).toContain('In progress: awaiting screening (n\u00a0=\u00a037)');
    // The other-methods column counts its own (the line wraps in the narrower column).
    expect(out).toMatch(/In progress: awaiting screening<\/text>\n<text [^>]*>\(n\u00a0=\u00a010\)<\/text>/);
    c.awaitingScreening = 0;
    expect(inProgressText(c)).toMatch(/^10 records from other methods awaiting title\/abstract screening, /);
  });

  it('counts what waits inside its box, linked to the list', () => {
    const out = renderPrismaSvg(running.counts, { link: (key) => `/box/${key}` });
    expect(out).toContain('>Records screened (n\u00a0=\u00a07)</text>');
    expect(out).toMatch(
      /<a href="\/box\/records_awaiting"><text [^>]*font-style="italic">In progress: awaiting screening \(n\u00a0=\u00a02\)<\/text><\/a>/,
    );
    expect(out).toContain('awaiting assessment (n\u00a0=\u00a01)');
  });

  it('is not marked once every record has an outcome', () => {
    const out = renderPrismaSvg(flow.counts);
    expect(out).not.toContain('prisma-in-progress');
    expect(out).not.toContain('In progress');
  });
});

describe('PRISMA PNG', () => {
  it('rasterises at the chosen width', () => {
    const png = renderPrismaPng(renderPrismaSvg(flow.counts), 800);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(800);
  });
});
