// The bead details reach the console's thread as a list when a plan has more of them than one slice (the plan
// worker's replies, chunked-clone.ts), and the console finds a bead's detail by id in that list, without the record
// keyed by id. A bead id that is also a name every object has (`__proto__`, `constructor`) is an id like another.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import type { Jobs } from '../../src/console/jobs.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive, type Live } from '../../src/console/watch.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import type { State } from '../../src/engine/types.js';
import { NOW, pooled } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { writeStoreFile } from '../ui/review-harness.js';
import { KEYS, renderApp, type Harness } from '../ui/render.js';

const WORKER = pathToFileURL(built('plan-worker.js'));

let h: Harness | null = null;
const opened: { live: Live; jobs: Jobs }[] = [];
afterEach(async () => {
  h?.unmount();
  h = null;
  for (const { live, jobs } of opened.splice(0)) {
    await live.stop();
    await jobs.close();
  }
});

/**
 * More sessions than the plan worker sends in one slice (1 000), and two beads whose ids are `__proto__` and
 * `constructor`, last: so out of id order too.
 */
function city(): State {
  const slot = (id: string, n: number) =>
    pooled(id, 'backend/worker', { agent_name: `backend/worker-${n}`, alias: `backend/worker-${n}`, pool_slot: String(n) });
  const beads = Array.from({ length: 1200 }, (_, i) => slot(`b-${String(i + 1).padStart(4, '0')}`, i + 1));
  beads.push(slot('__proto__', 1201), slot('constructor', 1202));
  return { city: { workspace: { name: 'ids-city', max_active_sessions: null }, agents: [{ name: 'worker', dir: 'backend' }] }, beads };
}

/** The frame's lines joined as one text (the pane wraps at spaces). */
const oneText = (frame: string) => frame.replace(/\s+/g, ' ');

it('the slots view shows the detail of the beads __proto__ and constructor, read through the plan worker', async () => {
  const file = join(tempDir(), 'city.json');
  writeStoreFile(file, city());
  const source = { kind: 'store' as const, path: file };
  const store = createAppStore({ source, operator: 'tester', viewport: { rows: 30, columns: 120 } });
  const jobs = createJobs({ worker: WORKER });
  expect(jobs.kind).toBe('worker');
  const live = startLive({ store, source, jobs, watch: false, patrolMs: 3_600_000, now: () => NOW });
  opened.push({ live, jobs });
  await live.ready;
  const app = (h = renderApp(store, { services: live.services }));
  await app.press(':', ...'slots backend/worker', KEYS.enter, 'G');
  await app.waitForFrame((x) => /^> .*constructor/m.test(x), 'constructor selected');
  await app.press(KEYS.enter);
  let f = await app.waitForFrame((x) => x.includes('esc closes'), 'the pane of constructor');
  expect(oneText(f)).toContain('constructor template backend/worker (from template) identity backend/worker-1202 slot 1202:');
  await app.press(KEYS.esc, 'k');
  await app.waitForFrame((x) => /^> .*__proto__/m.test(x), '__proto__ selected');
  await app.press(KEYS.enter);
  f = await app.waitForFrame((x) => x.includes('esc closes'), 'the pane of __proto__');
  expect(oneText(f)).toContain('__proto__ template backend/worker (from template) identity backend/worker-1201 slot 1201:');
});
