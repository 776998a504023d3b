// The console's approvals and decisions judged by its last read (jobs.ts, write.ts keptReadBasis): a store file still
// byte for byte what the console read is neither read nor planned again under the lock, and the write is the one a
// fresh read would make; a file someone else changed meanwhile is read and judged afresh, and a plan whose time has
// passed an instant at which it can change is made again.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import * as engine from '../../src/engine/index.js';
import * as jsonText from '../../src/store/formats/json-text.js';
import * as duplicateKeys from '../../src/store/formats/duplicate-keys.js';
import * as spliceBeads from '../../src/store/formats/splice-beads.js';
import * as storeStream from '../../src/store/formats/store-stream.js';
import { inProcessJobs, type Jobs } from '../../src/console/jobs.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import { readAudit } from '../../src/store/audit.js';
import type { Source } from '../../src/store/types.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { loadSource } from '../../src/store/source.js';
import { acquireFileLock } from '../../src/store/fs/lock.js';
import { lockPathOf } from '../../src/store/fs/paths.js';
import { decisionLockPath } from '../../src/store/decisions.js';
import { formatZ } from '../../src/store/time.js';
import { recordDecision } from '../../src/store/decisions.js';
import { NOW, sessionRecord, work } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir, write } from '../support/files.js';
import { KeptBytes, setKeepInFileFromForTests } from '../../src/store/formats/kept-bytes.js';

// Every plan made in this thread, counted (the real engine's: only counted). The worker's are its own. The file runs in
// a module graph of its own (vitest.config.ts ISOLATED): the mock must not reach the files after it.
vi.mock('../../src/engine/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof engine>();
  return { ...real, plan: vi.fn(real.plan) };
});
const plans = vi.mocked(engine.plan);
// Every search of a text for a key named twice, and every walk of a store document for a decision's write (only counted).
vi.mock('../../src/store/formats/duplicate-keys.js', async (importOriginal) => {
  const real = await importOriginal<typeof duplicateKeys>();
  return { ...real, firstDuplicateKey: vi.fn(real.firstDuplicateKey) };
});
vi.mock('../../src/store/formats/splice-beads.js', async (importOriginal) => {
  const real = await importOriginal<typeof spliceBeads>();
  return { ...real, spliceDocumentBytes: vi.fn(real.spliceDocumentBytes), spliceAroundBeads: vi.fn(real.spliceAroundBeads) };
});
/** Since counting() began: the searches of a whole text at least as long as the store file was then for a key named twice. */
function wholeSearches(size: number): number {
  return vi.mocked(duplicateKeys.firstDuplicateKey).mock.calls.filter(([s, from = 0, to = s.length]) => to - from >= size).length;
}
/** Since counting() began: the decision writes that walked the whole document. */
const walks = () => vi.mocked(spliceBeads.spliceDocumentBytes).mock.calls.length;
/** Lets the reader's work after a read run (it finds where the beads are once the read is answered: store-reread.ts). */
const settled = () => new Promise((r) => setTimeout(r, 1));
// And every parse of a JSON text by the store's modules (the real parser's, only counted).
vi.mock('../../src/store/formats/json-text.js', async (importOriginal) => {
  const real = await importOriginal<typeof jsonText>();
  const { parseJsonText, parseJsonDocument, parseJsonFile } = real;
  return { ...real, parseJsonText: vi.fn(parseJsonText), parseJsonDocument: vi.fn(parseJsonDocument), parseJsonFile: vi.fn(parseJsonFile) };
});
// And every parse of a store file's bytes a batch of beads at a time (a write's read: write.ts openStoreBytes).
vi.mock('../../src/store/formats/store-stream.js', async (importOriginal) => {
  const real = await importOriginal<typeof storeStream>();
  return { ...real, parseStoreBytes: vi.fn(real.parseStoreBytes) };
});
/**
 * Counting from now (plans and parses, vi.clearAllMocks): the number of texts parsed at least as long as the store
 * file's is now, and of files' bytes parsed a batch at a time that long (a read of the whole file either way).
 */
function counting(src: { path: string }): () => number {
  vi.clearAllMocks();
  const size = readFileSync(src.path, 'utf8').length;
  const bytes = readFileSync(src.path).length;
  const parsers = [jsonText.parseJsonText, jsonText.parseJsonDocument, jsonText.parseJsonFile] as ((text: string) => unknown)[];
  return () =>
    parsers.flatMap((f) => vi.mocked(f).mock.calls).filter(([text]) => text.length >= size).length +
    vi.mocked(storeStream.parseStoreBytes).mock.calls.filter(([b]) => b.length >= bytes).length;
}

const WORKER = pathToFileURL(built('plan-worker.js'));

/** Each job run in the plan worker and on the console's own thread. */
const BOTH_SIDES = [
  ['in the worker', () => createJobs({ worker: WORKER })],
  ['on this thread', () => inProcessJobs()],
] as const;

/** mc-1 and mc-3 stamped with another slot than their names say (restamp-slot proposes "2" and "3"); mc-5 right. */
const stamped = (id: string, slot: string, name: string) =>
  sessionRecord(id, { template: 'worker', agent_name: name, alias: name, pool_slot: slot, state: 'asleep' });
/** A create started at 02:08: stale from 02:18 on, an instant at which the plan of the same file can change. */
const inFlight = sessionRecord('mc-4', {
  template: 'worker',
  state: 'creating',
  pending_create_claim: 'true',
  pending_create_started_at: '2026-05-06T02:08:00Z',
});

function storeText(): string {
  const beads = [stamped('mc-1', '4', 'worker-2'), stamped('mc-3', '5', 'worker-3'), inFlight, stamped('mc-5', '1', 'worker-1')];
  return JSON.stringify(
    { schema: 'gc-tui/1', city: { agents: [{ name: 'worker', max_active_sessions: 6 }] }, beads, decisions: [], custom: { keep: 1 } },
    null,
    2,
  );
}

function storeFile(): Source & { kind: 'store' } {
  const path = join(tempDir('gc-tui-basis-'), 'store.json');
  writeFileSync(path, storeText());
  return { kind: 'store', path };
}

/** Another writer sets `slot` on bead `id` of the file (the whole file rewritten, as Gas City's controller does). */
function otherWriter(src: Source & { kind: 'store' }, id: string, slot: string): Buffer {
  const doc = JSON.parse(readFileSync(src.path, 'utf8'));
  doc.beads.find((b: { id: string }) => b.id === id).metadata.pool_slot = slot;
  writeFileSync(src.path, JSON.stringify(doc, null, 2));
  return readFileSync(src.path);
}

