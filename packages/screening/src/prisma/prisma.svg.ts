import type { NamedCount, PrismaCounts } from './prisma.types.ts';
import { isInProgress } from './prisma.types.ts';
import { textWidth, wrapText } from './text-metrics.ts';

/** One paragraph of a box: a line of text that wraps, optionally bold, indented, linked. */
interface Para {
  text: string;
  bold?: boolean;
  /** In-progress lines: what has no outcome yet. */
  italic?: boolean;
  indent?: number;
  /** Box key whose records this line counts (a source, a reason), for a link. */
  key?: string;
}

interface Box {
  key: string;
  /** The list the box opens, when it is not the box's own key. */
  linkKey?: string;
  paras: Para[];
  width: number;
  fill?: string;
  bold?: boolean;
  centred?: boolean;
}

interface Placed {
  box: Box;
  x: number;
  y: number;
  h: number;
  lines: { text: string; bold: boolean; italic: boolean; x: number; key?: string | undefined }[];
}

export interface PrismaSvgOptions {
  /** Href for a box or line key (template `data` keys, `<key>:<name>` for a source or reason). */
  link?: ((key: string) => string | undefined) | undefined;
  /** Title shown in <title> and read by screen readers. */
  title?: string | undefined;
  fontSize?: number | undefined;
}

const FONT = "'DejaVu Sans', Verdana, Arial, sans-serif";
const PAD = 8;
const GAP_X = 40;
const GAP_Y = 28;
const COL_GAP = 56;
const BAR_W = 28;
const MAIN_W = 270;
const SIDE_W = 270;
const OTHER_W = 230;
const PREV_W = 220;
const YELLOW = '#ffd966';
const GREY = '#d9d9d9';
const BLUE = '#9dc3e6';

const nf = new Intl.NumberFormat('en-GB');
const n = (v: number): string => `(n\u00a0=\u00a0${nf.format(v)})`;

function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function listParas(items: NamedCount[], prefix: string): Para[] {
  return items.map((x) => ({ text: `${x.name} ${n(x.n)}`, indent: 12, key: `${prefix}:${x.name}` }));
}

/** An in-progress line of a box, drawn only while something waits. */
function awaitingPara(what: string, count: number, key: string): Para[] {
  return count > 0 ? [{ text: `In progress: ${what} ${n(count)}`, italic: true, key }] : [];
}

const plural = (count: number, one: string, many: string): string =>
  `${nf.format(count)} ${count === 1 ? one : many}`;

/**
 * One kind of wait in words. With an other-methods column the diagram counts its records and reports
 * apart, so the words do too: "37 records from databases and registers and 10 from other methods".
 */
function waitWords(
  main: number,
  other: number | undefined,
  [one, many]: [string, string],
  what: string,
): string {
  if (other === undefined) return main > 0 ? `${plural(main, one, many)} ${what}` : '';
  if (main > 0 && other > 0)
    return `${plural(main, one, many)} from databases and registers and ${nf.format(other)} from other methods ${what}`;
  if (main > 0) return `${plural(main, one, many)} from databases and registers ${what}`;
  return other > 0 ? `${plural(other, one, many)} from other methods ${what}` : '';
}

/**
 * What has no outcome yet, in words ("12 records awaiting title/abstract screening, 2 reports awaiting
 * retrieval"), or '' when nothing waits. Records and reports of other methods are named apart, as
 * the diagram's other-methods column and the PRISMA page's list count them.
 */
export function inProgressText(c: PrismaCounts): string {
  const o = c.other;
  const records: [string, string] = ['record', 'records'];
  const reports: [string, string] = ['report', 'reports'];
  return [
    waitWords(c.awaitingScreening, o?.awaitingScreening, records, 'awaiting title/abstract screening'),
    waitWords(c.dbr.awaitingRetrieval, o?.awaitingRetrieval, reports, 'awaiting retrieval'),
    waitWords(c.dbr.awaitingAssessment, o?.awaitingAssessment, reports, 'awaiting full-text assessment'),
  ]
    .filter(Boolean)
    .join(', ');
}

