import { stageCounts } from '@winnow/screening';
import type { StatusContributor } from './status-contributors.ts';

/** Records per screening stage and state; stage-wide counts reveal no single vote (see blinding.policy.ts). */
export const screeningStatus: StatusContributor = async (db, reviewId) => {
  const counts = await stageCounts(db, reviewId);
  return { screeningTitleAbstract: counts['title-abstract'], screeningFullText: counts['full-text'] };
};
