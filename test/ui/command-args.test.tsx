// `:slots` and `:pool` take one argument, a pool: a second one is refused as any `:` command's unexpected argument is,
// never dropped (before, `:slots frontend/worker extra` opened frontend/worker without a word about `extra`).
import { afterEach, expect, test } from 'vitest';
import { demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

test(':slots and :pool with two arguments are refused, naming the command, and nothing opens; with one they open the pool', async () => {
  h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
  await h.waitForFrame((f) => f.includes('HEALTH'), 'pools');
  await h.press(':', ...'slots frontend/worker extra', KEYS.enter);
  await h.waitForFrame((f) => f.includes(':slots takes one argument, a pool: not run (try :help)'), 'the refusal of :slots');
  expect(h.store.getState().ui.view).toBe('pools');
  await h.press(':', ...'pool frontend/worker frontend/worker', KEYS.enter);
  const f = await h.waitForFrame((x) => x.includes(':pool takes one argument, a pool: not run (try :help)'), 'the refusal of :pool');
  expect(f).toContain('HEALTH');
  expect(h.store.getState().ui.view).toBe('pools');
  await h.press(':', ...'pool frontend/worker', KEYS.enter);
  await h.waitForFrame((x) => x.includes('pool frontend/worker'), 'its slots');
  expect(h.store.getState().ui.view).toBe('slots');
});
