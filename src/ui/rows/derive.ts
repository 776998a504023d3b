// Per-plan indexes and row tables, computed lazily and cached on the plan object: a keystroke never
// re-plans or re-sorts, it only windows and filters what is cached here. A new plan (file change or
// patrol tick) starts a fresh cache; the old one is garbage with its plan.
import type { Bead, BeadInfo, Finding, Repair, TemplateDetail, WorkInfo } from '../../engine/types.js';
import type { Snapshot } from '../../console/state.js';
import type { ViewId } from '../../console/ui-state.js';
import type { Table } from './types.js';
import { beadInfos } from '../../console/bead-infos.js';
import { BeadsById, changedFrom, type MadeById } from './beads-by-id.js';

/** What the by-template and by-bead indexes group on (their getters and the idle warm-up alike). */
const templateKey = (i: BeadInfo): string => i.template ?? '';
const repairKey = (r: Repair): string => r.beadId;
const findingKey = (f: Finding): string => f.beadId ?? f.workId ?? '';

export class Derived {
  private tables = new Map<string, Table>();
  private memo = new Map<string, unknown>();

  constructor(readonly snap: Snapshot) {}

  /** A value computed once per plan (indexes views share). */
  once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  get beadById(): BeadsById {
    return this.once('beadById', () => {
      const m = new BeadsById();
      for (const b of this.snap.state.beads) m.set(b.id, b);
      return m;
    });
  }

  /** Whether `key` (a once() value or a table) is made already. */
  has(key: string): boolean {
    return this.memo.has(key) || this.tables.has(key);
  }

  /**
   * Make the indexes most views read (beads by id, bead details by template) a slice at a time, awaiting
   * `pause` between slices: the same values the getters make at once, ahead of the first frame that needs them.
   */
  async warm(pause: () => Promise<void>): Promise<void> {
    // A refresh that replaced a few beads: the last snapshot's map with those beads put over it, and only their names shared.
    const last = lastMade;
    let from: { byId: BeadsById; changed: Set<string> } | null = null;
    if (!this.memo.has('beadById')) {
      const beads = this.snap.state.beads;
      const infos = this.infos;
      from = await runSliced(changedFrom(last, beads, sliceOver), pause);
      let m = from?.byId;
      if (!m) {
        const made = (m = new BeadsById());
        let next = 0;
        await inSlices(
          beads,
          (b) => {
            next = shareId(b, infos, next);
            made.set(b.id, b);
          },
          pause,
        );
      }
      this.memo.set('beadById', m);
      lastMade = { beads, byId: m, infos };
    }
    const infos = this.infos;
    await pause();
    if (!this.memo.has('namesShared')) {
      const byId = this.memo.get('beadById') as BeadsById;
      const was = from && last ? last.infos : null;
      const changed = from?.changed;
      // A detail and its bead both as last shared (the worker hands back the objects of what did not change): done.
      const fresh = (i: BeadInfo, k: number) => was?.[k] !== i || changed!.has(i.id);
      let k = 0;
      await inSlices(
        infos,
        (i) => {
          if (fresh(i, k++)) shareIdentity(i, byId.get(i.id));
        },
        pause,
      );
      this.memo.set('namesShared', true);
    }
    await this.warmGroup('infosByTemplate', infos, templateKey, pause);
  }

  /**
   * `groupBy(items, key)` kept as `name`, made a slice at a time: what the getter of that name makes at once. Each
   * group's list is made at its length, the items counted by key first: grown by push, the pools' lists of details
   * at 100 000 beads left about 1.2 MB of smaller copies behind, garbage until the console's next full collection.
   */
  private async warmGroup<T>(name: string, items: readonly T[], key: (t: T) => string, pause: () => Promise<void>): Promise<void> {
    if (this.memo.has(name)) return;
    // How many items each key has, then where the next item of each goes.
    const places = new Map<string, number>();
    await inSlices(
      items,
      (it) => {
        const k = key(it);
        places.set(k, (places.get(k) ?? 0) + 1);
      },
      pause,
    );
    const m = new Map<string, T[]>();
    for (const [k, n] of places) {
      m.set(k, new Array<T>(n));
      places.set(k, 0);
    }
    await inSlices(
      items,
      (it) => {
        const k = key(it);
        const at = places.get(k)!;
        places.set(k, at + 1);
        m.get(k)![at] = it;
      },
      pause,
    );
    this.memo.set(name, m);
  }

  /**
   * The repairs and the findings by bead (what the slots view's detail lines read), a slice at a time, awaiting
   * `pause` between slices: made while the console idles, they are not made in that view's first frame.
   */
  async warmByBead(pause: () => Promise<void>): Promise<void> {
    await this.warmGroup('repairsByBead', this.snap.plan.repairs, repairKey, pause);
    await this.warmGroup('findingsByBead', this.snap.plan.findings, findingKey, pause);
  }

