import { describe, expect, it } from 'vitest';
import { classifierFromSettings, modelKey } from './model-settings.ts';
import {
  DEFAULT_PRIORITISATION_SETTINGS,
  prioritisationSettingsSchema,
} from './prioritisation-settings.schema.ts';

describe('model settings', () => {
  it('reads stored settings without the new switches as the defaults', () => {
    const s = prioritisationSettingsSchema.parse({ classifier: 'svm', retrainEvery: 5 });
    expect(s).toMatchObject({ drugClasses: true, balance: 'weights', internalCv: false });
  });

  it('names a model by its kind and each switch that is on', () => {
    expect(modelKey(DEFAULT_PRIORITISATION_SETTINGS)).toBe('svm+drug-classes');
    expect(modelKey({ ...DEFAULT_PRIORITISATION_SETTINGS, drugClasses: false })).toBe('svm');
    expect(
      modelKey({
        classifier: 'ensemble',
        drugClasses: true,
        balance: 'dynamic-resampling',
        internalCv: true,
      }),
    ).toBe('ensemble+drug-classes+dynamic-resampling+internal-cv');
  });

  it('builds the classifier the settings describe, with their features', () => {
    const base = DEFAULT_PRIORITISATION_SETTINGS;
    expect(classifierFromSettings(base).name).toBe('svm');
    expect(classifierFromSettings(base).tfidf).toEqual({ maxDf: 0.95, drugClasses: true });
    expect(classifierFromSettings({ ...base, drugClasses: false }).tfidf).toEqual({
      maxDf: 0.95,
      drugClasses: false,
    });
    expect(classifierFromSettings({ ...base, classifier: 'ensemble' }).name).toBe('ensemble');
    expect(classifierFromSettings({ ...base, balance: 'dynamic-resampling' }).name).toBe('svm+resampling');
    expect(classifierFromSettings({ ...base, internalCv: true }).name).toBe('internal-cv');
  });
});
