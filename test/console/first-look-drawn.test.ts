// A big first read's beads wait in the plan worker (the built dist/plan-worker.js) until the console says its first
// look is drawn (plan-worker-body.ts untilDrawn): landing while it mounts Ink and draws that look, they raised its peak
// memory. Within a bound, and only for a console that draws that look and says so.
import { copyFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, expect, onTestFinished, test } from 'vitest';
import { channelFor } from '../../src/console/worker/channel.js';
import type { WorkerReply } from '../../src/console/worker/worker-protocol.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive, type Live } from '../../src/console/watch.js';
import type { Source } from '../../src/store/types.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { until, within } from '../support/wait.js';

/** Over 8 MiB of store: a read the worker holds back for the first look (kept-bytes.ts keptInFile). */
const BEADS = 25_000;
const DEMO = fileURLToPath(new URL('../../fixtures/demo-city.json', import.meta.url));

let big: Source = { kind: 'store', path: '' };
beforeAll(() => {
  const file = join(tempDir('gc-tui-drawn-'), 'big.json');
  writeFileSync(file, JSON.stringify(generateStore({ beads: BEADS, seed: 11 })));
  expect(statSync(file).size).toBeGreaterThanOrEqual(8 << 20);
  big = { kind: 'store', path: file };
});

/**
 * A plan worker of this test's own (one per script URL in a process), ended with the test, and what it says in order:
 * 'glance', 'held' (it waits for a first look to be drawn), 'part' and 'reply'.
 */
function ownWorker(name: string): { url: URL; said: string[] } {
  const url = new URL(`${pathToFileURL(built('plan-worker.js')).href}?${name}`);
  const worker = channelFor(url).worker!;
  const said: string[] = [];
  worker.on('message', (m: WorkerReply | { heldFor: number }) => {
    if ('heldFor' in m) said.push('held');
    else if ('glance' in m) said.push('glance');
    else if ('part' in m) said.push('part');
    else if ('ok' in m) said.push('reply');
  });
  onTestFinished(() => worker.terminate().then(() => undefined));
  return { url, said };
}

function consoleOn(source: Source, url: URL, drawsFirstLook: boolean): { live: Live; store: ReturnType<typeof createAppStore> } {
  const store = createAppStore({ operator: 'tester', viewport: { rows: 40, columns: 120 } });
  const live = startLive({ store, source, watch: false, patrolMs: 3_600_000, worker: url, now: () => NOW, drawsFirstLook });
  onTestFinished(() => live.stop());
  return { live, store };
}

test("a big first read's beads wait for the console to say its first look is drawn, and come once it does", async () => {
  const { url, said } = ownWorker('drawn');
  const { live, store } = consoleOn(big, url, true);
  await live.shown;
  expect(store.getState().glance?.beads).toBe(BEADS);
  await until(() => said.includes('held'), 'the worker holding the beads', { timeoutMs: 60_000, pollMs: 1 });
  // Held: nothing of the reply came before the worker said so, and the console shows the first look only.
  expect(said).toEqual(['glance', 'held']);
  expect(store.getState().current).toBeNull();
  live.firstLookDrawn();
  await within(live.ready, 60_000, 'the beads');
  expect(store.getState().current?.state.beads).toHaveLength(BEADS);
  expect(said.slice(0, 3)).toEqual(['glance', 'held', 'part']);
  expect(said.at(-1)).toBe('reply');
});

test('a console that never says its first look is drawn still gets its beads (the wait is bounded)', async () => {
  const { url, said } = ownWorker('never-drawn');
  const jobs = createJobs({ worker: url });
  onTestFinished(() => jobs.close());
  let looked = false;
  const result = jobs.load(big, () => NOW, { glance: () => (looked = true), untilDrawn: true });
  await until(() => said.includes('held'), 'the worker holding the beads', { timeoutMs: 60_000, pollMs: 1 });
  const r = await within(result, 60_000, 'the beads without the first look drawn');
  expect(looked).toBe(true);
  expect(r.loaded.state.beads).toHaveLength(BEADS);
  expect(said.slice(0, 2)).toEqual(['glance', 'held']);
});

test("a console that draws no first look, and a small city's, get their beads with no hold", async () => {
  // As the bench's keys child and a console mounted after its first read: asked for a first look, not drawing it.
  const bigOne = ownWorker('not-drawing');
  const { live, store } = consoleOn(big, bigOne.url, false);
  await within(live.ready, 60_000, 'the beads');
  expect(store.getState().current?.state.beads).toHaveLength(BEADS);
  expect(bigOne.said).not.toContain('held');

  // The demo: its beads follow its first look at once, before the console has drawn anything.
  const file = join(tempDir('gc-tui-drawn-demo-'), 'demo.json');
  copyFileSync(DEMO, file);
  const small = ownWorker('small');
  const demo = consoleOn({ kind: 'store', path: file }, small.url, true);
  await within(demo.live.ready, 60_000, 'the demo');
  expect(demo.store.getState().current).not.toBeNull();
  expect(small.said).not.toContain('held');
});
