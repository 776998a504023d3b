// The `:` line keeps this session's commands (`up`/`down` recall them) and `tab` completes command names, and
// after `slots`/`pool` the pool name (issue 11 item 5), through the one text-edit module.
import { afterEach, describe, expect, test } from 'vitest';
import { completeLine, MAX_HISTORY, recall, remember } from '../../src/ui/text-edit.js';
import { demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const empty = { items: [], at: null, draft: '' };

describe('history', () => {
  test('remember appends, never blank, never twice in a row, bounded', () => {
    let hist = remember(empty, ' work ');
    hist = remember(hist, '');
    hist = remember(hist, 'work');
    hist = remember(hist, 'repairs');
    expect(hist.items).toEqual(['work', 'repairs']);
    for (let i = 0; i < MAX_HISTORY + 5; i++) hist = remember(hist, `c${i}`);
    expect(hist.items.length).toBe(MAX_HISTORY);
    expect(hist.items.at(-1)).toBe(`c${MAX_HISTORY + 4}`);
  });

  test('up walks back, down walks forward and past the newest gives the typed line back', () => {
    const hist = { items: ['a', 'b'], at: null, draft: '' };
    expect(recall(hist, 'x', 1)).toBeNull();
    const one = recall(hist, 'x', -1)!;
    expect(one.text).toBe('b');
    const two = recall(one.history, one.text, -1)!;
    expect(two.text).toBe('a');
    expect(recall(two.history, two.text, -1)).toBeNull();
    const back = recall(two.history, two.text, 1)!;
    expect(back.text).toBe('b');
    const draft = recall(back.history, back.text, 1)!;
    expect(draft.text).toBe('x');
    expect(draft.history.at).toBeNull();
    expect(recall(empty, '', -1)).toBeNull();
  });
});

describe('completeLine', () => {
  const names = ['pools', 'pool', 'pause', 'slots', 'repairs', 'resume'];
  const pools = ['backend/builder', 'backend/worker', 'frontend/worker'];
  const cands = (before: string[]) => (before.length === 0 ? names : before[0] === 'slots' ? pools : []);
  const more = (before: string[], w: string) => before.length === 0 && w === 'slots';

  test('as far as every match agrees; a full command that takes a pool gets a space', () => {
    expect(completeLine('sl', cands, more)).toBe('slots ');
    expect(completeLine('rep', cands, more)).toBe('repairs');
    expect(completeLine('re', cands, more)).toBeNull();
    expect(completeLine('po', cands, more)).toBe('pool');
    expect(completeLine('slots b', cands, more)).toBe('slots backend/');
    expect(completeLine('slots backend/b', cands, more)).toBe('slots backend/builder');
    expect(completeLine('slots x', cands, more)).toBeNull();
    expect(completeLine('repairs x', cands, more)).toBeNull();
  });
});

describe('on the console', () => {
  test('tab completes a command and a pool; up/down recall the commands run', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await h.waitForFrame((f) => f.includes('HEALTH'), 'pools');
    await h.press(':', 'w', 'o', KEYS.tab);
    await h.waitForFrame((f) => f.split('\n').some((l) => l.startsWith(':work')), ':work completed');
    await h.press(KEYS.enter);
    await h.waitForFrame((f) => f.includes('PROBLEM'), 'the work view');

    await h.press(':', ...'sl', KEYS.tab, ...'fr', KEYS.tab);
    await h.waitForFrame((f) => f.split('\n').some((l) => l.startsWith(':slots frontend/worker')), 'the pool completed');
    await h.press(KEYS.enter);
    await h.waitForFrame((f) => f.includes('pool frontend/worker'), 'its slots');

    await h.press(':', KEYS.up);
    await h.waitForFrame((f) => f.split('\n').some((l) => l.startsWith(':slots frontend/worker')), 'the last command');
    await h.press(KEYS.up);
    await h.waitForFrame((f) => f.split('\n').some((l) => l.startsWith(':work')), 'the one before');
    await h.press(KEYS.down, KEYS.down);
    await h.waitForFrame((f) => f.split('\n').some((l) => l === ':' || l.startsWith(': ')), 'back to the empty line');
    await h.press(KEYS.up, KEYS.up, KEYS.enter);
    await h.waitForFrame((f) => f.includes('PROBLEM'), 'the recalled :work ran');
    expect(h.store.getState().ui.history.items).toEqual(['work', 'slots frontend/worker', 'work']);
  });

  test('in the filter, up/down and tab edit nothing', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await h.waitForFrame((f) => f.includes('HEALTH'), 'pools');
    await h.press(':', ...'work', KEYS.enter);
    await h.waitForFrame((f) => f.includes('PROBLEM'), 'the work view');
    await h.press('/', 'x', KEYS.up, KEYS.tab, KEYS.down);
    expect(h.store.getState().ui.filters.work).toBe('x');
    expect(h.store.getState().ui.mode).toBe('filter');
  });
});
