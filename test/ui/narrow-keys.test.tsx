// On the narrowest terminals the keys stay readable: the footer's pinned hints shorten instead of being cut inside a
// key (at 20 columns it ended `q…`), help puts a text under its keys when there is no room beside them (it had 4
// columns: `dow…`), and the inspect pane's title cuts the name, not the key that closes it (`— esc…` at 40).
import { describe, expect, test } from 'vitest';
import { endAfterEach } from '../support/teardown.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, resizeTerminal, type Harness } from './render.js';
import { footer, lines } from '../support/frame-lines.js';

let h: Harness | null = null;
endAfterEach(() => [h]);

describe('a narrow terminal', () => {
  test("the footer keeps help and quit whole, and the way on's key, shortening them step by step (30 to 3 columns)", async () => {
    h = renderApp(storeWith(demoState(), { rows: 9, columns: 30 }));
    const want: Array<[number, string]> = [
      [30, 'tab view  ? help  q quit'],
      [20, 'tab  ? help  q quit'],
      [12, 'tab  ?  q'],
      [8, '?  q'],
      [3, 'q'],
    ];
    for (const [columns, text] of want) {
      resizeTerminal(h.stdout, 9, columns);
      const f = await h.waitForFrame((x) => footer(x).trimEnd() === text, `the footer at ${columns}×9 (${text})`);
      expectFits(f, columns, 9, `${columns}×9`);
    }
    // On the card, the way on is esc.
    resizeTerminal(h.stdout, 9, 20);
    await h.press('6');
    await h.waitForFrame((x) => footer(x).trimEnd() === 'tab  ? help  q quit', 'the repairs view at 20×9');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => footer(x).trimEnd() === 'esc  ? help  q quit', 'the card at 20×9');
  });

  test('help at 20 columns puts each text under its keys, wrapped, none cut', async () => {
    h = renderApp(storeWith(demoState(), { rows: 40, columns: 20 }));
    await h.press('?');
    const f = await h.waitForFrame((x) => x.includes(' Keys ('), 'help');
    expectFits(f, 20, 40, 'help at 20×40');
    const body = lines(f).slice(lines(f).findIndex((l) => l.startsWith(' Keys (')) + 1, -2);
    expect(body).toContain('  j/↓');
    expect(body).toContain('    Move down one');
    // Every text line whole: wrapped by words, never cut with `…`.
    expect(body.filter((l) => l.startsWith('    ') && l.trimEnd().endsWith('…'))).toEqual([]);
  });

  test("the inspect pane's title keeps its range and the key that closes it at 40 columns, the name cut in its middle", async () => {
    h = renderApp(storeWith(demoState(), { rows: 12, columns: 40 }));
    await h.press('4', 'y');
    const f = await h.waitForFrame((x) => / of \d+\) — /.test(x), 'the raw pane');
    const title = lines(f).find((l) => / of \d+\) — /.test(l)) ?? '';
    expect(title.trimEnd()).toMatch(/\(1–\d+ of \d+\) — esc closes$/);
    expectFits(f, 40, 12, 'the pane at 40×12');
  });
});
