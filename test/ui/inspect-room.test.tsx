// The inspect pane is sized by the frame's layout, as the help pane is: with a message taking a second status line the
// pane has a line less, its scroll keys count with that, and `G` still shows the last line; no frame is taller than the
// terminal at any height.
import { afterEach, describe, expect, test } from 'vitest';
import { demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const range = (f: string) => /\((\d+)–(\d+) of (\d+)\)/.exec(f)?.slice(1).map(Number) ?? [];

describe('the inspect pane under a message of two lines', () => {
  for (const rows of [10, 12, 14, 16, 20])
    test(`at 60×${rows}: G shows the last line, PgDn skips none, and every frame fits`, async () => {
      const columns = 60;
      h = renderApp(storeWith(demoState(), { rows, columns }));
      await h.press('2');
      await h.waitForFrame((f) => f.includes('AGENT_NAME'), 'slots');
      await h.press('y');
      await h.waitForFrame((x) => range(x)[0] === 1, 'raw JSON');
      // What a refresh says while the pane is open (a mark dropped, who changed the store): two status lines.
      const text = 'a note long enough to wrap onto a second status line under the inspect pane, as a refresh may say';
      h.store.getState().setMessage({ text, tone: 'info' });
      let f = await h.waitForFrame((x) => x.includes('as a refresh may say'), 'the message');
      expectFits(f, columns, rows);
      const [, shown, total] = range(f);
      expect(total).toBeGreaterThan(shown);
      await h.press(KEYS.pgdn);
      f = await h.waitForFrame((x) => range(x)[0] > 1, 'PgDn');
      expectFits(f, columns, rows);
      // The next page starts right after the last line the first one showed, or ends at the last line.
      expect(range(f)[0]).toBe(Math.min(shown, total - shown) + 1);
      expect(range(f)[1]).toBe(Math.min(2 * shown, total));
      await h.press('G');
      f = await h.waitForFrame((x) => range(x)[1] === total || range(x)[0] !== range(f)[0], 'G');
      expectFits(f, columns, rows);
      expect(range(f)[1]).toBe(total);
      expect(f).toContain('as a refresh may say');
    });
});
