import type { Block, ReportDocument } from './report.model.ts';

/** Escapes user text for HTML: every title, quote and citation goes through here, so no markup survives. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function block(b: Block, tableNo: { n: number }): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level + 1}>${escapeHtml(b.text)}</h${b.level + 1}>`;
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'image':
      return `<figure><img src="data:image/png;base64,${b.png.toString('base64')}" alt="${escapeHtml(b.alt)}" width="${Math.round(b.width / 2)}" height="${Math.round(b.height / 2)}"><figcaption>PRISMA 2020 flow diagram</figcaption></figure>`;
    case 'table': {
      tableNo.n++;
      const head = b.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
      const rows = b.rows
        .map(
          (r) =>
            `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`,
        )
        .join('\n');
      return `<table><caption>${escapeHtml(b.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
    }
    case 'quote':
      return `<blockquote><p>${escapeHtml(b.text)}</p><footer>${escapeHtml(b.source)}</footer></blockquote>`;
    case 'references':
      return `<ol class="references">${b.items.map((i) => `<li value="${i.number}">${escapeHtml(i.text)}</li>`).join('\n')}</ol>`;
  }
}

/** A standalone, accessible HTML page: one h1, nested headings, captioned tables with header cells. */
export function renderReportHtml(doc: ReportDocument): string {
  const n = { n: 0 };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>
body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
blockquote{border-left:4px solid #666;margin:.5rem 0;padding:.2rem 1rem}
blockquote footer{color:#333;font-size:.9em}
img{max-width:100%;height:auto}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(doc.title)}</h1>
${doc.blocks.map((b) => block(b, n)).join('\n')}
</main>
</body>
</html>
`;
}
