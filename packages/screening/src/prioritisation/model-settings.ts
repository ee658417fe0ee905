import type { Classifier } from './classifier.types.ts';
import { withDynamicResampling } from './dynamic-resampling.ts';
import { ensembleClassifier } from './ensemble.ts';
import { internalCvClassifier } from './internal-cv.ts';
import { logisticRegressionClassifier } from './logistic-regression.ts';
import { naiveBayesClassifier } from './naive-bayes.ts';
import { withPresumedIrrelevant } from './presumed.ts';
import { DEFAULT_SVM, svmClassifier, type SvmOptions } from './svm.ts';
import type { TfidfOptions } from './tfidf.ts';

export type ModelKind = 'svm' | 'naive-bayes' | 'ensemble';

/** The part of a stage's prioritisation settings that decides the model and its features. */
export interface ModelSettings {
  classifier: ModelKind;
  /** Drug-class terms from INN stems (drug-stems.ts): they help drug reviews only. */
  drugClasses: boolean;
  /** Class balancing: fixed relevant weight (the SVM's ratio) or dynamic resampling per retrain. */
  balance: 'weights' | 'dynamic-resampling';
  /** Let each review choose among SVM, ensemble and naive Bayes from its own labels (internal-cv.ts). */
  internalCv: boolean;
  /**
   * SVM C and relevant weight ratio, and the presumed-irrelevant count (which the ensemble's members
   * share too). Bench grid only; the settings page does not offer them.
   */
  svm?: Partial<Pick<SvmOptions, 'c' | 'relevantRatio' | 'presumedIrrelevant'>>;
}

export function tfidfFor(s: Pick<ModelSettings, 'drugClasses'>): Partial<TfidfOptions> {
  return { maxDf: 0.95, drugClasses: s.drugClasses };
}

function single(kind: ModelKind, s: ModelSettings, tfidf: Partial<TfidfOptions>): Classifier {
  const presumed = s.svm?.presumedIrrelevant ?? DEFAULT_SVM.presumedIrrelevant;
  const resample = (c: Classifier) => (s.balance === 'dynamic-resampling' ? withDynamicResampling(c) : c);
  const svmRaw = () => svmClassifier({ ...s.svm, presumedIrrelevant: 0 }, tfidf);
  switch (kind) {
    case 'svm':
      return withPresumedIrrelevant(resample(svmRaw()), presumed);
    case 'naive-bayes':
      return { ...resample(naiveBayesClassifier()), tfidf };
    case 'ensemble':
      // Presumed-irrelevant records are drawn once and shown to every member.
      return withPresumedIrrelevant(
        ensembleClassifier([
          resample(svmRaw()),
          resample(naiveBayesClassifier()),
          resample(logisticRegressionClassifier()),
        ]),
        presumed,
      );
  }
}

/**
 * The classifier a stage's settings describe, for the live retrain, the simulation and the bench
 * alike. With internal cross-validation the configured model is the first candidate (it serves
 * until the review has enough relevant labels) and the other two follow.
 */
export function classifierFromSettings(s: ModelSettings): Classifier {
  const tfidf = tfidfFor(s);
  const withTfidf = (c: Classifier): Classifier => ({ ...c, tfidf, train: c.train });
  if (!s.internalCv) return withTfidf(single(s.classifier, s, tfidf));
  const kinds: ModelKind[] = [
    s.classifier,
    ...(['svm', 'ensemble', 'naive-bayes'] as const).filter((k) => k !== s.classifier),
  ];
  return withTfidf(internalCvClassifier(kinds.map((k) => single(k, s, tfidf))));
}

/**
 * What a stored model records as its classifier: the model kind plus each switch that is on
 * ("svm", "svm+drug-classes+internal-cv"), so changing any switch makes the next retrain due.
 */
export function modelKey(
  s: Pick<ModelSettings, 'classifier' | 'drugClasses' | 'balance' | 'internalCv'>,
): string {
  const parts: string[] = [s.classifier];
  if (s.drugClasses) parts.push('drug-classes');
  if (s.balance === 'dynamic-resampling') parts.push('dynamic-resampling');
  if (s.internalCv) parts.push('internal-cv');
  return parts.join('+');
}
