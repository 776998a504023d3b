// Every sentence on screen that names a key reads it from the registry (src/ui/keymap.ts), as the footer and help do:
// with keys renamed in a registry of this file's own (rebound: new rows, the shipped ones untouched), each of them names
// the new keys, pressed as real keystrokes, and the old ones are gone. The registry is the console's through renderApp's
// `keymap`; test/support/keymap-reset.ts puts the shipped one back after each test, so no other test sees these keys.
import { describe, expect, test } from 'vitest';
import { rebound } from '../../src/ui/keymap.js';
import { endAfterEach } from '../support/teardown.js';
import { within } from '../support/wait.js';
import { demoState, storeWith } from './fixture.js';
import { KEYS, lineOf, renderApp, resizeTerminal, type Harness } from './render.js';
import { openRepairs, type OnDisk } from './review-harness.js';
import { footer, status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

const RENAMED = () =>
  rebound([
    { scope: 'global', action: 'help', keys: ['H'] },
    { scope: 'help', action: 'help-close', keys: ['W', 'esc'] },
    { scope: 'global', action: 'filter', keys: ['f'] },
    { scope: 'global', action: 'clear-filter', keys: ['X'] },
    { scope: 'global', action: 'quit-ask', keys: ['Q'] },
    { scope: 'small', action: 'quit', keys: ['Q', 'ctrl-c'] },
    { scope: 'global', action: 'suspend', keys: ['ctrl-y'] },
    { scope: 'global', action: 'sort-next', keys: ['}'] },
    { scope: 'global', action: 'sort-prev', keys: ['{'] },
    { scope: 'global', action: 'raw', keys: ['J'] },
    { scope: 'inspect', action: 'inspect-close', keys: ['V', 'q'] },
    { scope: 'card', action: 'close-card', keys: ['B'] },
    { scope: 'repairs', action: 'open-card', keys: ['v'] },
    { scope: 'repairs', action: 'approve-all', keys: ['Z'], hint: 'all' },
    { scope: 'input', action: 'input-accept', keys: ['ctrl-o'] },
    { scope: 'count', action: 'input-cancel', keys: ['ctrl-g', 'esc'] },
    { scope: 'bulk', action: 'bulk-cancel', keys: ['ctrl-g', 'esc'] },
  ]);

const CTRL = { y: '\u0019', o: '\u000f', g: '\u0007' };
const flat = (f: string) => f.replace(/\s+/g, ' ');

describe('with keys renamed in the registry', () => {
  test('help names them: its title, its sections and its texts, and they open and close it', async () => {
    // Tall enough for every line of help on one page.
    h = renderApp(storeWith(demoState(), { rows: 400, columns: 200 }), { keymap: RENAMED() });
    await h.waitForFrame((f) => footer(f).includes('H help'), 'the pools view');
    expect(footer(h.frame())).toContain('Q quit');
    await h.press('?');
    await h.press('H');
    const f = await h.waitForFrame((x) => x.includes(' Keys ('), 'help');
    expect(lineOf(f, ' Keys (')).toContain('— W or esc closes');
    expect(f).toContain('Typing the count of the marked repairs (Z with marks)');
    expect(f).toContain('Reviewing all before approving (Z with nothing marked)');
    expect(f).toContain('The inspect pane (J raw JSON, enter detail)');
    const text = flat(f);
    expect(text).toContain('Open the repair card full height (B goes back)');
    expect(text).toContain('Z then approves the marked ones (X clears)');
    expect(text).toContain('Show only the repairs of the selected slot (X goes back)');
    expect(footer(f)).toContain('W/esc close');
    expect(text).not.toMatch(/\? or esc closes|\(A with|\(y raw JSON|\(esc goes back\)|\(esc clears\)/);
    await h.press('W');
    await h.waitForFrame((x) => !x.includes(' Keys ('), 'help closed');
  });

  test('the filter prompt, the empty list, a key on no row, a sort, a suspend and a paste name them', async () => {
    h = renderApp(storeWith(demoState(), { rows: 30, columns: 140 }), { keymap: RENAMED() });
    await h.press('3', 'f', ...'zzzq');
    // The prompt's sign is the key that opened it.
    await h.waitForFrame((x) => status(x).trimEnd() === 'fzzzq', 'the prompt, opened by f');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('No rows match "zzzq" (X clears).'), 'the empty list');
    await h.press('J');
    let f = await h.waitForFrame((x) => x.includes('matches none (X clears it)'), 'J on no row');
    expect(f).toContain('no row selected: the filter "zzzq" matches none (X clears it)');
    await h.press('X');
    await h.waitForFrame((x) => !x.includes('No rows match'), 'X cleared the filter');
    await h.press('I');
    f = await h.waitForFrame((x) => x.includes('not sorted by a column'), 'I unsorted');
    expect(f).toContain('not sorted by a column: } or { picks one');
    await h.press(CTRL.y);
    f = await h.waitForFrame((x) => x.includes('suspend is not available'), 'ctrl-y');
    expect(f).toContain('^Y: suspend is not available here; Q quits');
    await h.press('\u001b[200~text\u001b[201~');
    f = await h.waitForFrame((x) => x.includes('paste ignored'), 'the paste');
    expect(flat(f)).toContain('paste ignored: text is pasted only into a prompt (f filter, : command, a reason, a count)');
  });

  test("the inspect pane's title, one bead's repairs and the too-small line name them", async () => {
    h = renderApp(storeWith(demoState(), { rows: 30, columns: 140 }), { keymap: RENAMED() });
    await h.press('1', 'f', ...'frontend/worker', KEYS.enter);
    await h.waitForFrame((x) => x.includes('filter "frontend/worker"') && !status(x).startsWith('f'), 'the pool');
    await h.press('J');
    let f = await h.waitForFrame((x) => / \(1–\d+ of \d+\) — /.test(x), 'the raw pane');
    expect(f).toMatch(/\(1–\d+ of \d+\) — V closes/);
    await h.press('V');
    await h.waitForFrame((x) => !/ — V closes/.test(x), 'the pane closed');
    await h.press('r');
    f = await h.waitForFrame((x) => x.includes('only pool frontend/worker'), "the pool's repairs");
    expect(f).toContain('only pool frontend/worker (X: back)');
    expect(f).toContain('─ v: full card ─');
    resizeTerminal(h.stdout, 7, 40);
    f = await h.waitForFrame((x) => x.includes('too small'), 'the too-small line');
    expect(f).toContain('too small (40×7); Q quits');
    await h.press('Q');
    await h.exited;
  });

  /** Z opens the pane titled `title`: its title and its count prompt say ^G cancels, and ^G does. */
  async function zPane(title: string, says: string) {
    await h!.press('Z');
    const f = await h!.waitForFrame((x) => x.includes(title), title);
    expect(lineOf(f, title)).toContain(says);
    expect(f).toContain('(^G cancels):');
    await h!.press(CTRL.g);
    await h!.waitForFrame((x) => !x.includes(title), `${title} left by ^G`);
  }

  test("the reason prompt, the marked repairs' pane and count, and the bulk review pane name them", async () => {
    ({ h, disk } = await openRepairs(demoState(), { keymap: RENAMED() }));
    await h.press('r');
    const f = await h.waitForFrame((x) => x.includes('— reason'), 'the reason prompt');
    expect(f).toMatch(/— reason \(optional, \^O records\):/);
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => !x.includes('— reason'), 'the reason cancelled');
    await h.press(' ');
    await h.waitForFrame((x) => x.includes('1 marked'), 'one mark');
    expect(footer(h.frame())).toContain('Z approve marked');
    await zPane('Approve marked', 'type 1 below, ^G cancels');
    await h.press('X');
    await h.waitForFrame((x) => !x.includes('1 marked'), 'the marks cleared by X');
    await zPane('Approve all:', '— ^G cancels');
  });
});

describe('the keys that edit a line, renamed in the registry', () => {
  test('edit the filter by their new keys, the old ones edit nothing, and help lists the new ones', async () => {
    const keymap = rebound([
      { scope: 'prompt', action: 'line-erase-word', keys: ['ctrl-x'] },
      { scope: 'prompt', action: 'line-start', keys: ['ctrl-t'] },
    ]);
    h = renderApp(storeWith(demoState(), { rows: 400, columns: 200 }), { keymap });
    await h.waitForFrame((f) => footer(f).includes('? help'), 'the pools view');
    await h.press('/', ...'fe worker');
    await h.waitForFrame((x) => status(x).trimEnd() === '/fe worker', 'the filter typed');
    // ^W and ^A no longer edit it: the line stays as typed (and the caret at its end: `z` goes there).
    await h.press('\u0017', '\u0001', 'z');
    await h.waitForFrame((x) => status(x).trimEnd() === '/fe workerz', '^W and ^A doing nothing');
    // ^X erases the word before the caret; ^T goes to the start, where `x` goes in.
    await h.press('\u0018');
    await h.waitForFrame((x) => status(x).trimEnd() === '/fe', '^X erasing a word');
    await h.press('\u0014', 'x');
    await h.waitForFrame((x) => status(x).trimEnd() === '/xfe', '^T at the start');
    await h.press(KEYS.esc, '?');
    const f = await h.waitForFrame((x) => x.includes(' Keys ('), 'help');
    const section = f.slice(f.indexOf('While typing a filter or command'));
    expect(section).toMatch(/ \^X {2,}Delete the word before the cursor/);
    expect(section).toMatch(/ \^T {2,}Move the cursor to the start of the line/);
    expect(section.slice(0, section.indexOf('In this help'))).not.toMatch(/\^W|\^A\b/);
  });
});

describe('the `:` commands renamed in the registry', () => {
  test('run by their new names (tab completes them), the old ones are unknown, and help and messages say the new ones', async () => {
    const keymap = rebound([
      { command: 'pause', names: ['hold', 'freeze'] },
      { command: 'help', names: ['keys'] },
      { command: 'quit', names: ['leave'] },
    ]);
    h = renderApp(storeWith(demoState(), { rows: 400, columns: 200 }), { keymap });
    await h.waitForFrame((f) => f.includes('HEALTH'), 'the pools view');
    await h.press(':', ...'pause', KEYS.enter);
    await h.waitForFrame((f) => status(f).includes('unknown command :pause (try :keys)'), 'the old name unknown');
    await h.press(':', ...'freeze', KEYS.enter);
    await h.waitForFrame(() => h!.store.getState().ui.paused, 'paused by its second name');
    await h.press(':', ...'resume', KEYS.enter);
    await h.waitForFrame(() => !h!.store.getState().ui.paused, 'resumed');
    await h.press(':', ...'ho', KEYS.tab);
    await h.waitForFrame((f) => status(f).trimEnd() === ':hold', 'tab completing the new name');
    await h.press(KEYS.enter);
    await h.waitForFrame(() => h!.store.getState().ui.paused, 'paused by :hold');
    await h.press(':', ...'keys', KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes(' Keys ('), 'help by :keys');
    expect(flat(f)).toContain('Command: pools, slots [template], pool <template>,');
    expect(flat(f)).toContain(', hold, resume, keys, leave');
    await h.press(KEYS.esc, ':', ...'quit', KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('unknown command :quit'), 'the old quit unknown');
    await h.press(':', ...'leave', KEYS.enter);
    await within(h.exited, 20_000, 'the console to exit on :leave');
  });

  test('a registry whose command names clash or cannot be typed is refused when made', () => {
    expect(() => rebound([{ command: 'pause', names: ['quit'] }])).toThrow('keymap: quit names both :pause and :quit');
    expect(() => rebound([{ command: 'help', names: ['work'] }])).toThrow("keymap: :help is named work, a view's name");
    expect(() => rebound([{ command: 'quit', names: ['Leave'] }])).toThrow('keymap: :quit is named "Leave", which cannot be typed as one');
  });
});
