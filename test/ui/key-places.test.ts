// A long list's key places (views/key-places.ts), made in steps while the console idles, answer as a Map from each
// key to its place does: the last row with the key, none for a key not there, and how many keys the list holds.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setSliceMsForTests, SLICE, SLICE_MS } from '../../src/ui/rows/derive.js';
import type { Row } from '../../src/ui/rows/types.js';
import { keyPlacesSliced } from '../../src/ui/views/key-places.js';
import { PROPERTY_RUNS } from '../support/runs.js';

const row = (key: string): Row => ({ key, cells: [key], search: key, ids: [key] });

/** The Map the places stand for: each key's last place. */
const byMap = (rows: Row[]) => new Map(rows.map((r, i) => [r.key, i]));

beforeEach(() => setSliceMsForTests(0));
afterEach(() => setSliceMsForTests(SLICE_MS));

// Keys that repeat, that are prefixes of one another, and that order differently by UTF-16 and by code point.
const key = fc.string({ unit: fc.constantFrom('a', 'b', '-', '1', 'é', '\uffff', '𝒳', '\u0000'), maxLength: 4 });

describe('key places', () => {
  it('answer each key as the Map of keys to their last place does, over lists of several slices (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(key, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2 * SLICE + 50 }),
        fc.array(key),
        async (keys, n, asked) => {
          const rows = Array.from({ length: n }, (_, i) => row(keys[(i * 7 + (i >> 3)) % keys.length]));
          let pauses = 0;
          const places = await keyPlacesSliced(rows, async () => void pauses++);
          const map = byMap(rows);
          expect(places.size).toBe(map.size);
          for (const k of [...keys, ...asked]) expect(places.get(k), JSON.stringify(k)).toBe(map.get(k));
          if (n > SLICE) expect(pauses).toBeGreaterThan(0);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('a list whose keys are all different holds as many keys as rows', async () => {
    const rows = Array.from({ length: 3 * SLICE }, (_, i) => row(`gx-${(i * 7919).toString(36)}`));
    const places = await keyPlacesSliced(rows, async () => {});
    expect(places.size).toBe(rows.length);
    rows.forEach((r, i) => expect(places.get(r.key)).toBe(i));
    expect(places.get('gx-')).toBeUndefined();
  });
});
