// The slots view's order (rows/slots.ts), made in typed lists of places into the pool's details, against that order
// written plainly: holders by slot, then id in byte order; each refused duplicate right under its incumbent, by id;
// a duplicate whose incumbent is not among the pool's holders on its own, after them; then the beads without a slot,
// by id. Every detail once.
import fc from 'fast-check';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { compareBytes, plan } from '../../src/engine/index.js';
import { snapshotOf } from '../../src/console/state.js';
import type { BeadInfo } from '../../src/engine/types.js';
import { derive, runAtOnce, runSliced, setSliceMsForTests, SLICE, SLICE_MS } from '../../src/ui/rows/derive.js';
import { slotOrderSteps, slotsTable } from '../../src/ui/rows/slots.js';
import { NOW, pooled } from '../support/builders.js';
import { PROPERTY_RUNS } from '../support/runs.js';
import { demoState } from './fixture.js';

beforeEach(() => setSliceMsForTests(0));
afterEach(() => setSliceMsForTests(SLICE_MS));

type Info = Pick<BeadInfo, 'id' | 'ownedSlot' | 'duplicateOf'>;

/** [id, under the row above] per row. */
type Order = [string, boolean][];

function plainOrder(infos: readonly Info[]): Order {
  const byId = (a: Info, b: Info) => compareBytes(a.id, b.id);
  const holders = infos.filter((i) => i.ownedSlot > 0 && !i.duplicateOf).sort((a, b) => a.ownedSlot - b.ownedSlot || byId(a, b));
  const dups = infos.filter((i) => i.ownedSlot > 0 && i.duplicateOf);
  const out: Order = [];
  for (const h of holders) {
    out.push([h.id, false]);
    for (const d of dups.filter((x) => x.duplicateOf === h.id).sort(byId)) out.push([d.id, true]);
  }
  // The others, grouped by the incumbent they name (first named first), each group in the details' order.
  const placed = new Set(holders.map((h) => h.id));
  const groups = new Map<string, Info[]>();
  for (const d of dups) groups.set(d.duplicateOf!, [...(groups.get(d.duplicateOf!) ?? []), d]);
  for (const [of, list] of groups) if (!placed.has(of)) for (const d of list) out.push([d.id, false]);
  for (const o of infos.filter((i) => i.ownedSlot <= 0).sort(byId)) out.push([o.id, false]);
  return out;
}

function shown(infos: readonly Info[], order: { at: Int32Array; child: Uint8Array }): Order {
  expect(order.at.length).toBe(infos.length);
  return Array.from(order.at, (k, n): [string, boolean] => [infos[k].id, order.child[n] === 1]);
}

const slotOrder = (infos: readonly Info[]) => shown(infos, runAtOnce(slotOrderSteps(infos as BeadInfo[])));

// Ids whose UTF-16 and byte orders differ (an astral character against one near U+FFFF), and slots that tie.
const anId = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '1', 'é', '\uFF5E', '\u{1F600}'), minLength: 1, maxLength: 4 });

/** Details of unique ids: a slot (none below 1), and for some a duplicateOf naming another's id or an id not there. */
const details = (maxLength: number) =>
  fc
    .uniqueArray(anId, { maxLength })
    .chain((ids) =>
      fc.tuple(
        fc.constant(ids),
        fc.array(fc.tuple(fc.integer({ min: -1, max: 6 }), fc.option(fc.integer({ min: 0, max: ids.length }), { freq: 2 })), {
          minLength: ids.length,
          maxLength: ids.length,
        }),
      ),
    )
    .map(([ids, rest]): Info[] =>
      ids.map((id, k) => ({ id, ownedSlot: rest[k][0], duplicateOf: rest[k][1] === null ? null : (ids[rest[k][1]] ?? 'gone') })),
    );

test('the slots order is the plain order of holders, duplicates under their incumbents, and the rest', () => {
  fc.assert(
    fc.property(details(60), (infos) => {
      expect(slotOrder(infos)).toEqual(plainOrder(infos));
    }),
    { numRuns: PROPERTY_RUNS },
  );
});

test('a pool longer than a sorted run, its order made in slices, is the plain order', async () => {
  // Sorted in runs of SLICE places and merged, a slice ending every 128 items.
  const infos: Info[] = Array.from({ length: 5 * SLICE + 31 }, (_, k) => {
    const id = `b-${(k * 7919) % 20011}`;
    const slot = k % 11 === 0 ? 0 : 1 + ((k * 31) % 3000);
    return { id, ownedSlot: slot, duplicateOf: k % 17 === 0 ? `b-${((k + 1) * 7919) % 20011}` : k % 29 === 0 ? 'gone' : null };
  });
  let pauses = 0;
  const sliced = await runSliced(slotOrderSteps(infos as BeadInfo[]), async () => {
    pauses++;
  });
  expect(pauses).toBeGreaterThan(0);
  const want = plainOrder(infos);
  expect(want.filter(([, child]) => child).length).toBeGreaterThan(100);
  expect(shown(infos, sliced)).toEqual(want);
});

test("a row's SLOT cell is its owned slot's number, whatever its bead's pool_slot says", () => {
  // The cell takes the bead's pool_slot string when it is that number written plainly, else writes the number. The
  // slot is the alias's (a pool_slot that says another is stale), and aliases repeat: refused duplicates, `↳ 2`.
  const stamp = fc.constantFrom('1', '2', '01', '1.0', ' 1', '+1', '1e0', '0x1', '', 'x', '3', '999999999', '1234567890');
  fc.assert(
    fc.property(fc.array(stamp, { maxLength: 12 }), (stamps) => {
      const s = demoState();
      s.beads.push(
        ...stamps.map((v, k) => pooled(`zz-${k}`, 'frontend/worker', { pool_slot: v, alias: `frontend/worker-${1 + (k % 4)}` })),
      );
      const d = derive(snapshotOf(s, plan(s, NOW), NOW.getTime()));
      for (const pool of d.poolNames)
        for (const r of slotsTable(d, pool).rows) {
          const slot = d.snap.plan.detail.beads[r.key].ownedSlot;
          expect(r.cells[0]).toBe(slot > 0 ? `${r.child ? '↳ ' : ''}${String(slot)}` : '–');
        }
    }),
    { numRuns: PROPERTY_RUNS },
  );
});
