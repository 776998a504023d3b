// A read's rows made a slice at a time before it goes on screen (views/prepare.ts) are the rows, widths and
// indexes the frame would have made at once: the slicing changes when the work is done, never what is shown.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import { createAppStore, snapshotOf } from '../../src/console/state.js';
import { contentWidths } from '../../src/ui/components/fit-columns.js';
import fc from 'fast-check';
import { aliasesTable } from '../../src/ui/rows/aliases.js';
import { derive, runAtOnce, runSliced, setSliceMsForTests, SLICE, SLICE_MS, sortInSteps } from '../../src/ui/rows/derive.js';
import { slotsTable } from '../../src/ui/rows/slots.js';
import { BeadsById } from '../../src/ui/rows/beads-by-id.js';
import { poolsTable } from '../../src/ui/rows/pools.js';
import { tallies, tallySteps } from '../../src/console/glance.js';
import { prepareSnapshot, warmViews } from '../../src/ui/views/prepare.js';
import { currentPool, viewModel } from '../../src/ui/views/registry.js';
import { templatesTable } from '../../src/ui/rows/templates.js';
import { workTable } from '../../src/ui/rows/work.js';
import { findingsTable } from '../../src/ui/rows/findings.js';
import { queueRowByKey, repairsTable, warmRepairsTable } from '../../src/ui/rows/repairs.js';
import { buildQueue } from '../../src/ui/review/queue.js';
import { NOW, pooled } from '../support/builders.js';
import { PROPERTY_RUNS } from '../support/runs.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { makeRow, type Table } from '../../src/ui/rows/types.js';
import { filterRows, IndexMaker } from '../../src/ui/rows/filter.js';
import { sortRows } from '../../src/ui/rows/sort.js';

// A slice ends at every look at the clock (every 128 items): the most interleaving, the same on any machine.
beforeEach(() => setSliceMsForTests(0));
afterEach(() => setSliceMsForTests(SLICE_MS));

/** What a table shows: each row's fields as read (a long list's rows make their cells and tones when read). */
const shown = (t: Table) => ({
  columns: t.columns,
  rows: t.rows.map((r) => ({
    key: r.key,
    cells: r.cells,
    search: r.search,
    ids: r.ids,
    tone: r.tone,
    cellTones: r.cellTones,
    child: r.child,
  })),
});

/** A generated store of `beads` beads as a State (no decisions). */
function generatedState(beads: number, seed?: number): State {
  const doc = generateStore({ beads, seed }) as { city: State['city']; beads: State['beads'] };
  return { city: doc.city, beads: doc.beads, decisions: [] };
}

/** A snapshot of `state` planned at NOW: each call a new one, with a derived view of its own. */
const snapshotAt = (state: State) => snapshotOf(state, plan(state, NOW), NOW.getTime());

test('the slots view of a read made ready in slices shows what one made at once shows', async () => {
  const state = generatedState(6 * SLICE);
  // Two plans of the same state: each snapshot gets a derived view of its own.
  const sliced = snapshotAt(state);
  const once = snapshotAt(state);
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
  expect(shown(ta)).toEqual(shown(tb));
  // Every bead of the pool once, holders by slot (a refused duplicate under its incumbent, then those without a slot).
  const infos = a.infosByTemplate.get(pool)!;
  expect(ta.rows.map((r) => r.key).sort()).toEqual(infos.map((i) => i.id).sort());
  const slots = ta.rows.filter((r) => !r.child && Number(r.cells[0]) > 0).map((r) => Number(r.cells[0]));
  expect(slots.length).toBeGreaterThan(SLICE);
  expect(slots).toEqual([...slots].sort((x, y) => x - y));
  expect(contentWidths(ta.columns, ta.rows)).toEqual(contentWidths(tb.columns, tb.rows));
  expect(a.beadById).toEqual(b.beadById);
  expect(a.infosByTemplate).toEqual(b.infosByTemplate);
});

