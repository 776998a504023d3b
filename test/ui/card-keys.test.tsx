// The card's status line names its keys from the keymap, as the footer does: a key or a label renamed in the registry
// is renamed on the card too (it once said `a approve · r reject · s skip` in words of its own).
import { afterEach, describe, expect, test } from 'vitest';
import { BINDINGS } from '../../src/ui/keymap.js';
import { endAfterEach } from '../support/teardown.js';
import { demoState } from './fixture.js';
import { lineOf, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

const footer = (f: string) => f.split('\n').at(-1) ?? '';

/** The registry's own rows, changed for one test: the card and the footer read them when they draw. */
type Row = { keys: readonly string[]; hint?: string };
const rowOf = (action: string) => BINDINGS.find((b) => b.scope === 'repairs' && b.action === action) as unknown as Row;
const saved: Array<[Row, Row]> = [];
function rename(action: string, keys: string[], hint: string): void {
  const row = rowOf(action);
  saved.push([row, { keys: row.keys, hint: row.hint }]);
  Object.assign(row, { keys, hint });
}
afterEach(() => {
  for (const [row, was] of saved.splice(0)) Object.assign(row, was);
});

describe("the card's status line", () => {
  test('says the keys and labels the keymap gives the decisions, as the footer does', async () => {
    rename('approve', ['x'], 'allow');
    rename('skip', ['S'], 'pass');
    ({ h, disk } = await openRepairs(demoState(), { columns: 140 }));
    await pickRepair(h, 'fe-poison');
    const f = await h.waitForFrame((x) => /^x allow/.test(footer(x)) && x.includes('UNDECIDED'), 'the renamed keys');
    expect(lineOf(f, 'UNDECIDED')).toContain('UNDECIDED — x allow · r reject · S pass');
    expect(lineOf(f, 'UNDECIDED')).not.toMatch(/a approve|s skip/);
  });
});
