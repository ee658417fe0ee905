import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
} from 'docx';
import type { Block, ReportDocument } from './report.model.ts';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
/** Word treats XML-invalid control characters as a corrupt file: drop them from user text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

function cell(text: string, header: boolean): TableCell {
  return new TableCell({
    children: [new Paragraph({ children: [new TextRun({ text: clean(text), bold: header })] })],
  });
}

function blockToDocx(b: Block): FileChild[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[b.level], children: [new TextRun(clean(b.text))] })];
    case 'paragraph':
      return [new Paragraph({ children: [new TextRun(clean(b.text))] })];
    case 'image': {
      // 6 inches wide at most (the page's text width), height kept in proportion.
      const width = Math.min(576, b.width);
      return [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new ImageRun({
              type: 'png',
              data: b.png,
              transformation: { width, height: Math.round((b.height * width) / b.width) },
              altText: {
                name: 'PRISMA 2020 flow diagram',
                description: clean(b.alt),
                title: 'PRISMA 2020 flow diagram',
              },
            }),
          ],
        }),
      ];
    }
    case 'table':
      return [
        new Paragraph({ style: 'Caption', children: [new TextRun(clean(b.caption))] }),
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, children: b.header.map((h) => cell(h, true)) }),
            ...b.rows.map((r) => new TableRow({ children: r.map((c) => cell(c, false)) })),
          ],
        }),
      ];
    case 'quote':
      return [
        new Paragraph({
          style: 'Quote',
          children: [
            new TextRun(`\u201c${clean(b.text)}\u201d `),
            new TextRun({ text: clean(b.source), italics: true }),
          ],
        }),
      ];
    case 'references':
      return b.items.map(
        (i) =>
          new Paragraph({
            numbering: { reference: 'references', level: 0 },
            children: [new TextRun(clean(i.text))],
          }),
      );
  }
}

/** An editable Word document: heading styles, real tables, the diagram embedded, references a numbered list. */
export async function renderReportDocx(doc: ReportDocument): Promise<Buffer> {
  const file = new Document({
    title: clean(doc.title),
    creator: 'Winnow',
    numbering: {
      config: [
        {
          reference: 'references',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
        },
      ],
    },
    styles: {
      paragraphStyles: [
        {
          id: 'Quote',
          name: 'Quote',
          basedOn: 'Normal',
          run: { italics: false },
          paragraph: { indent: { left: 720 } },
        },
        { id: 'Caption', name: 'Caption', basedOn: 'Normal', run: { bold: true } },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(clean(doc.title))] }),
          ...doc.blocks.flatMap(blockToDocx),
        ],
      },
    ],
  });
  return Packer.toBuffer(file);
}