test('the pools view of a read made ready in steps (what a launch shows) has the tallies one made at once has', async () => {
  // More details than one step of the tally, which yields every 5 000.
  const state = generatedState(12_000);
  const sliced = snapshotAt(state);
  const once = snapshotAt(state);
  const store = createAppStore({ viewport: { rows: 40, columns: 120 } });
  expect(store.getState().ui.view).toBe('pools');
  await prepareSnapshot(sliced, store.getState());
  const a = derive(sliced);
  const b = derive(once);
  expect(a.has('pools')).toBe(true);
  expect(b.has('pools')).toBe(false);
  const ta = poolsTable(a);
  const tb = poolsTable(b);
  expect(shown(ta)).toEqual(shown(tb));
  // Every step's details are counted: the LIVE column adds up to the live slot holders of every detail.
  const live = ta.rows.reduce((n, r) => n + Number(r.cells[5]), 0);
  const holders = a.infos.filter((i) => i.live && i.ownedSlot > 0 && !i.duplicateOf).length;
  expect(holders).toBeGreaterThan(1000);
  expect(live).toBe(holders);
});

test('the tally of a long plan yields between steps and adds up the same', () => {
  const state = generatedState(12_000);
  const p = plan(state, NOW);
  const infos = Object.values(p.detail.beads);
  const steps = tallySteps(p, infos);
  let yields = 0;
  let r = steps.next();
  for (; !r.done; r = steps.next()) yields++;
  expect(yields).toBe(Math.floor(infos.length / 5000));
  // Without the details at hand the tally reads the plan's session table: the same counts.
  expect(r.value).toEqual(tallies(p));
  // Only live slot holders, twice over: each counts once, those at a step's end too.
  const holders = infos.filter((i) => i.live && i.ownedSlot > 0 && !i.duplicateOf);
  const twice = [...holders, ...holders];
  expect(twice.length).toBeGreaterThan(5000);
  const live = [...runAtOnce(tallySteps(p, twice)).values()].reduce((n, t) => n + t.live, 0);
  expect(live).toBe(twice.length);
});

test('the indexes are made a slice at a time, with a pause after each', async () => {
  const state = generatedState(6 * SLICE);
  const d = derive(snapshotAt(state));
  let pauses = 0;
  await d.warm(async () => {
    pauses++;
  });
  // A slice ends every 128 items here: the beads, then the session beads' details.
  expect(pauses).toBeGreaterThanOrEqual(Math.floor(state.beads.length / 128) + Math.floor(d.infos.length / 128));
  expect(d.has('beadById') && d.has('infosByTemplate')).toBe(true);
});

test('the beads found by id, made in slices or at once: each bead by its id, the last of a repeated id, none for an id not there', async () => {
  const state = generatedState(3 * SLICE);
  const odd = ['__proto__', 'constructor', 'toString', '', 'gw-000001'].map((id, i) =>
    pooled(id, 'frontend/worker', { alias: `odd-${i}` }),
  );
  state.beads.push(...odd);
  const last = new Map(state.beads.map((b) => [b.id, b]));
  const sliced = derive(snapshotAt(state));
  await sliced.warm(async () => {});
  for (const d of [sliced, derive(snapshotAt(state))]) {
    for (const [id, bead] of last) expect(d.beadById.get(id)).toBe(bead);
    expect(d.beadById.has('gw-000001') && d.beadById.get('gw-000001')?.metadata?.alias).toBe('odd-4');
    expect([d.beadById.get('no-such-bead'), d.beadById.has('hasOwnProperty')]).toEqual([undefined, false]);
  }
});

