// Where the rows of a table's last making were, for the next making to take those it can (a refresh through the plan
// worker hands back the very objects of what did not change: chunked-clone.ts). A table made again at each refresh
// left its whole last making as garbage that had outlived young collections (docs/speed.md); a row taken from the
// last making is not made again.

import { runAtOnce, sliceDue } from './derive.js';

/** Rows not found near their last place past which the last places are looked up by key. */
export const FEW_MISSES = 64;

/** How far either way from where the last row was found a row is looked for (a few rows added or gone before it). */
const NEAR = 4;

/**
 * Finds rows in a table's last making, asked in order of the new making's places `k`. Where `k`'s row was found last, is
 * most often where the next is: at `k` plus the same shift (the rows added or gone before it), so a row is looked for
 * there, then a few places either way (`NEAR`), and once FEW_MISSES were not found so, in a Map of the last making's
 * places (an order that moved more), made then (placesSteps). `same(p)` says whether the last making's row at `p` is the one asked for.
 */
export class NearPlaces<K> {
  private byKey: Map<K, number[]> | null = null;
  private misses = 0;
  private shift = 0;

  /**
   * `keyAt(p)`: the key of the last making's row at `p` (what the Map looks rows up by), of `length` rows. `idOf(key)`:
   * what a key stands for (a bead's id), so that a changed one (a new object) at its place is not taken for a row moved.
   */
  constructor(
    private readonly length: number,
    private readonly keyAt: (p: number) => K | undefined,
    private readonly idOf: (key: K) => string,
  ) {}

  /** Where the row at `k` of the new making was, or -1: a place whose row `same` holds and whose key is `key`. */
  place(k: number, key: K, same: (p: number) => boolean): number {
    const at = k + this.shift;
    // No list of the places to try: this runs once a row, 216 000 times a refresh of the aliases table at 100 000 beads.
    for (let d = 0; d <= NEAR; d++) {
      const p = this.holds(at + d, key, same) ? at + d : d > 0 && this.holds(at - d, key, same) ? at - d : -1;
      if (p >= 0) {
        this.shift = p - k;
        return p;
      }
    }
    if (!this.byKey) {
      // A changed item at its place (the same id, a new object) says nothing of the order.
      const there = at >= 0 && at < this.length ? this.keyAt(at) : undefined;
      if (there === undefined || this.idOf(there) !== this.idOf(key)) this.misses++;
      return -1;
    }
    const found = this.byKey.get(key)?.find(same) ?? -1;
    if (found >= 0) this.shift = found - k;
    return found;
  }

  /** Whether the last making's place `p` exists and holds the row asked for. */
  private holds(p: number, key: K, same: (p: number) => boolean): boolean {
    return p >= 0 && p < this.length && this.keyAt(p) === key && same(p);
  }

  /** Whether the rows are to be looked up in a Map from now on (placesSteps, before the next `place`). */
  get wantsPlaces(): boolean {
    return !this.byKey && this.misses > FEW_MISSES;
  }

  /** The Map of the last making's places by key, made a slice at a time (derive.ts). */
  *placesSteps(): Generator<void, void> {
    const m = new Map<K, number[]>();
    for (let p = 0; p < this.length; p++) {
      if (sliceDue(p)) yield;
      const key = this.keyAt(p);
      if (key === undefined) continue;
      const list = m.get(key);
      if (list) list.push(p);
      else m.set(key, [p]);
    }
    this.byKey = m;
  }
}

/** NearPlaces over a list of keys, one row each: a row is its key's. */
export class KeptPlaces<K> {
  private readonly near: NearPlaces<K>;
  constructor(keys: readonly K[], idOf: (key: K) => string) {
    this.near = new NearPlaces(keys.length, (p) => keys[p], idOf);
  }

  place(k: number, key: K): number {
    if (this.near.wantsPlaces) runAtOnce(this.near.placesSteps());
    return this.near.place(k, key, () => true);
  }
}
