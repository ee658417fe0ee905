import type { Tier } from './scoring.ts';

/**
 * The candidate pairs a run keeps (certain or uncertain), as parallel typed arrays in the order
 * they were found: no object per pair (issue 18). Reasons repeat across pairs and are held once.
 */
export class PairTable {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  score = new Float64Array(1024);
  /** 1 when certain, 0 when uncertain. */
  certain = new Uint8Array(1024);
  reasonOf = new Int32Array(1024);
  length = 0;
  private readonly reasons: string[] = [];
  private readonly reasonIndex = new Map<string, number>();

  push(a: number, b: number, tier: Exclude<Tier, 'distinct'>, score: number, reason: string): void {
    if (this.length === this.a.length) this.grow();
    const k = this.length++;
    this.a[k] = a;
    this.b[k] = b;
    this.score[k] = score;
    this.certain[k] = tier === 'certain' ? 1 : 0;
    this.reasonOf[k] = this.intern(reason);
  }

  tier(k: number): Exclude<Tier, 'distinct'> {
    return this.certain[k] === 1 ? 'certain' : 'uncertain';
  }

  reason(k: number): string {
    return this.reasons[this.reasonOf[k]!]!;
  }

  intern(reason: string): number {
    let r = this.reasonIndex.get(reason);
    if (r === undefined) {
      r = this.reasons.length;
      this.reasons.push(reason);
      this.reasonIndex.set(reason, r);
    }
    return r;
  }

  reasonAt(r: number): string {
    return this.reasons[r]!;
  }

  private grow(): void {
    const size = this.a.length * 2;
    const a = new Int32Array(size);
    a.set(this.a);
    this.a = a;
    const b = new Int32Array(size);
    b.set(this.b);
    this.b = b;
    const score = new Float64Array(size);
    score.set(this.score);
    this.score = score;
    const certain = new Uint8Array(size);
    certain.set(this.certain);
    this.certain = certain;
    const reasonOf = new Int32Array(size);
    reasonOf.set(this.reasonOf);
    this.reasonOf = reasonOf;
  }
}