/** A store file or a city (cityDir), the file its beads are in, and another writer of that file (bead id, slot). */
interface Input {
  src: Source;
  file: string;
}
const INPUTS: [string, () => Input & { other: (id: string, slot: string) => Buffer; copy: () => Input }][] = [
  [
    'a store file',
    () => {
      const src = storeFile();
      return { src, file: src.path, other: (id, slot) => otherWriter(src, id, slot), copy: () => inputOf(copyNow(src)) };
    },
  ],
  [
    'a city',
    () => {
      const src = cityDir();
      return { src, file: beadsOf(src).path, other: (id, slot) => otherCityWriter(src, id, slot), copy: () => inputOf(copyCity(src)) };
    },
  ],
];

function inputOf(src: Source): Input {
  return { src, file: src.kind === 'store' ? src.path : beadsOf(src).path };
}

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const reject = (r: engine.Plan['repairs'][number]) => ({ repair: r.id, decision: 'rejected' as const, changes: r.changes, by: 'op' });

/** The store file read by fresh jobs (`make`'s), and the two repairs its plan proposes (mc-1's and mc-3's slots). */
async function readStore(make: () => Jobs = inProcessJobs) {
  const src = storeFile();
  const j = (jobs = make());
  const read = await j.load(src, () => NOW);
  const [r1, r3] = ['restamp-slot:mc-1', 'restamp-slot:mc-3'].map((id) => read.plan.repairs.find((x) => x.id === id)!);
  return { src, j, ...read, r1, r3 };
}

let jobs: Jobs | null = null;
afterEach(async () => {
  await jobs?.close();
  jobs = null;
});

describe('an approval on this thread, the file unchanged since the console read it', () => {
  test('writes exactly what a write reading the file afresh writes, from the read and plan already made', async () => {
    const src = storeFile();
    const control: Source = { kind: 'store', path: join(tempDir('gc-tui-basis-'), 'store.json') };
    copyFileSync(src.path, (control as { path: string }).path);
    const j = (jobs = inProcessJobs());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    const wholeParses = counting(src);
    const done = await j.apply(src, [r], { now: () => at(2), by: 'op', edition: rules.edition });
    expect(done.result.applied.map((x) => x.id)).toEqual([r.id]);
    // The one plan made is that of what was written: the judgment under the lock was the load's plan. Nothing was parsed.
    expect(plans).toHaveBeenCalledTimes(1);
    expect(wholeParses()).toBe(0);
    // Not read again: the beads the write did not change are the very objects the console read.
    expect(done.result.state.beads[1]).toBe(loaded.state.beads[1]);
    expect(done.result.state.beads[0]).not.toBe(loaded.state.beads[0]);
    // Byte for byte the file and audit line a write without the console's read makes.
    await applyRepairsLocked(control, [r], { now: at(2), by: 'op', edition: rules.edition });
    expect(readFileSync(src.path).equals(readFileSync((control as { path: string }).path))).toBe(true);
    expect(readAudit(src)).toEqual(readAudit(control));
  });

  test('is planned again when its time has passed an instant at which the plan can change, and not before', async () => {
    const src = storeFile();
    const j = (jobs = inProcessJobs());
    const { plan, rules } = await j.load(src, () => NOW);
    const [r1, r3] = ['restamp-slot:mc-1', 'restamp-slot:mc-3'].map((id) => plan.repairs.find((x) => x.id === id)!);
    // 02:17:59, before mc-4's create goes stale at 02:18: the load's plan is the judgment.
    counting(src);
    await j.apply(src, [r1], { now: () => at(4 + 59 / 60), by: 'op', edition: rules.edition });
    expect(plans).toHaveBeenCalledTimes(1);
    // Read again (the file is our write now), at 02:19: planned under the lock, then what was written.
    const again = await j.load(src, () => at(4 + 59 / 60));
    counting(src);
    const done = await j.apply(src, [again.plan.repairs.find((x) => x.id === r3.id)!], {
      now: () => at(6),
      by: 'op',
      edition: rules.edition,
    });
    expect(plans).toHaveBeenCalledTimes(2);
    expect(done.result.applied.map((x) => x.id)).toEqual([r3.id]);
    // The plan made then is of 02:19: mc-4's create is stale in it.
    expect(done.plan.repairs.map((x) => x.id)).toContain('rollback-stale-create:mc-4');
  });

  test('the patrol’s later plan of the same read is the judgment from then on', async () => {
    const src = storeFile();
    const j = (jobs = inProcessJobs());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    await j.plan(loaded.state, at(6), { edition: rules.edition }); // the patrol at 02:19, past 02:18
    counting(src);
    await j.apply(src, [r], { now: () => at(7), by: 'op', edition: rules.edition });
    expect(plans).toHaveBeenCalledTimes(1);
  });

  test('a second approval before the reload is judged by the first one’s write: neither parsed nor planned again', async () => {
    const { src, j, rules, r1, r3 } = await readStore();
    const first = await j.apply(src, [r1], { now: () => at(1), by: 'op', edition: rules.edition });
    const control = copyNow(src);
    const wholeParses = counting(src);
    const done = await j.apply(src, [r3], { now: () => at(2), by: 'op', edition: rules.edition });
    expect(done.result.applied.map((x) => x.id)).toEqual([r3.id]);
    // The one plan made is that of what was written: the judgment under the lock was the first write's plan.
    expect(plans).toHaveBeenCalledTimes(1);
    expect(wholeParses()).toBe(0);
    expect(done.result.state.beads[2]).toBe(first.result.state.beads[2]);
    await applyRepairsLocked(control, [r3], { now: at(2), by: 'op', edition: rules.edition });
    expect(readFileSync(src.path).equals(readFileSync(control.path))).toBe(true);
    const beads = JSON.parse(readFileSync(src.path, 'utf8')).beads;
    expect([beads[0].metadata.pool_slot, beads[1].metadata.pool_slot]).toEqual(['2', '3']);
  });

  test('a second approval whose time passed an instant at which the plan can change is planned again, not parsed', async () => {
    const { src, j, rules, r1, r3 } = await readStore();
    // The first at 02:17, before mc-4's create goes stale at 02:18; the second at 02:19.
    await j.apply(src, [r1], { now: () => at(4), by: 'op', edition: rules.edition });
    const wholeParses = counting(src);
    const done = await j.apply(src, [r3], { now: () => at(6), by: 'op', edition: rules.edition });
    expect(plans).toHaveBeenCalledTimes(2); // under the lock at 02:19, then what was written
    expect(wholeParses()).toBe(0);
    expect(done.result.applied.map((x) => x.id)).toEqual([r3.id]);
    expect(vi.mocked(engine.plan).mock.calls[0][1]).toEqual(at(6));
    expect(done.plan.repairs.map((x) => x.id)).toContain('rollback-stale-create:mc-4');
  });

  test('a second approval at a time the first one’s plan still holds is not planned again', async () => {
    const { src, j, rules, r1, r3 } = await readStore();
    await j.apply(src, [r1], { now: () => at(4), by: 'op', edition: rules.edition });
    counting(src);
    await j.apply(src, [r3], { now: () => at(4 + 59 / 60), by: 'op', edition: rules.edition }); // 02:17:59
    expect(plans).toHaveBeenCalledTimes(1);
  });

  test('a second approval after another writer changed the file meanwhile is read and judged afresh', async () => {
    const { src, j, rules, r1, r3 } = await readStore();
    await j.apply(src, [r1], { now: () => at(1), by: 'op', edition: rules.edition });
    const theirs = otherWriter(src, 'mc-3', '7');
    const wholeParses = counting(src);
    const done = await j.apply(src, [r3], { now: () => at(2), by: 'op', edition: rules.edition });
    expect(wholeParses()).toBe(1);
    expect(plans).toHaveBeenCalledTimes(2); // under the lock, then the file as found
    expect(done.result.applied).toEqual([]);
    expect(done.result.stale.map((s) => s.why)).toEqual(['metadata.pool_slot is now "7" (expected "5")']);
    expect(readFileSync(src.path).equals(theirs)).toBe(true);
  });

  test('rejections one after another, before and after the reload, search the file for a key named twice once', async () => {
    const { src, j, loaded, rules, r1, r3 } = await readStore();
    await settled();
    const size = readFileSync(src.path, 'utf8').length;
    const wholeParses = counting(src);
    const first = await j.decide(src, reject(r1), loaded.state, () => at(1), rules.edition);
    expect(wholeSearches(size)).toBe(1);
    expect(walks()).toBe(0); // the reader found the beads array: the text around it alone was walked
    // Before the reload: the first decision's write is the basis.
    const second = await j.decide(src, reject(r3), first.state, () => at(2), rules.edition);
    expect(second.stale).toBeNull();
    // After the reload (the watcher's): the reader knows the text it read again names no key twice.
    const again = await j.load(src, () => at(2));
    await settled();
    const reopened = await j.decide(src, { ...reject(r1), decision: 'reopened' }, again.loaded.state, () => at(3), again.rules.edition);
    expect(reopened.stale).toBeNull();
    expect(wholeSearches(size)).toBe(1);
    expect(walks()).toBe(0);
    expect(wholeParses()).toBe(0); // the reload too parsed only what changed (store-reread.ts)
    expect(plans).toHaveBeenCalledTimes(4); // each decision's plan after its lock, and the reload's
    const decided = JSON.parse(readFileSync(src.path, 'utf8')).decisions.map(
      (d: { repair: string; decision: string }) => d.decision + ' ' + d.repair,
    );
    expect(decided).toEqual([`rejected ${r1.id}`, `rejected ${r3.id}`, `reopened ${r1.id}`]);
  });
  test('a rejection is judged by the read and plan already made, and recorded', async () => {
    const src = storeFile();
    const j = (jobs = inProcessJobs());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    const wholeParses = counting(src);
    const done = await j.decide(src, reject(r), loaded.state, () => at(1), rules.edition);
    expect(done.stale).toBeNull();
    expect(plans).toHaveBeenCalledTimes(1); // the plan of the base with the decision, after the lock
    // Neither its check nor its write parsed the file: the write starts from the check's read (the console's).
    expect(wholeParses()).toBe(0);
    expect(JSON.parse(readFileSync(src.path, 'utf8')).decisions.map((d: { repair: string }) => d.repair)).toEqual([r.id]);
    expect(done.plan!.repairs.map((x) => x.id)).not.toContain(r.id);
  });
});

