// `/` filters the focused view as you type; esc clears; the cursor stays on its row when it can.
import { afterEach, expect, test } from 'vitest';
import type { State } from '../../src/engine/types.js';
import { SLICE } from '../../src/ui/rows/derive.js';
import { warmViews } from '../../src/ui/views/prepare.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

test('typing narrows the rows, enter keeps the filter, esc clears it', async () => {
  h = renderApp(storeWith(demoState()));
  await h.press('3', '/', ...'fe-poison');
  let f = await h.waitForFrame((x) => x.includes('filter "fe-poison"'));
  expect(f).toMatch(/\/fe-poison/);
  const rows = f.split('\n').filter((l) => /^[> ] \S/.test(l) && !l.includes('NAME'));
  expect(rows.every((l) => l.includes('fe-poison') || l.includes('backend/worker-4') || l.includes('frontend/nux'))).toBe(true);
  await h.press(KEYS.enter);
  await h.waitForFrame((x) => x.split('\n').at(-1)!.includes('filter') && x.includes('filter "fe-poison"'));
  await h.press(KEYS.esc);
  f = await h.waitForFrame((x) => !x.includes('filter "'));
  expect(f).toContain('mayor');
});

test('every word must match, case-insensitively', async () => {
  h = renderApp(storeWith(demoState()));
  await h.press('2', '/', ...'ASLEEP stale');
  await h.waitForFrame((x) => x.includes('No rows match "ASLEEP stale"'));
  await h.press(...'\u007f'.repeat(6));
  const f = await h.waitForFrame((x) => x.includes('/ASLEEP') && !x.includes('No rows match'));
  expect(f).toContain('be-evil');
});

test('in the repairs view a repair is found by its id, as check, apply --repair and the status line name it', async () => {
  h = renderApp(storeWith(demoState()));
  await h.press('6', '/', ...'restamp-slot:fe-poison');
  const f = await h.waitForFrame((x) => x.includes('filter "restamp-slot:fe-poison" (1 of'), 'one row');
  const rows = f.split('\n').filter((l) => /^[> ] undecided /.test(l));
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatch(/restamp-slot +R6 +fe-poison/);
});

test('esc while typing cancels and clears the filter', async () => {
  h = renderApp(storeWith(demoState()));
  await h.press('/', ...'front');
  await h.waitForFrame((x) => x.includes('filter "front"'));
  await h.press(KEYS.esc);
  const f = await h.waitForFrame((x) => !x.includes('filter "'));
  expect(f).toContain('backend/worker');
});

test('filters are per view', async () => {
  h = renderApp(storeWith(demoState()));
  await h.press('/', ...'mayor', KEYS.enter, '6');
  const f = await h.waitForFrame((x) => x.includes('REASON'));
  expect(f).not.toContain('filter "mayor"');
  await h.press('1');
  await h.waitForFrame((x) => x.includes('filter "mayor"'));
});

test('a long list answers through its search index: each character typed shows the frame a row-by-row scan shows', async () => {
  // Sessions enough for the aliases view's index to be made in several slices.
  const doc = generateStore({ beads: 3 * SLICE }) as { city: State['city']; beads: State['beads'] };
  const state: State = { city: doc.city, beads: doc.beads, decisions: [] };
  const warmed = storeWith(state);
  const plain = storeWith(structuredClone(state));
  // What the console makes while it idles after a read: here, the aliases rows and their search index.
  await warmViews(warmed.getState().current!, () => true);
  const a = renderApp(warmed);
  const b = renderApp(plain);
  try {
    for (const x of [a, b]) {
      await x.press('3');
      await x.waitForFrame((f) => f.includes('HOLDER'));
      await x.press('/');
    }
    const typed = [...'builder-12', KEYS.backspace, KEYS.backspace, ' asleep', ' zz'];
    let query = '';
    for (const keys of typed) {
      query = keys === KEYS.backspace ? query.slice(0, -1) : query + keys;
      const shown = (f: string) => f.includes(`/${query}`) && f.includes(`filter "${query}"`);
      const frames: string[] = [];
      for (const x of [a, b]) {
        await x.press(...(keys === KEYS.backspace ? [keys] : [...keys]));
        frames.push(await x.waitForFrame(shown, query));
      }
      expect(frames[0], query).toBe(frames[1]);
    }
    // The last query matches nothing; erased back to "builder- asleep", its rows show again.
    expect(a.frame()).toContain('No rows match');
    await a.press(...KEYS.backspace.repeat(3));
    const f = await a.waitForFrame((x) => x.includes('filter "builder- asleep"'));
    const rows = f.split('\n').filter((l) => /^[> ] \S/.test(l) && !l.includes('NAME'));
    expect(rows.length).toBeGreaterThan(3);
    for (const l of rows) expect(l).toMatch(/builder-\d+ .*asleep/);
  } finally {
    a.unmount();
    b.unmount();
  }
});
