import { emptyFields, type RecordFields } from '../normalise/build-record.ts';

/** Web of Science field tags, shared by plain-text and tab-delimited exports. */
export function wosFields(get: (tag: string) => string[]): RecordFields {
  const f = emptyFields();
  // Loops rather than flatMap chains: these run for a dozen tags of every record.
  const split = (tags: string[]): string[] => {
    const out: string[] = [];
    for (const tag of tags)
      for (const v of get(tag)) {
        if (v.indexOf(';') === -1) {
          const t = v.trim();
          if (t) out.push(t);
        } else
          for (const part of v.split(';')) {
            const t = part.trim();
            if (t) out.push(t);
          }
      }
    return out;
  };
  const one = (...tags: string[]): string | undefined => {
    for (const tag of tags) for (const v of get(tag)) if (v.trim()) return v;
    return undefined;
  };
  f.titles = get('TI');
  f.abstracts = get('AB');
  const full = split(['AF']);
  f.authors = full.length ? full : split(['AU']);
  if (!f.authors.length) f.authors = split(['CA', 'GP']);
  f.dates = [...get('PY'), ...get('PD'), ...get('EA')];
  f.journals = [...get('SO'), ...get('SE')];
  f.journalAbbrevs = [...get('JI'), ...get('J9')];
  f.publishers = get('PU');
  f.volume = one('VL');
  f.issue = one('IS');
  const bp = one('BP');
  // WoS prefixes some article numbers with `UNSP ` (unspecified).
  f.startPage = bp ?? one('AR')?.replace(/^UNSP\s+/, '');
  if (bp) f.endPage = one('EP');
  f.dois = get('DI');
  f.doiElsewhere = get('D2');
  f.pmids = get('PM');
  f.issnIsbn = [...get('SN'), ...get('EI'), ...get('BN')];
  f.keywords = split(['DE', 'ID']);
  f.mesh = split(['MH', 'MQ']);
  f.languages = get('LA');
  const pt = one('PT')?.trim();
  f.typeCode = pt
    ? ({ J: 'JOUR', B: 'BOOK', S: 'JOUR', C: 'CONF', P: 'GEN' } as Record<string, string>)[pt]
    : undefined;
  f.publicationTypes = split(['DT']);
  const ut = one('UT') ?? one('AN') ?? '';
  f.database = /^ZOOR/i.test(ut)
    ? 'Zoological Record'
    : /^WOS:/i.test(ut)
      ? 'Web of Science Core Collection'
      : /^MEDLINE:/i.test(ut)
        ? 'MEDLINE'
        : undefined;
  f.platform = 'Web of Science';
  return f;
}
