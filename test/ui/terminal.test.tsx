// Terminal hygiene: no frame taller than the terminal (any view, any size, any data volume),
// resizes followed, hostile strings rendered inert, NO_COLOR honoured.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { VIEW_IDS } from '../../src/console/ui-state.js';
import { Detail } from '../../src/ui/components/Detail.js';
import { colorEnabled, makeTheme } from '../../src/ui/theme.js';
import { bigState, demoState, HOSTILE, hostileState, storeWith } from './fixture.js';
import { viewModel } from '../../src/ui/views/registry.js';
import { cursorLine, expectFits, KEYS, lineOf, renderApp, resizeTerminal, waitForLine, waitForView, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const height = (f: string) => f.split('\n').length;
// Escape sequences are exactly what these tests look for.
/* eslint-disable no-control-regex */
const widest = (f: string) =>
  Math.max(
    ...f
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .map((l) => [...l].length),
  );
/** Only SGR styling (ESC [ ... m) may reach the terminal: no cursor moves, clears, OSC titles or bells. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const inert = (f: string) => !RAW_CONTROL.test(f.replace(/\u001b\[[0-9;]*m/g, ''));
/** Every view, by its number key: a view added to VIEW_IDS is covered without touching these tests. */
const VIEWS = VIEW_IDS.map((view, i) => ({ view, key: String(i + 1) }));

describe('frame size', () => {
  test.each([
    [8, 40],
    [12, 60],
    [20, 80],
    [40, 120],
    [24, 200],
  ])('every view and the help fit a %i×%i terminal', async (rows, columns) => {
    h = renderApp(storeWith(demoState(), { rows, columns }));
    for (const { view, key } of VIEWS) {
      await h.press(key);
      // This view's own frame (its column titles), never the previous view's.
      const f = await waitForView(h, view);
      expect(height(f), `view ${key} ${view}:\n${f}`).toBeLessThanOrEqual(rows - 1);
      expect(widest(f), `view ${key} ${view}:\n${f}`).toBeLessThanOrEqual(columns);
    }
    await h.press('?');
    const f = await h.waitForFrame((x) => x.includes('Keys (1–'), 'the help');
    expect(height(f), `help:\n${f}`).toBeLessThanOrEqual(rows - 1);
    expect(widest(f), `help:\n${f}`).toBeLessThanOrEqual(columns);
  });

  test('a 20 000-bead pool is windowed: the frame stays the terminal height and shows the range', async () => {
    h = renderApp(storeWith(bigState(20_000), { rows: 20, columns: 100 }));
    await h.press('2');
    let f = await h.waitForFrame((x) => x.includes('of 20 000'));
    expect(height(f)).toBeLessThanOrEqual(19);
    expect(f).toMatch(/1–\d+ of 20 000/);
    await h.press(KEYS.pgdn, KEYS.pgdn, KEYS.pgdn);
    f = await h.waitForFrame((x) => !/ 1–\d+ of/.test(x));
    expect(height(f)).toBeLessThanOrEqual(19);
    await h.press('G');
    f = await h.waitForFrame((x) => x.includes('–20 000 of 20 000'));
    expect(height(f)).toBeLessThanOrEqual(19);
    expect(f).toContain('big-020000');
  });

  test('a terminal too small for a list says so in one line', async () => {
    h = renderApp(storeWith(demoState(), { rows: 5, columns: 60 }));
    const f = await h.waitForFrame((x) => x.includes('terminal too small'));
    expect(height(f)).toBeLessThanOrEqual(4);
    expect(f.trim().split('\n')).toHaveLength(1);
  });

  test('the too-small message is one line that fits: the longest wording whole, cut only where not even "q quits" fits', async () => {
    h = renderApp(storeWith(demoState(), { rows: 7, columns: 40 }));
    let f = await h.waitForFrame((x) => x.includes('quits'));
    expectFits(f, 40, 7);
    expect(f.trim().split('\n')).toEqual(['terminal too small (40×7); q quits']);
    for (const [rows, columns, said] of [
      [7, 120, 'gc-tui: terminal too small (120×7); q quits'],
      [5, 20, 'too small; q quits'],
      [3, 12, 'q quits'],
      [2, 5, 'q qu…'],
    ] as const) {
      resizeTerminal(h.stdout, rows, columns);
      // The frame of this size (the one before may have said the same words).
      f = await h.waitForFrame((x) => x.trim() === said && x.split('\n').length <= rows - 1, `the words at ${columns}×${rows}`);
      expectFits(f, columns, rows);
    }
  });
});

describe('resize', () => {
  test('the frame follows the terminal when it shrinks and grows', async () => {
    h = renderApp(storeWith(demoState(), { rows: 40, columns: 120 }));
    await h.press('3');
    await h.waitForFrame((x) => x.includes('HOLDER'));
    resizeTerminal(h.stdout, 14, 70);
    let f = await h.waitForFrame((x) => height(x) <= 13 && widest(x) <= 70, 'shrink');
    // Names keep their distinguishing tail: the narrow NAME column still tells worker-1 from worker-2.
    expect(f).toMatch(/> backend\/worker-1\s+alias/);
    resizeTerminal(h.stdout, 40, 120);
    f = await h.waitForFrame((x) => height(x) > 30, 'grow');
    expect(height(f)).toBeLessThanOrEqual(39);
    expect(h.store.getState().ui.viewport).toEqual({ rows: 40, columns: 120 });
  });
});

describe('hostile strings', () => {
  test('escape sequences in ids, templates, aliases and titles are shown as inert text, in every view and row', async () => {
    h = renderApp(storeWith(hostileState(), { rows: 40, columns: 160 }));
    for (const { view, key } of VIEWS) {
      await h.press(key);
      let f = await waitForView(h, view);
      expect(inert(f), `view ${key} ${view}:\n${f}`).toBe(true);
      // Every row under the cursor, so every detail pane and card is drawn once.
      const n = viewModel(h.store.getState(), view)?.rows.length ?? 0;
      for (let i = 1; i < n; i++) {
        await h.press('j');
        f = await waitForLine(h, cursorLine(h.store, view), `row ${i + 1} of ${view}`);
        expect(inert(f), `view ${view}, row ${i + 1}:\n${f}`).toBe(true);
      }
    }
    // The ids themselves, escaped: the pools view's detail lists the refused duplicate (the first pool's).
    await h.press('1', 'g');
    let f = await h.waitForFrame((x) => x.includes('refused duplicates:'));
    expect(lineOf(f, 'refused duplicates:')).toContain('dup\\e]0;pwned\\x07');
    await h.press('2');
    f = await h.waitForFrame((x) => x.includes('be-evil'));
    expect(f).toContain('evil\\e[2J\\e]0;pwned\\x07');
    await h.press('3', '/', ...'pwned');
    await h.waitForFrame((x) => x.includes('evil\\e[2J'));
    await h.press(KEYS.enter, '1', '/', ...'tpl', KEYS.enter, KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('pool evil\\e[2Jtpl'));
    expect(f).toContain('id\\e[H\\e[2Jx');
    expect(f).toContain('al\\e]8;;http://x\\x07ias');
    await h.press('8');
    f = await h.waitForFrame((x) => x.includes('unresolved-template'));
    expect(lineOf(f, 'unresolved-template')).toContain('gh\\e]2;t\\x07ost');
  });

  test('the detail pane cleans every line it is given, whichever view built it', () => {
    const r = render(
      <Detail
        lines={[`bead ${HOSTILE.dupId}`, `alias ${HOSTILE.alias}`, 'title one\r\ntwo']}
        height={4}
        width={80}
        theme={makeTheme(false)}
      />,
    );
    const f = r.lastFrame() ?? '';
    r.unmount();
    expect(inert(f), f).toBe(true);
    expect(f).toContain('bead dup\\e]0;pwned\\x07');
    expect(f).toContain('alias al\\e]8;;http://x\\x07ias');
    // A line break in the data shows as escapes: `one\r\ntwo` is not `one two`.
    expect(f).toContain('title one\\r\\ntwo');
  });

  test('a title with newlines stays on one line (work view)', async () => {
    const s = demoState();
    s.beads.find((b) => b.id === 'wk-cross')!.title = 'line one\nline two\r\u001b[2Kthree';
    h = renderApp(storeWith(s, { rows: 30, columns: 200 }));
    await h.press('5');
    const f = await h.waitForFrame((x) => x.includes('line one'));
    expect(f.split('\n').find((l) => l.includes('line one'))).toMatch(/line one\\nline two\\r\\e\[2Kthree/);
  });
});

describe('colour', () => {
  test('NO_COLOR turns colours off; the 16-colour names are used otherwise', () => {
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({})).toBe(true);
    const named = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray'];
    const on = makeTheme(true);
    for (const t of ['ok', 'warn', 'error', 'dim', 'accent', 'changed'] as const) {
      expect(named).toContain(on.tone(t));
      expect(makeTheme(false).tone(t)).toBeUndefined();
    }
  });
});
