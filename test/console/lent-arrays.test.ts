// The plan worker's typed arrays of a plan (lent-arrays.ts), freed at once on release: every view of one then reads as
// empty, its memory gone from this process's ArrayBuffers without a collection.
import { expect, it } from 'vitest';
import { LentArrays } from '../../src/console/worker/lent-arrays.js';
import { plan } from '../../src/engine/index.js';
import { generatedState, NOW } from '../engine/build.js';

it('frees the arrays it made, from 4 KiB, on release, and makes new ones after', () => {
  const arrays = new LentArrays();
  const big = arrays.int32(1 << 20).fill(7);
  const table = [arrays.uint8(4096), arrays.uint16(2048)];
  const small = arrays.int32(10).fill(3);
  const view = big.subarray(5, 9);
  const before = process.memoryUsage().arrayBuffers;
  expect(arrays.release()).toBe(4 * (1 << 20) + 4096 + 4096);
  // Freed here and now: no collection ran.
  expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(4 * (1 << 20));
  expect(big.length).toBe(0);
  expect(view.length).toBe(0);
  expect(table.map((a) => a.length)).toEqual([0, 0]);
  expect(Array.from(small)).toEqual(Array(10).fill(3)); // left to the collector
  expect(arrays.release()).toBe(0); // none made since
  const next = arrays.int32(4096);
  expect(next.length).toBe(4096);
  expect(next.every((x) => x === 0)).toBe(true);
  expect(arrays.release()).toBe(4 * 4096);
});

it("a plan's arrays read only while it is made go before it returns; the others wait for release; the plan as without", () => {
  // The plan worker packs a plan's reply while the plan's arrays are held (the output reads them): the first pass's name
  // samples, four numbers an open session and the largest of them, are read by the name index only, R3's holders and
  // their places by R3 only.
  const state = generatedState(6000, 51);
  const arrays = new LentArrays();
  const made: Int32Array[] = [];
  const sizes: number[] = [];
  const int32 = arrays.int32.bind(arrays);
  arrays.int32 = (length: number) => {
    const a = int32(length);
    made.push(a);
    sizes.push(length);
    return a;
  };
  const p = plan(state, NOW, { arrays });
  // Freed before plan() returned: the name samples (four places a bead), R3's holders and their places (one a bead).
  const n = state.beads.length;
  const freed = made.map((a, k) => (a.length === 0 ? sizes[k] : -1)).filter((l) => l >= 0);
  expect(freed.sort((x, y) => y - x)).toEqual([4 * n, n, n]);
  expect(made.filter((a) => a.length > 0 && a.byteLength >= 4096).length).toBeGreaterThan(3); // the output's, held
  expect(JSON.stringify(p)).toBe(JSON.stringify(plan(state, NOW)));
  arrays.release();
});