/** Whether the lock `lock` was free when the next plan was made (asked once it was): that plan runs as the real one. */
function freeAtNextPlan(lock: string): () => Promise<boolean> {
  const real = plans.getMockImplementation()!;
  let free: Promise<boolean> | null = null;
  plans.mockImplementationOnce((...args) => {
    // One try, no wait: this thread holding it (on another descriptor) is refused as another process would be.
    free = acquireFileLock(lock, { timeoutMs: 0 }).then(
      (release) => (release(), true),
      () => false,
    );
    return real(...args);
  });
  return () => free ?? Promise.reject(new Error('no plan was made'));
}

describe('an approval on this thread once the read is kept as its bytes, in a file of their own (kept-bytes.ts)', () => {
  // The store is small: kept in a file all the same (KEEP_IN_FILE_FROM), the path a large store takes.
  beforeAll(() => setKeepInFileFromForTests(0));
  afterAll(() => setKeepInFileFromForTests());

  test('a file unchanged is neither read nor planned again; one another writer changed by a byte is judged afresh', async () => {
    const { src, j, loaded, rules, r1, r3 } = await readStore();
    await KeptBytes.settled();
    const wholeParses = counting(src);
    const done = await j.apply(src, [r1], { now: () => at(1), by: 'op', edition: rules.edition });
    expect(done.result.applied.map((x) => x.id)).toEqual([r1.id]);
    expect(wholeParses()).toBe(0);
    expect(plans).toHaveBeenCalledTimes(1);
    expect(done.result.state.beads[1]).toBe(loaded.state.beads[1]);
    // Read again, kept in its file; then mc-3's slot "5" made "6" by another writer: the same length, one byte changed.
    const again = await j.load(src, () => at(1));
    await KeptBytes.settled();
    const before = readFileSync(src.path);
    const theirs = otherWriter(src, 'mc-3', '6');
    expect(theirs.length).toBe(before.length);
    const stale = await j.apply(src, [again.plan.repairs.find((x) => x.id === r3.id)!], {
      now: () => at(2),
      by: 'op',
      edition: rules.edition,
    });
    expect(stale.result.applied).toEqual([]);
    expect(stale.result.stale.map((x) => x.why)).toEqual(['metadata.pool_slot is now "6" (expected "5")']);
    expect(readFileSync(src.path).equals(theirs)).toBe(true);
  });
});