  /** The plan's work items (cross-template, orphaned) by work bead id. */
  get workById(): Map<string, WorkInfo> {
    return this.once('workById', () => {
      const m = new Map<string, WorkInfo>();
      for (const w of this.snap.plan.detail.work) if (!m.has(w.id)) m.set(w.id, w);
      return m;
    });
  }

  get infos(): BeadInfo[] {
    // The worker's result hands the values over as unpacked: Object.values of 100 000 details stalls keys.
    return this.once('infos', () => beadInfos(this.snap.plan));
  }

  get infosByTemplate(): Map<string, BeadInfo[]> {
    return this.once('infosByTemplate', () => groupBy(this.infos, templateKey));
  }

  get repairsByBead(): Map<string, Repair[]> {
    return this.once('repairsByBead', () => groupBy(this.snap.plan.repairs, repairKey));
  }

  get findingsByBead(): Map<string, Finding[]> {
    return this.once('findingsByBead', () => groupBy(this.snap.plan.findings, findingKey));
  }

  get templateDetail(): Map<string, TemplateDetail> {
    return this.once('templateDetail', () => new Map(this.snap.plan.detail.templates.map((t) => [t.template, t])));
  }

  /** Template names in pool order (the plan's, which is byte order). */
  get poolNames(): string[] {
    return this.once('poolNames', () => this.snap.plan.pools.map((p) => p.template));
  }

  table(key: string, make: () => Table): Table {
    let t = this.tables.get(key);
    if (!t) {
      t = make();
      this.tables.set(key, t);
    }
    return t;
  }
}

const cache = new WeakMap<object, Derived>();

/** The beads and details whose map the console made last (Derived.warm), for the next snapshot's to start from. */
let lastMade: (MadeById & { infos: readonly BeadInfo[] }) | null = null;

/** The derived view of a snapshot, shared by every component and key handler until the plan changes. */
export function derive(snap: Snapshot): Derived {
  let d = cache.get(snap.plan);
  if (!d || d.snap.state !== snap.state) {
    d = new Derived(snap);
    cache.set(snap.plan, d);
  }
  return d;
}

// A bead's names arrive as copies, one per field that holds them: its alias and agent name (unless they follow one
// another in its metadata) and its detail's identity (deserialization makes a string of each, and the worker's shared
// values are per field: names do not repeat within one). Each is given the bead's own string where equal: the same
// values, a few MB less of the console's heap at 100 000 beads. (The pools' slot entries, made here from the beads
// themselves, hold the beads' own strings: console/worker/slot-places.ts.)

/**
 * The bead's id, made its detail's string (which the details hold anyway): 72 000 strings at 100 000 beads, about
 * 2.3 MB. Made before the beads' Map is keyed by it, which would hold the bead's own. The details come in the beads'
 * order (the plan's session table is the beads in order, an id at its first bead), so the one `next` is the one a
 * bead with a detail has; a bead without one, or one of the same id again, leaves `next` where it is.
 */
function shareId(b: Bead, infos: readonly BeadInfo[], next: number): number {
  const info = infos[next] as BeadInfo | undefined;
  if (info?.id !== b.id) return next;
  b.id = info.id;
  return next + 1;
}

/** The bead's agent name and its detail's identity, when equal to its alias (or the identity to its agent name), are that string. */
function shareIdentity(info: BeadInfo, bead: Bead | undefined): void {
  const md = bead?.metadata as Record<string, unknown> | undefined;
  if (!md) return;
  const alias = md.alias;
  const agent = md.agent_name;
  if (typeof alias === 'string') {
    if (agent === alias) md.agent_name = alias;
    if (info.identity === alias) info.identity = alias;
  } else if (typeof agent === 'string' && info.identity === agent) info.identity = agent;
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) addTo(m, key(it), it);
  return m;
}

function addTo<T>(m: Map<string, T[]>, k: string, it: T): void {
  const list = m.get(k);
  if (list) list.push(it);
  else m.set(k, [it]);
}

/** Items per sorted run (sortInSteps), and the size of the small lists tests make to be sliced. */
export const SLICE = 2000;

/**
 * How long a slice of work made ahead of a frame runs before keys and frames get their turn. Slices of so many
 * items each (2 000 rows) took 20-40 ms at 100 000 beads on a busy machine, and a key pressed meanwhile waited for
 * the whole slice: a slice now ends when its time is up, whatever its items cost on the machine at hand.
 */
export const SLICE_MS = 4;

/** Items between two looks at the clock (a power of two). */
const CHECK_EVERY = 128;

/** When the running slice is to end (runSliced sets it before each step); never, outside a sliced run. */
let sliceEnd = Infinity;

