// What a terminal sends besides keys: a bracketed paste, function keys with modifiers, colour codes and mouse
// reports. A paste goes into a prompt or nowhere (never runs as keys that decide), and no sequence crashes the
// console (Ink 6.8's own useInput threw on ctrl-F1 and on a pasted colour code: vadimdemedes/ink#901).
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { endAfterEach } from '../support/teardown.js';
import { dialogOf } from '../../src/console/ui-state.js';
import { demoCity, demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { selected, status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

const paste = (text: string) => `\u001b[200~${text}\u001b[201~`;
/** The frame as one line of words (a message wrapped over two lines reads whole). */
const words = (f: string) => f.replace(/\s+/g, ' ');

describe('a paste', () => {
  test('on the repair queue decides nothing: the status line says it was ignored, the store and the audit are untouched', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'restamp-slot fe-poison');
    const before = disk.raw();
    // Each of these letters is a decision or an action in this view: approve, reject, skip, export.
    await h.press(paste('arse\r'));
    const f = await h.waitForFrame((x) => status(x).includes('paste ignored'), 'the paste refused');
    // It names every prompt a paste goes into: the count of marked repairs and of A's pane are prompts too.
    expect(words(f)).toContain('paste ignored: text is pasted only into a prompt (/ filter, : command, a reason, a count)');
    expect(selected(f)).toContain('fe-poison');
    expect(selected(f)).not.toMatch(/applied|rejected/);
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);
    // Keys typed after it still work.
    await h.press('3');
    await h.waitForFrame((x) => x.includes('HOLDER'), 'aliases view after the paste');
  });

  test('holding an end marker of its own (tmux passes one through): what follows it is pasted too, never a key', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'restamp-slot fe-poison');
    const before = disk.raw();
    // One read of the terminal: the paste's text, an end marker it held, then `a` (approve) and enter.
    await h.press(`${paste('hello')}a\r`);
    const f = await h.waitForFrame((x) => status(x).includes('paste ignored'), 'the paste refused');
    expect(f).not.toContain('Approve');
    expect(selected(f)).not.toMatch(/applied/);
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);
    // A key typed afterwards, in a read of its own, acts.
    await h.press('3');
    await h.waitForFrame((x) => x.includes('HOLDER'), 'aliases view after the paste');
  });

  test('goes into the filter as one line: line breaks are spaces, escape sequences and controls are dropped', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press('2', '/');
    await h.press(paste('fe-\u001b]0;pwned\u0007poi\u001b[31mson\r\n'));
    const f = await h.waitForFrame((x) => x.includes('filter "fe-poison "'), 'the pasted filter');
    expect(h.store.getState().ui.filters.slots).toBe('fe-poison ');
    expect(h.store.getState().ui.mode).toBe('filter'); // the pasted line break did not apply it
    expect(f).not.toContain('pwned');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => !x.includes('esc cancel') && x.includes('filter "fe-poison "'), 'applied by the enter typed after it');
  });

  test("in A's review pane: a number goes into its count; other text is ignored, and the status line says why", async () => {
    ({ h, disk } = await openRepairs(demoCity(), { columns: 80, rows: 24 }));
    const n = disk.store.getState().current!.plan.repairs.length;
    await h.press('A');
    await h.waitForFrame((x) => x.includes('Approve all:'), 'the review pane');
    // Its line takes digits only (its letters scroll the pane): a paste holding other text types none of it, digits
    // included (`1a4` is not 14).
    await h.press(paste('1a4'));
    const f = await h.waitForFrame((x) => words(x).includes('paste ignored'), 'the paste ignored');
    // On a line of its own above the prompt, whole.
    expect(f.split('\n').map((l) => l.trimEnd())).toContain('paste ignored: the count takes digits only');
    expect(status(f).trimEnd()).toMatch(new RegExp(`Type ${n}:$`));
    const bulk = () => dialogOf(h!.store.getState().ui.mode);
    expect(bulk()).toMatchObject({ kind: 'bulk', text: '' });
    // A number, blanks and a line break around it, goes in alone.
    await h.press(paste(` ${n}\r\n`));
    await h.waitForFrame((x) => status(x).trimEnd().endsWith(`Type ${n}: ${n}`), 'the pasted count');
    expect(bulk()).toMatchObject({ kind: 'bulk', text: String(n) });
    expect(disk.audit()).toEqual([]);
  });

  test('goes into a reason up to its end; the rejection waits for the enter the operator types', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'repair-alias be-evil');
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('reason'), 'the reason prompt');
    await h.press(paste('kept\ron purpose'));
    await h.waitForFrame((x) => x.includes('kept on purpose'), 'the pasted reason, on one line');
    expect(disk.decisions()).toEqual([]);
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> rejected'), 'rejected');
    expect(disk.decisions()[0]).toMatchObject({ repair: 'repair-alias:be-evil', reason: 'kept on purpose' });
  });
});

