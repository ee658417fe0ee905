import { WinnowError } from '@winnow/core';
import type { IngestFormat } from './formats.ts';

/** How much decoded text detection needs from the start of a file. */
export const DETECT_SAMPLE = 16 * 1024;

/**
 * The format of an export from its content (never its file name): the first lines identify
 * every supported format. Throws UNSUPPORTED_FORMAT when none matches.
 */
export function detectFormat(sample: string, fileName?: string): IngestFormat {
  const text = sample.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const head = text.replace(/^\s+/, '');
  const lines = head.split('\n', 60);
  const firstLine = lines[0] ?? '';
  if (head.startsWith('<')) {
    if (/<PubmedArticleSet[\s>]|<PubmedArticle[\s>]|<PubmedBookArticle[\s>]/.test(head)) return 'pubmed-xml';
    if (/<records[\s>]|<record[\s>]/.test(head)) return 'endnote-xml';
  }
  if (/^(FN|PT)\t[A-Z0-9]{2}\t/.test(firstLine)) return 'wos-tab';
  if (
    /^FN [A-Za-z]/.test(firstLine) ||
    (/^PT [A-Z]$/.test(firstLine) && lines.some((l) => /^(AU|TI|SO) /.test(l)))
  )
    return 'wos-plain';
  if (/^PMID- ?\d/.test(firstLine) || lines.some((l) => /^PMID- ?\d/.test(l))) {
    if (!lines.some((l) => /^TY {1,4}-/.test(l))) return 'medline';
  }
  if (lines.some((l) => /^[ \t]{0,2}TY[ \t]{1,4}-/.test(l))) return 'ris';
  if (/^@\s*[A-Za-z]+\s*[{(]/m.test(head) && /^\s*(%.*\n\s*)*@/.test(head)) return 'bibtex';
  if (/[,;\t]/.test(firstLine) && !/^[A-Z][A-Z0-9] {1,4}- /.test(firstLine)) return 'csv';
  throw new WinnowError(
    'UNSUPPORTED_FORMAT',
    `${fileName ?? 'input'}: format not recognised from its content (expected RIS, MEDLINE, PubMed XML, EndNote XML, Web of Science, CSV/TSV or BibTeX)`,
    {
      // The whole file, not one line of it: no line number says where.
      location: { file: fileName },
    },
  );
}