test('a refresh that replaced a few beads in place finds each bead as a map made afresh does (the last of a repeated id); only the replaced are put in', async () => {
  const state = generatedState(3 * SLICE);
  const five = state.beads[5];
  state.beads.push({ ...five, metadata: { ...five.metadata, alias: 'dup-later' } }); // five's id again: the last of it
  const first = derive(snapshotAt(state));
  await first.warm(async () => {});
  // Replaced in place, as the plan worker hands back a re-read: bead 5 (not the last of its id), the repeat, and bead 9.
  const beads = state.beads.slice();
  const n = beads.length;
  beads[5] = { ...five, metadata: { ...five.metadata, state: 'zz-new' } };
  beads[n - 1] = { ...beads[n - 1], metadata: { ...beads[n - 1].metadata, alias: 'dup-changed' } };
  beads[9] = { ...beads[9], title: 'renamed' };
  const next: State = { ...state, beads };
  const put = vi.spyOn(BeadsById.prototype, 'set');
  const d = derive(snapshotAt(next));
  try {
    await d.warm(async () => {});
    expect(put).toHaveBeenCalledTimes(2); // the repeat and bead 9: bead 5 was not the one its id found
  } finally {
    put.mockRestore();
  }
  // Nothing of the last map copied: the new one reads its shards under the two beads put in.
  expect(d.beadById.shards).toBe(first.beadById.shards);
  const fresh = derive(snapshotAt(next)).beadById;
  for (const b of beads) expect(d.beadById.get(b.id)).toBe(fresh.get(b.id));
  expect(d.beadById.size).toBe(fresh.size);
  expect(d.beadById.get(five.id)?.metadata?.alias).toBe('dup-changed');
  expect(d.beadById.get(beads[9].id)?.title).toBe('renamed');
  // The last snapshot's map is as it was.
  expect(first.beadById.get(five.id)?.metadata?.alias).toBe('dup-later');
  expect(first.beadById.get(beads[9].id)).toBe(state.beads[9]);
  // A refresh of that refresh: bead 9 again and bead 20.
  const again = beads.slice();
  again[9] = { ...beads[9], title: 'renamed twice' };
  again[20] = { ...beads[20], title: 'other' };
  const e = derive(snapshotAt({ ...state, beads: again }));
  await e.warm(async () => {});
  const fresh2 = derive(snapshotAt({ ...state, beads: again })).beadById;
  for (const b of again) expect(e.beadById.get(b.id)).toBe(fresh2.get(b.id));
  expect([e.beadById.size, e.beadById.has(again[20].id), e.beadById.has('no-such-bead')]).toEqual([fresh2.size, true, false]);
  expect(d.beadById.get(beads[9].id)?.title).toBe('renamed');
});

test("the shorter views and the slots lists' key places are made while the console idles too: the same rows, the cursor on the same row", async () => {
  const state = generatedState(8 * SLICE);
  const warmed = snapshotAt(state);
  const once = snapshotAt(state);
  const store = createAppStore({ viewport: { rows: 40, columns: 120 } });
  await warmViews(
    warmed,
    () => true,
    () => store.getState(),
  );
  const a = derive(warmed);
  const b = derive(once);
  for (const key of ['templates', 'work', 'findings']) expect(a.has(key), key).toBe(true);
  for (const key of ['templates', 'work', 'findings']) expect(b.has(key), key).toBe(false);
  expect(shown(templatesTable(a))).toEqual(shown(templatesTable(b)));
  expect(shown(workTable(a))).toEqual(shown(workTable(b)));
  expect(shown(findingsTable(a))).toEqual(shown(findingsTable(b)));
  const review = store.getState().ui.review;
  expect(repairsTable(a, review).rows.length).toBeGreaterThan(0);
  expect(shown(repairsTable(a, review))).toEqual(shown(repairsTable(b, review)));
  // A cursor on a row of a pool's slots (their key places made in steps) is found on that row, as a scan finds it.
  const pool = a.poolNames.reduce((x, y) => (slotsTable(a, y).rows.length > slotsTable(a, x).rows.length ? y : x));
  store.getState().setView('slots');
  store.getState().setCursor('pools', { key: pool, index: 0, top: 0 });
  const rows = slotsTable(a, pool).rows;
  expect(rows.length).toBeGreaterThan(SLICE);
  for (const at of [0, SLICE - 1, SLICE, rows.length - 1]) {
    store.getState().setCursor('slots', { key: rows[at].key, index: 0, top: 0 });
    const vm = viewModel(store.getState(), 'slots', warmed)!;
    expect(vm.pool).toBe(pool);
    expect(vm.index).toBe(rows.findLastIndex((r) => r.key === rows[at].key));
  }
});