describe('keys typed ahead', () => {
  test('read-only: the reason typed after a refused r never runs as keys (its e and enter exported)', async () => {
    ({ h, disk } = await openRepairs(demoState(), { readOnly: true }));
    await pickRepair(h, 'repair-alias be-evil');
    await h.press('rneed evidence\r');
    const f = await h.waitForFrame((x) => status(x).includes('keys typed after it ignored'), 'the keys after r dropped');
    expect(status(f)).toContain('read-only');
    expect(h.store.getState().ui.mode).toBe('normal');
    expect(readdirSync(disk.dir).filter((n) => n.includes('snapshot'))).toEqual([]);
  });

  test('a paste whose end never comes is taken whole after a moment: the keys after it act again', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press('2', '/');
    await h.press('\u001b[200~fe-poi');
    await h.waitForFrame(() => h!.store.getState().ui.filters.slots === 'fe-poi', 'the unended paste in the filter');
    // The rest of a stalled paste is still pasted, never keys.
    await h.press('son');
    await h.waitForFrame(() => h!.store.getState().ui.filters.slots === 'fe-poison', 'the rest, pasted');
    await h.waitForFrame(() => !!h!.store.getState().ui.message?.text.includes('a paste ended without its end marker'), 'the paste ended');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('filter "fe-poison"') && !x.includes('esc cancel'), 'a key again: applied');
  });
});

describe('sequences no key stands for', () => {
  test('ctrl-F1, a colour code, a mouse report and F5 do nothing and crash nothing; keys after them still act', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press('2');
    const first = await h.waitForFrame((x) => x.includes('AGENT_NAME'), 'slots');
    await h.press('\u001b[1;5P', '\u001b[31m', '\u001b[<64;10;5M', '\u001b[15~', '\u001b[1;6P');
    await h.press('j');
    const f = await h.waitForFrame((x) => selected(x) !== selected(first), 'j moved the cursor');
    expect(f).toContain('AGENT_NAME'); // still the slots view: the mouse report's digits were no view keys
    expect(h.store.getState().ui.view).toBe('slots');
  });
});

describe('^W and ^U', () => {
  test('in the filter: ^W deletes the last word, ^U the line', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press('2', '/', 'backend worker');
    await h.waitForFrame(() => h!.store.getState().ui.filters.slots === 'backend worker', 'typed');
    await h.press('\u0017');
    await h.waitForFrame(() => h!.store.getState().ui.filters.slots === 'backend ', '^W');
    await h.press('\u0015');
    await h.waitForFrame(() => h!.store.getState().ui.filters.slots === '', '^U');
    expect(h.store.getState().ui.mode).toBe('filter');
  });
});

describe('the cursor of a typed line', () => {
  test('in the filter: ← and Home move it, keys go in where it is, Del and ^K delete after it; it is drawn where it is', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press('2', '/', 'bakend');
    await h.waitForFrame(() => h!.store.getState().ui.filters.slots === 'bakend', 'typed');
    await h.press(KEYS.left, KEYS.left, KEYS.left, KEYS.left, 'c');
    await h.waitForFrame(() => h!.store.getState().ui.filters.slots === 'backend', 'c typed where the cursor was');
    await h.press(KEYS.home, '/', KEYS.end, ' wor', KEYS.left, KEYS.left, KEYS.left, '\u000b');
    await h.waitForFrame(() => h!.store.getState().ui.filters.slots === '/backend ', '^K deleted the rest');
    await h.press(KEYS.home, KEYS.del);
    const f = await h.waitForFrame(() => h!.store.getState().ui.filters.slots === 'backend ', 'Del deleted under the cursor');
    // The cursor is on the first character now: what is typed next goes before it.
    await h.press('x');
    await h.waitForFrame((x) => h!.store.getState().ui.filters.slots === 'xbackend ' && status(x).includes('/xbackend'), 'x at the start');
    expect(status(f)).toContain('/backend');
    expect(h.store.getState().ui.mode).toBe('filter');
  });

  test('a reason fixed in its middle is recorded as it reads, and the next prompt opens with the cursor at its end', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'repair-alias be-evil');
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('reason'), 'the reason prompt');
    await h.press(...'kept on prpose', KEYS.left, KEYS.left, KEYS.left, KEYS.left, KEYS.left, 'u', '\u0001', 'alias ', KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> rejected'), 'rejected');
    expect(disk.decisions()[0]).toMatchObject({ repair: 'repair-alias:be-evil', decision: 'rejected', reason: 'alias kept on purpose' });
    await h.press('/', 'ab', KEYS.left);
    await h.waitForFrame(() => h!.store.getState().ui.caret === 1, 'the cursor moved');
    await h.press(KEYS.esc, '/', 'c');
    await h.waitForFrame(() => h!.store.getState().ui.filters.repairs === 'c', 'a new filter typed from its end');
  });
});

describe('^C', () => {
  test('quits from the filter prompt, as from the lists', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press('/', 'x');
    await h.waitForFrame((x) => x.includes('/x'), 'typing a filter');
    await h.press('\u0003');
    await h.exited;
  });
});
