// Terminal hygiene: no frame taller than the terminal (any view, any size, any data volume),
// resizes followed, hostile strings rendered inert, NO_COLOR honoured.
import { afterEach, describe, expect, test } from 'vitest';
import { colorEnabled, makeTheme } from '../../src/ui/theme.js';
import { bigState, demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, resizeTerminal, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const height = (f: string) => f.split('\n').length;
// Escape sequences are exactly what these tests look for.
/* eslint-disable no-control-regex */
const widest = (f: string) => Math.max(...f.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => [...l].length));

describe('frame size', () => {
  test.each([
    [8, 40], [12, 60], [20, 80], [40, 120], [24, 200],
  ])('every view and the help fit a %i×%i terminal', async (rows, columns) => {
    h = renderApp(storeWith(demoState(), { rows, columns }));
    for (const key of ['1', '2', '3', '4', '5', '6', '?']) {
      await h.press(key);
      await h.waitForFrame((f) => f.length > 0);
      await new Promise((r) => setTimeout(r, 10));
      const f = h.frame();
      expect(height(f), `view ${key}:\n${f}`).toBeLessThanOrEqual(rows - 1);
      expect(widest(f), `view ${key}:\n${f}`).toBeLessThanOrEqual(columns);
      if (key === '?') await h.press(KEYS.esc);
    }
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
});

describe('resize', () => {
  test('the frame follows the terminal when it shrinks and grows', async () => {
    h = renderApp(storeWith(demoState(), { rows: 40, columns: 120 }));
    await h.press('3');
    await h.waitForFrame((x) => x.includes('HOLDER'));
    resizeTerminal(h.stdout, 14, 70);
    let f = await h.waitForFrame((x) => height(x) <= 13 && widest(x) <= 70, 'shrink');
    expect(f).toContain('> backend/worke…');
    resizeTerminal(h.stdout, 40, 120);
    f = await h.waitForFrame((x) => height(x) > 30, 'grow');
    expect(height(f)).toBeLessThanOrEqual(39);
    expect(h.store.getState().ui.viewport).toEqual({ rows: 40, columns: 120 });
  });
});

describe('hostile strings', () => {
  test('escape sequences in aliases and titles are shown as inert text', async () => {
    h = renderApp(storeWith(demoState(), { rows: 40, columns: 160 }));
    for (const key of ['1', '2', '3', '4', '5', '6']) {
      await h.press(key);
      await new Promise((r) => setTimeout(r, 10));
      const f = h.frame();
      // Only SGR styling (ESC [ ... m) may reach the terminal: no cursor moves, clears, OSC titles or bells.
      expect(f.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
    await h.press('2');
    const f = await h.waitForFrame((x) => x.includes('be-evil'));
    expect(f).toContain('evil\\e[2J\\e]0;pwned\\x07');
    await h.press('3', '/', ...'pwned');
    await h.waitForFrame((x) => x.includes('evil\\e[2J'));
  });

  test('a title with newlines stays on one line (work view)', async () => {
    const s = demoState();
    s.beads.find((b) => b.id === 'wk-cross')!.title = 'line one\nline two\r\u001b[2Kthree';
    h = renderApp(storeWith(s, { rows: 30, columns: 200 }));
    await h.press('5');
    const f = await h.waitForFrame((x) => x.includes('line one'));
    expect(f.split('\n').find((l) => l.includes('line one'))).toMatch(/line one line two \\e\[2Kthree/);
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
