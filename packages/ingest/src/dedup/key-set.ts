import type { DedupInput } from './dedupe.types.ts';
import { KeyPool, pooledMatchKeys, type MatchFields, type MatchKeys } from './match-keys.ts';

/** A record as the key phase of a run reads it: its match fields, not the whole record. */
export interface KeyInput extends Omit<DedupInput, 'record'> {
  record: MatchFields & { source?: { database?: string; format: string } };
}

const SCREENED = 1;
const QUEUED = 2;

/**
 * What a dedup run holds for every record (issue 18): its id, its match keys and, in typed
 * arrays, where it came from and whether it is screened or queued. Records are added as they are
 * read and can be dropped at once; the whole record is read again only for records that end up in
 * a group (kept choice and canonical record).
 */
export class KeySet {
  readonly ids: string[] = [];
  keys: MatchKeys[] = [];
  /** Shares equal key parts while records are added; dropped by `done`. */
  private pool: KeyPool | undefined = new KeyPool();
  private readonly sourceNames: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  private sources = new Int32Array(1024);
  private flags = new Uint8Array(1024);

  get size(): number {
    return this.ids.length;
  }

  add(input: KeyInput): void {
    const i = this.ids.length;
    if (i === this.sources.length) {
      const sources = new Int32Array(i * 2);
      sources.set(this.sources);
      this.sources = sources;
      const flags = new Uint8Array(i * 2);
      flags.set(this.flags);
      this.flags = flags;
    }
    this.ids.push(input.id);
    this.pool ??= new KeyPool();
    this.keys.push(pooledMatchKeys(input.record, this.pool));
    const name = input.source ?? input.record.source?.database ?? input.record.source?.format ?? '';
    let s = this.sourceIndex.get(name);
    if (s === undefined) {
      s = this.sourceNames.length;
      this.sourceNames.push(name);
      this.sourceIndex.set(name, s);
    }
    this.sources[i] = s;
    this.flags[i] = (input.screened ? SCREENED : 0) | (input.queued ? QUEUED : 0);
  }

  /** Every record is in: the pool's maps go (the keys keep what they share). */
  done(): void {
    this.pool = undefined;
  }

  source(i: number): string {
    return this.sourceNames[this.sources[i]!]!;
  }

  screened(i: number): boolean {
    return (this.flags[i]! & SCREENED) !== 0;
  }

  queued(i: number): boolean {
    return (this.flags[i]! & QUEUED) !== 0;
  }

  /** Position of each id, found by binary search over the ids sorted once (no map of a million strings). */
  indexOf(): (id: string) => number | undefined {
    const ids = this.ids;
    const order = new Int32Array(ids.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b));
    return (id) => {
      let lo = 0;
      let hi = order.length - 1;
      let found: number | undefined;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = ids[order[mid]!]!;
        if (at < id) lo = mid + 1;
        else if (at > id) hi = mid - 1;
        else {
          // Equal ids: the last one wins, as a map filled in record order would have it.
          found = order[mid]!;
          lo = mid + 1;
        }
      }
      return found;
    };
  }
}
