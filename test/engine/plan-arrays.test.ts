// A plan's typed columns made by its caller (PlanOptions.arrays: the plan worker frees them once a plan's reply is
// packed, src/console/worker/lent-arrays.ts). The plans are the reference engine's, byte for byte, when the arrays
// are reused from plan to plan (cleared, as the contract says), and a plan's detail and pools read after its arrays
// were given back throw rather than read empty columns.
import { describe, expect, it } from 'vitest';
import type { Plan, PlanArrays, State } from '../../src/engine/index.js';
import { beadBriefs, beadDetail, beadDetailParts, eachBeadFacts, plan } from '../../src/engine/index.js';
import { plan as referencePlan } from './reference/index.js';
// @ts-expect-error -- a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

const NOW = new Date('2026-05-06T02:13:00Z');

type Column = Int32Array | Uint8Array | Uint16Array;

/**
 * Arrays handed out again once `next()` says the last plan is read no more: the smallest given back that fits,
 * scribbled on meanwhile (as the next plan would), then cleared, unless `clear` is false.
 */
class Recycler implements PlanArrays {
  private given: Column[] = [];
  private back: Column[] = [];
  reused = 0;
  constructor(private readonly clear = true) {}

  int32(length: number): Int32Array {
    return this.take(length, Int32Array);
  }
  uint8(length: number): Uint8Array {
    return this.take(length, Uint8Array);
  }
  uint16(length: number): Uint16Array {
    return this.take(length, Uint16Array);
  }

  private take<T extends Column>(length: number, kind: { new (n: number): T }): T {
    let best = -1;
    for (let k = 0; k < this.back.length; k++) {
      const a = this.back[k];
      if (a instanceof kind && a.length >= length && (best < 0 || a.length < this.back[best].length)) best = k;
    }
    let whole: T;
    if (best < 0) whole = new kind(length);
    else {
      whole = this.back.splice(best, 1)[0] as T;
      this.reused++;
    }
    this.given.push(whole);
    const a = whole.subarray(0, length) as T;
    if (best >= 0 && this.clear) a.fill(0);
    return a;
  }

  /** The plans made so far are read no more: their arrays may be handed out again. */
  next(): void {
    for (const a of this.given) a.fill(0x5a);
    this.back.push(...this.given);
    this.given = [];
  }
}

/** Arrays whose memory is given back on `release()`: every view of them then reads as empty. */
class Releasing implements PlanArrays {
  private made: Column[] = [];
  int32 = (n: number) => this.keep(new Int32Array(n));
  uint8 = (n: number) => this.keep(new Uint8Array(n));
  uint16 = (n: number) => this.keep(new Uint16Array(n));
  private keep<T extends Column>(a: T): T {
    this.made.push(a);
    return a;
  }
  release(): void {
    for (const a of this.made) structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
    this.made = [];
  }
}

/** A generated store as State. */
function store(beads: number, seed: number): State {
  const doc = generateStore({ beads, seed, order: 'created' }) as State;
  return { city: doc.city, beads: doc.beads, decisions: doc.decisions ?? [], ...(doc.demand ? { demand: doc.demand } : {}) };
}

/** The whole plan as JSON (its detail and pools' entries read, as a reply packs them). */
const whole = (p: Plan) => JSON.stringify(p);

describe('a plan on arrays its caller makes', () => {
  // Two stores of different sizes and beads: the second plan's arrays are the first's, shorter or longer.
  const a = store(3000, 7);
  const b = store(2400, 11);
  const refA = JSON.stringify(referencePlan(a, NOW));
  const refB = JSON.stringify(referencePlan(b, NOW));

  it('is the reference plan, for two stores in turn with the arrays reused from one plan to the next', () => {
    const arrays = new Recycler();
    expect(whole(plan(a, NOW, { arrays }))).toBe(refA);
    arrays.next();
    expect(whole(plan(b, NOW, { arrays }))).toBe(refB);
    arrays.next();
    expect(whole(plan(a, NOW, { arrays }))).toBe(refA);
    expect(arrays.reused).toBeGreaterThan(10);
    // Under the 2026-08 rules (not the reference's), as a plan on new arrays.
    arrays.next();
    expect(whole(plan(b, NOW, { edition: '2026-08', arrays }))).toBe(whole(plan(b, NOW, '2026-08')));
  });

  it('tells when a reused array is not cleared', () => {
    const arrays = new Recycler(false);
    expect(whole(plan(a, NOW, { arrays }))).toBe(refA);
    arrays.next();
    expect(whole(plan(b, NOW, { arrays }))).not.toBe(refB);
  });

  it("is read no more once its arrays are given back: its detail and pools throw, the next plan's are right", () => {
    const arrays = new Releasing();
    const p = plan(a, NOW, { arrays });
    const [id, other] = a.beads.filter((x) => x.issue_type === 'session' && x.status !== 'closed').map((x) => x.id);
    const pool = p.pools.find((x) => x.template === 'backend/worker')!;
    expect(beadDetail(p, other)?.id).toBe(other);
    arrays.release();
    const released = /read after its arrays were released/;
    expect(() => beadDetail(p, id)).toThrow(released);
    expect(() => p.detail.beads).toThrow(released);
    expect(() => pool.slots).toThrow(released);
    expect(() => eachBeadFacts(p, () => undefined)).toThrow(released);
    expect(() => beadBriefs(p)(id)).toThrow(released);
    expect(() => beadDetailParts(p)!.at(0)).toThrow(released);
    const q = plan(b, NOW, { arrays });
    expect(whole(q)).toBe(refB);
  });
});