/** Lays out the boxes of PRISMA 2020's template and draws them as SVG with real, selectable text. */
export function renderPrismaSvg(c: PrismaCounts, options: PrismaSvgOptions = {}): string {
  const fs = options.fontSize ?? 12;
  const lh = Math.round(fs * 1.3);
  const layout = (box: Box, x: number, y: number, minH = 0): Placed => {
    const inner = box.width - 2 * PAD;
    const lines: Placed['lines'] = [];
    for (const p of box.paras) {
      const indent = p.indent ?? 0;
      const bold = p.bold ?? box.bold ?? false;
      for (const t of wrapText(p.text, inner - indent, fs, bold)) {
        const lx = box.centred ? x + box.width / 2 : x + PAD + indent;
        lines.push({ text: t, bold, italic: p.italic ?? false, x: lx, key: p.key });
      }
    }
    return { box, x, y, h: Math.max(minH, lines.length * lh + 2 * PAD), lines };
  };
  const heightOf = (box: Box | undefined): number => (box ? layout(box, 0, 0).h : 0);

  const prevX = BAR_W + 16;
  const mainX = c.previous ? prevX + PREV_W + COL_GAP : prevX;
  const sideX = mainX + MAIN_W + GAP_X;
  const otherX = sideX + SIDE_W + COL_GAP;
  const otherSideX = otherX + OTHER_W + GAP_X;
  const o = c.other;

  const headers: Box[] = [
    {
      key: 'newstud',
      width: MAIN_W + GAP_X + SIDE_W,
      fill: YELLOW,
      bold: true,
      centred: true,
      paras: [{ text: 'Identification of new studies via databases and registers' }],
    },
  ];
  const headerX = [mainX];
  if (c.previous) {
    headers.unshift({
      key: 'prevstud',
      width: PREV_W,
      fill: GREY,
      bold: true,
      centred: true,
      paras: [{ text: 'Previous studies' }],
    });
    headerX.unshift(prevX);
  }
  if (o) {
    headers.push({
      key: 'othstud',
      width: OTHER_W + GAP_X + SIDE_W,
      fill: GREY,
      bold: true,
      centred: true,
      paras: [{ text: 'Identification of new studies via other methods' }],
    });
    headerX.push(otherX);
  }
  const headerH = Math.max(...headers.map(heightOf));
  // While the review runs, a line under the title says so and what waits; boxes count what happened.
  const progress = isInProgress(c) ? inProgressText(c) : '';
  const bannerW = (o ? otherSideX + SIDE_W : sideX + SIDE_W) - mainX;
  const banner = progress
    ? wrapText(`In progress: the counts show what has happened so far (${progress}).`, bannerW, fs + 1, true)
    : [];
  const top = 16 + (banner.length > 0 ? banner.length * Math.round((fs + 1) * 1.3) + 12 : 0);

  // Rows: identification, screened, sought, assessed, included (+ total for updated reviews).
  const rows: { key: string; main?: Box; side?: Box; other?: Box; otherSide?: Box; prev?: Box }[] = [];
  rows.push({
    key: 'identification',
    main: {
      key: 'database_results',
      width: MAIN_W,
      paras: [
        { text: 'Records identified from:', bold: true },
        { text: `Databases ${n(c.databaseTotal)}`, key: 'database_results' },
        ...listParas(c.databases, 'database_results'),
        { text: `Registers ${n(c.registerTotal)}`, key: 'register_results' },
        ...listParas(c.registers, 'register_results'),
      ],
    },
    side: {
      key: 'removed_before_screening',
      width: SIDE_W,
      paras: [
        { text: 'Records removed before screening:', bold: true },
        { text: `Duplicate records removed ${n(c.duplicates)}`, key: 'duplicates' },
        {
          text: `Records marked as ineligible by automation tools ${n(c.removedByAutomation)}`,
          key: 'excluded_automatic',
        },
        { text: `Records removed for other reasons ${n(c.removedOther)}`, key: 'excluded_other' },
      ],
    },
    other: o && {
      key: 'other_results',
      // Every record the box counts, of every kind of source ("other_results" holds kind "other" only).
      linkKey: 'other_identified',
      width: OTHER_W,
      paras: [
        { text: 'Records identified from:', bold: true },
        { text: `Websites ${n(o.websites)}`, key: 'website_results:net' },
        { text: `Organisations ${n(o.organisations)}`, key: 'organisation_results:net' },
        { text: `Citation searching ${n(o.citations)}`, key: 'citations_results:net' },
        ...awaitingPara('awaiting screening', o.awaitingScreening, 'other_records_awaiting'),
        ...(o.sources.length > 0 ? [{ text: 'Per source (all records):', bold: true }] : []),
        ...listParas(o.sources, 'other_identified'),
        ...(o.duplicates > 0
          ? [
              {
                text: `Duplicates of records found above, not sought ${n(o.duplicates)}`,
                key: 'other_duplicates',
              },
            ]
          : []),
        ...(o.screenedOut > 0
          ? [
              {
                text: `Excluded at title/abstract, not sought ${n(o.screenedOut)}`,
                key: 'other_screened_out',
              },
            ]
          : []),
      ],
    },
    prev: c.previous && {
      key: 'previous_studies',
      width: PREV_W,
      paras: [
        {
          text: `Studies included in previous version of review ${n(c.previous.studies)}`,
          key: 'previous_studies',
        },
        {
          text: `Reports of studies included in previous version of review ${n(c.previous.reports)}`,
          key: 'previous_reports',
        },
      ],
    },
  });
  const auto = c.excludedByAutomation;
  rows.push({
    key: 'screening',
    main: {
      key: 'records_screened',
      width: MAIN_W,
      paras: [
        { text: `Records screened ${n(c.screened)}` },
        ...awaitingPara('awaiting screening', c.awaitingScreening, 'records_awaiting'),
      ],
    },
    side: {
      key: 'records_excluded',
      width: SIDE_W,
      paras: [
        { text: `Records excluded ${n(c.recordsExcluded)}` },
        ...(auto !== undefined
          ? [
              {
                text: `by a human ${n(c.recordsExcluded - auto)}`,
                indent: 12,
                key: 'records_excluded_human',
              },
              { text: `by automation tools ${n(auto)}`, indent: 12, key: 'records_excluded_automation' },
            ]
          : []),
      ],
    },
  });
  rows.push({
    key: 'screening',
    main: {
      key: 'dbr_sought_reports',
      width: MAIN_W,
      paras: [
        { text: `Reports sought for retrieval ${n(c.dbr.sought)}` },
        ...awaitingPara('awaiting retrieval', c.dbr.awaitingRetrieval, 'dbr_awaiting_retrieval'),
      ],
    },
    side: {
      key: 'dbr_notretrieved_reports',
      width: SIDE_W,
      paras: [{ text: `Reports not retrieved ${n(c.dbr.notRetrieved)}` }],
    },
    other: o && {
      key: 'other_sought_reports',
      width: OTHER_W,
      paras: [
        { text: `Reports sought for retrieval ${n(o.sought)}` },
        ...awaitingPara('awaiting retrieval', o.awaitingRetrieval, 'other_awaiting_retrieval'),
      ],
    },
    otherSide: o && {
      key: 'other_notretrieved_reports',
      width: SIDE_W,
      paras: [{ text: `Reports not retrieved ${n(o.notRetrieved)}` }],
    },
  });
  const excludedBox = (key: string, items: NamedCount[]): Box => ({
    key,
    width: SIDE_W,
    paras: [
      { text: `Reports excluded ${n(items.reduce((a, x) => a + x.n, 0))}`, bold: items.length > 0 },
      ...listParas(items, key),
    ],
  });
  rows.push({
    key: 'screening',
    main: {
      key: 'dbr_assessed',
      width: MAIN_W,
      paras: [
        { text: `Reports assessed for eligibility ${n(c.dbr.assessed)}` },
        ...awaitingPara('awaiting assessment', c.dbr.awaitingAssessment, 'dbr_awaiting_assessment'),
      ],
    },
    side: excludedBox('dbr_excluded', c.dbr.excluded),
    other: o && {
      key: 'other_assessed',
      width: OTHER_W,
      paras: [
        { text: `Reports assessed for eligibility ${n(o.assessed)}` },
        ...awaitingPara('awaiting assessment', o.awaitingAssessment, 'other_awaiting_assessment'),
      ],
    },
    otherSide: o && excludedBox('other_excluded', o.excluded),
  });
  rows.push({
    key: 'included',
    main: {
      key: 'new_studies',
      width: MAIN_W,
      paras: [
        { text: `New studies included in review ${n(c.newStudies)}`, key: 'new_studies' },
        { text: `Reports of new included studies ${n(c.newReports)}`, key: 'new_reports' },
      ],
    },
  });
  if (c.previous) {
    rows.push({
      key: 'included',
      main: {
        key: 'total_studies',
        width: MAIN_W,
        paras: [
          { text: `Total studies included in review ${n(c.totalStudies)}`, key: 'total_studies' },
          { text: `Reports of total included studies ${n(c.totalReports)}`, key: 'total_reports' },
        ],
      },
    });
  }

  // Place rows: each row as tall as its tallest box, so columns stay aligned as boxes grow.
  const placed: Placed[] = [];
  const rowY: { key: string; y: number; h: number }[] = [];
  const at = new Map<string, Placed>();
  const put = (box: Box | undefined, x: number, y: number, h: number): void => {
    if (!box) return;
    const p = layout(box, x, y, h);
    placed.push(p);
    at.set(box.key, p);
  };
  // A phase bar must be tall enough for its rotated label.
  const phaseMin = (key: string): number => {
    const span = rows.filter((r) => r.key === key).length;
    const label = textWidth(key, fs, true) + 24;
    return (label - (span - 1) * GAP_Y) / span;
  };
  let y = top + headerH + GAP_Y;
  for (const r of rows) {
    const h = Math.ceil(
      Math.max(
        phaseMin(r.key),
        heightOf(r.main),
        heightOf(r.side),
        heightOf(r.other),
        heightOf(r.otherSide),
        heightOf(r.prev),
      ),
    );
    put(r.prev, prevX, y, h);
    put(r.main, mainX, y, h);
    put(r.side, sideX, y, h);
    put(r.other, otherX, y, h);
    put(r.otherSide, otherSideX, y, h);
    rowY.push({ key: r.key, y, h });
    y += h + GAP_Y;
  }
  const height = y - GAP_Y + 16;
  const width = (o ? otherSideX + SIDE_W : sideX + SIDE_W) + 16;

  const arrows: string[] = [];
  const down = (a: string, b: string): void => {
    const p = at.get(a);
    const q = at.get(b);
    if (p && q) arrows.push(`M${p.x + p.box.width / 2} ${p.y + p.h}V${q.y - 2}`);
  };
  const across = (a: string, b: string): void => {
    const p = at.get(a);
    const q = at.get(b);
    if (p && q) arrows.push(`M${p.x + p.box.width} ${p.y + p.h / 2}H${q.x - 2}`);
  };
  const elbow = (a: string, b: string, side: 'left' | 'right'): void => {
    const p = at.get(a);
    const q = at.get(b);
    if (!p || !q) return;
    const x = p.x + p.box.width / 2;
    const ty = q.y + q.h / 2;
    arrows.push(`M${x} ${p.y + p.h}V${ty}H${side === 'right' ? q.x + q.box.width + 2 : q.x - 2}`);
  };
  down('database_results', 'records_screened');
  down('records_screened', 'dbr_sought_reports');
  down('dbr_sought_reports', 'dbr_assessed');
  down('dbr_assessed', 'new_studies');
  down('new_studies', 'total_studies');
  across('database_results', 'removed_before_screening');
  across('records_screened', 'records_excluded');
  across('dbr_sought_reports', 'dbr_notretrieved_reports');
  across('dbr_assessed', 'dbr_excluded');
  down('other_results', 'other_sought_reports');
  down('other_sought_reports', 'other_assessed');
  across('other_sought_reports', 'other_notretrieved_reports');
  across('other_assessed', 'other_excluded');
  elbow('other_assessed', 'new_studies', 'right');
  elbow('previous_studies', 'total_studies', 'left');

  const link = options.link ?? ((): undefined => undefined);
  const title = `${options.title ?? 'PRISMA 2020 flow diagram'}${progress ? ' (in progress)' : ''}`;
  const out: string[] = [];
  // A picture when it is only drawn; a group of links when its boxes lead somewhere (an image's
  // parts are hidden from screen readers, so links inside role="img" could never be reached).
  const role = options.link ? 'group' : 'img';
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="${role}" aria-labelledby="prisma-title prisma-desc" font-family="${escapeXml(FONT)}" font-size="${fs}">`,
    `<title id="prisma-title">${escapeXml(title)}</title>`,
    `<desc id="prisma-desc">${escapeXml(describeFlow(c))}</desc>`,
    '<defs><marker id="prisma-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#222"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  );
  if (banner.length > 0) {
    const blh = Math.round((fs + 1) * 1.3);
    out.push(
      `<g class="prisma-in-progress" font-size="${fs + 1}" font-weight="bold" fill="#7a4b00">`,
      ...banner.map((t, i) => `<text x="${mainX}" y="${16 + fs + 1 + i * blh}">${escapeXml(t)}</text>`),
      '</g>',
    );
  }
  // Phase bars on the left, text rotated to read bottom-up as in the template.
  const phases = new Map<string, { y: number; end: number }>();
  for (const r of rowY) {
    const ph = phases.get(r.key);
    phases.set(r.key, { y: ph?.y ?? r.y, end: r.y + r.h });
  }
  for (const [key, ph] of phases) {
    const label = key[0]!.toUpperCase() + key.slice(1);
    const cx = 8 + BAR_W / 2;
    const cy = (ph.y + ph.end) / 2;
    out.push(
      `<g class="prisma-phase" data-key="${key}"><rect x="8" y="${ph.y}" width="${BAR_W}" height="${ph.end - ph.y}" rx="4" fill="${BLUE}" stroke="#41719c"/>`,
      `<text x="${cx}" y="${cy}" transform="rotate(-90 ${cx} ${cy})" text-anchor="middle" dominant-baseline="central" font-weight="bold">${escapeXml(label)}</text></g>`,
    );
  }
  // Title boxes count nothing: they are not links.
  headers.forEach((h, i) => {
    const p = layout(h, headerX[i]!, top, headerH);
    drawBox(out, p, fs, lh, () => undefined);
  });
  out.push(
    `<g fill="none" stroke="#222" stroke-width="1.3" marker-end="url(#prisma-arrow)">${arrows.map((d) => `<path d="${d}"/>`).join('')}</g>`,
  );
  for (const p of placed) drawBox(out, p, fs, lh, link);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function drawBox(
  out: string[],
  p: Placed,
  fs: number,
  lh: number,
  link: (key: string) => string | undefined,
): void {
  const fill = p.box.fill ?? '#fff';
  const href = link(p.box.linkKey ?? p.box.key);
  const rect = `<rect x="${p.x}" y="${p.y}" width="${p.box.width}" height="${p.h}" fill="${fill}" stroke="#222"/>`;
  // Centre the text block vertically in boxes stretched to their row's height.
  const top = p.y + (p.h - p.lines.length * lh) / 2 + fs;
  // The box's link holds its rectangle and the lines before the first line with a list of its own
  // (a source, a reason: a link of its own), so a click anywhere on the box, on its words too, opens
  // what it counts. It is named by all the box's words (a rectangle has none of its own), which begin
  // with the words it shows. A line further down with no list of its own (a heading of the per-source
  // lines) links to the box as well, hidden from screen readers and the tab order: the box's link
  // already reads it.
  const lead: string[] = [];
  const rest: string[] = [];
  p.lines.forEach((l, i) => {
    const anchor = p.box.centred ? ' text-anchor="middle"' : '';
    const weight = (l.bold ? ' font-weight="bold"' : '') + (l.italic ? ' font-style="italic"' : '');
    const text = `<text x="${l.x}" y="${(top + i * lh).toFixed(1)}"${anchor}${weight}>${escapeXml(l.text)}</text>`;
    const lineHref = l.key ? link(l.key) : undefined;
    if (lineHref) rest.push(`<a href="${escapeXml(lineHref)}">${text}</a>`);
    else if (rest.length === 0) lead.push(text);
    else rest.push(href ? `<a href="${escapeXml(href)}" tabindex="-1" aria-hidden="true">${text}</a>` : text);
  });
  const name = p.lines.map((l) => l.text).join(' ');
  out.push(`<g class="prisma-box" data-key="${escapeXml(p.box.key)}">`);
  out.push(
    href
      ? `<a href="${escapeXml(href)}" aria-label="${escapeXml(name)}">${[rect, ...lead].join('\n')}</a>`
      : [rect, ...lead].join('\n'),
  );
  out.push(...rest);
  out.push('</g>');
}

/** The whole flow in words, for <desc> (screen readers) and alt text. */
export function describeFlow(c: PrismaCounts): string {
  const parts: string[] = [];
  const progress = isInProgress(c) ? inProgressText(c) : '';
  if (progress) parts.push(`In progress: ${progress}; the counts show what has happened so far.`);
  if (c.previous)
    parts.push(`Previous version: ${c.previous.studies} studies, ${c.previous.reports} reports.`);
  const sources = [...c.databases, ...c.registers].map((x) => `${x.name} ${x.n}`).join(', ');
  parts.push(
    `Records identified from databases ${c.databaseTotal} and registers ${c.registerTotal}${sources ? ` (${sources})` : ''}.`,
    `Removed before screening: duplicates ${c.duplicates}, marked ineligible by automation tools ${c.removedByAutomation}, other reasons ${c.removedOther}.`,
    `Records screened ${c.screened}; excluded ${c.recordsExcluded}${c.excludedByAutomation !== undefined ? ` (by automation tools ${c.excludedByAutomation})` : ''}.`,
    `Reports sought ${c.dbr.sought}; not retrieved ${c.dbr.notRetrieved}; assessed ${c.dbr.assessed}; excluded ${c.dbr.excluded.map((x) => `${x.name} ${x.n}`).join(', ') || 'none'}.`,
  );
  if (c.other)
    parts.push(
      `Other methods: websites ${c.other.websites}, organisations ${c.other.organisations}, citation searching ${c.other.citations}; reports sought ${c.other.sought}; not retrieved ${c.other.notRetrieved}; assessed ${c.other.assessed}; excluded ${c.other.excluded.map((x) => `${x.name} ${x.n}`).join(', ') || 'none'}.`,
    );
  parts.push(`New studies included ${c.newStudies}; reports of new included studies ${c.newReports}.`);
  if (c.previous) parts.push(`Total studies included ${c.totalStudies}; reports ${c.totalReports}.`);
  return parts.join(' ');
}
