// Sorting any list by any column (`>`/`<` step the column, `I` reverses): numbers by value, ids naturally,
// blanks last, ties in the view's own order; the cursor keeps its row by id across a re-sort and a refresh.
import { afterEach, describe, expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import { compareCells, stepSort } from '../../src/ui/rows/sort.js';
import { city, NOW, pooled, state } from '../support/builders.js';
import { storeWith } from './fixture.js';
import { expectFits, lineOf, renderApp, SIZES, titleLine, waitForLine, type Harness } from './render.js';
import { selected } from '../support/frame-lines.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** One pool whose bead ids, slots and names disagree in byte order: x-10 holds slot 2, x-2 slot 10. */
function pool(extra: { id: string; slot: number }[] = []): State {
  const holders = [{ id: 'x-10', slot: 2 }, { id: 'x-9', slot: 9 }, { id: 'x-2', slot: 10 }, ...extra];
  return state(
    city([{ name: 'worker', max_active_sessions: 12 }]),
    holders.map(({ id, slot }) =>
      pooled(id, 'worker', { agent_name: `worker-${slot}`, alias: `worker-${slot}`, pool_slot: String(slot), state: 'asleep' }),
    ),
  );
}

/** The bead ids of the slot rows (gutter, slot, bead), top to bottom. */
const order = (f: string) => f.split('\n').flatMap((l) => /^.. *\d+ +(x-\d+) /.exec(l)?.[1] ?? []);
/** The view bar: the line with the visible range. */
const bar = (f: string) => f.split('\n').find((l) => / of \d/.test(l)) ?? '';

async function slots(s: State = pool(), size: { columns?: number; rows?: number } = {}) {
  const store = storeWith(s, size);
  h = renderApp(store);
  await h.press('2');
  await h.waitForFrame((f) => order(f).length === s.beads.length, 'the slots view');
  return { h, store };
}

describe('sorting a list', () => {
  test('> sorts by the first column, numbers by value; I reverses; the title and the view bar say so', async () => {
    const { h, store } = await slots();
    expect(order(h.frame())).toEqual(['x-10', 'x-9', 'x-2']);
    await h.press('>');
    let f = await waitForLine(h, titleLine(store, 'slots'), 'sorted by SLOT');
    expect(titleLine(store, 'slots')).toMatch(/^\s+SLOT↑ BEAD/);
    expect(bar(f)).toContain('sort slot ↑');
    expect(order(f)).toEqual(['x-10', 'x-9', 'x-2']);
    await h.press('I');
    f = await h.waitForFrame((x) => bar(x).includes('sort slot ↓'), 'reversed');
    expect(order(f)).toEqual(['x-2', 'x-9', 'x-10']);
    expect(lineOf(f, 'SLOT↓')).toContain('BEAD');
  });

  test('ids sort naturally (x-2 before x-10), not byte by byte; < steps back and past the first column ends the sort', async () => {
    const { h } = await slots();
    await h.press('>', '>');
    let f = await h.waitForFrame((x) => bar(x).includes('sort bead ↑'), 'sorted by BEAD');
    expect(order(f)).toEqual(['x-2', 'x-9', 'x-10']);
    expect(lineOf(f, 'BEAD↑')).toMatch(/SLOT +BEAD↑/);
    await h.press('<');
    await h.waitForFrame((x) => bar(x).includes('sort slot ↑'), 'back to SLOT');
    await h.press('<');
    f = await h.waitForFrame((x) => !bar(x).includes('sort'), "the view's own order");
    expect(lineOf(f, 'BEAD')).not.toMatch(/[↑↓]/);
    expect(order(f)).toEqual(['x-10', 'x-9', 'x-2']);
    // From the view's own order `<` picks the last column.
    await h.press('<');
    await h.waitForFrame((x) => bar(x).includes('sort flags ↑'), 'the last column');
  });

  test('rows that tie keep the view’s own order, whichever way the column sorts', async () => {
    const { h } = await slots();
    // STATE is the sixth column: every bead is asleep.
    await h.press('>', '>', '>', '>', '>', '>');
    let f = await h.waitForFrame((x) => bar(x).includes('sort state ↑'), 'sorted by STATE');
    expect(order(f)).toEqual(['x-10', 'x-9', 'x-2']);
    await h.press('I');
    f = await h.waitForFrame((x) => bar(x).includes('sort state ↓'), 'reversed');
    expect(order(f)).toEqual(['x-10', 'x-9', 'x-2']);
  });

  test('a refused duplicate stays under its incumbent whichever column sorts, either way', async () => {
    // x-5 duplicates x-10's slot 2 and x-9 duplicates x-1's slot 9 (the smaller id keeps a slot).
    const dups = state(
      city([{ name: 'worker', max_active_sessions: 12 }]),
      [
        { id: 'x-10', slot: 2 },
        { id: 'x-9', slot: 9 },
        { id: 'x-2', slot: 10 },
        { id: 'x-5', slot: 2 },
        { id: 'x-1', slot: 9 },
      ].map(({ id, slot }) => pooled(id, 'worker', { agent_name: `worker-${slot}`, pool_slot: String(slot), state: 'asleep' })),
    );
    const store = storeWith(dups);
    h = renderApp(store);
    await h.press('2');
    /** Slot rows top to bottom: the bead, and `↳` for a duplicate under the row above. */
    const rows = (f: string) =>
      f.split('\n').flatMap(
        (l) =>
          /^..\s*(↳ )?\d+ +(x-\d+) /
            .exec(l)
            ?.slice(1, 3)
            .map((x) => x ?? '') ?? [],
      );
    const groups = (f: string) => {
      const r = rows(f);
      const out: string[] = [];
      for (let i = 0; i < r.length; i += 2) out.push(r[i] ? `${out.pop()}+${r[i + 1]}` : r[i + 1]);
      return out;
    };
    let f = await h.waitForFrame((x) => rows(x).length === 10, 'the slots view');
    expect(groups(f)).toEqual(['x-10+x-5', 'x-1+x-9', 'x-2']);
    await h.press('>', '>');
    f = await h.waitForFrame((x) => bar(x).includes('sort bead ↑'), 'sorted by BEAD');
    expect(groups(f)).toEqual(['x-1+x-9', 'x-2', 'x-10+x-5']);
    await h.press('I');
    f = await h.waitForFrame((x) => bar(x).includes('sort bead ↓'), 'reversed');
    expect(groups(f)).toEqual(['x-10+x-5', 'x-2', 'x-1+x-9']);
    // FLAGS (the seventh column) is blank for the incumbents: the groups keep the view's order, duplicates under.
    await h.press('>', '>', '>', '>', '>');
    f = await h.waitForFrame((x) => bar(x).includes('sort flags ↓'), 'sorted by FLAGS');
    expect(groups(f)).toEqual(['x-10+x-5', 'x-1+x-9', 'x-2']);
  });

  test('the cursor keeps its row by id across a re-sort and a refresh; the sort survives the refresh', async () => {
    const { h, store } = await slots();
    await h.press('j');
    await h.waitForFrame((f) => selected(f).includes('x-9'), 'the cursor on x-9');
    await h.press('>', '>', 'I');
    let f = await h.waitForFrame((x) => bar(x).includes('sort bead ↓'), 'sorted by BEAD, descending');
    expect(order(f)).toEqual(['x-10', 'x-9', 'x-2']);
    expect(selected(f)).toContain('x-9');
    await h.press('I');
    f = await h.waitForFrame((x) => bar(x).includes('sort bead ↑'), 'ascending');
    expect(order(f)).toEqual(['x-2', 'x-9', 'x-10']);
    expect(selected(f)).toContain('x-9');
    // A refresh adds a bead that sorts above the cursor's row.
    const next = pool([{ id: 'x-3', slot: 3 }]);
    store.getState().loaded(next, plan(next, NOW), NOW.getTime());
    f = await h.waitForFrame((x) => order(x).includes('x-3'), 'the refresh');
    expect(order(f)).toEqual(['x-2', 'x-3', 'x-9', 'x-10']);
    expect(bar(f)).toContain('sort bead ↑');
    expect(selected(f)).toContain('x-9');
  });

  test('each view keeps its own sort', async () => {
    const { h } = await slots();
    await h.press('>', '>');
    await h.waitForFrame((x) => bar(x).includes('sort bead ↑'), 'slots sorted');
    await h.press('1');
    let f = await h.waitForFrame((x) => x.includes('HEALTH'), 'the pools view');
    expect(bar(f)).not.toContain('sort');
    await h.press('2');
    f = await h.waitForFrame((x) => bar(x).includes('sort bead ↑'), 'slots still sorted');
    expect(order(f)).toEqual(['x-2', 'x-9', 'x-10']);
  });

  test('the trend view, a chart, is not sorted: its sort keys are not bound there', async () => {
    const { h, store } = await slots();
    await h.press('9', '>', 'I', '?');
    await h.waitForFrame((f) => f.includes('Keys ('), 'help, after the sort keys');
    expect(store.getState().ui.sorts.trend).toBeNull();
  });

  test('I without a sorted column says how to pick one', async () => {
    const { h } = await slots();
    await h.press('I');
    await h.waitForFrame((f) => f.includes('not sorted by a column: > or < picks one'), 'the hint');
  });

  test.each(SIZES)('a sorted list fits at %i×%i, its arrow kept', async (columns, rows) => {
    const { h } = await slots(pool(), { columns, rows });
    await h.press('>', '>', '>', '>', '>');
    const f = await h.waitForFrame((x) => bar(x).includes('sort pool_slot ↑'), 'sorted by POOL_SLOT');
    expectFits(f, columns, rows);
    await h.press('<', '<', '<', '<');
    const g = await h.waitForFrame((x) => lineOf(x, 'SLOT↑') !== '', 'sorted by SLOT');
    expectFits(g, columns, rows);
  });
});

describe('the order of cells', () => {
  test('numbers by value, digit groups read as one number, ids naturally, blanks last', () => {
    const sorted = (xs: string[]) => [...xs].sort(compareCells);
    expect(sorted(['10', '9', '1 234', '100'])).toEqual(['9', '10', '100', '1 234']);
    expect(sorted(['x-10', 'x-2', 'x-1', 'X-3'])).toEqual(['x-1', 'x-2', 'X-3', 'x-10']);
    expect(sorted(['–', 'b', '', 'a'])).toEqual(['a', 'b', '–', '']);
    expect(sorted(['↳ 3', '2', '4'])).toEqual(['2', '↳ 3', '4']);
    expect(sorted(['a-007', 'a-7', 'a-10'])).toEqual(['a-7', 'a-007', 'a-10']);
  });

  test('> and < step through every column and back to the view’s own order', () => {
    const seen: (number | null)[] = [];
    let s = stepSort(null, 3, 1);
    for (let i = 0; i < 4; i++, s = stepSort(s, 3, 1)) seen.push(s?.column ?? null);
    expect(seen).toEqual([0, 1, 2, null]);
    expect(stepSort(null, 3, -1)).toEqual({ column: 2, desc: false });
    expect(stepSort({ column: 1, desc: true }, 3, 1)).toEqual({ column: 2, desc: true });
  });
});
