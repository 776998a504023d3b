// A bead's detail by id, in the details a plan worker's reply brings as a list (console/bead-infos.ts): found by halves
// in the list's id order, which the worker makes and sends with them. A store Gas City wrote is not kept in id order
// (scripts/gen-store.mjs --order): the console's thread then orders nothing itself.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { Plan, State } from '../../src/engine/types.js';
import { beadInfos } from '../../src/console/bead-infos.js';
import { packer, PackedStream, PackMemo, SLICE } from '../../src/console/worker/chunked-clone.js';
import { detailParts, planPrinter } from '../../src/console/worker/plan-print.js';
import { beadDetailOf, warmBeadDetails } from '../../src/ui/rows/bead-details.js';
import { setSliceMsForTests, SLICE_MS } from '../../src/ui/rows/derive.js';
import { NOW } from '../support/builders.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

// A slice of this thread's work ends at every look at the clock (every 128 items): each one a pause counted below.
beforeEach(() => setSliceMsForTests(0));
afterEach(() => setSliceMsForTests(SLICE_MS));

/** `value` as the plan worker replies (plan-worker-body.ts packerFor, its slices streamed) and as the console unpacks it. */
async function throughWorker<T>(value: T): Promise<T> {
  const stream = new PackedStream<T>(new PackMemo());
  const packing = packer(SLICE, new PackMemo(), { adopt: true, print: planPrinter, parts: detailParts, emit: (part) => stream.push(part) });
  stream.end(packing.done(value).packed);
  return stream.value;
}

for (const order of ['shuffled', 'created', 'id']) {
  test(`a read of a store in ${order} order: every detail found by its id, none ordered on the console's thread`, async () => {
    const doc = generateStore({ beads: 5000, seed: 7, order }) as State;
    const state: State = { city: doc.city, beads: doc.beads, decisions: [] };
    const { plan: got } = await throughWorker({ plan: plan(state, NOW) });
    const infos = beadInfos(got);
    expect(infos.length).toBeGreaterThan(3 * SLICE);
    const inOrder = infos.every((x, i) => i === 0 || infos[i - 1].id < x.id);
    expect(inOrder).toBe(order === 'id');
    let pauses = 0;
    await warmBeadDetails(got, async () => {
      pauses++;
    });
    expect(pauses).toBe(0);
    for (const info of infos) expect(beadDetailOf(got, info.id)).toBe(info);
    const sessions = new Set(infos.map((i) => i.id));
    for (const b of state.beads.filter((x) => !sessions.has(x.id)).slice(0, 50)) expect(beadDetailOf(got, b.id)).toBeUndefined();
    expect(beadDetailOf(got, 'constructor')).toBeUndefined();
  });
}

test('details in an order the worker did not say are ordered here, a slice at a time, and found the same', async () => {
  const doc = generateStore({ beads: 5000, seed: 7, order: 'shuffled' }) as State;
  const p: Plan = plan({ city: doc.city, beads: doc.beads, decisions: [] }, NOW);
  // Packed without the worker's parts: the record whole, its order unsaid.
  const stream = new PackedStream<{ plan: Plan }>(new PackMemo());
  stream.end(packer(SLICE, new PackMemo(), { emit: (part) => stream.push(part) }).done({ plan: p }).packed);
  const { plan: got } = await stream.value;
  let pauses = 0;
  await warmBeadDetails(got, async () => {
    pauses++;
  });
  expect(pauses).toBeGreaterThan(0);
  for (const info of beadInfos(got)) expect(beadDetailOf(got, info.id)).toBe(info);
});
