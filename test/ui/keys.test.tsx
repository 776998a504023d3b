// Every key of the registry does what its help says, in a rendered console.
import { afterEach, describe, expect, test } from 'vitest';
import { bigState, demoState, storeWith } from './fixture.js';
import { within } from '../support/wait.js';
import { KEYS, renderApp, type Harness } from './render.js';
import { selected } from '../support/frame-lines.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

describe('movement', () => {
  test('j/k and arrows move the cursor; g/G jump; PgDn/PgUp page; the range follows', async () => {
    h = renderApp(storeWith(bigState(500), { rows: 24, columns: 100 }));
    await h.press('2');
    await h.waitForFrame((f) => selected(f).includes('big-000001'), 'first row');
    await h.press('j', 'j', KEYS.down);
    await h.waitForFrame((f) => selected(f).includes('big-000004'), 'j j down');
    await h.press('k', KEYS.up);
    await h.waitForFrame((f) => selected(f).includes('big-000002'), 'k up');
    await h.press('G');
    let f = await h.waitForFrame((x) => selected(x).includes('big-000500'), 'G');
    expect(f).toMatch(/\d+–500 of 500/);
    await h.press('g');
    f = await h.waitForFrame((x) => selected(x).includes('big-000001'), 'g');
    expect(f).toMatch(/1–\d+ of 500/);
    await h.press(KEYS.pgdn);
    f = await h.waitForFrame((x) => !selected(x).includes('big-000001'), 'PgDn');
    const page = Number(/big-0*(\d+)/.exec(selected(f))![1]) - 1;
    expect(page).toBeGreaterThan(5);
    await h.press(KEYS.pgup);
    await h.waitForFrame((x) => selected(x).includes('big-000001'), 'PgUp');
  });

  test('several keys in one input chunk all count (as tmux sends them)', async () => {
    h = renderApp(storeWith(bigState(50)));
    await h.press('2', 'jjj');
    await h.waitForFrame((f) => selected(f).includes('big-000004'));
  });
});

describe('views', () => {
  test('number keys, tab and shift-tab switch views', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press('3');
    await h.waitForFrame((f) => f.includes('HOLDER'), 'aliases');
    await h.press(KEYS.tab);
    await h.waitForFrame((f) => f.includes('CAPS'), 'templates');
    await h.press(KEYS.shiftTab, KEYS.shiftTab);
    await h.waitForFrame((f) => f.includes('AGENT_NAME'), 'slots');
    await h.press('6');
    await h.waitForFrame((f) => f.includes('REASON'), 'repairs');
    await h.press(KEYS.tab);
    await h.waitForFrame((f) => f.includes('OPERATOR'), 'audit');
    await h.press(KEYS.tab);
    await h.waitForFrame((f) => f.includes('SEVERITY'), 'findings');
    await h.press(KEYS.tab);
    await h.waitForFrame((f) => f.includes('No samples yet'), 'trend');
    await h.press(KEYS.tab);
    await h.waitForFrame((f) => f.includes('HEALTH'), 'wraps to pools');
  });

  test(': commands switch views, pick a pool, and report unknown commands', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press(':', ...'work', KEYS.enter);
    await h.waitForFrame((f) => f.includes('PROBLEM'), ':work');
    await h.press(':', ...'slots frontend/worker', KEYS.enter);
    await h.waitForFrame((f) => f.includes('pool frontend/worker'), ':slots frontend/worker');
    await h.press(':', ...'bogus', KEYS.enter);
    await h.waitForFrame((f) => f.includes('unknown command :bogus'), 'unknown');
    await h.press(':', ...'te', KEYS.enter);
    await h.waitForFrame((f) => f.includes('CAPS'), ':te prefix');
  });

  test('the command prompt shows what is typed; esc cancels', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press(':', 'p', 'o');
    await h.waitForFrame((f) => f.includes(':po'), 'prompt');
    await h.press(KEYS.backspace);
    await h.waitForFrame((f) => f.includes(':p') && !f.includes(':po'), 'erase');
    await h.press(KEYS.esc);
    await h.waitForFrame((f) => !f.includes(':p') && f.includes('enter slots'), 'cancel');
  });

  test('esc and a punctuation key typed at once (tmux sends them as one chunk) are esc, then that key', async () => {
    h = renderApp(storeWith(demoState()));
    await h.press(':', ...'po');
    await h.waitForFrame((f) => f.includes(':po'), 'prompt');
    // esc cancels the line, then `:` opens a new one: the old text is gone, not `:po:`.
    await h.press(`${KEYS.esc}:`);
    await h.waitForFrame((f) => h!.store.getState().ui.mode === 'command' && !f.includes(':po'), 'esc, then a new :');
    expect(h.store.getState().ui.command).toBe('');
    await h.press(...'po', KEYS.esc);
    await h.waitForFrame((f) => !f.includes(':po') && f.includes('enter slots'), 'cancel');
    // In a view: esc clears the filter, then `/` starts a new one.
    await h.press('/', ...'back', KEYS.enter);
    await h.waitForFrame(() => h!.store.getState().ui.filters.pools === 'back', 'filter kept');
    await h.press(`${KEYS.esc}/`);
    await h.waitForFrame(() => h!.store.getState().ui.mode === 'filter', '/ opens the filter');
    expect(h.store.getState().ui.filters.pools).toBe('');
  });

  test('enter on a pool opens its slots; [ and ] step pools; esc goes back', async () => {
    h = renderApp(storeWith(demoState()));
    await h.waitForFrame((f) => selected(f).includes('backend/worker'));
    await h.press('j', KEYS.enter);
    await h.waitForFrame((f) => f.includes('pool frontend/worker') && f.includes('fe-dup'), 'enter');
    await h.press(']');
    await h.waitForFrame((f) => f.includes('pool mayor'), ']');
    await h.press('[', '[');
    await h.waitForFrame((f) => f.includes('pool backend/worker') && f.includes('be-stale'), '[ [');
    await h.press(KEYS.esc);
    await h.waitForFrame((f) => f.includes('HEALTH') && selected(f).includes('backend/worker'), 'esc back to pools');
  });
});

