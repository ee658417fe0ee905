import { z } from 'zod';

/**
 * Per review and stage; stored in prioritisation_settings (JSON, so a new field needs no migration:
 * stored settings without it read as its default). The model defaults are those the
 * leave-one-set-out cross-validation in docs/benchmarks.md selects; each can be turned on per stage.
 */
export const prioritisationSettingsSchema = z.object({
  /** Retrain once this many more records have settled at the stage than the latest model used. */
  retrainEvery: z.number().int().min(1).max(10_000).default(5),
  /** Share of each reviewer's queue served at random rather than by score (exploration). */
  randomShare: z.number().min(0).max(1).default(0),
  targetRecall: z.number().gt(0).max(1).default(0.95),
  confidence: z.number().gt(0).lt(1).default(0.95),
  classifier: z.enum(['svm', 'naive-bayes', 'ensemble']).default('svm'),
  /**
   * Drug-class terms from INN stems. On by default: leave-one-set-out CV chose them in every fold
   * (docs/benchmarks.md) and they change nothing on the non-drug set; a lead can turn them off.
   */
  drugClasses: z.boolean().default(true),
  /** Fixed class weights, or ASReview-style dynamic resampling at each retrain. */
  balance: z.enum(['weights', 'dynamic-resampling']).default('weights'),
  /** Let the review choose its model from its own labels once it has 5 relevant ones. */
  internalCv: z.boolean().default(false),
});
export type PrioritisationSettings = z.infer<typeof prioritisationSettingsSchema>;

/** The model part of the defaults (what a review gets unless a lead changes it). */
export const DEFAULT_PRIORITISATION_SETTINGS: PrioritisationSettings = prioritisationSettingsSchema.parse({});