describe('on this thread, the lock of a write is released once the file is written', () => {
  test('an approval’s and a rejection’s plan of what was written are made without the lock', async () => {
    const { src, j, rules, r1, r3 } = await readStore();
    counting(src);
    const approvalFree = freeAtNextPlan(lockPathOf(src)); // the one plan made: of what was written
    const done = await j.apply(src, [r1], { now: () => at(1), by: 'op', edition: rules.edition });
    expect(plans).toHaveBeenCalledTimes(1);
    expect(await approvalFree()).toBe(true);
    counting(src);
    const rejectionFree = freeAtNextPlan(decisionLockPath(src)); // its check judged by the approval's plan: the base's
    const decided = await j.decide(src, reject(r3), done.result.state, () => at(2), rules.edition);
    expect(decided.stale).toBeNull();
    expect(plans).toHaveBeenCalledTimes(1);
    expect(await rejectionFree()).toBe(true);
  });

  test('a decision written whole (its text a string) is the next decision’s basis: that one parses nothing', async () => {
    const { src, j, loaded, rules, r1, r3 } = await readStore();
    await settled();
    // Neither splice takes the file: the decision is written whole, from a string.
    vi.mocked(spliceBeads.spliceAroundBeads).mockReturnValueOnce(null);
    vi.mocked(spliceBeads.spliceDocumentBytes).mockReturnValueOnce(null);
    const first = await j.decide(src, reject(r1), loaded.state, () => at(1), rules.edition);
    expect(vi.mocked(spliceBeads.spliceDocumentBytes).mock.results[0].value).toBeNull();
    const control = copyNow(src);
    const wholeParses = counting(src);
    const second = await j.decide(src, reject(r3), first.state, () => at(2), rules.edition);
    expect(second.stale).toBeNull();
    expect(wholeParses()).toBe(0);
    expect(plans).toHaveBeenCalledTimes(1); // the base's with the decision; the check judged by the first one's plan
    await recordDecision(control, { ...reject(r3), at: formatZ(at(2)) });
    expect(readFileSync(src.path).equals(readFileSync(control.path))).toBe(true);
  });
});

describe.each(BOTH_SIDES)('%s, another writer changed the file after the console read it', (side, make) => {
  // A city's beads file (the console keeps only a digest of its bytes) is judged afresh the same way.
  test.each(INPUTS)(
    'an approval whose before no longer holds is refused, and the other writer’s file stays as it wrote it (%s)',
    async (_, input) => {
      const { src, file, other } = input();
      const j = (jobs = make());
      const { plan, rules } = await j.load(src, () => NOW);
      const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
      const theirs = other('mc-1', '6');
      const done = await j.apply(src, [r], { now: () => at(1), by: 'op', edition: rules.edition });
      expect(done.result.applied).toEqual([]);
      expect(done.result.stale.map((s) => s.why)).toEqual(['metadata.pool_slot is now "6" (expected "4")']);
      expect(readFileSync(file).equals(theirs)).toBe(true);
      expect(readAudit(src).map((e) => e.result)).toEqual(['stale']);
    },
  );

  test.each(INPUTS)(
    'an approval of another bead is applied to their file, as a fresh write makes it: their change is kept (%s)',
    async (_, input) => {
      const { src, file, other, copy } = input();
      const j = (jobs = make());
      const { plan, rules } = await j.load(src, () => NOW);
      const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
      other('mc-3', '3');
      const control = copy();
      const wholeParses = counting({ path: file });
      const done = await j.apply(src, [r], { now: () => at(1), by: 'op', edition: rules.edition });
      expect(done.result.applied.map((x) => x.id)).toEqual([r.id]);
      if (side === 'on this thread') {
        expect(wholeParses()).toBe(1); // judged afresh: parsed and planned under the lock
        expect(plans).toHaveBeenCalledTimes(2);
      }
      const beads = JSON.parse(readFileSync(file, 'utf8')).beads;
      expect([beads[0].metadata.pool_slot, beads[1].metadata.pool_slot]).toEqual(['2', '3']);
      await applyRepairsLocked(control.src, [r], { now: at(1), by: 'op', edition: rules.edition });
      expect(readFileSync(file).equals(readFileSync(control.file))).toBe(true);
      // What the console gets back is the file as written: their change is in it, and no longer proposed.
      expect(done.result.state.beads[1].metadata!.pool_slot).toBe('3');
      expect(done.plan.repairs.map((x) => x.id)).not.toContain('restamp-slot:mc-3');
    },
  );

  test('a rejection whose before no longer holds is not recorded, and the console gets the file as read and its plan', async () => {
    const src = storeFile();
    const j = (jobs = make());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    const theirs = otherWriter(src, 'mc-1', '6');
    const done = await j.decide(src, reject(r), loaded.state, () => at(1), rules.edition);
    expect(done.stale?.why).toBe('metadata.pool_slot is now "6" (expected "4")');
    expect(done.state!.beads[0].metadata!.pool_slot).toBe('6');
    expect(done.plan!.repairs.find((x) => x.id === r.id)!.changes).toEqual([{ field: 'metadata.pool_slot', before: '6', after: '2' }]);
    expect(readFileSync(src.path).equals(theirs)).toBe(true);
  });

  test('a reopen after another bead changed is recorded, their change kept', async () => {
    const src = storeFile();
    const j = (jobs = make());
    const first = await j.load(src, () => NOW);
    const r = first.plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    await j.decide(src, reject(r), first.loaded.state, () => at(1), first.rules.edition);
    const { loaded, rules } = await j.load(src, () => at(1));
    otherWriter(src, 'mc-3', '3');
    const done = await j.decide(src, { ...reject(r), decision: 'reopened' }, loaded.state, () => at(2), rules.edition);
    expect(done.stale).toBeNull();
    const doc = JSON.parse(readFileSync(src.path, 'utf8'));
    expect(doc.decisions.map((d: { decision: string }) => d.decision)).toEqual(['rejected', 'reopened']);
    expect(doc.beads[1].metadata.pool_slot).toBe('3');
  });

  test('a rejection on a file whose unchanged bead names a key twice is still refused, and nothing is written', async () => {
    const src = storeFile();
    // The console reads it (the last "title" wins); the decision's write, made from what was parsed, would lose one.
    const text = readFileSync(src.path, 'utf8').replace('"title": "worker-1",', '"title": "worker-1",\n      "title": "again",');
    writeFileSync(src.path, text);
    const j = (jobs = make());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    await expect(j.decide(src, reject(r), loaded.state, () => at(1), rules.edition)).rejects.toThrow(
      /the key "title" appears twice in one object/,
    );
    expect(readFileSync(src.path, 'utf8')).toBe(text);
  });
});

