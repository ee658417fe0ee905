import { describe, expect, it } from 'vitest';
import type { NormalisedRecord } from '../record.types.ts';
import { dedupe, dedupeStream, type DedupSource } from './dedupe.ts';
import type { ManualDecision } from './dedupe.types.ts';
import { MATCH_FIELDS } from './match-keys.ts';
import { generateCollection } from './synthetic.ts';

/** A source as the database gives it: match fields only in batches, whole records on request. */
function sourceOf(inputs: ReturnType<typeof generateCollection>['inputs'], batch: number) {
  const asked: string[] = [];
  const source: DedupSource = {
    async *keys() {
      for (let i = 0; i < inputs.length; i += batch)
        yield inputs.slice(i, i + batch).map((r) => {
          const fields: Record<string, unknown> = {};
          for (const f of MATCH_FIELDS) if (r.record[f] !== undefined) fields[f] = r.record[f];
          return {
            id: r.id,
            record: fields as Pick<NormalisedRecord, (typeof MATCH_FIELDS)[number]>,
            source: r.source,
          };
        });
    },
    async records(ids) {
      asked.push(...ids);
      const byId = new Map(inputs.map((r) => [r.id, r.record]));
      return new Map(ids.map((id) => [id, byId.get(id)!]));
    },
  };
  return { source, asked };
}

describe('dedupeStream', () => {
  const { inputs } = generateCollection(3000, 11);

  it('gives what dedupe gives, reading whole records only for records in groups', async () => {
    const { source, asked } = sourceOf(inputs, 128);
    const streamed = await dedupeStream(source, [], [], { groupsPerRead: 50 });
    const whole = dedupe(inputs);
    expect(streamed).toEqual(whole);
    const grouped = whole.groups.flatMap((g) => g.members.map((m) => m.recordId));
    expect(whole.groups.length).toBeGreaterThan(100);
    expect([...asked].sort()).toEqual([...grouped].sort());
    expect(asked.length).toBeLessThan(inputs.length);
  });

  it('with reviewers decisions and previous groups, still what dedupe gives', async () => {
    const first = dedupe(inputs);
    const decisions: ManualDecision[] = first.groups.flatMap((g, k): ManualDecision[] => {
      const [a, b] = g.members.map((m) => m.recordId);
      return k % 5 === 0 && a && b ? [{ kind: 'different', a, b }] : [];
    });
    const previous = first.groups.map((g) => ({
      id: g.id,
      keptId: g.keptId,
      recordIds: g.members.map((m) => m.recordId),
    }));
    const { source } = sourceOf(inputs, 500);
    expect(await dedupeStream(source, decisions, previous)).toEqual(dedupe(inputs, decisions, previous));
  });

  it('gives the event loop turns while comparing, so a job keeps renewing its lock (issue 18), groups unchanged', async () => {
    const { source } = sourceOf(inputs, 1000);
    // Turns of the event loop counted from the end of reading keys to the first whole-record read:
    // that stretch is the comparison. It ran in one synchronous block before, starving BullMQ's
    // lock renewal (the PGlite dedup of 54,642 records stalled twice and failed).
    let turns = 0;
    let counting = false;
    const tick = (): void => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    let turnsWhenComparing = -1;
    const watched: DedupSource = {
      keys: () => source.keys(),
      records: async (ids) => {
        if (turnsWhenComparing < 0) turnsWhenComparing = turns;
        counting = false;
        return source.records(ids);
      },
    };
    const streamed = await dedupeStream(watched, [], [], {
      sliceMs: 0,
      onKeysRead: async () => {
        counting = true;
        setImmediate(tick);
      },
    });
    expect(turnsWhenComparing).toBeGreaterThan(10);
    expect(streamed).toEqual(dedupe(inputs));
  });

  it('says which record it could not read again', async () => {
    const { source } = sourceOf(inputs, 1000);
    const missing: DedupSource = { keys: () => source.keys(), records: async () => new Map() };
    await expect(dedupeStream(missing)).rejects.toThrow(
      /Record g\d+ was compared but could not be read again/,
    );
  });
});