/** Slices end at once (every look at the clock): tests that count the steps of small lists. */
let sliceMs = SLICE_MS;
export function setSliceMsForTests(ms: number): void {
  sliceMs = ms;
}

/**
 * Whether a table's steps should yield after their `k`-th item: every CHECK_EVERY items, when the running slice's
 * time is up. Under runAtOnce never (its slice never ends).
 */
export function sliceDue(k: number): boolean {
  return (k & (CHECK_EVERY - 1)) === CHECK_EVERY - 1 && performance.now() >= sliceEnd;
}

/** Whether the running slice's time is up (for steps that look at the clock less often than sliceDue). */
export function sliceOver(): boolean {
  return performance.now() >= sliceEnd;
}

/** Run a table's steps (a generator that yields between slices of work) to the end at once. */
export function runAtOnce<T>(steps: Generator<void, T>): T {
  const outer = sliceEnd;
  sliceEnd = Infinity;
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  } finally {
    sliceEnd = outer;
  }
}

/** Run a table's steps awaiting `pause` between them, so keys and frames are handled in between. */
export async function runSliced<T>(steps: Generator<void, T>, pause: () => Promise<void>): Promise<T> {
  for (;;) {
    sliceEnd = performance.now() + sliceMs;
    let r: IteratorResult<void, T>;
    try {
      r = steps.next();
    } finally {
      sliceEnd = Infinity;
    }
    if (r.done) return r.value;
    await pause();
  }
}

/** Items a merge places between two looks at the clock. */
const MERGE_STEP = 1024;

/** What sortInSteps sorts: an array, or a typed list of places (a long list of numbers, kept outside the heap). */
interface Sortable<T> {
  [i: number]: T;
  readonly length: number;
}

/**
 * Merge the sorted runs from[lo, mid) and from[mid, hi) into to[lo, hi); ties take the left run's item first
 * (stable). It yields when its slice's time is up (sliceDue): the last merges of 200 000 rows took 20-40 ms in
 * one go, a stall of the keys pressed meanwhile.
 */
function* mergeRuns<T>(
  from: Sortable<T>,
  to: Sortable<T>,
  lo: number,
  mid: number,
  hi: number,
  cmp: (a: T, b: T) => number,
): Generator<void, void> {
  let a = lo;
  let b = mid;
  let k = lo;
  while (a < mid && b < hi) {
    const stop = Math.min(hi, k + MERGE_STEP);
    while (k < stop && a < mid && b < hi) to[k++] = cmp(from[b], from[a]) < 0 ? from[b++] : from[a++];
    if (k === stop && sliceOver()) yield;
  }
  while (a < mid) to[k++] = from[a++];
  while (b < hi) to[k++] = from[b++];
}

/**
 * Sort `items` in place by `cmp`, a step at a time: sorted runs of SLICE items, then merged pairwise (a stable
 * merge sort, like Array.prototype.sort), yielding when the slice's time is up. For lists too long to sort
 * between two keys (the last merge of 200 000 items is a few tens of milliseconds). An Int32Array is sorted in
 * Int32Arrays: its runs and merges make no array of the heap's.
 */
export function sortInSteps<T>(items: T[], cmp: (a: T, b: T) => number): Generator<void, void>;
export function sortInSteps(items: Int32Array, cmp: (a: number, b: number) => number): Generator<void, void>;
export function* sortInSteps<T>(items: T[] | Int32Array, cmp: (a: T, b: T) => number): Generator<void, void> {
  const list = items as Sortable<T>;
  const n = items.length;
  for (let i = 0; i < n; i += SLICE) {
    const run = (items.slice(i, i + SLICE) as T[]).sort(cmp);
    for (let j = 0; j < run.length; j++) list[i + j] = run[j];
    if (sliceOver()) yield;
  }
  let from = list;
  let to: Sortable<T> = items instanceof Int32Array ? (new Int32Array(n) as Sortable<number> as Sortable<T>) : new Array<T>(n);
  for (let width = SLICE; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      yield* mergeRuns(from, to, lo, Math.min(lo + width, n), Math.min(lo + 2 * width, n), cmp);
      if (sliceOver()) yield;
    }
    [from, to] = [to, from];
  }
  if (from !== list) for (let i = 0; i < n; i++) list[i] = from[i];
}

/** `each` over `items` in order, awaiting `pause` whenever a slice's time is up, and once at the end. */
export async function inSlices<T>(items: readonly T[], each: (t: T) => void, pause: () => Promise<void>): Promise<void> {
  await runSliced(eachStep(items, each), pause);
  await pause();
}

function* eachStep<T>(items: readonly T[], each: (t: T) => void): Generator<void, void> {
  for (let i = 0; i < items.length; i++) {
    each(items[i]);
    if (sliceDue(i)) yield;
  }
}

export type { ViewId };
