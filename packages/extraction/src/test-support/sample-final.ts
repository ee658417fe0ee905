import { loadDefaultCodebook } from '../codebook/default-codebook.ts';
import { buildConsensus, finaliseConsensus, type ConsensusRecord } from '../coding/consensus.ts';
import type { FieldValues } from '../coding/coding.types.ts';
import { sampleCodings } from './sample-codings.ts';

const resolutions: Record<string, FieldValues> = {
  S1: { improvement_approach: { type: 'multi_choice', options: ['lean', 'six_sigma'] } },
  S2: {
    geography: { type: 'single_choice', option: 'single_country.england' },
    influences: {
      type: 'code_tree',
      applications: [
        { code: 'relationships.open_discussion', quotes: [{ text: '-candid talk helped', page: 2 }] },
        {
          code: 'ppi.early_involvement',
          quotes: [{ text: 'patients joined early', page: 3, location: 'Box 2' }],
        },
      ],
    },
  },
  S3: {},
};

/** Consensus records for the three sample studies, as a lead would finalise them. */
export function sampleConsensus(): ConsensusRecord[] {
  const book = loadDefaultCodebook();
  return ['S1', 'S2', 'S3'].map((s) =>
    finaliseConsensus(
      book,
      buildConsensus(
        book,
        sampleCodings.filter((c) => c.studyId === s),
      ),
      resolutions[s] ?? {},
      'lead',
      '2026-01-01T00:00:00Z',
    ),
  );
}

/** Consensus records in the shape exports take (coder = who finalised). */
export function sampleFinal(): Array<{
  studyId: string;
  coderId: string;
  codebookVersion: number;
  values: FieldValues;
}> {
  return sampleConsensus().map((c) => ({
    studyId: c.studyId,
    coderId: 'consensus',
    codebookVersion: c.codebookVersion,
    values: c.values,
  }));
}
