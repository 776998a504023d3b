// The long lists held as columns (rows/row-list.ts): a Row[] to every reader, whose rows are made when read and not
// kept. A filter or a sort of one is a list of the same kind: no row made for what it keeps, only for what is read.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { snapshotOf } from '../../src/console/state.js';
import { aliasesTable } from '../../src/ui/rows/aliases.js';
import { derive } from '../../src/ui/rows/derive.js';
import { filterRows, warmSearchIndex } from '../../src/ui/rows/filter.js';
import { allCells, isRowList, rowList } from '../../src/ui/rows/row-list.js';
import { slotsTable } from '../../src/ui/rows/slots.js';
import { sortedPlaces, sortRows } from '../../src/ui/rows/sort.js';
import { makeRow, type Row } from '../../src/ui/rows/types.js';
import { NOW, pooled } from '../support/builders.js';
import { demoState } from './fixture.js';

/** More rows than a list keeps of those read last (row-list.ts RECENT). */
const RECENT_READ = 256;

/** A list of `n` rows (`w-<i>`, a worker or a builder) that counts the rows it made. */
function counted(n: number): { rows: Row[]; made: () => number } {
  let made = 0;
  const rows = rowList(n, (i) => {
    made++;
    return makeRow(`w-${i}`, [`w-${i}`, i % 3 ? 'worker' : 'builder'], [`w-${i}`]);
  });
  return { rows, made: () => made };
}

test('a list made when read reads as an array of its rows, and cannot be changed', () => {
  const { rows } = counted(5);
  const keys = ['w-0', 'w-1', 'w-2', 'w-3', 'w-4'];
  expect(Array.isArray(rows)).toBe(true);
  expect(rows.length).toBe(5);
  expect(rows[2].key).toBe('w-2');
  expect(rows[5]).toBeUndefined();
  expect(rows.map((r) => r.key)).toEqual(keys);
  expect([...rows].map((r) => r.key)).toEqual(keys);
  expect(rows.slice(1, 3).map((r) => r.key)).toEqual(['w-1', 'w-2']);
  expect(rows.filter((r) => r.cells[1] === 'builder').map((r) => r.key)).toEqual(['w-0', 'w-3']);
  expect(rows.find((r) => r.key === 'w-3')?.cells).toEqual(['w-3', 'builder']);
  expect(rows.findIndex((r) => r.key === 'w-4')).toBe(4);
  expect(rows.some((r) => r.key === 'w-9')).toBe(false);
  expect(Object.keys(rows)).toEqual(['0', '1', '2', '3', '4']);
  expect(3 in rows).toBe(true);
  expect(5 in rows).toBe(false);
  expect(() => {
    rows[0] = makeRow('x', ['x'], []);
  }).toThrow(TypeError);
  expect(() => rows.push(makeRow('x', ['x'], []))).toThrow(TypeError);
});

test('a filter and a sort of a list made when read make no row for what they keep', async () => {
  const { rows, made } = counted(3000);
  await warmSearchIndex(rows, async () => {});
  const before = made();
  const builders = filterRows(rows, 'builder');
  // Answered by the index: the rows found are a list of the same kind, none made until read.
  expect(made()).toBe(before);
  expect(isRowList(builders)).toBe(true);
  expect(builders.length).toBe(1000);
  expect(builders[1].key).toBe('w-3');
  const sorted = sortRows(rows, { column: 1, desc: false });
  const read = made();
  // The sort reads each row once (its cell), and keeps none.
  expect(read - before).toBeLessThanOrEqual(rows.length + 1);
  expect(isRowList(sorted)).toBe(true);
  expect(sorted[0].key).toBe('w-0');
  expect(sorted[1000].key).toBe('w-1');
  // A filter of the sorted list too.
  const workers = filterRows(sorted, 'worker w-1');
  expect(isRowList(workers)).toBe(true);
  expect(workers.map((r) => r.key).slice(0, 3)).toEqual(['w-1', 'w-10', 'w-11']);
});

