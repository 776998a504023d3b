// Per-plan indexes and row tables, computed lazily and cached on the plan object: a keystroke never
// re-plans or re-sorts, it only windows and filters what is cached here. A new plan (file change or
// patrol tick) starts a fresh cache; the old one is garbage with its plan.
import type { Bead, BeadInfo, Finding, Repair, TemplateDetail, WorkInfo } from '../../engine/types.js';
import type { Snapshot } from '../../console/state.js';
import type { ViewId } from '../../console/ui-state.js';
import type { Table } from './types.js';
import { recordValues } from '../../console/worker/chunked-clone.js';

export class Derived {
  private tables = new Map<string, Table>();
  private memo = new Map<string, unknown>();

  constructor(readonly snap: Snapshot) {}

  /** A value computed once per plan (indexes views share). */
  once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  get beadById(): Map<string, Bead> {
    return this.once('beadById', () => new Map(this.snap.state.beads.map((b) => [b.id, b])));
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
    if (!this.memo.has('beadById')) {
      const m = new Map<string, Bead>();
      await inSlices(this.snap.state.beads, (b) => m.set(b.id, b), pause);
      this.memo.set('beadById', m);
    }
    const infos = this.infos;
    await pause();
    if (!this.memo.has('infosByTemplate')) {
      const m = new Map<string, BeadInfo[]>();
      await inSlices(infos, (i) => addTo(m, i.template ?? '', i), pause);
      this.memo.set('infosByTemplate', m);
    }
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
    return this.once('infos', () => recordValues(this.snap.plan.detail.beads));
  }

  get infosByTemplate(): Map<string, BeadInfo[]> {
    return this.once('infosByTemplate', () => groupBy(this.infos, (i) => i.template ?? ''));
  }

  get repairsByBead(): Map<string, Repair[]> {
    return this.once('repairsByBead', () => groupBy(this.snap.plan.repairs, (r) => r.beadId));
  }

  get findingsByBead(): Map<string, Finding[]> {
    return this.once('findingsByBead', () => groupBy(this.snap.plan.findings, (f) => f.beadId ?? f.workId ?? ''));
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

/** The derived view of a snapshot, shared by every component and key handler until the plan changes. */
export function derive(snap: Snapshot): Derived {
  let d = cache.get(snap.plan);
  if (!d || d.snap.state !== snap.state) {
    d = new Derived(snap);
    cache.set(snap.plan, d);
  }
  return d;
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

/** Items per slice of work made ahead of a frame: a few milliseconds each. */
export const SLICE = 2000;

/** `each` over `items` in order, awaiting `pause` after every SLICE of them. */
/** Run a table's steps (a generator that yields between slices of work) to the end at once. */
export function runAtOnce<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Run a table's steps awaiting `pause` between them, so keys and frames are handled in between. */
export async function runSliced<T>(steps: Generator<void, T>, pause: () => Promise<void>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/** Items a merge places between two pauses (about a millisecond of compares). */
const MERGE_STEP = 8 * SLICE;

/**
 * Merge the sorted runs from[lo, mid) and from[mid, hi) into to[lo, hi); ties take the left run's item first
 * (stable). It yields every MERGE_STEP items: the last merges of 200 000 rows took 20-40 ms in one go, a stall
 * of the keys pressed meanwhile.
 */
function* mergeRuns<T>(from: T[], to: T[], lo: number, mid: number, hi: number, cmp: (a: T, b: T) => number): Generator<void, void> {
  let a = lo;
  let b = mid;
  let k = lo;
  while (a < mid && b < hi) {
    const stop = Math.min(hi, k + MERGE_STEP);
    while (k < stop && a < mid && b < hi) to[k++] = cmp(from[b], from[a]) < 0 ? from[b++] : from[a++];
    if (k === stop) yield;
  }
  while (a < mid) to[k++] = from[a++];
  while (b < hi) to[k++] = from[b++];
}

/**
 * Sort `items` in place by `cmp`, a step at a time: sorted runs of SLICE items, then merged pairwise (a stable
 * merge sort, like Array.prototype.sort), yielding after each run and each merge. For lists too long to sort
 * between two keys (the last merge of 200 000 items is a few tens of milliseconds).
 */
export function* sortInSteps<T>(items: T[], cmp: (a: T, b: T) => number): Generator<void, void> {
  const n = items.length;
  for (let i = 0; i < n; i += SLICE) {
    const run = items.slice(i, i + SLICE).sort(cmp);
    for (let j = 0; j < run.length; j++) items[i + j] = run[j];
    yield;
  }
  let from = items;
  let to = new Array<T>(n);
  for (let width = SLICE; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      yield* mergeRuns(from, to, lo, Math.min(lo + width, n), Math.min(lo + 2 * width, n), cmp);
      yield;
    }
    [from, to] = [to, from];
  }
  if (from !== items) for (let i = 0; i < n; i++) items[i] = from[i];
}

export async function inSlices<T>(items: readonly T[], each: (t: T) => void, pause: () => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += SLICE) {
    const end = Math.min(items.length, i + SLICE);
    for (let j = i; j < end; j++) each(items[j]);
    await pause();
  }
}

export type { ViewId };
