// Drill-down both ways (issue 11 item 3): `r` on a slot, alias, work item or finding shows only that bead's
// repairs (marked on the view bar, esc goes back to the row it came from); `b` on a repair (list or card) goes
// to its bead's row in the slots view (a session bead) or the work view (a work bead), the cursor pinned by id.
// `2` (and `:slots`) from a row about a pool opens that pool's slots, on the row's bead's slot when it holds one.
import { afterEach, describe, expect, test } from 'vitest';
import type { ViewId } from '../../src/console/ui-state.js';
import { viewModel } from '../../src/ui/views/registry.js';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import { NOW } from '../support/builders.js';
import type { AuditEntry } from '../../src/store/types.js';
import { demoState, hostileState, storeWith } from './fixture.js';
import { cursorLine, expectFits, KEYS, renderApp, SIZES, titleLine, waitForLine, type Harness } from './render.js';
import { status } from '../support/frame-lines.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

function hh(): Harness {
  if (!h) throw new Error('no harness');
  return h;
}

/** Open `view` by its number key and wait for its own title line. */
async function open(view: ViewId, key: string): Promise<void> {
  await hh().press(key);
  const title = titleLine(hh().store, view);
  await hh().waitForFrame((f) => f.includes(title) && hh().store.getState().ui.view === view, view);
}

/** Move the cursor of the current view down (real `j` presses) to the first row `pick` accepts. */
async function moveTo(pick: (key: string, ids: string[]) => boolean): Promise<string> {
  const s = hh().store.getState();
  const vm = viewModel(s, s.ui.view)!;
  const i = vm.rows.findIndex((r) => pick(r.key, r.ids));
  expect(i, `no such row in ${s.ui.view}`).toBeGreaterThanOrEqual(0);
  const key = vm.rows[i].key;
  for (let n = vm.index; n < i; n++) await hh().press('j');
  await hh().waitForFrame(() => hh().store.getState().ui.cursors[s.ui.view].key === key, `cursor on ${key}`);
  return key;
}

const repairsOf = (bead: string) =>
  hh()
    .store.getState()
    .current!.plan.repairs.filter((r) => r.beadId === bead);

/** The repairs view shows exactly `bead`'s repairs. */
function shownRepairs(): string[] {
  const vm = viewModel(hh().store.getState(), 'repairs')!;
  return vm.rows.map((r) => r.key);
}

