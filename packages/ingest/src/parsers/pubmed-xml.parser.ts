import { buildRecord, emptyFields, type RecordFields } from '../normalise/build-record.ts';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './limits.ts';
import type { FormatReader, RecordSink } from './reader.types.ts';
import { readXmlRecord } from './xml-repair.ts';
import { all, kid, kids, markup, text, type XmlNode } from './xml-tree.ts';
import { XmlRecordSplitter } from './xml-splitter.ts';

function authorName(a: XmlNode): string {
  const collective = text(kid(a, 'CollectiveName')).trim();
  if (collective) return collective;
  const last = text(kid(a, 'LastName')).trim();
  const given = text(kid(a, 'ForeName')).trim() || text(kid(a, 'Initials')).trim();
  return given ? `${last}, ${given}` : last;
}

function abstractOf(abs: XmlNode | undefined): string {
  return kids(abs, 'AbstractText')
    .map((t) => {
      const label = t.$?.Label;
      const body = markup(t).trim();
      return label ? `${label}: ${body}` : body;
    })
    .join(' ');
}

function dateOf(pubDate: XmlNode | undefined): string {
  return text(kid(pubDate, 'Year')) || text(kid(pubDate, 'MedlineDate'));
}

export function pubmedFields(el: XmlNode): RecordFields {
  const f = emptyFields();
  const ids = all(el, 'PubmedData', 'ArticleIdList', 'ArticleId').concat(
    all(el, 'PubmedBookData', 'ArticleIdList', 'ArticleId'),
  );
  const idOf = (type: string): string[] => ids.filter((i) => i.$?.IdType === type).map(text);
  if (el['#name'] === 'PubmedBookArticle') {
    const doc = kid(el, 'BookDocument');
    const book = kid(doc, 'Book');
    f.titles = [markup(kid(doc, 'ArticleTitle')), markup(kid(book, 'BookTitle'))];
    f.abstracts = [abstractOf(kid(doc, 'Abstract'))];
    f.authors = all(doc, 'AuthorList', 'Author').map(authorName);
    if (!f.authors.length) f.authors = all(book, 'AuthorList', 'Author').map(authorName);
    f.dates = [dateOf(kid(book, 'PubDate'))];
    f.pmids = [text(kid(doc, 'PMID'))];
    f.issnIsbn = all(book, 'Isbn').map(text);
    f.publishers = all(book, 'Publisher', 'PublisherName').map(text);
    f.dois = all(doc, 'ELocationID')
      .filter((e) => e.$?.EIdType === 'doi')
      .map(text);
    f.keywords = all(doc, 'KeywordList', 'Keyword').map(text);
    f.languages = all(doc, 'Language').map(text);
    f.publicationTypes = all(doc, 'PublicationType').map(text);
    f.typeCode = kid(doc, 'ArticleTitle') ? 'CHAP' : 'BOOK';
  } else {
    const cit = kid(el, 'MedlineCitation');
    const art = kid(cit, 'Article');
    const journal = kid(art, 'Journal');
    const issue = kid(journal, 'JournalIssue');
    f.titles = [markup(kid(art, 'ArticleTitle')), markup(kid(art, 'VernacularTitle'))];
    f.abstracts = [abstractOf(kid(art, 'Abstract'))];
    f.authors = all(art, 'AuthorList', 'Author').map(authorName);
    f.dates = [dateOf(kid(issue, 'PubDate')), text(kid(art, 'ArticleDate', 'Year'))];
    f.journals = [text(kid(journal, 'Title'))];
    f.journalAbbrevs = [
      text(kid(journal, 'ISOAbbreviation')),
      text(kid(cit, 'MedlineJournalInfo', 'MedlineTA')),
    ];
    f.volume = text(kid(issue, 'Volume'));
    f.issue = text(kid(issue, 'Issue'));
    f.pages = text(kid(art, 'Pagination', 'MedlinePgn')) || undefined;
    if (!f.pages) f.startPage = text(kid(art, 'Pagination', 'StartPage'));
    f.dois = kids(art, 'ELocationID')
      .filter((e) => e.$?.EIdType === 'doi')
      .map(text);
    f.pmids = [text(kid(cit, 'PMID'))];
    f.issnIsbn = [...kids(journal, 'ISSN').map(text), text(kid(cit, 'MedlineJournalInfo', 'ISSNLinking'))];
    f.keywords = all(cit, 'KeywordList', 'Keyword').map(text);
    f.mesh = all(cit, 'MeshHeadingList', 'MeshHeading', 'DescriptorName').map(text);
    f.languages = kids(art, 'Language').map(text);
    f.publicationTypes = all(art, 'PublicationTypeList', 'PublicationType').map(text);
  }
  f.dois.push(...idOf('doi'));
  f.pmids.push(...idOf('pubmed'));
  f.pmcids = idOf('pmc');
  f.database = 'PubMed';
  return f;
}

export function createPubmedXmlReader(
  sink: RecordSink,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): FormatReader {
  let index = 0;
  const splitter = new XmlRecordSplitter(
    ['PubmedArticle', 'PubmedBookArticle'],
    sink,
    (xml, line, cutOff) => {
      index++;
      const el = readXmlRecord(xml, line, index, sink, cutOff);
      if (!el) return;
      const { record, diagnostics } = buildRecord(pubmedFields(el), {
        format: 'pubmed-xml',
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
