// A plan's pools give their held slots as places (two typed columns a pool: slot-places.ts), which the plan worker reads
// for every plan it packs. The holders of every pool are put in slot order in one typed column made with the plan's
// arrays: at 100 000 beads the lists grown per template, an index at a time, and again in slot order, were about 5 MB of
// heap garbage at every outside change (docs/speed.md). The places still make the pool's rows, in slot order.
import { expect, test } from 'vitest';
import { plan, slotPlaces } from '../../src/engine/index.js';
import { slotEntryOf } from '../../src/engine/slot-places.js';
import { allocatedBy } from '../support/allocations.js';
import { generatedState } from './build.js';

const BEADS = 60_000;
const NOW = new Date('2026-05-06T02:13:00Z');

test("the pools' places of a big plan are read without lists of holders on the heap, and make the pools' rows", async () => {
  const state = generatedState(BEADS, 5);
  const p = plan(state, NOW);
  const { value: places, bytes } = await allocatedBy(() => p.pools.map((pool) => slotPlaces(pool)!));
  const held = places.reduce((n, at) => n + at.slot.length, 0);
  expect(held).toBeGreaterThan(BEADS / 2);
  // Before: about 2.1 MB here, 36 bytes a bead (two lists of holders); now about 0.1 MB (the columns are outside the heap).
  expect(bytes).toBeLessThan(500_000);
  // What the console shows of a pool: its rows, in slot order, which the places make from the beads.
  const again = plan(state, NOW);
  p.pools.forEach((pool, k) => {
    const { slot, bead, beads } = places[k];
    const rows = Array.from(slot, (s, i) => slotEntryOf(beads[bead[i]], s));
    expect(rows).toEqual(again.pools[k].slots);
    for (let i = 1; i < slot.length; i++) expect(slot[i]).toBeGreaterThan(slot[i - 1]);
  });
});
