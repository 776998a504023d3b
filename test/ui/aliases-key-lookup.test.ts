// The aliases view's cursor on a long list (from 4 097 rows: 216 000 at 100 000 beads): found by its key while a filter
// is typed or a refresh moved its row, without a Map of every row's key (made, the first time the filter looked for the
// cursor's row, and held until the next refresh: about 20 MB at 100 000 beads). A claim row tells whether a key is its
// own from its parts (`hasKey`), so a scan makes no key.
import fc from 'fast-check';
import { afterEach, expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { snapshotOf } from '../../src/console/state.js';
import { aliasesTable } from '../../src/ui/rows/aliases.js';
import { derive } from '../../src/ui/rows/derive.js';
import { indexOfKey, lastIndexOfKey } from '../../src/ui/rows/row-list.js';
import type { Row } from '../../src/ui/rows/types.js';
import { cursorRow, viewModelOf, type ViewInput } from '../../src/ui/views/registry.js';
import { NOW, pooled } from '../support/builders.js';
import { PROPERTY_RUNS } from '../support/runs.js';
import { demoState } from './fixture.js';

test("a claim row's hasKey answers as its key does, names with the separator in them included", () => {
  // Names that hold the key's separator, or look like another row's key with it.
  const name = fc.constantFrom('shared', 'a', 'a\u0000alias', 'a\u0000alias\u0000zz-a', '\u0000', 'é\u0000');
  const claims = fc.record({ alias: name, agent_name: name, session_name: name, pool_alias_conflict: name }, { requiredKeys: [] });
  const id = fc.string({ unit: fc.constantFrom('a', 'z', '1', '\u0000'), minLength: 1, maxLength: 3 });
  const beads = fc.uniqueArray(fc.tuple(id, claims), { selector: ([k]) => k, maxLength: 12 });
  fc.assert(
    fc.property(beads, fc.array(name, { maxLength: 2 }), (made, identities) => {
      const s = demoState();
      s.beads.push(...made.map(([k, md]) => pooled(`zz-${k}`, 'frontend/worker', md)));
      s.city.named_sessions = [...(s.city.named_sessions ?? []), ...identities.map((identity) => ({ identity, template: 'mayor' }))];
      const rows = aliasesTable(derive(snapshotOf(s, plan(s, NOW), NOW.getTime()))).rows;
      const keys = [...rows.map((r) => r.key), 'a', '', 'a\u0000alias', 'shared\u0000alias\u0000'];
      for (const r of rows) {
        expect(r.hasKey).toBeTypeOf('function');
        for (const k of keys) expect(r.hasKey!(k)).toBe(r.key === k);
      }
      // The list's own lookup, from its columns (no row made), finds the rows a look at every row's key finds.
      const all = rows.map((r) => r.key);
      for (const k of keys) {
        expect(indexOfKey(rows, k)).toBe(all.indexOf(k));
        expect(lastIndexOfKey(rows, k)).toBe(all.lastIndexOf(k));
      }
    }),
    { numRuns: PROPERTY_RUNS },
  );
});

/** The getter that makes a claim row's key, wrapped to count its calls until the test ends. */
let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

function countKeys(row: Row): { made: number } {
  let proto: object | null = Object.getPrototypeOf(row);
  while (proto && !Object.getOwnPropertyDescriptor(proto, 'key')) proto = Object.getPrototypeOf(proto);
  const owner = proto!;
  const was = Object.getOwnPropertyDescriptor(owner, 'key')!;
  const count = { made: 0 };
  Object.defineProperty(owner, 'key', {
    ...was,
    get(this: Row) {
      count.made++;
      return was.get!.call(this);
    },
  });
  restore = () => Object.defineProperty(owner, 'key', was);
  return count;
}

/**
 * A long aliases list (2 500 beads of three claims each, alias, agent name, session name: 7 500 rows and more), the
 * place of the row whose name is `name`, and the aliases view's input with the cursor on that row's key.
 */
function longList(name: string) {
  const s = demoState();
  for (let i = 0; i < 2500; i++) {
    const n = String(i).padStart(4, '0');
    s.beads.push(pooled(`zz-${n}`, 'frontend/worker', { alias: `frontend/w-${n}`, agent_name: `frontend/worker-${n}` }));
  }
  const snap = snapshotOf(s, plan(s, NOW), NOW.getTime());
  const table = aliasesTable(derive(snap));
  const at = table.rows.findIndex((r) => r.cells[0] === name);
  const key = table.rows[at].key;
  const input = (filter: string, index: number): ViewInput => ({
    view: 'aliases',
    snap,
    filter,
    sort: null,
    cursor: { key, index, top: 0 },
    pools: null,
    review: null,
    audit: null,
    bead: null,
    trend: null,
  });
  return { table, at, input };
}

test('typing a filter over a long aliases list finds the cursor’s row by its key, and makes no other row’s key', () => {
  const { table, at, input } = longList('frontend/worker-1234');
  expect(table.rows.length).toBeGreaterThan(7500);
  const count = countKeys(table.rows[0]);
  // Each character narrows the list; the cursor's row stays in it, at another place each time.
  let index = at;
  for (const filter of ['w', 'wo', 'wor', 'worker-1', 'worker-12', 'worker-123', 'worker-1234']) {
    const vm = viewModelOf(input(filter, index))!;
    expect(vm.rows.length).toBeLessThan(table.rows.length);
    expect(vm.rows[vm.index].cells[0]).toBe('frontend/worker-1234');
    expect(vm.hidden).toBe(false);
    index = vm.index;
  }
  // A filter that hides it: hidden, not missing (the row is still in the table).
  const hid = viewModelOf(input('w-0001', index))!;
  expect(hid.hidden).toBe(true);
  expect(hid.missing).toBe(false);
  // Its row is still the cursor's (the card, the inspect pane): found in the table, read each frame.
  expect(cursorRow(hid)?.cells[0]).toBe('frontend/worker-1234');
  // The unfiltered list, the cursor's place stale (a refresh moved it): found again.
  const back = viewModelOf(input('', 3))!;
  expect(back.index).toBe(at);
  // Keys made: the rows the cursor was checked against at its last place, one a model; never the whole list.
  expect(count.made).toBeLessThan(20);
});

test('the cursor’s row found in a long aliases list makes no row: the rows on screen stay the objects drawn', () => {
  const { table, at, input } = longList('frontend/worker-0042');
  // The window on screen, as a frame reads it: a list held as columns keeps the rows read last (row-list.ts), so a
  // line whose row did not change is not drawn again.
  const window = table.rows.slice(at, at + 30);
  // The cursor's place stale (a refresh moved its row): its row looked for in the whole list, last row first.
  expect(viewModelOf(input('', 7000))!.index).toBe(at);
  // A filter that hides it: the cursor's row (the card, the inspect pane) looked for in the table, first row first.
  const hid = viewModelOf(input('w-0001', at))!;
  expect(hid.hidden).toBe(true);
  expect(cursorRow(hid)?.cells[0]).toBe('frontend/worker-0042');
  // Neither lookup made a row of the 7 500 it passed: the window's rows are the ones drawn.
  for (let j = 0; j < window.length; j++) expect(table.rows[at + j]).toBe(window[j]);
});
