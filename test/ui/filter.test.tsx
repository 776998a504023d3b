// `/` filters the focused view as you type; esc clears; the cursor stays on its row when it can.
import { afterEach, expect, test } from 'vitest';
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