test('an astral name far down the claims is found while the aliases rows are made in steps: names in byte order, as made at once', async () => {
  const state = generatedState(SLICE);
  // Past the first steps' look at the clock: U+1F600 sorts before U+FF5E in UTF-16, after it in bytes.
  const sessions = state.beads.filter((b) => typeof b.metadata?.alias === 'string');
  expect(sessions.length).toBeGreaterThan(600);
  sessions[500].metadata!.alias = 'zz-\u{1F600}';
  sessions[10].metadata!.alias = 'zz-\uFF5E';
  const warmed = snapshotAt(state);
  await warmViews(warmed, () => true);
  const rows = aliasesTable(derive(warmed)).rows;
  const names = rows.map((r) => r.cells[0]).filter((c) => c.startsWith('zz-'));
  expect(names).toEqual(['zz-\uFF5E', 'zz-\u{1F600}']);
  expect(shown(aliasesTable(derive(warmed)))).toEqual(shown(aliasesTable(derive(snapshotAt(state)))));
});

test('the repairs queue made in steps (its sort over several runs) shows the rows one made at once shows, in the same order', async () => {
  const state = generatedState(8 * SLICE);
  const p = plan(state, NOW);
  // Copies of the plan's repairs, out of order, some with the same key (the first of a key is the one found), until
  // the queue spans several of the sort's runs.
  const repairs = [...p.repairs];
  for (let copy = 1; repairs.length < 3 * SLICE; copy++)
    for (let i = p.repairs.length - 1; i >= 0; i -= copy)
      repairs.push({ ...p.repairs[i], id: i % 7 === 0 ? p.repairs[i].id : `${p.repairs[i].id}-${copy}` });
  const snap = (): ReturnType<typeof snapshotAt> => snapshotOf(state, { ...p, repairs }, NOW.getTime());
  const [a, b] = [derive(snap()), derive(snap())];
  const review = {};
  const table = await warmRepairsTable(a, review, async () => {});
  expect(table.rows.length).toBe(repairs.length);
  expect(shown(table)).toEqual(shown(repairsTable(b, review)));
  // In the queue's order, as one sort of it at once puts it.
  expect(table.rows.map((r) => r.key)).toEqual(buildQueue({ ...p, repairs }).map((e) => e.key));
  const [byKeyA, byKeyB] = [queueRowByKey(a, review), queueRowByKey(b, review)];
  expect(byKeyA.size).toBe(new Set(repairs.map((r) => r.id)).size);
  for (const [key, row] of byKeyB) expect(byKeyA.get(key)?.repair).toBe(row.repair);
});

test('the views not on screen are made while the console idles: the same aliases and slots rows; a newer snapshot stops it', async () => {
  const state = generatedState(3 * SLICE);
  const warmed = snapshotAt(state);
  const once = snapshotAt(state);
  await warmViews(warmed, () => true);
  const a = derive(warmed);
  const b = derive(once);
  expect(a.has('aliases')).toBe(true);
  for (const pool of a.poolNames) expect(a.has(`slots:${pool}`)).toBe(true);
  const aliases = aliasesTable(a);
  // Big enough to have been sorted and made in several steps.
  expect(aliases.rows.length).toBeGreaterThan(2 * SLICE);
  expect(shown(aliases)).toEqual(shown(aliasesTable(b)));
  expect(contentWidths(aliases.columns, aliases.rows)).toEqual(contentWidths(aliasesTable(b).columns, aliasesTable(b).rows));
  for (const pool of a.poolNames) expect(shown(slotsTable(a, pool))).toEqual(shown(slotsTable(b, pool)));

  // Replaced on screen after a few steps: nothing more is made for it.
  const stale = snapshotAt(state);
  let steps = 0;
  await warmViews(stale, () => ++steps < 3);
  expect(derive(stale).has('aliases')).toBe(false);
});

