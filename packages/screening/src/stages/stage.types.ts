/** The two screening stages; extraction follows full text but is configured elsewhere. */
export const STAGES = ['title-abstract', 'full-text'] as const;
export type Stage = (typeof STAGES)[number];

export const VOTES = ['include', 'exclude', 'maybe'] as const;
export type Vote = (typeof VOTES)[number];

/** Where a record goes once a stage settles it as included. */
export type Destination = Stage | 'included';

export function nextDestination(stage: Stage): Destination {
  return stage === 'title-abstract' ? 'full-text' : 'included';
}

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}
