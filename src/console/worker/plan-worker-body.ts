// The plan worker's work (plan-worker.ts is its entry): it reads, plans and writes for the console (see
// worker-client.ts), so the console's own thread only handles keys and draws. Requests run one at a time,
// in order, with the store's own functions (jobs.ts). Writes arrive with their flock already held by the
// console's thread; this thread never loads fs-ext (see lock.ts).
import { statSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { State } from '../../engine/types.js';
import { packer, PackMemo, SLICE, unpackSync, type PackedPart, type Packer } from './chunked-clone.js';
import { inProcessJobs } from '../jobs.js';
import { plan as planState, type DetectedEdition } from '../../engine/index.js';
import { keptDetailParts, planPrinter } from './plan-print.js';
import { detailForms } from './bead-info-slim.js';
import { sendablePlan } from './slot-places.js';
import type {
  CollectedBeforeRead,
  CollectedWhenIdle,
  HeldForDrawn,
  StateRef,
  ToWorker,
  WarmedUp,
  WorkerReply,
  WorkerRequest,
} from './worker-protocol.js';
import type { Loaded, Source } from '../../store/types.js';
import type { Glance } from '../glance.js';
import { KeptBytes, keptInFile } from '../../store/formats/kept-bytes.js';
import { compactionSteps, growthCollector } from './heap-steps.js';
import { compactingCollection, fullCollection as gcFunction } from '../full-collection.js';
import { lowerThisThread } from './thread-priority.js';
import { refreshWarmUp } from './refresh-warm-up.js';
import { LentArrays } from './lent-arrays.js';

/**
 * States this worker produced, by id, so a re-plan need not send 100 000 beads back: the newest two, a console's own
 * and the one a request in flight may still name (an older one is answered `missing`, and the console sends it packed).
 * Each holds its list of beads (those a read did not change are shared): at 100 000 beads 0.8 MB a state, which four
 * held through each change's read, plan and packing (docs/speed.md).
 */
const KEEP = 2;
const states = new Map<number, State>();
let nextStateId = 1;

function keep(state: State): number {
  const id = nextStateId++;
  states.set(id, state);
  while (states.size > KEEP) states.delete(states.keys().next().value!);
  return id;
}

class Missing extends Error {}

function resolveState(ref: StateRef): State {
  if ('packed' in ref) return unpackSync<State>(ref.packed);
  const s = states.get(ref.ref);
  if (!s) throw new Missing();
  return s;
}

const jobs = inProcessJobs();

/** Each console's memo of what it was last sent (chunked-clone.ts), for the few most recent consoles. */
const KEEP_MEMOS = 8;
const memos = new Map<number, PackMemo>();

function memoOf(req: WorkerRequest): PackMemo {
  if (req.fresh) memos.delete(req.client);
  let m = memos.get(req.client);
  if (!m) m = new PackMemo();
  else memos.delete(req.client);
  memos.set(req.client, m); // the most recent last
  while (memos.size > KEEP_MEMOS) memos.delete(memos.keys().next().value!);
  return m;
}

function post(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(reply, transfer);
}

async function run(req: WorkerRequest): Promise<void> {
  // The typed columns of the plan a read or re-plan makes, freed once its reply is packed: nothing here reads the plan
  // after that (the reply is packed whole before postPacked returns; the write basis keeps only its repairs and
  // rejections, jobs.ts judgmentOf; the memo its prints and the open places, which the engine makes apart).
  const arrays = new LentArrays();
  try {
    await answer(req, arrays);
  } finally {
    arrays.release();
  }
}

async function answer(req: WorkerRequest, arrays: LentArrays): Promise<void> {
  const progress = (stage: 'reading' | 'planning' | 'receiving') => post({ id: req.id, progress: stage });
  const packing = packerFor(req);
  const reply = (value: unknown, stateId?: number) => postPacked(req, packing, value, stateId);
  switch (req.op) {
    case 'load': {
      // The console's clock when it asked (its clock may be fixed: tests); in-process it is read after the
      // read, a few hundred milliseconds later at most, which no rule of the engine can tell apart.
      // A console that shows a first look gets it as soon as the plan is made, and the state after it: packed ahead
      // of the plan, the state would hold the first look back by the time it takes to pack. Otherwise what was read
      // goes to the console while it is planned, and the console unpacks the beads meanwhile.
      // From the first look on, the console's keys and frames go first (thread-priority.ts); for a console that asked
      // for none, from the read's reply on.
      const glance = req.glance
        ? (g: Glance) => {
            lowerThisThread();
            post({ id: req.id, glance: g });
          }
        : undefined;
      const read = glance ? undefined : (loaded: Loaded) => packing.ahead(loaded, ['loaded']);
      if (warmed) beforeBigRefresh(req.source);
      const r = await jobs.load(req.source, () => new Date(req.now), { progress, rules: req.rules, read, glance, arrays });
      lowerThisThread();
      // The first read's parse and plan leave this thread's heap at its fullest, and the text read is let go by now
      // (jobs.ts Reads.released): collected before the reply is packed, they are not still held while the console
      // unpacks it, the launch's highest memory (at 100 000 beads, with the kept bytes and the young generation of
      // channel.ts, the console's peak about 70 MiB lower: docs/speed.md). About 0.1 s of this thread, once, after the
      // first look is sent.
      if (!warmed) {
        await KeptBytes.settled(); // the read's bytes in their file by now (written on the thread pool) and let go
        if (req.glance && req.untilDrawn && bigRead(r.loaded.files)) await untilDrawn(req.client);
        collect();
      }
      remember(req.source, r.loaded.files);
      const state = r.loaded.state;
      reply({ ...r, plan: sendablePlan(r.plan) }, keep(state));
      if (!warmed) afterFirstReply(state, new Date(req.now), r.rules);
      return;
    }
    case 'plan': {
      const p = await jobs.plan(resolveState(req.state), new Date(req.now), { progress, edition: req.edition, arrays });
      return reply(sendablePlan(p));
    }
    case 'apply': {
      // The console's thread holds the lock (flock belongs to the open file) until we say 'planning': the write
      // and its audit lines are done then, and the plan of what was written needs no lock.
      // Its basis is this thread's last read of the input (jobs.ts): a file unchanged since is neither read nor planned again.
      const r = await jobs.applyLocked(req.source, req.repairs, { ...req.opts, now: new Date(req.opts.now) }, () => progress('planning'));
      return reply({ ...r, plan: sendablePlan(r.plan) }, keep(r.result.state));
    }
    case 'decide': {
      // Resolve the base first: a missing one must not record the decision twice (the retry would).
      const base = req.base ? resolveState(req.base) : null;
      // As for apply: the lock is released when we say 'planning' (the decision is on disk then).
      const r = await jobs.decideLocked(req.source, req.decision, base, new Date(req.now), () => progress('planning'), req.edition);
      // The console builds the same state itself (its base + these decisions): only the plan travels. A stale one's
      // state is the input as read for its check: that travels too.
      const plan = r.plan && sendablePlan(r.plan);
      if (r.stale) return reply({ stale: r.stale, decisions: r.decisions, plan, state: r.state }, keep(r.state!));
      return reply({ stale: null, decisions: r.decisions, plan }, r.state ? keep(r.state) : undefined);
    }
  }
}

/**
 * The reply to `req`, packed against the memo of the console that asked. Each slice goes as soon as it is packed,
 * so the console unpacks while the rest is packed (at 100 000 beads each side takes seconds).
 */
function packerFor(req: WorkerRequest): Packer {
  // adopt: the states kept above then share the beads a read did not change, instead of a copy per read.
  // print: the plan's collections are printed (plan-print.ts), not kept: the memo held the last plan's bead details,
  // slots and repairs only to compare them with the next plan's (at 100 000 beads 42 MB of this thread's heap, 31
  // of them the details). The details are printed field by field, not walked generically (0.3–0.6 s a refresh).
  // The first read's packing collects as its garbage grows (heap-steps.ts growthCollector): at 100 000 beads two or
  // three collections of about 0.1–0.2 s of this thread, the heap at most about 100 MB committed instead of 130.
  const grown = warmed
    ? null
    : growthCollector(
        () => getHeapStatistics().used_heap_size,
        () => collect(),
        PACK_GROWTH,
      );
  const emit = (part: PackedPart, transfer: ArrayBuffer[]) => {
    post({ id: req.id, part }, transfer);
    grown?.();
  };
  return packerWith(memoOf(req), emit);
}

/** A reply's packer against `memo`, each slice to `emit`. */
function packerWith(memo: PackMemo, emit: (part: PackedPart, transfer: ArrayBuffer[]) => void): Packer {
  // parts: the plan's bead details a slice at a time, so they die young here, their keys kept from the last plan
  // packed against `memo` while they hold (keptDetailParts). forms: and sent as the console keeps them
  // (bead-info-slim.ts), made slim here rather than on the console's thread.
  const parts = keptDetailParts(memo);
  return packer(SLICE, memo, { adopt: true, print: planPrinter, emit, parts, forms: detailForms });
}

/** Growth of this thread's heap while the first read's reply is packed that starts a collection (see packerFor). */
const PACK_GROWTH = 16 << 20;

/** Reply `value` (with what `packing` sent of it ahead); a reply that fails to go leaves no memo behind. */
function postPacked(req: WorkerRequest, packing: Packer, value: unknown, stateId: number | undefined): void {
  try {
    const { packed, transfer } = packing.done(value);
    post({ id: req.id, ok: true, packed, ...(stateId !== undefined ? { stateId } : {}) }, transfer);
  } catch (e) {
    memos.delete(req.client);
    throw e;
  }
}

/**
 * Once the first read's reply is sent and `run` has returned, so the plan it packed is no longer held: collected inside
 * `run`, the plan and what the packing built for it (on the pages the packing filled with its garbage) kept those pages,
 * and at 100 000 beads this thread's heap stayed at about 126 MB committed for 65 MB in use through the end of the
 * console's unpacking, the launch's highest memory; collected here, about 95 (docs/speed.md). Then the warm-up.
 */
function afterFirstReply(state: State, now: Date, rules: DetectedEdition): void {
  warmed = true;
  setImmediate(() => {
    collect();
    warmUp(state, now, rules);
  });
}

/**
 * Before a refresh's read of a big store (its files, as the last read of that source found them, as big as those kept
 * in a file of their own: keptInFile): one full collection of this thread's heap if it grew by REFRESH_GROWTH since
 * the last one (`collect`, or V8's own, which lowered it). Nothing else here starts a collection between outside
 * changes, and at 100 000 beads each change's re-read, plan and packing left about 20 MB on the last's, until V8's own
 * collection came in the middle of a read, with the console's highest memory (docs/speed.md). Here the change was
 * just written and the console has nothing new to draw; collected after each reply instead, the collection ran while
 * the console's thread unpacked and drew the change, about 30 % slower. A small store's refresh never collects here.
 */
function beforeBigRefresh(source: Source): void {
  if (!grownBy(REFRESH_GROWTH)) return;
  const files = lastFiles.get(sourceKey(source));
  if (!files || !bigRead(files)) return;
  collect();
  parentPort!.postMessage({ id: 0, collectedBeforeRead: true } satisfies CollectedBeforeRead);
}

/**
 * A console's big refresh is on screen, its other views' rows are made and the console has been quiet for half a
 * second (ConsoleQuiet, from quiet-collect.ts): nothing here runs until the next change. One full collection now if this
 * thread's heap grew by IDLE_GROWTH since its last one: at 100 000 beads a change's re-read, plan and packing leave
 * 10–24 MB here, which otherwise waited for the next big refresh's collection (beforeBigRefresh, every third change)
 * and was held through the next change's read, where the console's memory peaks (docs/speed.md). Not beside the work
 * of showing the change, nor beside keys (told at once when the views were made, the plan landing's key waits rose
 * about 12 ms). Not while a request waits (it would run first).
 */
function whenIdle(): void {
  if (!warmed || waiting > 0 || !grownBy(IDLE_GROWTH)) return;
  collect();
  parentPort!.postMessage({ id: 0, collectedWhenIdle: true } satisfies CollectedWhenIdle);
}

/**
 * The growth since the last full collection that has the worker collect when a console is quiet (whenIdle). A change at
 * 100 000 beads grows the heap 8–13 MB; when V8's own collection falls inside its packing, 4–6 MB of it is left after
 * that one, and under 8 MiB it was held through the next change (docs/speed.md). A small store's change grows it less
 * than a MB.
 */
const IDLE_GROWTH = 4 << 20;

/**
 * The growth of this thread's heap since its last full collection that has a big refresh collect before its read.
 * V8's own came after about 50 MB of growth at 100 000 beads, some 20 MB a change: under it by more than a change's
 * growth, so this one comes first, about every second change (docs/speed.md).
 */
const REFRESH_GROWTH = 32 << 20;

/** This thread's heap in use after its last full collection (collect, compactStep). */
let usedAfterCollection = 0;

/** Whether this thread's heap grew by `growth` bytes since its last full collection, ours or V8's own. */
function grownBy(growth: number): boolean {
  const used = getHeapStatistics().used_heap_size;
  if (used < usedAfterCollection) usedAfterCollection = used; // V8 collected by itself since
  return used - usedAfterCollection >= growth;
}

/** The files of the last read of each source (the newest few), for the size of its next read. */
const lastFiles = new Map<string, readonly string[]>();

function remember(source: Source, files: readonly string[]): void {
  const key = sourceKey(source);
  lastFiles.delete(key);
  lastFiles.set(key, files);
  while (lastFiles.size > KEEP_MEMOS) lastFiles.delete(lastFiles.keys().next().value!);
}

function sourceKey(source: Source): string {
  return source.kind === 'store' ? `store:${source.path}` : `city:${source.dir}`;
}

/**
 * Whether a read of `files` is big: as big as those kept in a file of their own (kept-bytes.ts keptInFile, 8 MiB).
 * The first read's reply waits for the console to say its first look is drawn (FirstLookDrawn) only after a big one,
 * so its slices do not land on Ink's mount and first frame: the reads the fixed 150 ms pause held until 2026-12-06.
 * What that pause did for the console's peak memory at 100 000 beads (7.4× the file; 8.0–8.15× without it) was mostly
 * to let the kept bytes go before the collection after the read (KeptBytes.settled). There the first frame comes some
 * 20 ms after the first look, usually before the read's bytes are in their file: the wait then holds nothing back. A
 * small city's beads follow its first look at once, before Ink is even loaded. A refresh collects before its read
 * (beforeBigRefresh) only after a big one too.
 */
function bigRead(files: readonly string[]): boolean {
  return keptInFile(bytesOf(files));
}

/** The longest the first reply waits for the first look to be drawn: a console that never says so still gets its beads. */
const DRAWN_WITHIN_MS = 3000;

/** The consoles that said their first look is drawn before the first reply went; and who waits for one. */
const drawn = new Set<number>();
const waitingForDrawn = new Map<number, () => void>();

function firstLookDrawn(client: number): void {
  if (warmed) return; // only the first read waits
  drawn.add(client);
  waitingForDrawn.get(client)?.();
}

/** Until `client` says its first look is drawn (or said so already), or DRAWN_WITHIN_MS. */
function untilDrawn(client: number): Promise<void> {
  if (drawn.delete(client)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(bound);
      waitingForDrawn.delete(client);
      drawn.delete(client);
      resolve();
    };
    const bound = setTimeout(done, DRAWN_WITHIN_MS);
    waitingForDrawn.set(client, done);
    parentPort!.postMessage({ id: 0, heldFor: client } satisfies HeldForDrawn);
  });
}

