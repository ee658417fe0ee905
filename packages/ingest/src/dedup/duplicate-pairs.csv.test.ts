import { describe, expect, it } from 'vitest';
import { duplicatePairsCsv } from './duplicate-pairs.csv.ts';

const row = {
  record_a: 'a1',
  record_b: 'b1',
  source_file_a: '=HYPERLINK("http://x","y").ris',
  source_index_a: 3,
  source_file_b: 'embase, 2024.ris',
  source_index_b: 7,
  status: 'pending',
  score: 0.625,
  reason: 'same title; volumes differ',
};

describe('duplicate pairs CSV', () => {
  it('has exactly the issue’s columns, quotes commas and neutralises formulas in file names', () => {
    const lines = duplicatePairsCsv([row]).trim().split('\n');
    expect(lines[0]).toBe(
      'record_a,record_b,source_file_a,source_index_a,source_file_b,source_index_b,status,score,reason',
    );
    expect(lines[1]).toBe(
      `a1,b1,"'=HYPERLINK(""http://x"",""y"").ris",3,"embase, 2024.ris",7,pending,0.625,same title; volumes differ`,
    );
  });
});
