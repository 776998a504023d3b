// The 2026-08 duplicate session_name close in the console: listed in the repairs view, its card says what it
// does and that it is destructive, and approving it asks first (Cancel focused), at 80×24.
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { inProcessJobs } from '../../src/console/jobs.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive, type Live } from '../../src/console/watch.js';
import { tempDir } from '../support/files.js';
import { endAfterEach } from '../support/teardown.js';
import { KEYS, expectFits, renderApp, resizeTerminal, type Harness } from './render.js';

let live: Live | null = null;
let h: Harness | null = null;
endAfterEach(() => [h, live]);

it('close-duplicate-session-name: row, card and confirmation fit 80×24 and say what closes', async () => {
  const path = join(tempDir(), 's.json');
  copyFileSync(resolve(import.meta.dirname, '../../fixtures/editions/duplicate-session-name.json'), path);
  const source = { kind: 'store' as const, path };
  const store = createAppStore({ source, rules: '2026-08', operator: 'tester' });
  live = startLive({
    store,
    source,
    jobs: inProcessJobs(),
    watch: false,
    patrolMs: 3_600_000,
    now: () => new Date('2026-08-20T12:00:00Z'),
  });
  await live.ready;
  h = renderApp(store, { services: live.services });
  resizeTerminal(h.stdout, 24, 80);
  await h.press('6');
  let f = await h.waitForFrame((x) => x.includes('rules 2026-08') && x.includes('close-duplicate-sessi'), 'the repairs view');
  expectFits(f, 80, 24, 'repairs view');
  expect(f).toMatch(/close-duplicate-sessi.*R3\s+d2/);
  await h.press(KEYS.enter);
  f = await h.waitForFrame((x) => x.includes('Repair card'), 'the card');
  expectFits(f, 80, 24, 'card');
  expect(f).toContain('destructive');
  expect(f).toContain('d1 keeps it');
  await h.press('a');
  f = await h.waitForFrame((x) => x.includes('[ Cancel ]'), 'the confirmation');
  expectFits(f, 80, 24, 'confirmation');
  expect(
    f
      .split('\n')
      .map((l) => l.trim())
      .join(' '),
  ).toContain('It closes bead d2: only this bead closes: the runtime and the bead that keeps the session_name are not touched');
});