describe('r: the repairs of the selected bead', () => {
  for (const [columns, rows] of SIZES)
    test(`from a slot at ${columns}×${rows}: only its repairs, marked; esc returns to the slot`, async () => {
      h = renderApp(storeWith(demoState(), { rows, columns }));
      await open('slots', '2');
      const bead = await moveTo((k) => repairsOf(k).length > 0);
      await hh().press('r');
      const f = await hh().waitForFrame((x) => x.includes(`only ${bead}`) && x.includes('esc: back'), 'narrowed repairs');
      expectFits(f, columns, rows);
      expect(hh().store.getState().ui.view).toBe('repairs');
      expect(shownRepairs().sort()).toEqual(
        repairsOf(bead)
          .map((r) => r.id)
          .sort(),
      );
      await hh().press(KEYS.esc);
      await hh().waitForFrame((x) => x.includes('AGENT_NAME') && !x.includes('only '), 'back to slots');
      const s = hh().store.getState();
      expect(s.ui.view).toBe('slots');
      expect(s.ui.cursors.slots.key).toBe(bead);
      expect(s.ui.drill).toBeNull();
    });

  test('esc back to a row a refresh took away, or that the filter hides now: the cursor at its place, and a word on it', async () => {
    const store = storeWith(demoState());
    h = renderApp(store);
    await open('slots', '2');
    const bead = await moveTo((k) => repairsOf(k).length > 0);
    const reload = (edit: (s: State) => void) => {
      const s = demoState();
      edit(s);
      store.getState().loaded(s, plan(s, NOW), Date.now());
    };
    // Gone: the bead is closed while its repairs are shown.
    await hh().press('r');
    await hh().waitForFrame((x) => x.includes(`only ${bead}`), 'narrowed repairs');
    reload((s) => {
      s.beads = s.beads.filter((b) => b.id !== bead);
    });
    await hh().waitForFrame((x) => x.includes(`No repairs left for ${bead}`), 'its repairs gone');
    await hh().press(KEYS.esc);
    await hh().waitForFrame((x) => x.includes('AGENT_NAME') && x.includes(`${bead} is no longer in the slots view`), 'said gone');
    // Hidden: a filter that shows it (be-evil is asleep), a drill, then a refresh that changes what it matches.
    reload(() => {});
    await hh().press('/', ...'asleep', KEYS.enter);
    await hh().waitForFrame((x) => x.includes('filter "asleep"') && !x.includes('/asleep'), 'filtered');
    await moveTo((k) => k === 'be-evil');
    await hh().press('r');
    await hh().waitForFrame((x) => x.includes('only be-evil'), 'narrowed again');
    reload((s) => {
      s.beads.find((x) => x.id === 'be-evil')!.metadata!.state = 'active';
    });
    await hh().press(KEYS.esc);
    const f = await hh().waitForFrame((x) => x.includes('AGENT_NAME') && !x.includes('only '), 'back to slots');
    expect(f).toContain('be-evil is hidden by the filter "asleep" now');
    expect(hh().store.getState().ui.cursors.slots.key).not.toBe('be-evil');
  });

  test("from a pools row with refused duplicates: the pool's repairs (as y there shows the pool), never one duplicate's", async () => {
    h = renderApp(storeWith(demoState(), { rows: 30, columns: 120 }));
    await open('pools', '1');
    const plan = hh().store.getState().current!.plan;
    const pool = plan.pools.find((p) => p.duplicates.length > 0)!;
    const template = await moveTo((k) => k === pool.template);
    // r did nothing on a pools row before: not bound in the pools view.
    await hh().press('r');
    const f = await hh().waitForFrame((x) => x.includes(`only pool ${template}`) && x.includes('esc: back'), "the pool's repairs");
    const mine = plan.repairs.filter((r) => r.template === template).map((r) => r.id);
    expect(mine.length).toBeGreaterThan(1);
    expect(shownRepairs().sort()).toEqual(mine.sort());
    // Its refused duplicates' repairs among them, not theirs alone.
    const dup = plan.repairs.filter((r) => pool.duplicates.includes(r.beadId)).map((r) => r.id);
    expect(dup.length).toBeGreaterThan(0);
    expect(shownRepairs()).toEqual(expect.arrayContaining(dup));
    expect(shownRepairs().length).toBeGreaterThan(dup.length);
    expectFits(f, 120, 30);
    await hh().press(KEYS.esc);
    await hh().waitForFrame((x) => x.includes('HEALTH') && !x.includes('only '), 'back to the pools');
    expect(hh().store.getState().ui.cursors.pools.key).toBe(template);
    // A pool with no repairs says so.
    const quiet = plan.pools.find((p) => !plan.repairs.some((r) => r.template === p.template))!;
    await hh().press('g');
    await hh().waitForFrame(() => hh().store.getState().ui.cursors.pools.index === 0, 'the first pool');
    await moveTo((k) => k === quiet.template);
    await hh().press('r');
    await hh().waitForFrame((x) => x.includes(`no repairs for pool ${quiet.template}`), 'the message');
    expect(hh().store.getState().ui.view).toBe('pools');
  });

  test('a bead without repairs: "no repairs for <id>", the view stays', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await open('slots', '2');
    const bead = await moveTo((k) => repairsOf(k).length === 0);
    await hh().press('r');
    await hh().waitForFrame((f) => f.includes(`no repairs for ${bead}`), 'the message');
    expect(hh().store.getState().ui.view).toBe('slots');
  });

  test('from a work item, a finding and an alias; a filter typed before does not hide any', async () => {
    h = renderApp(storeWith(demoState(), { rows: 30, columns: 100 }));
    await open('repairs', '6');
    await hh().press('/', 'zzz-no-match', KEYS.enter);
    await hh().waitForFrame((f) => f.includes('zzz-no-match'), 'a repairs filter');

    await open('work', '5');
    const work = await moveTo((k) => repairsOf(k).length > 0);
    await hh().press('r');
    await hh().waitForFrame((f) => f.includes(`only ${work}`), 'work repairs');
    expect(shownRepairs().length).toBe(repairsOf(work).length);
    expect(hh().store.getState().ui.filters.repairs).toBe('');

    // The demo's findings are about beads the engine leaves alone: r says so, and stays.
    await open('findings', '8');
    const beadIds = new Set(
      hh()
        .store.getState()
        .current!.state.beads.map((b) => b.id),
    );
    const finding = await moveTo((_k, ids) => beadIds.has(ids[0] ?? ''));
    const fbead = viewModel(hh().store.getState(), 'findings')!.rows.find((r) => r.key === finding)!.ids[0];
    expect(repairsOf(fbead)).toEqual([]);
    await hh().press('r');
    await hh().waitForFrame((f) => f.includes(`no repairs for ${fbead}`), 'finding without repairs');
    expect(hh().store.getState().ui.view).toBe('findings');

    await open('aliases', '3');
    const alias = await moveTo((_k, ids) => ids.length > 0 && repairsOf(ids[0]).length > 0);
    const holder = viewModel(hh().store.getState(), 'aliases')!.rows.find((r) => r.key === alias)!.ids[0];
    await hh().press('r');
    await hh().waitForFrame((f) => f.includes(`only ${holder}`), 'alias repairs');
    // Another view by its key ends the narrowing: 6 shows the whole queue again.
    await open('pools', '1');
    await open('repairs', '6');
    expect(hh().store.getState().ui.drill).toBeNull();
    expect(shownRepairs().length).toBe(hh().store.getState().current!.plan.repairs.length);
  });
});