/** The bytes of the files a read read (what they hold now: a file replaced since is a read as big). */
function bytesOf(files: readonly string[]): number {
  let n = 0;
  for (const f of files) {
    try {
      n += statSync(f).size;
    } catch {
      // gone since: counts as nothing
    }
  }
  return n;
}

/**
 * After the first read, while no request waits: a few plans of a small part of what was read, so V8 has
 * optimized the engine before the next read needs it. Without them the plans of the first refreshes run
 * unoptimized: at 10 000 beads about twice as long as once warm. Then a few outside changes to that part, each
 * re-read, planned and packed as a refresh is (refresh-warm-up.ts): the re-read and the packing ran unoptimized in the
 * first refreshes too. Then a collection, and the compaction's steps (compactStep). Each step is a few tens of
 * milliseconds (a compaction's, 0.1–0.3 s) and none starts while a request waits: the warm-up ends at the first one.
 */
const WARM_STEPS = 5;
const WARM_BEADS = 2000;
const WARM_CHANGES = 6;
let warmed = false;
let waiting = 0;

function warmUp(state: State, now: Date, rules: DetectedEdition): void {
  const part: State = { ...state, beads: state.beads.slice(0, WARM_BEADS) };
  let left = WARM_STEPS;
  // Let go once done: what its changes read, planned and packed is then garbage for the collection after them.
  let refresh: (() => boolean) | null = refreshWarmUp(state, now, rules, (memo) => packerWith(memo, dropPart), {
    beads: WARM_BEADS,
    changes: WARM_CHANGES,
  });
  let collected = false;
  const compacting = compactionSteps(compactStep, oldSpaceCommitted, COMPACT_STEPS, 1 << 20);
  const step = () => {
    if (waiting > 0) return;
    if (left-- > 0) planState(part, now, rules.edition);
    else if (refresh) refresh = refresh() ? refresh : null;
    else if (!collected) {
      collected = true;
      collect();
    } else if (!compacting()) return parentPort!.postMessage({ id: 0, warmedUp: true } satisfies WarmedUp);
    setImmediate(step);
  };
  setImmediate(step);
}