test('sorting in steps orders as Array.prototype.sort does, ties kept in order', async () => {
  // Long enough that a merge pauses inside itself (every 8 slices of items it places); keys in no trend, so that
  // either run of a merge can run out first (fast-check's samples grow along the list).
  const long = Array.from({ length: 25 * SLICE }, (_, i) => ({ k: (i * 7919) % 10007, i }));
  const sorted = [...long];
  runAtOnce(sortInSteps(sorted, (x, y) => x.k - y.k));
  expect(sorted).toEqual([...long].sort((x, y) => x.k - y.k));
  // Sliced, each merge pauses inside itself (a slice ends every 1 024 items placed): the same order.
  const sliced = [...long];
  let pauses = 0;
  await runSliced(
    sortInSteps(sliced, (x, y) => x.k - y.k),
    async () => {
      pauses++;
    },
  );
  expect(sliced).toEqual(sorted);
  expect(pauses).toBeGreaterThan((long.length / 1024) * Math.log2(long.length / SLICE));
  fc.assert(
    fc.property(fc.array(fc.nat(40), { maxLength: 5 * SLICE }), (keys) => {
      const items = keys.map((k, i) => ({ k, i }));
      const want = [...items].sort((x, y) => x.k - y.k);
      const got = [...items];
      runAtOnce(sortInSteps(got, (x, y) => x.k - y.k));
      expect(got).toEqual(want);
    }),
    { numRuns: PROPERTY_RUNS },
  );
});

test('sorting an Int32Array of places in steps orders it as an array of them, ties kept in order', async () => {
  // The aliases table sorts its claims' places so: long enough for merges that pause inside themselves.
  const keys = Array.from({ length: 9 * SLICE + 17 }, (_, i) => (i * 7919) % 1009);
  const byKey = (a: number, b: number) => keys[a] - keys[b];
  const want = keys.map((_, i) => i).sort(byKey);
  const places = new Int32Array(keys.length).map((_, i) => i);
  let pauses = 0;
  await runSliced(sortInSteps(places, byKey), async () => {
    pauses++;
  });
  expect(pauses).toBeGreaterThan(0);
  expect(Array.from(places)).toEqual(want);
  fc.assert(
    fc.property(fc.array(fc.nat(40), { maxLength: 5 * SLICE }), (ks) => {
      const got = new Int32Array(ks.length).map((_, i) => i);
      runAtOnce(sortInSteps(got, (a, b) => ks[a] - ks[b]));
      expect(Array.from(got)).toEqual(ks.map((_, i) => i).sort((a, b) => ks[a] - ks[b]));
    }),
    { numRuns: PROPERTY_RUNS },
  );
});

test('a refresh that hands back the same bead and detail objects keeps their slots rows; a changed bead gets a new row', () => {
  const state = generatedState(200);
  const first = snapshotAt(state);
  const d1 = derive(first);
  const pool = d1.poolNames[0];
  const rows1 = slotsTable(d1, pool).rows;
  // What the plan worker's memo makes of a re-read where one bead changed: every other object is the one held.
  const changedId = rows1[0].key;
  const beads = state.beads.map((b) => (b.id === changedId ? { ...b, metadata: { ...b.metadata, state: 'zz-new' } } : b));
  const next: State = { ...state, beads };
  const p2 = plan(next, NOW);
  const p1 = first.plan;
  const infos = Object.fromEntries(
    Object.entries(p2.detail.beads).map(([k, v]) => [k, JSON.stringify(v) === JSON.stringify(p1.detail.beads[k]) ? p1.detail.beads[k] : v]),
  );
  const second = snapshotOf(next, { ...p2, detail: { ...p2.detail, beads: infos } }, NOW.getTime());
  const add = vi.spyOn(IndexMaker.prototype, 'add');
  const rows2 = slotsTable(derive(second), pool).rows;
  // The rows made anew: their cells made, their texts read into the index; the others' taken from the last table.
  const added = new Set(add.mock.calls.map(([text]) => text));
  add.mockRestore();
  expect(rows2.map((r) => r.key)).toEqual(rows1.map((r) => r.key));
  expect(rows2.filter((r) => added.has(r.search)).map((r) => r.key)).toEqual([changedId]);
  expect(rows2[0].cells).toContain('zz-new');
});

