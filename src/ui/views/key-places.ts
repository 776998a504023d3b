// A long list's rows by key, for finding the cursor's row: its places sorted by key, searched by halves. Made while
// the console idles for every pool's slots rows (prepare.ts); a Map from each key to its place took about 0.9 MB a
// pool at 100 000 beads (2.75 MB of the console's heap, held from the views' making on), the places 0.3 MB.
import { runSliced, sliceDue, sortInSteps } from '../rows/derive.js';
import { keysOf } from '../rows/row-list.js';
import type { Row } from '../rows/types.js';

/** Where each key is in a list of rows (the last row with it), as a Map from key to place answers it. */
export interface KeyLookup {
  get(key: string): number | undefined;
  /** How many keys the list holds, each counted once. */
  readonly size: number;
}

export class KeyPlaces implements KeyLookup {
  private constructor(
    /** The key of the row at a place. */
    private readonly keyAt: (i: number) => string,
    /** The rows' places, by key (JavaScript's order of strings), then place. */
    private readonly at: Int32Array,
    readonly size: number,
  ) {}

  /** The places of `rows` by key, made in steps (a slice's time each: derive.ts). */
  static *steps(rows: readonly Row[]): Generator<void, KeyPlaces> {
    const keyAt = keysOf(rows);
    const at = new Int32Array(rows.length);
    for (let i = 0; i < at.length; i++) at[i] = i;
    yield* sortInSteps(at, (a, b) => {
      const ka = keyAt(a);
      const kb = keyAt(b);
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
    let size = 0;
    let last: string | null = null;
    for (let j = 0; j < at.length; j++) {
      if (sliceDue(j)) yield;
      const key = keyAt(at[j]);
      if (key !== last) size++;
      last = key;
    }
    return new KeyPlaces(keyAt, at, size);
  }

  get(key: string): number | undefined {
    // The last place whose key is not after `key`: the last row with it, when there is one.
    let lo = 0;
    let hi = this.at.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.keyAt(this.at[mid]) <= key) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && this.keyAt(this.at[found]) === key ? this.at[found] : undefined;
  }
}

/** `rows`' key places, made a slice at a time, awaiting `pause` in between. */
export const keyPlacesSliced = (rows: readonly Row[], pause: () => Promise<void>): Promise<KeyPlaces> =>
  runSliced(KeyPlaces.steps(rows), pause);
