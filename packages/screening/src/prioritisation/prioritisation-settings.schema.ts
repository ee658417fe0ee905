import { z } from 'zod';

/** Per review and stage; stored in prioritisation_settings. */
export const prioritisationSettingsSchema = z.object({
  /** Retrain once this many more records have settled at the stage than the latest model used. */
  retrainEvery: z.number().int().min(1).max(10_000).default(5),
  /** Share of each reviewer's queue served at random rather than by score (exploration). */
  randomShare: z.number().min(0).max(1).default(0),
  targetRecall: z.number().gt(0).max(1).default(0.95),
  confidence: z.number().gt(0).lt(1).default(0.95),
  classifier: z.enum(['svm', 'naive-bayes']).default('svm'),
});
export type PrioritisationSettings = z.infer<typeof prioritisationSettingsSchema>;
