// When the console's own thread collects its heap (watch.ts): once a refresh's snapshot is on screen and the other
// views' rows are made, at a quiet moment, and only when the heap grew enough since the last full collection. The
// decisions apart from V8 and the clock, so that they can be tested with a fake heap and a fake timer.
//
// Why: V8 collects this thread's old generation only at its limit, which it sets at a few times what the last full
// collection kept; at 100 000 beads each outside change leaves about 11 MB of heap and 6 MB of ArrayBuffers (the
// reply's unpacking, a table's lists, the search indexes' typed lists) that outlived the young collections, and none
// of V8's own full collections came over the bench's three changes and the plan landing, so that garbage added up in
// the console's peak memory (docs/speed.md). The plan worker collects its own heap at that quiet moment too, told so
// (`workerIdle`: worker/plan-worker-body.ts whenIdle), and before a big refresh's read (beforeBigRefresh).
import { getHeapStatistics } from 'node:v8';

/** What a collection did, for whoever listens (tests, a probe). */
export interface Collected {
  /** What the heap held before and after it (QuietCollectOptions.held), bytes. */
  before: number;
  after: number;
  /** How long it held the thread, ms. */
  ms: number;
}

export interface QuietCollectOptions {
  /** What this thread's heap holds now: V8's heap in use plus the memory of its ArrayBuffers, bytes. */
  held: () => number;
  /** One full collection of this thread's heap. */
  collect: () => void;
  /** The console collects after a big refresh's views were made: the plan worker may collect its own heap now (Jobs.consoleQuiet). */
  workerIdle?: () => void;
  /** Whether the console is at something now (a read, a plan, a write, a prompt being typed in): then it waits. */
  busy: () => boolean;
  /** The monotonic clock, ms. */
  now: () => number;
  /** Calls `fn` once after `ms`, without keeping the process alive; returns what cancels it. */
  after: (ms: number, fn: () => void) => () => void;
  /** How long nothing may have happened (no `stir`) before it collects (QUIET_MS). */
  quietMs?: number;
  /** The least growth since the last full collection that makes a collection worth its pause (collectionGrowth). */
  growth?: (base: number) => number;
  onCollected?: (c: Collected) => void;
}

export interface QuietCollector {
  /**
   * A snapshot is on screen and its views' rows are made. `big`: its read has beads enough for a collection to be worth
   * its pause (watch.ts QUIET_COLLECT_FROM_BEADS). The first call only notes what the heap holds (the first read: the
   * console's launch and its idle CPU are left as they were); a later one, of a big read, waits until nothing has
   * happened for `quietMs` and the console is not busy, then has this thread's heap collected if it grew by `growth`
   * since the last full collection, and tells the plan worker (`workerIdle`: its own heap is its own to collect).
   */
  made(big: boolean): void;
  /** Something happened on the console (a key, a frame's state, a job's result): a due collection waits `quietMs` more. */
  stir(): void;
  /** Another snapshot went on screen: a due collection is no longer (the next `made` decides again). */
  cancel(): void;
  /** Whether a collection waits for a quiet moment. */
  due(): boolean;
}

/**
 * How long the console must have been left alone before it collects: no key and nothing new on screen. A full
 * collection of the console's thread at 100 000 beads holds it about 120 ms (docs/speed.md), which a key typed then
 * waits; after half a second without one, while the operator reads the change, is where an operator least meets it.
 */
export const QUIET_MS = 500;

/** The least growth that makes a collection due: an eighth of what the heap held after the last one, at least 8 MiB. */
export function collectionGrowth(base: number): number {
  return Math.max(8 << 20, base / 8);
}

/** The least wait before a due collection, so that input already waiting is read (and stirs) first. */
const FIRST_LOOK_MS = 20;

export function quietCollector(opts: QuietCollectOptions): QuietCollector {
  const quietMs = opts.quietMs ?? QUIET_MS;
  const growth = opts.growth ?? collectionGrowth;
  /** What the heap held after the last full collection (lowered when it holds less: V8 collected by itself); -1: none yet. */
  let base = -1;
  let lastStir = opts.now();
  let cancelTimer: (() => void) | null = null;
  /** What the quiet moment waited for does: this thread's collection, the plan worker's word (`workerIdle`). */
  let collectDue = false;
  let workerDue = false;

  const disarm = () => {
    cancelTimer?.();
    cancelTimer = null;
  };

  const wait = (ms: number) => {
    cancelTimer?.();
    cancelTimer = opts.after(ms, check);
  };

  function check(): void {
    cancelTimer = null;
    const idle = opts.now() - lastStir;
    if (idle < quietMs) return wait(quietMs - idle);
    if (opts.busy()) return wait(quietMs);
    if (collectDue) {
      const before = opts.held();
      const t0 = opts.now();
      opts.collect();
      const ms = opts.now() - t0;
      base = opts.held();
      opts.onCollected?.({ before, after: base, ms });
    }
    // After this thread's pause, not beside it: the worker's collection takes both CPUs' helpers for up to 0.15 s.
    if (workerDue) opts.workerIdle?.();
    collectDue = workerDue = false;
  }

  return {
    made(big) {
      disarm();
      const first = base < 0;
      const held = opts.held();
      if (first || held < base) base = held;
      collectDue = big && held - base >= growth(base);
      workerDue = big && !first && opts.workerIdle !== undefined;
      if (!collectDue && !workerDue) return;
      // Not at once, even after a quiet while: a key typed during the views' last slice is read first.
      wait(Math.max(FIRST_LOOK_MS, quietMs - (opts.now() - lastStir)));
    },
    stir() {
      lastStir = opts.now();
    },
    cancel: disarm,
    due: () => cancelTimer !== null,
  };
}

/** What this thread's heap holds (QuietCollectOptions.held): V8's heap in use and its ArrayBuffers' memory. */
export function heldByThisThread(): number {
  return getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;
}
