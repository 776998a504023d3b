// Before a big refresh's read (an outside change re-read by the plan worker, the built dist/plan-worker.js), the worker
// collects its heap once it has grown enough since its last full collection (plan-worker-body.ts beforeBigRefresh):
// nothing else started a collection there between outside changes, and each change's re-read, plan and packing piled
// up on the last's until V8's own collection came in the middle of a read (docs/speed.md). A small store's refresh never
// collects there, however much the heap grew. And once the console says it is quiet after a big refresh's views (Jobs.consoleQuiet),
// the worker, idle until the next change, collects its heap if it grew (whenIdle).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, expect, onTestFinished, test } from 'vitest';
import { channelFor } from '../../src/console/worker/channel.js';
import type { WorkerReply } from '../../src/console/worker/worker-protocol.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import type { Source } from '../../src/store/types.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { until, within } from '../support/wait.js';

/** Over 8 MiB of store: a read kept in a file of its own (kept-bytes.ts keptInFile), a big refresh. */
const BIG = 25_000;
/** Well under 8 MiB. */
const SMALL = 2_000;
/** Rounds of one outside change to each store; the worker's heap grows past its threshold within a few. */
const ROUNDS = 24;

interface Doc {
  beads: { id: string; title: string }[];
}

interface Store {
  doc: Doc;
  source: Source & { kind: 'store' };
}

function store(beads: number, seed: number): Store {
  const doc = generateStore({ beads, seed }) as Doc;
  const file = join(tempDir('gc-tui-refresh-collect-'), `${beads}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return { doc, source: { kind: 'store', path: file } };
}

let big: Store;
let small: Store;
beforeAll(() => {
  big = store(BIG, 12);
  small = store(SMALL, 13);
});

/** The store as another writer leaves it: bead `at`'s title replaced, every other byte as it was. */
function writeTitle(s: Store, at: number, title: string): void {
  const beads = s.doc.beads.map((b, i) => (i === at ? { ...b, title } : b));
  writeFileSync(s.source.path, JSON.stringify({ ...s.doc, beads }));
}

/** A plan worker of this test's own, ended with the test, and what it says in order: 'reply', 'warmed', 'collected', 'idle'. */
function ownWorker(name: string): { url: URL; said: string[] } {
  const url = new URL(`${pathToFileURL(built('plan-worker.js')).href}?${name}`);
  const worker = channelFor(url).worker!;
  const said: string[] = [];
  worker.on('message', (m: WorkerReply | { warmedUp?: true; collectedBeforeRead?: true; collectedWhenIdle?: true }) => {
    if ('warmedUp' in m) said.push('warmed');
    else if ('collectedBeforeRead' in m) said.push('collected');
    else if ('collectedWhenIdle' in m) said.push('idle');
    else if ('ok' in m) said.push('reply');
  });
  onTestFinished(() => worker.terminate().then(() => undefined));
  return { url, said };
}

/** Jobs on a worker of the test's own that read the big store, once the warm-up after that first read is done. */
async function bigReadWarmed(name: string) {
  const { url, said } = ownWorker(name);
  const jobs = createJobs({ worker: url });
  onTestFinished(() => jobs.close());
  await within(
    jobs.load(big.source, () => NOW),
    60_000,
    'the first read',
  );
  // The first read's own collections and compaction (afterFirstReply, warmUp) are done: none of them is a refresh's.
  await until(() => said.includes('warmed'), 'the warm-up after the first read', { timeoutMs: 60_000, pollMs: 1 });
  return { jobs, said };
}

test("a big store's refresh collects the worker's heap before its read once it grew; a small store's never does", async () => {
  const { jobs, said } = await bigReadWarmed('refresh-collect');
  await within(
    jobs.load(small.source, () => NOW),
    60_000,
    "the small store's first read",
  );
  expect(said).toEqual(['reply', 'warmed', 'reply']);
  /** What the worker said for each refresh, in order: which store, and whether it collected before the reply. */
  const refreshes: string[] = [];
  for (let n = 1; n <= ROUNDS; n++) {
    for (const [name, s] of [
      ['big', big],
      ['small', small],
    ] as const) {
      const at = (n * 7919) % s.doc.beads.length;
      const title = `changed outside ${name} ${n}`;
      writeTitle(s, at, title);
      const from = said.length;
      const r = await within(
        jobs.load(s.source, () => NOW),
        60_000,
        `outside change ${n} to the ${name} store`,
      );
      // What the console is sent is the file as it is now.
      expect(r.loaded.state.beads[at].title).toBe(title);
      expect(r.loaded.state.beads).toHaveLength(s.doc.beads.length);
      const heard = said.slice(from);
      expect(heard.at(-1)).toBe('reply');
      refreshes.push(heard.includes('collected') ? `${name} collected` : name);
    }
    if (refreshes.filter((r) => r === 'big collected').length >= 2) break;
  }
  // Collected before the read, only for the big store, and not at each of its refreshes: once its heap grew again.
  expect(refreshes.filter((r) => r === 'small collected')).toEqual([]);
  const bigCollected = refreshes.flatMap((r, i) => (r === 'big collected' ? [i] : []));
  expect(bigCollected).toHaveLength(2);
  expect(bigCollected[1] - bigCollected[0]).toBeGreaterThan(2);
}, 240_000);

test("once a big refresh's views are made, the worker collects its heap if the refresh left enough, and not again at once", async () => {
  const { jobs, said } = await bigReadWarmed('idle-collect');
  let collectedIn = -1;
  for (let n = 1; n <= ROUNDS && collectedIn < 0; n++) {
    const at = (n * 7919) % big.doc.beads.length;
    writeTitle(big, at, `changed outside ${n}`);
    await within(
      jobs.load(big.source, () => NOW),
      60_000,
      `outside change ${n}`,
    );
    const from = said.length;
    // Said twice, as two quiet moments in a row would: the second finds nothing grown since the first.
    jobs.consoleQuiet();
    jobs.consoleQuiet();
    // The worker takes each message in turn: whatever the two made it say comes before this read's reply.
    await within(
      jobs.load(small.source, () => NOW),
      60_000,
      'the small store read after',
    );
    const heard = said.slice(from);
    expect(heard.filter((h) => h === 'idle').length).toBeLessThanOrEqual(1);
    if (heard[0] === 'idle') collectedIn = n;
    else expect(heard).toEqual(['reply']);
  }
  expect(collectedIn).toBeGreaterThan(0);
  // Its next big refresh starts from the heap that collection left: no collection before its read.
  writeTitle(big, 1, 'changed outside after the collection');
  const from = said.length;
  await within(
    jobs.load(big.source, () => NOW),
    60_000,
    'the refresh after',
  );
  expect(said.slice(from)).toEqual(['reply']);
}, 240_000);
