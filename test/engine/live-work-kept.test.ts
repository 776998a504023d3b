// The plan worker prints every bead detail's inputs at every plan it packs (detail.ts detailInputs, DetailInputs.row),
// a session's live work ids among them. Those lists are read there and kept by nothing: a plan keeps the lists it made
// only for the details and repairs that read them. Kept for every session with live work, they were about 2 MB a plan
// at 100 000 beads, alive as long as the plan (docs/speed.md).
import { expect, test } from 'vitest';
import { beadDetailParts, plan } from '../../src/engine/index.js';
import { retainedBy } from '../support/allocations.js';
import { generatedState } from './build.js';

const BEADS = 60_000;
const NOW = new Date('2026-05-06T02:13:00Z');

test("printing every detail's inputs keeps no list of live work ids, and a detail still lists its live work", async () => {
  const state = generatedState(BEADS, 3);
  const p = plan(state, NOW);
  const parts = beadDetailParts(p)!;
  let lists = 0;
  const counting = { int: () => undefined, str: () => undefined, strs: (xs: readonly string[]) => void (xs.length > 0 && lists++) };
  const { bytes } = await retainedBy(() => {
    for (let k = 0; k < parts.ids.length; k++) parts.inputs.row(k, counting);
  });
  expect(lists).toBeGreaterThan(1000);
  // Before: about 256 bytes a list stayed (the list and its Map entry: 0.8 MB here); now about 30 (not the lists).
  expect(bytes).toBeLessThan(lists * 80);
  const printed: string[] = [];
  const sink = { ...counting, strs: (xs: readonly string[]) => void printed.push(xs.join(' ')) };
  for (let k = 0; k < parts.ids.length; k++) parts.inputs.row(k, sink);
  // What the console shows of a bead: its live work, as the inputs said.
  const withWork = parts.ids.findIndex((_, k) => parts.at(k).liveWork.length > 0);
  expect(withWork).toBeGreaterThanOrEqual(0);
  expect(printed).toContain(parts.at(withWork).liveWork.join(' '));
});
