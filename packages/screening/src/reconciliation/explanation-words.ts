import type { Destination } from '../stages/stage.types.ts';

/** Who voted, counted in words: "the reviewer", "both reviewers", "all 3 reviewers". */
export function reviewersWords(n: number): string {
  if (n === 1) return 'the reviewer';
  if (n === 2) return 'both reviewers';
  return `all ${n} reviewers`;
}

/** Where an included record goes, in words: "moves to full-text assessment", "included in the review". */
export function destinationWords(to: Destination | string): string {
  switch (to) {
    case 'full-text':
      return 'moves to full-text assessment';
    case 'title-abstract':
      return 'moves to title and abstract screening';
    case 'included':
      return 'included in the review';
    default:
      return `moves to ${to.replace(/[-_]+/g, ' ')}`;
  }
}

/**
 * An explanation stored before outcomes were worded ("all 2 reviewers voted include: moves to
 * full-text") in today's words ("both reviewers voted include: moves to full-text assessment").
 * Today's explanations come back as they are.
 */
export function explanationWords(text: string): string {
  return text
    .replace(/\ball (\d+) reviewers voted\b/u, (_, n: string) => `${reviewersWords(Number(n))} voted`)
    .replace(/: moves to ([a-z-]+)$/u, (_, to: string) => `: ${destinationWords(to)}`)
    .replace(/ by adjudicator\b/u, ' by an adjudicator');
}
