// A view with no row (an empty list, or a filter that matches none) offers no key that acts on the selected row, and
// each such key, pressed anyway, says the same thing. Before, the findings view with no findings offered `enter detail`,
// `r repairs` and `j/↓ move`, and enter, r and y answered "no row selected", "no bead on this row" and "no bead or
// template on this row".
import { describe, expect, test } from 'vitest';
import { endAfterEach } from '../support/teardown.js';
import { demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, waitForView, type Harness } from './render.js';
import { footer, status } from '../support/frame-lines.js';

let h: Harness | null = null;
endAfterEach(() => [h]);

/** Press each key and expect the status line to say `said` after it (cleared by esc in between). */
async function eachSays(app: Harness, keys: string[], said: string): Promise<void> {
  for (const key of keys) {
    await app.press(key);
    await app.waitForFrame((x) => status(x) === said, `the answer to ${JSON.stringify(key)}`);
    app.store.getState().setMessage(null);
    await app.waitForFrame((x) => status(x) !== said, 'the answer cleared');
  }
}

describe('no row to act on', () => {
  test('the findings view of a consistent city: no enter, r or move in the footer; enter, r, y, c, j say one thing', async () => {
    const app = (h = renderApp(storeWith({ ...demoState(), beads: [] }, { columns: 120, rows: 30 })));
    await app.press('8');
    const f = await app.waitForFrame((x) => x.includes('No findings'), 'the empty findings view');
    expect(footer(f)).not.toMatch(/enter detail|r repairs|j\/↓ move/);
    expect(footer(f)).toMatch(/\/ filter .*tab view .*\? help/);
    await eachSays(app, [KEYS.enter, 'r', 'y', 'c', 'j', 'G', KEYS.pgdn], 'no row selected: the list is empty');
  });

  test('the repairs view under a filter that matches none: no decision or move in the footer; every key on the row says one thing', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 120, rows: 30 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press('/', ...'zzz', KEYS.enter);
    const f = await app.waitForFrame((x) => x.includes('No rows match "zzz"') && !status(x).startsWith('/'), 'the empty queue');
    // Nor A: with no undecided repair shown it approves nothing.
    expect(footer(f)).not.toMatch(/a approve|A approve all|r reject|s skip|n next|enter card|space mark|b bead|j\/↓ move/);
    expect(footer(f)).toMatch(/\/ filter .*tab view .*\? help/);
    const said = 'no row selected: the filter "zzz" matches none (esc clears it)';
    await eachSays(app, ['a', 'r', 's', 'n', 'p', KEYS.enter, ' ', 'o', 'b', 'y', 'c', 'k'], said);
    await eachSays(app, ['A'], 'no undecided repair shown: nothing to approve');
  });

  test('the pools view under a filter that matches none: enter says the same', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 100, rows: 30 })));
    await waitForView(app, 'pools');
    await app.press('/', ...'zzz', KEYS.enter);
    const f = await app.waitForFrame((x) => x.includes('No rows match "zzz"') && !status(x).startsWith('/'), 'no pools shown');
    expect(footer(f)).not.toMatch(/enter slots|j\/↓ move/);
    await eachSays(app, [KEYS.enter, 'y'], 'no row selected: the filter "zzz" matches none (esc clears it)');
    // Cleared, the rows and their keys are back.
    await app.press(KEYS.esc);
    await app.waitForFrame((x) => footer(x).includes('enter slots') && footer(x).includes('j/↓ move'), 'the keys back');
  });
});

describe('no other pool to step to', () => {
  /** The demo city cut to its first pool and that pool's beads. */
  function onePool(): ReturnType<typeof demoState> {
    const d = demoState();
    const [first] = d.city.agents;
    return {
      ...d,
      city: { ...d.city, agents: [first], named_sessions: [] },
      beads: d.beads.filter((b) => b.metadata?.template === `${first.dir}/${first.name}`),
    };
  }

  test('a city of one pool: its slots view offers no [ or ], and each says so, the cursor kept on its row', async () => {
    const app = (h = renderApp(storeWith(onePool(), { columns: 120, rows: 30 })));
    await waitForView(app, 'pools');
    await app.press(KEYS.enter);
    await waitForView(app, 'slots');
    await app.press('j');
    const f = await app.waitForFrame((x) => footer(x).includes('enter detail'), 'the slots view');
    expect(footer(f)).not.toMatch(/prev pool|next pool/);
    const at = app.store.getState().ui.cursors.slots.key;
    expect(at).not.toBeNull();
    await eachSays(app, ['[', ']'], 'no other pool: the city has one');
    expect(app.store.getState().ui.cursors.slots.key).toBe(at);
  });

  test('a city of more than one: [ and ] are offered', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 120, rows: 30 })));
    await waitForView(app, 'pools');
    await app.press(KEYS.enter);
    const f = await app.waitForFrame((x) => footer(x).includes('[ prev pool'), 'the slots view');
    expect(footer(f)).toMatch(/\[ prev pool {2}\] next pool/);
  });
});
