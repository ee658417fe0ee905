import { describe, expect, it } from 'vitest';
import { derivePrismaFlow } from './prisma-flow.ts';
import { sampleInput } from './prisma.fixture.ts';
import { renderPrismaPng } from './prisma.png.ts';
import { renderPrismaSvg } from './prisma.svg.ts';

const flow = derivePrismaFlow(sampleInput());

describe('PRISMA SVG', () => {
  const svg = renderPrismaSvg(flow.counts, {
    link: (key) => `/reviews/demo/prisma/${encodeURIComponent(key)}`,
  });

  it('matches the stored diagram of the sample review', async () => {
    await expect(svg).toMatchFileSnapshot('./__snapshots__/sample-review.svg');
  });

  it('is accessible: role img, title and a description with every count', () => {
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="prisma-title">PRISMA 2020 flow diagram<\/title>/);
    expect(svg).toContain('Records screened 7; excluded 3 (by automation tools 1).');
    expect(svg).toContain('Total studies included 13; reports 18.');
  });

  it('draws counts as real text and links boxes and lines to their records', () => {
    expect(svg).toContain('>Records screened (n\u00a0=\u00a07)</text>');
    expect(svg).toContain('<a href="/reviews/demo/prisma/dbr_excluded%3AWrong%20population">');
    expect(svg).toContain('<a href="/reviews/demo/prisma/records_screened"><rect');
    expect(svg).not.toContain('<foreignObject');
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

describe('PRISMA PNG', () => {
  it('rasterises at the chosen width', () => {
    const png = renderPrismaPng(renderPrismaSvg(flow.counts), 800);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(800);
  });
});
