// The `:` line keeps this session's commands (`up`/`down` recall them) and `tab` completes command names, and
// after `slots`/`pool` the pool name (issue 11 item 5), through the one text-edit module.
import { afterEach, describe, expect, test } from 'vitest';
import { complete, MAX_HISTORY, recall, remember } from '../../src/ui/text-edit.js';
import { demoCity, demoState, storeWith } from './fixture.js';
import { within } from '../support/wait.js';
import { expectFits, KEYS, renderApp, SIZES, waitForView, type Harness } from './render.js';

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

describe('complete', () => {
  const names = ['pools', 'pool', 'pause', 'slots', 'repairs', 'resume'];
  const pools = ['backend/builder', 'backend/worker', 'frontend/worker'];
  const cands = (before: string[]) => (before.length === 0 ? names : before[0] === 'slots' ? pools : []);
  const more = (before: string[], w: string) => before.length === 0 && w === 'slots';
  const line = (text: string) => complete(text, null, cands, more)?.text ?? null;

  test('one match completes it; a full command that takes a pool gets a space', () => {
    expect(line('sl')).toBe('slots ');
    expect(line('rep')).toBe('repairs');
    expect(line('slots backend/b')).toBe('slots backend/builder');
    expect(line('slots x')).toBeNull();
    expect(line('repairs x')).toBeNull();
    expect(line('slots ')).toBe('slots ');
  });

  test('several: as far as they agree, listed; each further tab puts the next one on the line, round and round', () => {
    const first = complete('slots b', null, cands, more)!;
    expect(first).toEqual({
      text: 'slots backend/',
      completion: { line: 'slots backend/', head: 'slots ', items: ['backend/builder', 'backend/worker'], at: null },
    });
    const seen: string[] = [];
    let shown = first.completion;
    for (let i = 0; i < 3; i++) {
      const next = complete(shown!.line, shown, cands, more)!;
      seen.push(next.text);
      shown = next.completion;
    }
    expect(seen).toEqual(['slots backend/builder', 'slots backend/worker', 'slots backend/builder']);
    // Nothing in common beyond what is typed: the line stays, the candidates are listed.
    expect(complete('re', null, cands, more)).toMatchObject({ text: 're', completion: { items: ['repairs', 'resume'] } });
    // The line edited since: a fresh completion of what is typed now, not the next candidate.
    expect(complete('po', { ...first.completion!, line: 'x' }, cands, more)?.completion?.items).toEqual(['pools', 'pool']);
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

  test('a command given an argument it does not take is refused, naming it: :quit now does not quit', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await h.waitForFrame((f) => f.includes('HEALTH'), 'pools');
    let exited = false;
    void h.exited.then(() => (exited = true));
    await h.press(':', ...'quit now', KEYS.enter);
    await h.waitForFrame((f) => f.includes(':quit takes no argument: not run (try :help)'), 'the refusal');
    await h.press(':', ...'work later', KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes(':work takes no argument: not run (try :help)'), 'the refusal of :work');
    // Neither ran: the console is still up, on the pools view.
    expect(f).toContain('HEALTH');
    expect(h.store.getState().ui.view).toBe('pools');
    expect(exited).toBe(false);
    // The same commands alone run, and the pool commands still take their pool.
    await h.press(':', ...'pool frontend/worker', KEYS.enter);
    await h.waitForFrame((x) => x.includes('pool frontend/worker'), 'its slots');
    await h.press(':', ...'quit', KEYS.enter);
    await within(h.exited, 20_000, 'the console to exit on :quit');
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

  /** The status area: the wildmenu line (when there is one) and the `:` line under it, above the footer. */
  const menuAndLine = (f: string) => f.split('\n').slice(-3, -1);

  for (const [columns, rows] of SIZES)
    test(`at ${columns}×${rows}: tab lists the commands a word may be, then puts each on the line in turn; enter runs it`, async () => {
      h = renderApp(storeWith(demoCity(), { rows, columns }));
      await h.waitForFrame((f) => f.includes('HEALTH'), 'pools');
      await h.press(':', 'p', KEYS.tab);
      let f = await h.waitForFrame((x) => menuAndLine(x)[0].trim() === 'pools  pool  pause', 'the candidates listed');
      expect(menuAndLine(f)[1].trimEnd()).toBe(':p');
      expectFits(f, columns, rows);
      for (const want of ['pools', 'pool', 'pause', 'pools']) {
        await h.press(KEYS.tab);
        f = await h.waitForFrame((x) => menuAndLine(x)[1].trimEnd() === `:${want}`, `:${want} on the line`);
        expect(menuAndLine(f)[0].trim()).toBe('pools  pool  pause');
      }
      // Typing goes on from the candidate: the list goes, and a tab completes afresh.
      await h.press(KEYS.backspace, KEYS.backspace);
      await h.waitForFrame((x) => menuAndLine(x)[1].trimEnd() === ':poo' && !x.includes('pause'), 'edited: no list');
      await h.press(KEYS.tab);
      await h.waitForFrame((x) => menuAndLine(x)[1].trimEnd() === ':pool' && menuAndLine(x)[0].trim() === 'pools  pool', 'a fresh list');
      await h.press(KEYS.tab, KEYS.enter);
      await waitForView(h, 'pools');
      expect(h.store.getState().ui.history.items).toEqual(['pools']);
    });

  test('at 80×24, pool names: the common part, then each pool; a long list keeps the chosen one in view', async () => {
    h = renderApp(storeWith(demoCity(), { rows: 24, columns: 80 }));
    await h.waitForFrame((f) => f.includes('HEALTH'), 'pools');
    await h.press(':', ...'slots b', KEYS.tab);
    let f = await h.waitForFrame((x) => menuAndLine(x)[1].trimEnd() === ':slots backend/', 'the common part');
    expect(menuAndLine(f)[0].trim()).toBe('backend/builder  backend/worker');
    await h.press(KEYS.tab, KEYS.tab);
    await h.waitForFrame((x) => menuAndLine(x)[1].trimEnd() === ':slots backend/worker', 'the second pool');
    await h.press(KEYS.enter);
    await waitForView(h, 'slots');
    expect(h.frame()).toContain('pool backend/worker');

    // Every pool of the demo does not fit 80 columns: the window follows the chosen one.
    const pools = ['backend/builder', 'backend/worker', 'frontend/reviewer', 'frontend/worker', 'mayor', 'ops/polecat'];
    await h.press(':', ...'slots ', KEYS.tab);
    f = await h.waitForFrame((x) => menuAndLine(x)[0].startsWith('backend/builder'), 'all the pools');
    for (const p of pools) {
      await h.press(KEYS.tab);
      f = await h.waitForFrame((x) => menuAndLine(x)[1].trimEnd() === `:slots ${p}`, p);
      expect(menuAndLine(f)[0]).toContain(p);
      expectFits(f, 80, 24);
    }
    expect(menuAndLine(f)[0]).toMatch(/^< /);
  });
});