/** A slice of the warm-up's packing: it goes nowhere. */
const dropPart = () => undefined;

/**
 * One full collection of this thread's heap: before the first read's reply is packed (see run), while it is packed
 * (packerFor), after it is sent (afterFirstReply), and after its warm-up, while no request waits. The first read leaves
 * the most garbage a console makes (the parse, the plan, the packing: at 100 000 beads about 55 of the 185 MB this
 * thread then held), and nothing else runs here to start a collection before the next read, so the pages it fills
 * stayed in the process until then. About 0.1 s of this thread's time, each.
 */
function collect(): void {
  gcFunction()?.();
  usedAfterCollection = getHeapStatistics().used_heap_size;
}

/**
 * One step of the compaction after the warm-up: what the first read left alive (the beads, about 50 MB at 100 000
 * beads) lies spread over the pages its parse, plan and packing filled, and collections that only free left this
 * thread's heap at about 75 MB committed, held through the console's highest memory (the views' rows made after the
 * read), where compacted it is about 62 (docs/speed.md). A collection moves the objects of its most fragmented pages,
 * a few MB at most, and more only when a flag says so; V8's flags are the process's. Moving every page at once
 * (`--compact-on-every-full-gc`) copied the whole live heap onto fresh pages before the old ones were given back,
 * about 50 MB at once, as high as the first read's top. So each step is a collection under `--optimize-for-size`,
 * under which V8 moves up to 6 MB of objects off the pages at least a fifth free, and they run until one gives back
 * less than a MB (warmUp): four to six at 100 000 beads. A full collection the console's thread finishes inside a step
 * is bounded the same way (under the flag of a whole compaction it compacted all of its heap), and sizes that heap's
 * next limit as for a small heap, which changes only its cost. Not before the reply is packed: the packing fills new
 * pages.
 */
function compactStep(): void {
  const step = compactingCollection(gcFunction());
  if (!step) return;
  step();
  usedAfterCollection = getHeapStatistics().used_heap_size;
}

/** The most steps of the compaction after the warm-up. */
const COMPACT_STEPS = 8;

function oldSpaceCommitted(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_size ?? 0;
}

let chain = Promise.resolve();
parentPort!.on('message', (req: ToWorker) => {
  if ('drawn' in req) return firstLookDrawn(req.client);
  if ('consoleQuiet' in req) return whenIdle();
  waiting++;
  chain = chain.then(() =>
    run(req)
      .catch((e: unknown) => {
        if (e instanceof Missing) return post({ id: req.id, ok: false, missing: true });
        const err = e instanceof Error ? e : new Error(String(e));
        const code = (err as { code?: unknown }).code;
        post({ id: req.id, ok: false, error: { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) } });
      })
      .finally(() => {
        waiting--;
      }),
  );
});