describe('help and footer', () => {
  test('? shows every binding from the registry; esc closes', async () => {
    h = renderApp(storeWith(demoState(), { rows: 140 }));
    await h.press('?');
    const f = await h.waitForFrame((x) => x.includes('Keys ('), 'help');
    expect(f).toMatch(/j\/↓\s+Move down one row/);
    expect(f).toMatch(/space\s+Pause \/ resume live updates/);
    expect(f).toMatch(/enter\s+Open the slots of the selected pool/);
    expect(f).toMatch(/\?\/esc\/q\s+Close help/);
    // Plain words, as every line of it: no markdown (the docs' code spans) in the console.
    expect(f).toMatch(/\^Z\s+Suspend to the shell \(job control\); fg brings the console back/);
    expect(f).not.toContain('`');
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => x.includes('HEALTH'), 'closed');
  });

  test('help scrolls when it does not fit', async () => {
    h = renderApp(storeWith(demoState(), { rows: 16 }));
    await h.press('?');
    const first = await h.waitForFrame((x) => x.includes('Keys (1–'));
    await h.press('j');
    const next = await h.waitForFrame((x) => x.includes('Keys (') && !x.includes('Keys (1–'));
    expect(next).not.toEqual(first);
  });

  test('the footer shows the keys of the focused view', async () => {
    h = renderApp(storeWith(demoState()));
    let f = await h.waitForFrame((x) => x.includes('HEALTH'));
    expect(f.split('\n').at(-1)).toMatch(/^enter slots .*\/ filter .*space pause .*\? help .*q quit/);
    await h.press('2');
    f = await h.waitForFrame((x) => x.includes('AGENT_NAME'));
    expect(f.split('\n').at(-1)).toMatch(/^enter detail {2}\[ prev pool {2}\] next pool/);
    await h.press('/');
    await h.waitForFrame((x) => x.split('\n').at(-1)!.startsWith('enter apply'));
  });

  test('q quits: the console unmounts and stops reading keys', async () => {
    h = renderApp(storeWith(demoState()));
    await h.waitForFrame((x) => x.includes('HEALTH'));
    expect(h.stdin.listenerCount('readable')).toBeGreaterThan(0);
    await h.press('q');
    // Ink's exit() unmounts the tree; wait for that, not for a fixed time.
    await within(h.exited, 20_000, 'the console to exit on q');
    // Nothing reads stdin any more, so a later key cannot be handled, early or late.
    expect(h.stdin.listenerCount('readable')).toBe(0);
    h.stdin.write('j');
    expect(h.store.getState().ui.cursors.pools.index).toBe(0);
  });
});
