// A read's rows made a slice at a time before it goes on screen (views/prepare.ts) are the rows, widths and
// indexes the frame would have made at once: the slicing changes when the work is done, never what is shown.
import { expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import { createAppStore, snapshotOf } from '../../src/console/state.js';
import { contentWidths } from '../../src/ui/components/fit-columns.js';
import { derive, SLICE } from '../../src/ui/rows/derive.js';
import { slotsTable } from '../../src/ui/rows/slots.js';
import { prepareSnapshot } from '../../src/ui/views/prepare.js';
import { currentPool } from '../../src/ui/views/registry.js';
import { NOW } from '../support/builders.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

test('the slots view of a read made ready in slices shows what one made at once shows', async () => {
  const doc = generateStore({ beads: 6 * SLICE }) as { city: State['city']; beads: State['beads'] };
  const state: State = { city: doc.city, beads: doc.beads, decisions: [] };
  // Two plans of the same state: each snapshot gets a derived view of its own.
  const sliced = snapshotOf(state, plan(state, NOW), NOW.getTime());
  const once = snapshotOf(state, plan(state, NOW), NOW.getTime());
  const store = createAppStore({ viewport: { rows: 40, columns: 120 } });
  store.getState().setView('slots');
  await prepareSnapshot(sliced, store.getState());

  const a = derive(sliced);
  const b = derive(once);
  expect(a).not.toBe(b);
  const pool = currentPool(store.getState().ui.cursors.pools, a)!;
  expect(a.has(`slots:${pool}`)).toBe(true);
  expect(b.has(`slots:${pool}`)).toBe(false);
  const ta = slotsTable(a, pool);
  const tb = slotsTable(b, pool);
  // Big enough to have been made in several slices.
  expect(ta.rows.length).toBeGreaterThan(SLICE);
  expect(ta).toEqual(tb);
  expect(contentWidths(ta.columns, ta.rows)).toEqual(contentWidths(tb.columns, tb.rows));
  expect(a.beadById).toEqual(b.beadById);
  expect(a.infosByTemplate).toEqual(b.infosByTemplate);
});

test('the indexes are made a slice at a time, with a pause after each', async () => {
  const doc = generateStore({ beads: 6 * SLICE }) as { city: State['city']; beads: State['beads'] };
  const state: State = { city: doc.city, beads: doc.beads, decisions: [] };
  const d = derive(snapshotOf(state, plan(state, NOW), NOW.getTime()));
  let pauses = 0;
  await d.warm(async () => {
    pauses++;
  });
  // 6 slices of beads, then the session beads' details (80 % of them) in 5 more.
  expect(pauses).toBeGreaterThanOrEqual(6 + 5);
  expect(d.has('beadById') && d.has('infosByTemplate')).toBe(true);
});