describe('b: from a repair to its bead', () => {
  for (const [columns, rows] of SIZES)
    test(`a session bead's repair at ${columns}×${rows}: its slot, in its pool, under the cursor`, async () => {
      h = renderApp(storeWith(demoState(), { rows, columns }));
      await open('repairs', '6');
      const s0 = hh().store.getState();
      // The last session-bead repair of the queue: its pool is not the first one.
      const rows0 = viewModel(s0, 'repairs')!.rows;
      const beads = s0.current!.plan.detail.beads;
      const target = [...rows0].reverse().find((r) => beads[s0.current!.plan.repairs.find((x) => x.id === r.key)!.beadId]?.template)!;
      const repair = s0.current!.plan.repairs.find((x) => x.id === target.key)!;
      await moveTo((k) => k === target.key);
      await hh().press('b');
      const f = await hh().waitForFrame((x) => x.includes('AGENT_NAME') && x.includes(`pool ${beads[repair.beadId].template}`), 'slots');
      expectFits(f, columns, rows);
      const s = hh().store.getState();
      expect(s.ui.view).toBe('slots');
      expect(s.ui.cursors.slots.key).toBe(repair.beadId);
      const vm = viewModel(s, 'slots')!;
      expect(vm.rows[vm.index].key).toBe(repair.beadId);
      expect(f.split('\n').find((l) => l.startsWith('>'))).toContain(repair.beadId);
    });

  test("a work bead's repair, from the full card: its row in the work view", async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await open('repairs', '6');
    const s0 = hh().store.getState();
    const work = new Set(viewModel(s0, 'work')!.table.rows.map((r) => r.key));
    const repair = s0.current!.plan.repairs.find((r) => work.has(r.beadId))!;
    await moveTo((k) => k === repair.id);
    await hh().press(KEYS.enter);
    await hh().waitForFrame((f) => f.includes('card'), 'the card');
    await hh().press('b');
    await hh().waitForFrame((f) => f.includes('PROBLEM') && hh().store.getState().ui.view === 'work', 'work view');
    const vm = viewModel(hh().store.getState(), 'work')!;
    expect(vm.rows[vm.index].key).toBe(repair.beadId);
  });

  test('both ways: r then b lands back on the same slot', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await open('slots', '2');
    await hh().press('j');
    const bead = await moveTo((k) => repairsOf(k).length > 0);
    await hh().press('r');
    await hh().waitForFrame((f) => f.includes(`only ${bead}`), 'narrowed');
    await hh().press('b');
    await hh().waitForFrame(() => hh().store.getState().ui.view === 'slots', 'slots');
    expect(hh().store.getState().ui.cursors.slots.key).toBe(bead);
  });
});

test('a drill whose bead has no repairs left says so, not that the store is consistent', async () => {
  h = renderApp(storeWith(demoState()));
  await open('repairs', '6');
  // As after a refresh that took the last repair of the drilled bead away while other repairs remain.
  hh()
    .store.getState()
    .patchUi({ drill: { bead: 'no-such-bead', from: 'slots' } });
  const f = await hh().waitForFrame((x) => x.includes('No repairs left for no-such-bead (esc: back).'), 'the empty drill');
  expect(f).not.toContain('the store is consistent');
});

/** The slots view's bar and cursor line as drawn for `pool` with the cursor on `bead` (the first row when null). */
async function slotsOn(pool: string, bead: string | null, what: string): Promise<string> {
  const f = await hh().waitForFrame((x) => x.includes(`│ pool ${pool} `) && x.includes('AGENT_NAME'), `${what}: pool ${pool}`);
  const vm = viewModel(hh().store.getState(), 'slots')!;
  expect(vm.rows[vm.index].key, what).toBe(bead ?? vm.rows[0].key);
  await waitForLine(hh(), cursorLine(hh().store, 'slots'), `${what}: the cursor on ${bead ?? 'the first slot'}`);
  return f;
}