test('the aliases view’s rows are made when read, not kept: the rows read last are the same objects, not the others', () => {
  const s = demoState();
  for (let i = 0; i < 200; i++) s.beads.push(pooled(`zz-${i}`, 'frontend/worker', { alias: `name-${i}`, agent_name: `agent-${i}` }));
  const rows = aliasesTable(derive(snapshotOf(s, plan(s, NOW), NOW.getTime()))).rows;
  // More rows than a list keeps of those read last.
  expect(rows.length).toBeGreaterThan(400);
  const k = rows.findIndex((r) => r.key.startsWith('name-7\u0000'));
  expect(rows[k].cells.slice(0, 3)).toEqual(['name-7', 'alias', 'zz-7']);
  // Read again while it is among the rows read last (a window drawn frame after frame): the same object, so a table
  // line is not drawn again for it.
  const first = rows[k];
  expect(rows[k]).toBe(first);
  // Once many other rows were read (a sort, a scan), it is made again: the same row, another object.
  for (let round = 0; round < 4; round++) for (let i = 0; i < rows.length; i++) void rows[i].key;
  expect(rows[k]).not.toBe(first);
  expect(rows[k].key).toBe(first.key);
  expect(rows[k].cells).toEqual(first.cells);
  expect(isRowList(rows)).toBe(true);
});

test('a refresh lets go of the aliases and slots rows of the read before the last', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const s = demoState();
  for (let i = 0; i < 40; i++) s.beads.push(pooled(`zz-${i}`, 'frontend/worker', { alias: `name-${i}` }));
  // Read `n`: one bead's state changed, every other bead the same object (as the plan worker hands them back).
  const tables = (n: number): Row[][] => {
    const next = { ...s, beads: s.beads.map((b) => (b.id === 'zz-1' ? { ...b, metadata: { ...b.metadata, state: `s-${n}` } } : b)) };
    const d = derive(snapshotOf(next, plan(next, NOW), NOW.getTime()));
    expect(d.poolNames).toContain('frontend/worker');
    return [aliasesTable(d).rows, slotsTable(d, 'frontend/worker').rows];
  };
  const first = tables(0).map((rows) => new WeakRef(rows));
  for (let n = 1; n <= 3; n++) expect(tables(n)[0].some((r) => r.cells.includes(`s-${n}`))).toBe(true);
  // A WeakRef holds its target until the job that made it ends.
  await new Promise((r) => setImmediate(r));
  gc();
  expect(first.map((r) => r.deref() === undefined)).toEqual([true, true]);
});

test('a sort and an export of the aliases and slots lists read their columns: the order and cells their rows give, no row made', () => {
  const s = demoState();
  for (let i = 0; i < 300; i++) {
    const n = String(i % 17).padStart(3, '0');
    s.beads.push(
      pooled(`zz-${i}`, 'frontend/worker', { alias: `name-${n}-${i}`, agent_name: `agent-${i % 7}`, state: i % 3 ? 'asleep' : 'active' }),
    );
  }
  const d = derive(snapshotOf(s, plan(s, NOW), NOW.getTime()));
  for (const table of [aliasesTable(d), slotsTable(d, 'frontend/worker')]) {
    const { rows, columns } = table;
    expect(rows.length).toBeGreaterThan(RECENT_READ);
    // The same rows as objects of their own: sorted and exported as any list of rows is.
    const held = rows.map((r) => r);
    expect(isRowList(held)).toBe(false);
    const placeOf = new Map(held.map((r, i) => [r, i]));
    const window = rows.slice(0, 20);
    for (let c = 0; c < columns.length; c++)
      for (const desc of [false, true]) {
        // The sorted list's order as places in the list (read without its rows), against the held rows' sort.
        const sorted = sortedPlaces(sortRows(rows, { column: c, desc }))!;
        expect(sorted.from).toBe(rows);
        const want = sortRows(held, { column: c, desc }).map((r) => placeOf.get(r));
        expect([...sorted.at], `column ${c}`).toEqual(want);
      }
    expect(allCells(rows, columns.length)).toEqual(held.map((r) => r.cells));
    // Neither the sorts nor the export made a row: the rows read before are the same objects.
    for (let i = 0; i < window.length; i++) expect(rows[i]).toBe(window[i]);
  }
});
