// The console's thread collects its own heap once a big store's refresh is on screen and its views are made, when the
// heap grew and nothing has come for a while (console/quiet-collect.ts, wired in watch.ts): never while keys come,
// never for a small store. Consoles through the plan worker on real files changed by another writer; the heap's
// growth is the test's to say (a fake reading of it), the collection V8's own.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { createAppStore } from '../../src/console/state.js';
import { QUIET_COLLECT_FROM_BEADS, startLive, type Live } from '../../src/console/watch.js';
import { heldByThisThread } from '../../src/console/quiet-collect.js';
import { fullCollection } from '../../src/console/full-collection.js';
import { prepareSnapshot, warmViews } from '../../src/ui/views/prepare.js';
import type { Source } from '../../src/store/types.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { endAfterEach } from '../support/teardown.js';
import { until } from '../support/wait.js';
import { renderApp, type Harness } from './render.js';
import { selected } from '../support/frame-lines.js';

const MB = 1 << 20;

let h: Harness | null = null;
let big: Live | null = null;
let small: Live | null = null;
endAfterEach(() => [h, big, small]);

interface Doc {
  beads: { id: string; title: string }[];
}

/** A console on a generated store of `beads` beads, as run.tsx starts one, with a heap reading of the test's own. */
function consoleOn(beads: number, seed: number) {
  const doc = generateStore({ beads, seed, order: 'created' }) as Doc;
  const file = join(tempDir('gc-tui-quiet-collect-'), 'store.json');
  writeFileSync(file, JSON.stringify(doc));
  const source: Source = { kind: 'store', path: file };
  const store = createAppStore({ source, readOnly: true, operator: 'test', viewport: { rows: 30, columns: 120 } });
  const log: string[] = [];
  let views = 0;
  const heap = { held: 100 * MB };
  const live = startLive({
    store,
    source,
    worker: pathToFileURL(built('plan-worker.js')),
    prepare: prepareSnapshot,
    warm: (snap, onScreen, state) =>
      warmViews(snap, onScreen, state).then(() => {
        if (onScreen()) {
          views++;
          log.push('views');
        }
      }),
    // Two seconds of nothing, not half of one: a key of this test's, on a busy machine, may take more than half.
    quietCollect: { held: () => heap.held, quietMs: 2000 },
    onCollected: () => log.push('collected'),
  });
  let n = 0;
  /** Another writer changes a bead's title (write, then rename over the store). */
  const change = () => {
    n++;
    const at = (n * 7919) % doc.beads.length;
    const beadsNow = doc.beads.map((b, i) => (i === at ? { ...b, title: `changed outside ${n}` } : b));
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...doc, beads: beadsNow }));
    renameSync(`${file}.tmp`, file);
  };
  return { store, live, log, heap, change, views: () => views };
}

test("heldByThisThread counts what the heap holds, and V8's full collection gives back its garbage", () => {
  const gc = fullCollection();
  expect(gc).toBeTypeOf('function');
  gc!();
  const before = heldByThisThread();
  const junk: { list: unknown[] | null } = { list: Array.from({ length: 400_000 }, (_, i) => ({ i, s: `junk ${i}`, a: [i, i + 1] })) };
  expect(heldByThisThread() - before).toBeGreaterThan(30 * MB);
  expect(junk.list?.length).toBe(400_000); // a number: nothing of the list stays in an assertion
  junk.list = null;
  gc!();
  expect(heldByThisThread() - before).toBeLessThan(10 * MB);
});

test('a big store collects after a refresh once its heap grew and nothing came for a while, never while keys come; a small store never', async () => {
  expect(QUIET_COLLECT_FROM_BEADS).toBeLessThanOrEqual(20_000);
  const b = consoleOn(20_000, 21);
  const s = consoleOn(2_000, 22);
  big = b.live;
  small = s.live;
  await Promise.all([b.live.ready, s.live.ready]);
  await until(() => b.views() === 1 && s.views() === 1, 'the first reads’ views', { timeoutMs: 120_000 });
  h = renderApp(b.store, { services: b.live.services });
  await h.waitForFrame((f) => f.includes('HEALTH'), 'the first frame', 60_000);
  await h.press('2');
  await h.waitForFrame((f) => f.includes('AGENT_NAME'), 'the slots view');

  // The small store: its heap grows far past any step at each refresh; its views are made, and no collection comes.
  for (let i = 1; i <= 3; i++) {
    s.heap.held += 200 * MB;
    s.change();
    await until(() => s.views() >= 1 + i, `the small store's refresh ${i}`, { timeoutMs: 60_000 });
  }

  // The big store: its heap grew 40 MB over the 100 its first read's views left (a step is an eighth), and its refresh
  // lands while keys come. j and k, each once its frame is drawn, from before the change until 40 keys after its views.
  b.heap.held += 40 * MB;
  b.change();
  let dir = 'j';
  let after = -1;
  for (let keys = 0; after < 40; keys++) {
    if (after < 0 && b.views() >= 2) after = 0;
    if (after >= 0) after++;
    const was = selected(h.frame());
    await h.press(dir);
    b.log.push('key');
    await h.waitForFrame((f) => selected(f) !== was, `key ${keys}`);
    dir = dir === 'j' ? 'k' : 'j';
  }
  expect(b.log.filter((e) => e === 'collected')).toEqual([]);
  // Left alone, it collects once.
  await until(() => b.log.includes('collected'), 'the collection once the keys stopped', { timeoutMs: 60_000 });
  expect(b.log.slice(b.log.lastIndexOf('key') + 1)).toEqual(['collected']);
  // The small store's refreshes were made before the big store's, and never collected.
  expect(s.log.filter((e) => e !== 'views')).toEqual([]);

  // Another refresh with the heap grown less than a step (12 MB over the 140 the collection left) collects nothing,
  // and the next one, past it, does, with no key at all.
  b.heap.held += 12 * MB;
  b.change();
  await until(() => b.views() >= 3, "the big store's second refresh", { timeoutMs: 60_000 });
  b.heap.held += 12 * MB;
  b.change();
  await until(() => b.log.filter((e) => e === 'collected').length === 2, 'the second collection', { timeoutMs: 60_000 });
  // A change written while the last one's read runs can be read once more (watch.ts: a burst is read again once
  // quiet), a snapshot more: so views in between, however many, and the two collections at either end.
  const tail = b.log.slice(b.log.lastIndexOf('key') + 1);
  expect([tail[0], tail.at(-1)]).toEqual(['collected', 'collected']);
  expect(tail.slice(1, -1).filter((e) => e !== 'views')).toEqual([]);
  expect(tail.length).toBeGreaterThanOrEqual(4);
  expect(s.log.filter((e) => e !== 'views')).toEqual([]);
}, 300_000);