/** How a store file is laid out: indent, line ends, and a byte order mark or none. */
interface Layout {
  indent: string;
  eol: '\n' | '\r\n';
  bom: boolean;
  /** Sealed (Gas City's revisions kept): an approval bumps them, so its write walks the text around the beads too. */
  sealed?: boolean;
}
const LAYOUTS: [string, Layout][] = [
  ['two-space indent and LF line ends', { indent: '  ', eol: '\n', bom: false }],
  ['a UTF-8 byte order mark, CRLF line ends and tab indent', { indent: '\t', eol: '\r\n', bom: true }],
];
/** More beads than the worker packs in one slice (chunked-clone.ts SLICE): only such a collection is memo'd and adopted. */
const FILLERS = 1500;

function laidOut(doc: unknown, { indent, eol, bom }: Layout): string {
  return (bom ? '\ufeff' : '') + JSON.stringify(doc, null, indent).replace(/\n/g, eol) + eol;
}

/** storeText's store with FILLERS closed work beads after its own, in `layout`. */
function bigStoreFile(layout: Layout): Source & { kind: 'store' } {
  const doc = JSON.parse(storeText());
  for (let i = 0; i < FILLERS; i++) doc.beads.push(work(`wk-${i}`, { status: 'closed' }));
  if (layout.sealed) Object.assign(doc, { revisions: { 'mc-1': 4 }, revisions_sealed: true });
  const path = join(tempDir('gc-tui-basis-'), 'store.json');
  writeFileSync(path, laidOut(doc, layout));
  return { kind: 'store', path };
}

/** Another writer retitles the first work bead, rewriting the whole file in its layout: every bead after it moves. */
function retitle(src: Source & { kind: 'store' }, layout: Layout): void {
  const doc = JSON.parse(readFileSync(src.path, 'utf8').replace(/^\ufeff/, ''));
  doc.beads[4].title = 'work wk-0, retitled by another writer';
  writeFileSync(src.path, laidOut(doc, layout));
}

/** A copy of the store file as it is now, beside it: what a write reading the file afresh starts from. */
function copyNow(src: Source & { kind: 'store' }): Source & { kind: 'store' } {
  const control = { kind: 'store' as const, path: join(tempDir('gc-tui-basis-'), 'store.json') };
  copyFileSync(src.path, control.path);
  return control;
}

// In the worker the console's last read is also what its reply was packed from, against the memo of what was sent
// before: the packer swaps each bead equal to one sent before for that one, in the read's own beads array, which is
// the kept document's the write splices from. Read twice, with another writer between, so the memo has beads to adopt.
describe.each(BOTH_SIDES)('%s, read twice and unchanged since, in each layout', (side, make) => {
  async function readTwice(layout: Layout) {
    const src = bigStoreFile(layout);
    const j = (jobs = make());
    await j.load(src, () => NOW);
    retitle(src, layout);
    const second = await j.load(src, () => at(1));
    expect(second.loaded.state.beads[4].title).toBe('work wk-0, retitled by another writer');
    const r = second.plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    return { src, j, ...second, r, before: readFileSync(src.path) };
  }

  test.each(LAYOUTS)('an approval writes the bytes and audit line a write reading the file afresh writes (%s)', async (_, layout) => {
    const { src, j, rules, r, before } = await readTwice(layout);
    const control = copyNow(src);
    const wholeParses = counting(src);
    const done = await j.apply(src, [r], { now: () => at(2), by: 'op', edition: rules.edition });
    expect(done.result.applied.map((x) => x.id)).toEqual([r.id]);
    // On this thread the reuse is seen: nothing parsed (the worker parses in its own module graph, uncounted here).
    if (side === 'on this thread') expect(wholeParses()).toBe(0);
    await applyRepairsLocked(control, [r], { now: at(2), by: 'op', edition: rules.edition });
    const written = readFileSync(src.path);
    expect(written.equals(before)).toBe(false);
    expect(written.toString('utf8')).toBe(readFileSync(control.path, 'utf8'));
    expect(written.equals(readFileSync(control.path))).toBe(true);
    expect(written.subarray(0, 3).equals(before.subarray(0, 3))).toBe(true); // the byte order mark kept, or none made
    expect(readAudit(src)).toEqual(readAudit(control));
    expect(readAudit(src).map((e) => e.result)).toEqual(['applied']);
  });

  test.each(LAYOUTS)('a rejection writes the bytes a decision reading the file afresh writes (%s)', async (_, layout) => {
    const { src, j, loaded, rules, r, before } = await readTwice(layout);
    const control = copyNow(src);
    const wholeParses = counting(src);
    const done = await j.decide(src, reject(r), loaded.state, () => at(2), rules.edition);
    expect(done.stale).toBeNull();
    if (side === 'on this thread') expect(wholeParses()).toBe(0);
    await recordDecision(control, { ...reject(r), at: formatZ(at(2)) });
    const written = readFileSync(src.path);
    expect(written.equals(before)).toBe(false);
    expect(written.toString('utf8')).toBe(readFileSync(control.path, 'utf8'));
    expect(written.equals(readFileSync(control.path))).toBe(true);
  });
});

