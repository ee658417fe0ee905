import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../command.ts';
import { runSimulate, simulationSettings } from './simulate.run.ts';

/** A small labelled set: relevant records talk about staffing and safety, the others about soil. */
function labelledCsv(): string {
  const rows = ['title,abstract,label_included'];
  for (let i = 0; i < 60; i++) {
    const relevant = i % 6 === 0;
    const words = relevant
      ? `nurse staffing levels and patient safety in hospital wards ${i}`
      : `soil erosion and crop rotation on farms in region ${i}`;
    rows.push(`"Study ${i}","${words}",${relevant ? 1 : 0}`);
  }
  return `${rows.join('\n')}\n`;
}

describe('winnow simulate settings', () => {
  it('defaults to the review defaults and reads each switch in words', () => {
    expect(simulationSettings({})).toEqual({
      classifier: 'svm',
      drugClasses: true,
      balance: 'weights',
      internalCv: false,
    });
    expect(
      simulationSettings({
        classifier: 'ensemble',
        'drug-classes': 'off',
        balance: 'dynamic-resampling',
        'internal-cv': 'on',
      }),
    ).toEqual({
      classifier: 'ensemble',
      drugClasses: false,
      balance: 'dynamic-resampling',
      internalCv: true,
    });
  });

  it('names the option and the words it takes when a value is wrong', () => {
    expect(() => simulationSettings({ classifier: 'forest' })).toThrow(
      /--classifier must be one of svm, naive-bayes, ensemble \(got forest\)/,
    );
    expect(() => simulationSettings({ 'drug-classes': 'yes' })).toThrow(
      /--drug-classes must be one of on, off/,
    );
  });

  it('replays the set with the model the options describe', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'winnow-simulate-'));
    const file = path.join(dir, 'set.csv');
    writeFileSync(file, labelledCsv());
    const ctx = {
      args: [file],
      opts: { seeds: '2', classifier: 'ensemble', balance: 'dynamic-resampling' },
    } as unknown as CommandContext;
    const result = await runSimulate(ctx);
    expect(result.classifier).toBe('ensemble+drug-classes+dynamic-resampling');
    expect(result.records).toBe(60);
    expect(result.relevant).toBe(10);
    expect(result.seeds).toHaveLength(2);
    // Words this separable put every relevant record first: nearly all the irrelevant ones are saved.
    expect(result.mean.wss95.mean).toBeGreaterThan(0.5);
  });
});
