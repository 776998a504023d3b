// The plan worker's typed arrays of a plan (lent-arrays.ts), freed at once on release: every view of one then reads as
// empty, its memory gone from this process's ArrayBuffers without a collection.
import { expect, it } from 'vitest';
import { LentArrays } from '../../src/console/worker/lent-arrays.js';

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
