export interface LeaveOneOutFold<T> {
  readonly heldOut: T;
  readonly training: readonly T[];
}

/** One fold per item: that item held out, the rest to choose settings on. */
export function leaveOneSetOut<T>(sets: readonly T[]): LeaveOneOutFold<T>[] {
  return sets.map((heldOut, i) => ({ heldOut, training: sets.filter((_, j) => j !== i) }));
}

/**
 * The candidate with the best mean score over the training sets (ties go to the earlier candidate,
 * so list the default first). `score(candidate, set)` is the in-sample figure of that setting on a set.
 */
export function chooseOnTraining<C, T>(
  candidates: readonly C[],
  training: readonly T[],
  score: (candidate: C, set: T) => number,
): C {
  let best: C | undefined;
  let bestMean = -Infinity;
  for (const c of candidates) {
    let sum = 0;
    for (const t of training) sum += score(c, t);
    const mean = training.length > 0 ? sum / training.length : 0;
    if (best === undefined || mean > bestMean) {
      best = c;
      bestMean = mean;
    }
  }
  if (best === undefined) throw new Error('chooseOnTraining needs at least one candidate setting');
  return best;
}
