/**
 * PDFs written by hand for tests and benches, with what the full-text features read: pages of text
 * (or a page with no text layer, as a scan has), document info (Title, Subject, Keywords), padding
 * to make a file span several 1 MiB blob chunks, and an /Encrypt entry (a password-protected file).
 * The cross-reference table has exact offsets, so pdf.js and Chromium's viewer open them.
 */
export interface TestPdfOptions {
  /** Text lines per page; an empty array is a page drawn without any text (a scan). */
  pages: string[][];
  info?: { title?: string; subject?: string; keywords?: string };
  /** Bytes of incompressible-looking padding in an unused stream object. */
  padBytes?: number;
  /** Adds an /Encrypt dictionary: readers then ask for a password. */
  encrypted?: boolean;
}

const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');

export function testPdf(opts: TestPdfOptions): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // pages, filled in below
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const kids: number[] = [];
  for (const lines of opts.pages) {
    const content =
      lines.length === 0
        ? '0.6 g 72 72 468 648 re f 0.2 g 100 600 300 40 re f'
        : `BT /F1 11 Tf 14 TL 72 740 Td ${lines.map((l) => `(${esc(l)}) '`).join(' ')} ET`;
    add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    const contentsId = objects.length;
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentsId} 0 R >>`,
    );
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let infoId: number | null = null;
  if (opts.info) {
    const entries = Object.entries({
      Title: opts.info.title,
      Subject: opts.info.subject,
      Keywords: opts.info.keywords,
    })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `/${k} (${esc(v!)})`)
      .join(' ');
    add(`<< ${entries} >>`);
    infoId = objects.length;
  }
  if (opts.padBytes) {
    let pad = '';
    let x = 12345;
    while (pad.length < opts.padBytes) {
      x = (x * 1103515245 + 12345) % 2147483648;
      pad += x.toString(36);
    }
    pad = pad.slice(0, opts.padBytes);
    add(`<< /Length ${pad.length} >>\nstream\n${pad}\nendstream`);
  }
  let encryptId: number | null = null;
  if (opts.encrypted) {
    add(`<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -4 >>`);
    encryptId = objects.length;
  }
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out +=
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R` +
    (infoId ? ` /Info ${infoId} 0 R` : '') +
    (encryptId ? ` /Encrypt ${encryptId} 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]` : '') +
    ` >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
