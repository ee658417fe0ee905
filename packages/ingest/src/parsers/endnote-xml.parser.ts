import { buildRecord, emptyFields, type RecordFields } from '../normalise/build-record.ts';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './limits.ts';
import type { FormatReader, RecordSink } from './reader.types.ts';
import { readXmlRecord } from './xml-repair.ts';
import { all, kid, markup, text, type XmlNode } from './xml-tree.ts';
import { XmlRecordSplitter } from './xml-splitter.ts';

const PUBMED_LIKE = /pubmed|medline|nlm/i;

/** EndNote XML (EndNote, Zotero, Mendeley): values may be wrapped in `<style face=...>`. */
export function endnoteFields(rec: XmlNode): RecordFields {
  const f = emptyFields();
  const t = (...path: string[]): string => text(kid(rec, ...path)).trim();
  f.titles = [markup(kid(rec, 'titles', 'title'))];
  f.abstracts = [markup(kid(rec, 'abstract'))];
  f.authors = all(rec, 'contributors', 'authors', 'author').map(text);
  f.dates = [t('dates', 'year'), t('dates', 'pub-dates', 'date')];
  f.journals = [
    t('periodical', 'full-title'),
    t('titles', 'secondary-title'),
    t('alt-periodical', 'full-title'),
  ];
  f.journalAbbrevs = [t('periodical', 'abbr-1'), t('titles', 'alt-title'), t('alt-periodical', 'abbr-1')];
  f.publishers = [t('publisher')];
  f.volume = t('volume');
  f.issue = t('issue') || t('number');
  f.pages = t('pages') || undefined;
  f.dois = [t('electronic-resource-num')];
  f.doiElsewhere = [...all(rec, 'urls', 'related-urls', 'url').map(text), t('notes'), t('custom1')];
  const database = t('remote-database-name');
  const platform = t('remote-database-provider');
  const accession = t('accession-num');
  if (PUBMED_LIKE.test(`${database} ${platform}`) || /^\d{6,8}$/.test(accession)) f.pmids = [accession];
  const pmidNote = /PMID:?\s*(\d{1,9})/i.exec(t('notes'));
  if (pmidNote) f.pmids.push(pmidNote[1]!);
  f.pmcids = [t('custom2'), t('notes')];
  f.issnIsbn = [t('isbn')];
  f.keywords = all(rec, 'keywords', 'keyword').map(text);
  f.languages = [t('language')];
  const refType = kid(rec, 'ref-type');
  f.publicationTypes = [refType?.$?.name ?? '', t('work-type')].filter(Boolean);
  f.urls = all(rec, 'urls', 'related-urls', 'url').map(text);
  f.database = database || undefined;
  f.platform = platform || undefined;
  return f;
}

export function createEndnoteXmlReader(
  sink: RecordSink,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): FormatReader {
  let index = 0;
  const splitter = new XmlRecordSplitter(
    ['record'],
    sink,
    (xml, line, cutOff) => {
      index++;
      const el = readXmlRecord(xml, line, index, sink, cutOff);
      if (!el) return;
      const { record, diagnostics } = buildRecord(endnoteFields(el), {
        format: 'endnote-xml',
        raw: xml,
        index,
        line,
        limits,
      });
      for (const d of diagnostics) sink.diagnostic(d);
      sink.record({ record, index, line });
    },
    limits,
  );
  return { push: (t) => splitter.push(t), end: () => splitter.end() };
}