// Two writes one after the other, before the watcher's reload: the second one's basis is the first one's write (its bytes,
// document, state and plan), which must make the bytes a write reading the file afresh makes.
type Step = 'approve' | 'reject';
const STEPS: [Step, Step][] = [
  ['approve', 'approve'],
  ['approve', 'reject'],
  ['reject', 'reject'],
  ['reject', 'approve'],
];
const WRITE_LAYOUTS: [string, Layout][] = [
  ...LAYOUTS,
  ['a sealed file, two-space indent', { indent: '  ', eol: '\n', bom: false, sealed: true }],
];
describe.each(BOTH_SIDES)('%s, two writes before the reload, in each layout', (side, make) => {
  test.each(WRITE_LAYOUTS.flatMap(([name, layout]) => STEPS.map(([a, b]) => [`${a} then ${b}, ${name}`, a, b, layout] as const)))(
    '%s: the second writes the bytes a write reading the file afresh writes',
    async (_, a, b, layout) => {
      const src = bigStoreFile(layout);
      const j = (jobs = make());
      const { loaded, plan, rules } = await j.load(src, () => NOW);
      await settled();
      const [r1, r3] = ['restamp-slot:mc-1', 'restamp-slot:mc-3'].map((id) => plan.repairs.find((x) => x.id === id)!);
      const step = async (s: Step, r: engine.Repair, m: number, base: engine.State | null) =>
        s === 'approve'
          ? (await j.apply(src, [r], { now: () => at(m), by: 'op', edition: rules.edition })).result.state
          : (await j.decide(src, reject(r), base, () => at(m), rules.edition)).state;
      const state = await step(a, r1, 1, loaded.state);
      const control = copyNow(src);
      counting(src);
      await step(b, r3, 2, state);
      // A rejection after either walks only the text around the beads: the first write said where they are.
      if (side === 'on this thread' && b === 'reject') expect(walks()).toBe(0);
      if (b === 'approve') await applyRepairsLocked(control, [r3], { now: at(2), by: 'op', edition: rules.edition });
      else await recordDecision(control, { ...reject(r3), at: formatZ(at(2)) });
      const written = readFileSync(src.path);
      expect(written.toString('utf8')).toBe(readFileSync(control.path, 'utf8'));
      expect(written.equals(readFileSync(control.path))).toBe(true);
      const doc = JSON.parse(written.toString('utf8').replace(/^\ufeff/, ''));
      expect(doc.beads.length).toBe(4 + FILLERS);
      expect(doc.decisions.length).toBe([a, b].filter((x) => x === 'reject').length);
    },
  );
});

describe.each(BOTH_SIDES)('%s, another writer names a key twice after a rejection and the reload', (_, make) => {
  test.each([
    ['in a bead', (t: string) => t.replace('"title": "worker-1",', '"title": "worker-1",\n      "title": "again",')],
    ['in the text around the beads', (t: string) => t.replace('"keep": 1', '"keep": 1, "keep": 2')],
  ])('the next rejection is refused (%s), and nothing is written', async (_, twice) => {
    const { src, j, loaded, rules, r1, r3 } = await readStore(make);
    await settled();
    await j.decide(src, reject(r1), loaded.state, () => at(1), rules.edition); // the whole text searched: none
    const text = twice(readFileSync(src.path, 'utf8'));
    writeFileSync(src.path, text);
    const again = await j.load(src, () => at(1));
    await settled();
    await expect(j.decide(src, reject(r3), again.loaded.state, () => at(2), again.rules.edition)).rejects.toThrow(
      /the key "(title|keep)" appears twice/,
    );
    expect(readFileSync(src.path, 'utf8')).toBe(text);
  });
});

// A city gc-tui writes itself (city.toml, .gc/beads.json, and its own .gc/gc-tui/decisions.json): the console keeps no
// copy of the beads file's bytes, only their SHA-256 and what they parsed to; under the lock the bytes are hashed and
// city.toml and the decisions read again, and when all are as read, the file is neither parsed nor planned again.
const CITY_TOML = '[workspace]\nname = "basis-city"\n\n[beads]\nprovider = "file"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 6\n';

function cityDir(spell: (text: string) => string = (t) => t): Source & { kind: 'city' } {
  const dir = tempDir('gc-tui-basis-city-');
  writeFileSync(join(dir, 'city.toml'), CITY_TOML);
  const { beads } = JSON.parse(storeText());
  write(join(dir, '.gc', 'beads.json'), spell(JSON.stringify({ seq: 9, beads }, null, 2) + '\n'));
  return { kind: 'city', dir };
}

/**
 * mc-1 and mc-3 (both repaired) holding what a read keeps apart from what JSON.parse makes of it: bd-written metadata
 * (numbers spelled as JavaScript does not, an object, a big integer), and numbers and an object in an unknown field.
 */
const unusual = (text: string) =>
  text
    .replace('"pool_slot": "4",', '"pool_slot": "4", "weight": 1.0, "nested": {"a": 1.50, "b": [-0, 1e2]}, "big": 12345678901234567890,')
    .replace('"pool_slot": "5",', '"pool_slot": "5", "attached": false, "none": null,')
    .replace('"id": "mc-3",', '"id": "mc-3", "extra": {"score": 2.50, "list": [1.0, -0]}, "huge": 98765432109876543210,');

function beadsOf(src: { dir: string }) {
  return { path: join(src.dir, '.gc', 'beads.json') };
}

/** A copy of the city as it is now (its configuration, beads and decisions): what a write reading it afresh starts from. */
function copyCity(src: Source & { kind: 'city' }): Source & { kind: 'city' } {
  const dir = tempDir('gc-tui-basis-city-');
  for (const f of ['city.toml', '.gc/beads.json', '.gc/gc-tui/decisions.json'])
    if (existsSync(join(src.dir, f))) write(join(dir, f), readFileSync(join(src.dir, f)));
  return { kind: 'city', dir };
}

/** Another writer sets `slot` on bead `id` of the city's beads file (rewritten whole, as Gas City does). */
function otherCityWriter(src: { dir: string }, id: string, slot: string): Buffer {
  const file = beadsOf(src).path;
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.beads.find((b: { id: string }) => b.id === id).metadata.pool_slot = slot;
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  return readFileSync(file);
}