/** A console on `state`, the cursor of `view` (opened by its number `key`) on the first row `pick` accepts, then `keys`. */
async function pressOn(
  state: State,
  [columns, rows]: readonly [number, number],
  view: ViewId,
  key: string,
  pick: (k: string) => boolean,
  ...keys: string[]
) {
  h = renderApp(storeWith(state, { rows, columns }));
  await open(view, key);
  await moveTo(pick);
  await hh().press(...keys);
}

describe("2: the slots of the selected row's pool", () => {
  for (const [columns, rows] of SIZES)
    test(`from a repair at ${columns}×${rows}: its pool (not the one the pools view selects), its bead's slot; 1 lands on that pool`, async () => {
      // The pools view selects backend/worker (its first row); fe-poison is of frontend/worker.
      await pressOn(demoState(), [columns, rows], 'repairs', '6', (k) => k === 'restamp-slot:fe-poison', '2');
      const f = await slotsOn('frontend/worker', 'fe-poison', 'from the repair');
      expectFits(f, columns, rows);
      expect(status(f)).toBe('');
      await hh().press('1');
      await hh().waitForFrame((x) => /^> frontend\/worker /m.test(x), 'the pools view on its pool');
    });

  test('from a work repair, a work item, a finding, an alias, an audit entry and a template: the pool each names', async () => {
    const store = storeWith(demoState(), { rows: 30, columns: 120 });
    h = renderApp(store);
    const entry: AuditEntry = {
      time: '2026-05-06T02:13:00Z',
      operator: 'ana',
      action: 'reject',
      repair: 'repair-alias:fe-poison',
      kind: 'repair-alias',
      beadId: 'fe-poison',
      changes: [],
      reason: 'alias',
      note: '',
      result: 'recorded',
    };
    store.getState().setAudit([entry]);
    const cases: [ViewId, string, (key: string, ids: string[]) => boolean, string, string | null, string][] = [
      // The pool of a work repair is its route (its POOL column): the work bead holds no slot, the cursor is on the first.
      ['repairs', '6', (k) => k === 'unassign-cross-template-work:wk-cross', 'frontend/worker', null, 'a work repair'],
      ['work', '5', (k) => k === 'wk-orphan', 'backend/worker', null, 'a work item: its route'],
      ['findings', '8', (k) => k === 'alias-conflict:be-four', 'backend/worker', 'be-four', 'a finding: its template, its bead'],
      // fe-poison, of frontend/worker, holds the alias backend/worker-4.
      ['aliases', '3', (_k, ids) => ids[0] === 'fe-poison', 'frontend/worker', 'fe-poison', "an alias: its holder's slot"],
      ['audit', '7', () => true, 'frontend/worker', 'fe-poison', "an audit entry: its bead's slot"],
      ['templates', '4', (k) => k === 'mayor', 'mayor', null, 'a template'],
    ];
    for (const [view, key, pick, pool, bead, what] of cases) {
      // The pools view selects another pool first.
      const other = pool === 'mayor' ? 'backend/worker' : 'mayor';
      await hh().press(':', ...`slots ${other}`, KEYS.enter);
      await slotsOn(other, null, `:slots ${other}`);
      await open(view, key);
      await moveTo(pick);
      await hh().press('2');
      await slotsOn(pool, bead, what);
    }
    // From the trend view (no rows): the pool the pools view selects, the one the last 2 opened.
    await hh().press('9');
    await hh().waitForFrame((x) => /^\d+ samples?, |No samples yet/m.test(x), 'the trend view');
    await hh().press('2');
    const f = await slotsOn('mayor', null, 'the trend view');
    expect(status(f)).toBe('');
  });

  test(':slots alone is 2: from a repair, its pool and slot', async () => {
    await pressOn(demoState(), [80, 24], 'repairs', '6', (k) => k === 'close-duplicate:fe-dup', ':', ...'slots', KEYS.enter);
    await slotsOn('frontend/worker', 'fe-dup', ':slots from the repair');
  });

  test('a row whose bead is in no pool says so, and shows the pool the pools view selects', async () => {
    await pressOn(hostileState(), [120, 30], 'findings', '8', (k) => k === 'unresolved-template:ghost-1', '2');
    const f = await slotsOn('backend/worker', null, 'an unresolved bead');
    expect(status(f)).toBe('ghost-1 is in no pool: showing the slots of backend/worker, the pool selected in the pools view');
  });

  test('2 on another pool than the slots were on: its first slot, never the row at the same place', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await open('slots', '2');
    await slotsOn('backend/worker', null, 'the first pool');
    await moveTo((k) => k === 'be-evil');
    await open('pools', '1');
    await hh().press('j');
    await hh().waitForFrame((x) => /^> frontend\/worker /m.test(x), 'the pools cursor on frontend/worker');
    await hh().press('2');
    await slotsOn('frontend/worker', 'fe-ok', 'the next pool');
  });
});
