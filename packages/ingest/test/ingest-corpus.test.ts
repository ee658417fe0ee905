import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseByteStream, type NormalisedRecord } from '../src/index.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const corpus = path.resolve(root, '../shared/corpus');
const present = existsSync(path.join(corpus, 'MANIFEST.tsv'));
if (!present)
  console.warn(`ingest corpus tests skipped: ${corpus} is absent (it is not part of the repository)`);

const manifest = present
  ? readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
  : [];

const parsed = new Map<string, ReturnType<typeof parseUncached>>();
function parseFile(rel: string) {
  if (!parsed.has(rel)) parsed.set(rel, parseUncached(rel));
  return parsed.get(rel)!;
}

async function parseUncached(rel: string) {
  const records: NormalisedRecord[] = [];
  let format = '';
  let errors = 0;
  for await (const b of parseByteStream('auto', createReadStream(path.join(corpus, rel)), {
    fileName: rel,
  })) {
    format = b.format;
    records.push(...b.records.map((r) => r.record));
    errors += b.diagnostics.filter((d) => d.severity === 'error').length;
  }
  return { format, records, errors };
}

describe.skipIf(!present)('real exports in ../shared/corpus', () => {
  it.each(manifest.map(([p, format, count]) => [p!, format!, Number(count)] as const))(
    '%s: detected as %s with %i records',
    async (rel, format, count) => {
      const out = await parseFile(rel);
      expect(out.format).toBe(format);
      expect(out.records).toHaveLength(count);
      expect(out.errors).toBe(0);
    },
  );

  // Spot checks: first record of one file per format/exporter, values read off the files by hand.
  const spots: Array<
    [string, number, Partial<NormalisedRecord> & { firstAuthor?: string; abstractStart?: string }]
  > = [
    [
      'ingest/asreview/ovid_psycinfo.ris',
      0,
      {
        title:
          'The influence of self-criticism on depression symptoms among ambulatory patients with inflammatory bowel disease.',
        firstAuthor: 'Trindade',
        year: 2019,
        doi: '10.1002/cpp.2398',
        abstractStart: 'Considering that self-criticism',
      },
    ],
    [
      'ingest/asreview/embase.ris',
      0,
      {
        title: 'Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound',
        firstAuthor: 'Liu',
        year: 2014,
        doi: '10.4103/2303-9027.138783',
        abstractStart: 'Gastrointestinal tract duplication cysts',
      },
    ],
    [
      'ingest/asreview/embase.csv',
      0,
      {
        title: 'Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound',
        firstAuthor: 'Liu',
        year: 2014,
        journal: 'Endoscopic Ultrasound',
      },
    ],
    [
      'ingest/asreview/scopus.ris',
      0,
      {
        title:
          'Stress and the brain-gut axis in functional and chronic-inflammatory gastrointestinal diseases: A transdisciplinary challenge',
        firstAuthor: 'Labanski',
        year: 2020,
        doi: '10.1016/j.psyneuen.2019.104501',
        abstractStart: 'The broad role of stress',
      },
    ],
    [
      'ingest/asreview/pubmed.xml',
      0,
      {
        title: 'A new decompression device for treating odontogenic cysts using a silicone tube.',
        firstAuthor: 'Kimura',
        year: 2019,
        doi: '10.1016/j.bjoms.2019.09.011',
        pmid: '31690499',
      },
    ],
    [
      'ingest/asreview/pubmed_endnote.txt',
      0,
      {
        firstAuthor: 'Abdel-Tawab',
        year: 2011,
        doi: '10.2165/11586800-000000000-00000',
        pmid: '21553931',
        abstractStart: 'Non-steroidal anti-inflammatory drug (NSAID) intake',
      },
    ],
    [
      'ingest/asreview/web_of_science.txt',
      0,
      {
        title: 'Holding Yourself Captive: Perceptions of Custody During Interviews and Interrogations',
        firstAuthor: 'Alceste',
        year: 2018,
        doi: '10.1016/j.jarmac.2018.03.001',
        abstractStart: 'Police custody activates',
      },
    ],
    [
      'ingest/asreview/ris_issue_992.txt',
      0,
      { title: 'Overcoming Medication Reconciliation Challenges', year: 2011 },
    ],
    [
      'ingest/synthesisr/PubMed_example.txt',
      0,
      {
        title:
          'Differences in nitrate and phosphorus export between wooded and grassed riparian zones from farmland to receiving waterways under varying rainfall conditions.',
        firstAuthor: 'Neilen',
        year: 2017,
        doi: '10.1016/j.scitotenv.2017.04.075',
        pmid: '28441597',
        abstractStart: 'Agricultural activities in catchments',
      },
    ],
    [
      'ingest/synthesisr/WoS_ciw_example.ciw',
      0,
      {
        title:
          'Soil fauna diversity at different stages of reed restoration in a lakeshore wetland at Lake Taihu, China',
        firstAuthor: 'Li',
        year: 2020,
        doi: '10.1080/20964129.2020.1722034',
        abstractStart: 'Introduction: Wetland soil fauna',
      },
    ],
    [
      'ingest/synthesisr/Scopus_bib_example.bib',
      0,
      {
        title:
          'Soil fauna diversity at different stages of reed restoration in a lakeshore wetland at Lake Taihu, China',
        firstAuthor: 'Li',
        year: 2020,
        doi: '10.1080/20964129.2020.1722034',
        abstractStart: 'Introduction: Wetland soil fauna',
      },
    ],
    [
      'ingest/synthesisr/ASP_ris_example.ris',
      0,
      {
        firstAuthor: 'Rodríguez-Pastor',
        year: 2016,
        doi: '10.1016/j.agee.2016.06.041',
        abstractStart: 'Small rodents are common inhabitants',
      },
    ],
    [
      'ingest/litsearchr/zoorec.txt',
      0,
      {
        title: 'Nest site selection and nest survival of Black-backed Woodpeckers after wildfire.',
        firstAuthor: 'Stillman',
        year: 2019,
        abstractStart: 'Recently burned coniferous forests',
      },
    ],
    [
      'ingest/litsearchr/WoS_corecollection.txt',
      0,
      {
        firstAuthor: 'Roach',
        year: 2019,
        doi: '10.1016/j.foreco.2018.12.057',
        abstractStart: 'Restoration is underway',
      },
    ],
    [
      'ingest/litsearchr/scopus.csv',
      0,
      {
        title: 'Adult bobcat (Lynx rufus) habitat selection in a longleaf pine savanna',
        firstAuthor: 'Little',
        year: 2018,
        doi: '10.1186/s13717-018-0129-5',
        abstractStart: 'Background: Pine savannas',
      },
    ],
    [
      'ingest/asysd/zotero_export.xml',
      0,
      {
        title: 'Myoclonus in older Cavalier King Charles Spaniels.',
        firstAuthor: 'Rotter',
        year: 2022,
        doi: '10.1111/jvim.16404',
        abstractStart: 'BACKGROUND: Myoclonus is observed',
      },
    ],
    [
      'ingest/asysd/mendeley_export.xml',
      0,
      {
        title: 'Myoclonus in older Cavalier King Charles Spaniels.',
        firstAuthor: 'Rotter',
        year: 2022,
        doi: '10.1111/jvim.16404',
        pmid: '35319117',
      },
    ],
    [
      'ingest/asysd/zotero_export.csv',
      0,
      {
        title: 'Myoclonus in older Cavalier King Charles Spaniels.',
        firstAuthor: 'Rotter',
        year: 2022,
        doi: '10.1111/jvim.16404',
      },
    ],
    [
      'ingest/asysd/zotero_export.bib',
      0,
      {
        title: 'Microangiography of the humeral condyle in Cocker Spaniel and non-Cocker Spaniel dogs',
        firstAuthor: 'Larsen',
        year: 1999,
        abstractStart: 'The purpose of this study',
      },
    ],
    [
      'ingest/asysd/zotero_export.ris',
      0,
      {
        title: 'Microangiography of the humeral condyle in Cocker Spaniel and non-Cocker Spaniel dogs',
        firstAuthor: 'Larsen',
        year: 1999,
        abstractStart: 'The purpose of this study',
      },
    ],
  ];

  it.each(spots)('%s record %i has the expected fields', async (rel, i, want) => {
    const { records } = await parseFile(rel);
    const r = records[i]!;
    const { firstAuthor, abstractStart, ...fields } = want;
    expect(r).toMatchObject(fields);
    if (firstAuthor) expect(r.authors[0]?.family).toBe(firstAuthor);
    if (abstractStart) expect(r.abstract?.startsWith(abstractStart)).toBe(true);
  });
});