describe('a city approval on this thread, the city unchanged since the console read it', () => {
  test('writes exactly the beads file and audit line a write reading the city afresh writes, neither parsed nor planned again', async () => {
    const src = cityDir();
    const control = copyCity(src);
    const j = (jobs = inProcessJobs());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    const wholeParses = counting(beadsOf(src));
    const done = await j.apply(src, [r], { now: () => at(2), by: 'op', edition: rules.edition });
    expect(done.result.applied.map((x) => x.id)).toEqual([r.id]);
    expect(plans).toHaveBeenCalledTimes(1); // what was written; the judgment under the lock was the load's plan
    expect(wholeParses()).toBe(0);
    expect(done.result.state.beads[1]).toBe(loaded.state.beads[1]);
    await applyRepairsLocked(control, [r], { now: at(2), by: 'op', edition: rules.edition });
    const written = readFileSync(beadsOf(src).path);
    expect(written.equals(readFileSync(beadsOf(control).path))).toBe(true);
    expect(JSON.parse(written.toString('utf8')).beads[0].metadata.pool_slot).toBe('2');
    expect(readAudit(src)).toEqual(readAudit(control));
    expect(readAudit(src).map((e) => e.result)).toEqual(['applied']);
  });

  test('a rejection is judged by the read and plan already made, and recorded', async () => {
    const src = cityDir();
    const j = (jobs = inProcessJobs());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    const wholeParses = counting(beadsOf(src));
    const done = await j.decide(src, reject(r), loaded.state, () => at(1), rules.edition);
    expect(done.stale).toBeNull();
    expect(plans).toHaveBeenCalledTimes(1); // the plan of the base with the decision, after the lock
    expect(wholeParses()).toBe(0);
    const recorded = JSON.parse(readFileSync(join(src.dir, '.gc', 'gc-tui', 'decisions.json'), 'utf8'));
    expect(recorded.map((d: { repair: string }) => d.repair)).toEqual([r.id]);
    expect(done.plan!.repairs.map((x) => x.id)).not.toContain(r.id);
  });

  test('after a rejection, the next rejection and approval are judged by the same read and plan: the beads file is not parsed again', async () => {
    const src = cityDir();
    const control = copyCity(src);
    const j = (jobs = inProcessJobs());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const [r1, r3] = ['restamp-slot:mc-1', 'restamp-slot:mc-3'].map((id) => plan.repairs.find((x) => x.id === id)!);
    const first = await j.decide(src, reject(r1), loaded.state, () => at(1), rules.edition);
    const wholeParses = counting(beadsOf(src));
    const second = await j.decide(src, { ...reject(r1), decision: 'reopened' }, first.state, () => at(2), rules.edition);
    expect(second.stale).toBeNull();
    expect(plans).toHaveBeenCalledTimes(1); // the base's with the decisions, after the lock: the check's was the first one's
    const done = await j.apply(src, [r3], { now: () => at(3), by: 'op', edition: rules.edition });
    expect(done.result.applied.map((x) => x.id)).toEqual([r3.id]);
    expect(wholeParses()).toBe(0);
    expect(plans).toHaveBeenCalledTimes(2); // and what was written
    // The same files a city read afresh gets.
    await recordDecision(control, { ...reject(r1), at: formatZ(at(1)) });
    await recordDecision(control, { ...reject(r1), decision: 'reopened', at: formatZ(at(2)) });
    await applyRepairsLocked(control, [r3], { now: at(3), by: 'op', edition: rules.edition });
    expect(readFileSync(beadsOf(src).path).equals(readFileSync(beadsOf(control).path))).toBe(true);
    const decisions = (dir: string) => readFileSync(join(dir, '.gc', 'gc-tui', 'decisions.json'), 'utf8');
    expect(decisions(src.dir)).toBe(decisions(control.dir));
  });

  test('a rejection then another operator’s decision: the next write reads the decisions again and judges by them', async () => {
    const src = cityDir();
    const j = (jobs = inProcessJobs());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const [r1, r3] = ['restamp-slot:mc-1', 'restamp-slot:mc-3'].map((id) => plan.repairs.find((x) => x.id === id)!);
    await j.decide(src, reject(r1), loaded.state, () => at(1), rules.edition);
    await recordDecision(src, { ...reject(r3), by: 'other', at: formatZ(at(1.5)) });
    const before = readFileSync(beadsOf(src).path);
    const done = await j.apply(src, [r3], { now: () => at(2), by: 'op', edition: rules.edition });
    expect(done.result.applied).toEqual([]);
    expect(done.result.stale.map((s) => s.why)).toEqual([rejectedMeanwhile(at(1.5))]);
    expect(readFileSync(beadsOf(src).path).equals(before)).toBe(true);
  });

  test('a city read from a --beads capture is no basis: a decision on it reads and plans afresh', async () => {
    const src = cityDir();
    const capture = write(join(tempDir('gc-tui-basis-'), 'capture.json'), JSON.stringify(JSON.parse(storeText()).beads));
    const captured: Source = { kind: 'city', dir: src.dir, beads: [capture] };
    const j = (jobs = inProcessJobs());
    const { loaded, plan, rules } = await j.load(captured, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    counting(beadsOf(src));
    await expect(j.apply(captured, [r], { now: () => at(1), by: 'op', edition: rules.edition })).rejects.toThrow(/a capture/);
    const done = await j.decide(captured, reject(r), loaded.state, () => at(1), rules.edition);
    expect(done.stale).toBeNull();
    expect(plans).toHaveBeenCalledTimes(2); // the check's own plan, then the base's
  });
});

// What an approval wrote to a city is the next basis, as the city's read was, when it is provably what a read of the
// bytes written gives (write.ts CityWritten; checked against real reads in test/store/city-write-kept.test.ts).
describe.each(BOTH_SIDES)('%s, after a city approval', (side, make) => {
  test('the next rejection, reopening and approval are judged by what it wrote, not parsed again, and write what writes reading the city afresh write', async () => {
    const src = cityDir(unusual);
    const control = copyCity(src);
    const j = (jobs = make());
    const { plan, rules } = await j.load(src, () => NOW);
    const [r1, r3] = ['restamp-slot:mc-1', 'restamp-slot:mc-3'].map((id) => plan.repairs.find((x) => x.id === id)!);
    const first = await j.apply(src, [r1], { now: () => at(1), by: 'op', edition: rules.edition });
    expect(first.result.applied.map((x) => x.id)).toEqual([r1.id]);
    // What `y` shows after it: the metadata as the file stores it now, as a read of the city has it.
    const reread = await loadSource(src);
    expect(first.result.state.storedMetadata).toStrictEqual(reread.state.storedMetadata);
    expect(first.result.state.storedMetadata?.['mc-1']).toMatchObject({ weight: '1.0', big: '12345678901234567890' });
    const wholeParses = counting(beadsOf(src));
    const rejected = await j.decide(src, reject(r3), first.result.state, () => at(2), rules.edition);
    expect(rejected.stale).toBeNull();
    const reopened = await j.decide(src, { ...reject(r3), decision: 'reopened' }, rejected.state, () => at(3), rules.edition);
    expect(reopened.stale).toBeNull();
    const second = await j.apply(src, [r3], { now: () => at(4), by: 'op', edition: rules.edition });
    expect(second.result.applied.map((x) => x.id)).toEqual([r3.id]);
    if (side === 'on this thread') {
      expect(wholeParses()).toBe(0);
      // The plans of the base with each decision, and of what was written; every judgment under a lock was one made before.
      expect(plans).toHaveBeenCalledTimes(3);
    }
    // The same files as writes reading the city afresh each time.
    await applyRepairsLocked(control, [r1], { now: at(1), by: 'op', edition: rules.edition });
    await recordDecision(control, { ...reject(r3), at: formatZ(at(2)) });
    await recordDecision(control, { ...reject(r3), decision: 'reopened', at: formatZ(at(3)) });
    await applyRepairsLocked(control, [r3], { now: at(4), by: 'op', edition: rules.edition });
    const written = readFileSync(beadsOf(src).path, 'utf8');
    expect(written).toBe(readFileSync(beadsOf(control).path, 'utf8'));
    expect(written).toContain('"weight": 1.0, "nested": {"a": 1.50, "b": [-0, 1e2]}');
    const decisions = (dir: string) => readFileSync(join(dir, '.gc', 'gc-tui', 'decisions.json'), 'utf8');
    expect(decisions(src.dir)).toBe(decisions(control.dir));
    expect(readAudit(src)).toEqual(readAudit(control));
  });

  test('another writer’s change after the approval is read and judged afresh', async () => {
    const src = cityDir(unusual);
    const j = (jobs = make());
    const { plan, rules } = await j.load(src, () => NOW);
    const [r1, r3] = ['restamp-slot:mc-1', 'restamp-slot:mc-3'].map((id) => plan.repairs.find((x) => x.id === id)!);
    await j.apply(src, [r1], { now: () => at(1), by: 'op', edition: rules.edition });
    const before = otherCityWriter(src, 'mc-3', '3');
    const done = await j.apply(src, [r3], { now: () => at(2), by: 'op', edition: rules.edition });
    expect(done.result.applied).toEqual([]);
    expect(done.result.stale.map((s) => s.why)).toEqual(['metadata.pool_slot is now "3" (expected "5")']);
    expect(readFileSync(beadsOf(src).path).equals(before)).toBe(true);
  });
});

/** Why an approval of a repair `other` rejected at `when`, after it was planned, writes nothing (write.ts stalenessOf). */
const rejectedMeanwhile = (when: Date) =>
  `rejected by other at ${formatZ(when)} since it was planned: withheld while its changes stay the same`;

describe.each(BOTH_SIDES)('%s, another writer changed the city after the console read it', (_, make) => {
  test('an approval another operator rejected meanwhile (decisions.json) is refused and nothing is written', async () => {
    const src = cityDir();
    const j = (jobs = make());
    const { plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    const before = readFileSync(beadsOf(src).path);
    await recordDecision(src, { ...reject(r), by: 'other', at: formatZ(at(0.5)) });
    const done = await j.apply(src, [r], { now: () => at(1), by: 'op', edition: rules.edition });
    expect(done.result.applied).toEqual([]);
    expect(done.result.stale.map((s) => s.why)).toEqual([rejectedMeanwhile(at(0.5))]);
    expect(readFileSync(beadsOf(src).path).equals(before)).toBe(true);
  });

  test('a rejection after city.toml changed is judged by the new configuration, and not recorded when it no longer holds', async () => {
    const src = cityDir();
    const j = (jobs = make());
    const { loaded, plan, rules } = await j.load(src, () => NOW);
    const r = plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    // The pool is renamed: nothing of it is proposed for worker beads any more.
    writeFileSync(join(src.dir, 'city.toml'), CITY_TOML.replace('name = "worker"', 'name = "builder"'));
    const done = await j.decide(src, reject(r), loaded.state, () => at(1), rules.edition);
    expect(done.stale).not.toBeNull();
    expect(done.state!.city.agents.map((a) => a.name)).toEqual(['builder']);
    expect(existsSync(join(src.dir, '.gc', 'gc-tui', 'decisions.json'))).toBe(false);
  });
});

// As for a store file: in the worker the read's beads are swapped for equal ones sent before (the packer's memo), and
// for a city they are the parsed file's own beads (or, where Gas City reads a value otherwise, their decoded copies).
describe.each(BOTH_SIDES)('%s, a city read twice and unchanged since', (side, make) => {
  test.each([
    ['only strings in its metadata', false],
    ['a number stored in a metadata value (decoded for the engine)', true],
  ])('an approval writes the beads file a write reading the city afresh writes (%s)', async (_, numeric) => {
    const src = cityDir();
    const file = beadsOf(src).path;
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    for (let i = 0; i < FILLERS; i++) doc.beads.push(work(`wk-${i}`, { status: 'closed' }));
    const text = JSON.stringify(doc, null, '\t') + '\n';
    writeFileSync(file, numeric ? text.replace('"pool_slot": "1"', '"pool_slot": "1",\n\t\t\t\t"weight": 1.50') : text);
    const j = (jobs = make());
    await j.load(src, () => NOW);
    const again = JSON.parse(readFileSync(file, 'utf8'));
    again.beads[4].title = 'work wk-0, retitled by another writer';
    const retitled = JSON.stringify(again, null, '\t') + '\n';
    writeFileSync(file, numeric ? retitled.replace('"weight": 1.5', '"weight": 1.50') : retitled);
    const second = await j.load(src, () => at(1));
    expect(second.loaded.state.beads[4].title).toBe('work wk-0, retitled by another writer');
    const r = second.plan.repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
    const control = copyCity(src);
    const wholeParses = counting(beadsOf(src));
    const done = await j.apply(src, [r], { now: () => at(2), by: 'op', edition: second.rules.edition });
    expect(done.result.applied.map((x) => x.id)).toEqual([r.id]);
    if (side === 'on this thread') expect(wholeParses()).toBe(0);
    await applyRepairsLocked(control, [r], { now: at(2), by: 'op', edition: second.rules.edition });
    const written = readFileSync(file);
    expect(written.toString('utf8')).toBe(readFileSync(beadsOf(control).path, 'utf8'));
    expect(written.toString('utf8')).toContain(numeric ? '"weight": 1.50' : '"pool_slot": "2"');
    expect(readAudit(src)).toEqual(readAudit(control));
  });
});
