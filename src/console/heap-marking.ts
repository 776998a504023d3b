// Full collections of the console's thread while the views' rows are made (views/prepare.ts warmViews), asked for
// whenever its heap has grown by a step since its last one.
//
// Why: V8 starts a full collection once the old generation reaches a limit it sets at the last one, a few times
// what that one left alive. At launch the last one falls in the first read's middle (about 40 MB alive at 100 000
// beads), and the next came only as the rows were made, at that limit (about 152 MB used): the first read's
// garbage (the slices' deserialized copies, the records' grown tables) was still in the heap, and it was the
// console's peak memory (docs/speed.md). Asked for as the rows begin, the collection takes that garbage first, and
// the rows then fill the room it freed.
//
// How: V8 gives JavaScript no incremental collection, and `gc()` (behind --expose-gc) marks the whole heap in one
// pause (100-200 ms at that size: keys would wait). V8's `--stress-incremental-marking` makes its next allocation
// check start an incremental marking, the kind its own limit starts (marked in small steps and on helper threads,
// then one short pause). The flag is set until this thread's collection begins (a `gc` performance entry), and never
// for longer than ASK_MS. Flags are the process's: the plan worker would start one too if it allocated meanwhile, so
// the console asks only while the first read's rows are made (views/prepare.ts), when the worker has read and planned;
// a refresh's rows are made while the worker may be reading the next change.
import { constants as perf, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { v8FlagForAMoment } from './node-args.js';

/** What the marker reads and does; V8's own in `heapMarker`, fakes in tests. */
export interface MarkingHooks {
  /** Bytes of the heap in use. */
  used(): number;
  /** Ask V8 to start an incremental marking at its next allocation check (true), or stop asking (false). */
  ask(on: boolean): void;
  /**
   * Calls `seen` as each of this thread's markings begins ('marking') and as each full collection ends ('full'),
   * until the return is called.
   */
  watch(seen: (what: 'marking' | 'full') => void): () => void;
  /** Runs `then` after `ms`; the return cancels it. */
  after(ms: number, then: () => void): () => void;
}

/** How long the flag stays set at most when no marking begins (one began 30-50 ms after it at 100 000 beads). */
export const ASK_MS = 500;

/** A check to run between slices of work, and its end (after which nothing is asked, and nothing is left asked). */
export interface Marker {
  check(): void;
  stop(): void;
}

/**
 * `check` asks for a full collection when the heap holds `growth` bytes more than the last full collection left (any
 * of this thread's, or one asked for here), and not again until that one ends. Before it has seen one, all the heap
 * holds counts as growth.
 */
export function growthMarker(hooks: MarkingHooks, growth: number): Marker {
  let base = 0;
  let state: 'idle' | 'asked' | 'marking' = 'idle';
  let cancel = () => {};
  const stopAsking = () => {
    if (state !== 'asked') return;
    cancel();
    hooks.ask(false);
  };
  const unwatch = hooks.watch((what) => {
    stopAsking();
    if (what === 'marking') state = 'marking';
    else {
      state = 'idle';
      base = hooks.used();
    }
  });
  let stopped = false;
  return {
    check() {
      if (stopped || state !== 'idle' || hooks.used() - base <= growth) return;
      state = 'asked';
      hooks.ask(true);
      cancel = hooks.after(ASK_MS, () => {
        if (state !== 'asked') return;
        hooks.ask(false);
        // V8 did not start one (it may not while it sweeps): the heap as it is now is the next step's base.
        state = 'idle';
        base = hooks.used();
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stopAsking();
      state = 'idle';
      unwatch();
    },
  };
}

const FLAG = 'stress-incremental-marking';

/** Puts the flag back as it was; nothing while it is not asked for. */
let restoreFlag = () => {};

/**
 * V8's own hooks for growthMarker, on this thread. The flag is set and put back by v8FlagForAMoment, which leaves
 * it alone in a process started with it (that process marks all the time already, and turning it off after a step
 * would change that).
 */
export const v8MarkingHooks: MarkingHooks = {
  used: () => getHeapStatistics().used_heap_size,
  ask(on) {
    restoreFlag();
    restoreFlag = on ? v8FlagForAMoment(FLAG, true) : () => {};
  },
  watch(seen) {
    const o = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as { detail?: { kind?: number } }).detail?.kind;
        if (kind === perf.NODE_PERFORMANCE_GC_INCREMENTAL) seen('marking');
        else if (kind === perf.NODE_PERFORMANCE_GC_MAJOR) seen('full');
      }
    });
    o.observe({ entryTypes: ['gc'] });
    return () => o.disconnect();
  },
  after(ms, then) {
    const t = setTimeout(then, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** The console thread's marker. */
export function heapMarker(growth: number): Marker {
  return growthMarker(v8MarkingHooks, growth);
}