test('a refresh that hands back the same bead objects keeps their aliases rows; a changed bead’s rows are new', () => {
  const state = generatedState(200);
  const first = snapshotAt(state);
  const rows1 = aliasesTable(derive(first)).rows;
  const holderOf = (key: string) => key.split('\u0000')[2];
  const changedId = holderOf(rows1.find((r) => r.key.split('\u0000')[1] === 'alias')!.key);
  const beads = state.beads.map((b) => (b.id === changedId ? { ...b, metadata: { ...b.metadata, state: 'zz-new' } } : b));
  const next: State = { ...state, beads };
  const add = vi.spyOn(IndexMaker.prototype, 'add');
  const rows2 = aliasesTable(derive(snapshotOf(next, plan(next, NOW), NOW.getTime()))).rows;
  // The rows made anew: their cells made, their texts read into the index; the others' taken from the last table.
  const added = new Set(add.mock.calls.map(([text]) => text));
  add.mockRestore();
  expect(rows2.map((r) => r.key)).toEqual(rows1.map((r) => r.key));
  // Rows of a reserved name (no holder) have no bead to be kept by: they are made each time.
  const remade = rows2.filter((r) => added.has(r.search) && holderOf(r.key) !== '');
  expect(remade.length).toBeGreaterThan(0);
  expect(new Set(remade.map((r) => holderOf(r.key)))).toEqual(new Set([changedId]));
  for (const r of remade) expect(r.cells).toContain('zz-new');
  // The kept rows are what the table makes of objects it never saw.
  const fresh = structuredClone(next);
  expect(shown(aliasesTable(derive(snapshotOf(fresh, plan(fresh, NOW), NOW.getTime()))))).toEqual(
    shown(aliasesTable(derive(snapshotOf(next, plan(next, NOW), NOW.getTime())))),
  );
});

test('a long list’s row made when read: the filter’s text is its cells’ text, and reading it twice shows the same', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom('Asleep', 'ZZ\u001b[2J', 'a\tb', 'Σ-Ω'), (seed, odd) => {
      const state = generatedState(300, seed);
      // Cells that are cleaned, and text whose lower case differs from it.
      for (const b of state.beads.filter((_, i) => i % 7 === 0)) b.metadata = { ...b.metadata, state: odd, alias_history: `${odd},x` };
      const d = derive(snapshotAt(state));
      const tables = [aliasesTable(d), ...d.poolNames.map((p) => slotsTable(d, p))];
      for (const t of tables)
        for (const r of t.rows) {
          expect(r.search).toBe(r.cells.join(' ').toLowerCase());
          expect(shown({ columns: [], rows: [r] })).toEqual(shown({ columns: [], rows: [r] }));
          expect(r.cells).toHaveLength(t.columns.length);
        }
      // The widths the rows keep are those their cells measure (a plain row of the same cells is measured).
      for (const t of tables)
        expect(contentWidths(t.columns, [...t.rows])).toEqual(
          contentWidths(
            t.columns,
            t.rows.map((r) => makeRow(r.key, r.cells, r.ids)),
          ),
        );
      expect(tables.some((t) => t.rows.some((r) => r.cells.includes(odd)))).toBe(odd === 'Asleep' || odd === 'Σ-Ω');
    }),
    { numRuns: PROPERTY_RUNS },
  );
});

test('a long list’s rows keep no text: the index its table makes (of new rows, and of rows a refresh kept) and a sorted list’s show the rows a scan of their cells shows', () => {
  const state = generatedState(1500, 11);
  // A table made before, whose rows the next one keeps (the same bead objects): their texts are made from their cells.
  expect(aliasesTable(derive(snapshotAt(state))).rows.length).toBeGreaterThan(0);
  const d = derive(snapshotAt(state));
  const tables = [aliasesTable(d), ...d.poolNames.map((p) => slotsTable(d, p))];
  // Several of the index's chunks (1 024 rows' texts each) in the longest.
  expect(Math.max(...tables.map((t) => t.rows.length))).toBeGreaterThan(2048);
  const typed = [...'worker-1 asl'].map((_, i, all) => all.slice(0, i + 1).join(''));
  // A sorted list first (its index made from the unsorted list's, itself made then), the list, another sort.
  for (const t of tables)
    for (const rows of [sortRows(t.rows, { column: 0, desc: true }), t.rows, sortRows(t.rows, { column: 1, desc: false })])
      for (const q of [...typed, 'gx-', 'x 9', 'zzz', 'a', 'é']) {
        const words = q.split(' ');
        const want = rows.filter((r) => words.every((w) => r.cells.join(' ').toLowerCase().includes(w)));
        const got = filterRows(rows, q);
        expect(got.length, q).toBe(want.length);
        expect(
          got.map((r) => r.key),
          q,
        ).toEqual(want.map((r) => r.key));
      }
});
