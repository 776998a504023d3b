// Repairs view: the review queue (see review/queue.ts), grouped by pool and kind. Proposed repairs are
// undecided; the ones an operator rejected stay in their group as "rejected" (o reopens); the ones
// approved in this session stay as "applied" so the operator sees what was done. The row key is the
// repair id, which is stable across runs.
import { REPAIR_KINDS, type RepairEffect } from '../../engine/index.js';
import type { Repair } from '../../engine/types.js';
import type { ReviewOutcome } from '../../console/ui-state.js';
import { buildQueue, compareEntries, queueEntries, type QueueEntry } from '../review/queue.js';
import { REVIEW_STATUS, reviewStatus, type ReviewStatus } from '../review/status.js';
import type { Tone } from '../theme.js';
import { clean, groupDigits } from '../text.js';
import { runAtOnce, runSliced, sliceDue, sliceOver, sortInSteps, type Derived } from './derive.js';
import { KeptPlaces } from './kept-places.js';
import { LazyRow } from './lazy-row.js';
import { ID_COLUMN, type Column, type Row, type Table } from './types.js';

export interface QueueRow extends QueueEntry {
  /** reviewStatus() of the entry and this session's outcome. */
  status: ReviewStatus;
}

/** The KIND cell: closing a bead stands out from the rest. */
const EFFECT_TONE: Record<RepairEffect, Tone> = { close: 'error', unassign: 'warn', change: 'warn' };

/** The plan's queue. Cached per plan. */
export function queueOf(d: Derived): QueueEntry[] {
  return d.once('queue', () => buildQueue(d.snap.plan));
}

/**
 * queueOf, sorted in steps: at 100 000 beads the sort of its 6 800 entries took 10-15 ms of the console's thread in
 * one go as the views were made after the first read, a stall of the keys pressed meanwhile (docs/speed.md).
 */
function* queueSteps(d: Derived): Generator<void, QueueEntry[]> {
  if (d.has('queue')) return queueOf(d);
  const entries = queueEntries(d.snap.plan);
  yield* sortInSteps(entries, compareEntries);
  // Made at once meanwhile (a frame needed it): that one stays.
  return d.once('queue', () => entries);
}

interface Built {
  review: Record<string, ReviewOutcome>;
  rows: QueueRow[];
  /** The same rows by key: a key press or a render looks a row up without scanning the queue. */
  byKey: Map<string, QueueRow>;
  table: Table;
  /** Each row's repair, by place (KeptPlaces). */
  repairs: Repair[];
}

const cache = new WeakMap<Derived, Built>();

/** The queue last made, for the next to take the rows of what did not change. */
let lastBuilt: Built | null = null;

/**
 * Narrow, the columns that say which repair a row is (STATUS, KIND, BEAD) stay, KIND and BEAD cut with … if need
 * be; RULE goes first, then REASON, then POOL (the card under the list names them).
 */
const COLUMNS: Column[] = [
  { title: 'STATUS', width: 9 },
  { title: 'POOL', flex: 1, min: 10, cut: 'middle', drop: 1 },
  { title: 'KIND', flex: 4, min: 21, least: 12 },
  { title: 'RULE', width: 4, drop: 3 },
  { title: 'BEAD', ...ID_COLUMN, least: 6 },
  { title: 'REASON', flex: 4, min: 24, drop: 2 },
];

/**
 * A queue row: its cells kept, its search text not (lazy-row.ts): the texts of 6 800 rows at 100 000 beads, each with
 * its repair's reason, were about 2.8 MB of the console's heap, held whether the view is filtered or not. The `/`
 * filter makes the list's index (its texts) at its first query instead.
 */
class QueueTableRow extends LazyRow {
  widthsLo: number | undefined = undefined;
  widthsHi: number | undefined = undefined;
  readonly child = undefined;

  constructor(
    readonly key: string,
    readonly cells: string[],
    readonly ids: string[],
    readonly tone: Tone | undefined,
    readonly cellTones: (Tone | undefined)[],
  ) {
    super();
    this.measure();
  }

  protected keep(widths: [number, number] | null): void {
    this.widthsLo = widths?.[0];
    this.widthsHi = widths?.[1];
  }

  /**
   * The repair's id too, which no cell shows whole (KIND and BEAD apart): `check`, `apply --repair`, the audit log and
   * the status line name a repair so (`restamp-slot:dc-f3c`), and an operator filters on the id they copied from there.
   */
  get search(): string {
    return `${super.search} ${this.key.toLowerCase()}`;
  }
}

function queueRow(q: QueueRow): Row {
  const r = q.repair;
  const facts = REVIEW_STATUS[q.status];
  return new QueueTableRow(
    q.key,
    [q.status, clean(q.pool || '–'), r.kind, REPAIR_KINDS[r.kind].rule, clean(r.beadId), clean(r.reason)],
    [r.id, r.beadId],
    facts.settled ? 'dim' : undefined,
    [facts.tone, undefined, EFFECT_TONE[REPAIR_KINDS[r.kind].effect]],
  );
}

/**
 * The queue's rows and table for `review`, in steps (derive.ts): at 100 000 beads the 6 800 rows of a plan took
 * 30-45 ms in one go, made while the console idled after each read, a stall of the keys pressed meanwhile.
 */
function* buildSteps(d: Derived, review: Record<string, ReviewOutcome>): Generator<void, Built> {
  const hit = cache.get(d);
  if (hit && hit.review === review) return hit;
  const queue = yield* queueSteps(d);
  if (sliceOver()) yield;
  // A row the last queue made of the same repair (the same object, as a refresh hands back what did not change), with
  // the same decision and status, is that row: its entry and its table row are not made again.
  const was = lastBuilt;
  const kept = was ? new KeptPlaces(was.repairs, (r) => r.id) : null;
  const keptAt = new Int32Array(queue.length);
  const rows: QueueRow[] = new Array<QueueRow>(queue.length);
  for (let k = 0; k < queue.length; k++) {
    const e = queue[k];
    const status = reviewStatus(e, review[e.key]);
    const at = kept ? kept.place(k, e.repair) : -1;
    const known = at >= 0 ? was!.rows[at] : undefined;
    const same =
      known !== undefined && known.key === e.key && known.decision === e.decision && known.pool === e.pool && known.status === status;
    rows[k] = same ? known : { ...e, status };
    keptAt[k] = same ? at : -1;
    if (sliceDue(k)) yield;
  }
  const outcomes = Object.entries(review);
  // Only this session's outcomes need it: none after a launch.
  const inPlan = outcomes.length > 0 ? new Set(queue.map((e) => e.key)) : null;
  // Applied in this session and gone from the plan: kept in their group, decided.
  let added = false;
  for (const [id, o] of outcomes) {
    if (o.repair && !inPlan?.has(id) && reviewStatus(null, o) === 'applied') {
      rows.push({ key: id, repair: o.repair, decision: null, pool: o.repair.template ?? '', status: 'applied' });
      added = true;
    }
  }
  // The queue is in order already (buildQueue): only what was added needs placing.
  if (added) rows.sort(compareEntries);
  const tableRows = new Array<Row>(rows.length);
  for (let k = 0; k < rows.length; k++) {
    // The kept row's table row, where the rows are still the queue's order (none added and sorted in).
    tableRows[k] = !added && keptAt[k] >= 0 ? was!.table.rows[keptAt[k]] : queueRow(rows[k]);
    if (sliceDue(k)) yield;
  }
  // The rows by key in steps too: a Map of 6 800 made in one go took up to 13 ms at 100 000 beads.
  const byKey = new Map<string, QueueRow>();
  for (let k = 0; k < rows.length; k++) {
    const q = rows[k];
    if (!byKey.has(q.key)) byKey.set(q.key, q);
    if (sliceDue(k)) yield;
  }
  // Made at once meanwhile (a frame needed it): that one is what the views already show, and stays.
  const again = cache.get(d);
  if (again && again.review === review) return again;
  const out: Built = { review, rows, byKey, table: { columns: COLUMNS, rows: tableRows }, repairs: rows.map((q) => q.repair) };
  if (again === hit) cache.set(d, out);
  lastBuilt = out;
  return out;
}

function build(d: Derived, review: Record<string, ReviewOutcome>): Built {
  return runAtOnce(buildSteps(d, review));
}

/** The queue's table for `review` made a step at a time, awaiting `pause` in between (while the console idles). */
export async function warmRepairsTable(d: Derived, review: Record<string, ReviewOutcome>, pause: () => Promise<void>): Promise<Table> {
  return (await runSliced(buildSteps(d, review), pause)).table;
}

/** The queue as table rows (plan + this session's outcomes). */
export function repairsTable(d: Derived, review: Record<string, ReviewOutcome> = {}): Table {
  return build(d, review).table;
}

const narrowCache = new WeakMap<Table, Map<string, Table>>();

/**
 * The queue narrowed to the repairs of one bead (the drill-down of `r`): the same columns, only its rows.
 * Cached with the queue's table.
 */
export function repairsOfBead(d: Derived, review: Record<string, ReviewOutcome>, bead: string, pool = false): Table {
  const built = build(d, review);
  let byBead = narrowCache.get(built.table);
  if (!byBead) {
    byBead = new Map();
    narrowCache.set(built.table, byBead);
  }
  const key = pool ? `pool\u0000${bead}` : bead;
  let t = byBead.get(key);
  if (!t) {
    // With `pool`, the repairs of a pool (`r` on a pools row): those its POOL column names.
    const of = (q: QueueRow | undefined) => (pool ? q?.pool === bead : q?.repair.beadId === bead);
    t = { columns: built.table.columns, rows: built.table.rows.filter((row) => of(built.byKey.get(row.key))) };
    byBead.set(key, t);
  }
  return t;
}

/** The queue entries behind the rows, in row order. */
export function queueRows(d: Derived, review: Record<string, ReviewOutcome> = {}): QueueRow[] {
  return build(d, review).rows;
}

/** The queue rows by key (cached with the rows: once per plan and review outcomes). */
export function queueRowByKey(d: Derived, review: Record<string, ReviewOutcome> = {}): Map<string, QueueRow> {
  return build(d, review).byKey;
}

/** Undecided: open to a decision (see REVIEW_STATUS). */
export function isUndecided(q: QueueRow | undefined): boolean {
  return !!q && REVIEW_STATUS[q.status].open;
}

/** The rollback backlog line: how many stale creates wait beyond this tick's budget, and when they clear. */
export function backlogLine(d: Derived, patrolMs: number): string | null {
  const b = d.snap.plan.detail.rollbackBacklog;
  if (b.stale === 0) return null;
  const eta = b.ticks > 0 ? ` · clears in ${b.ticks} tick${b.ticks === 1 ? '' : 's'} (~${Math.round((b.ticks * patrolMs) / 1000)} s)` : '';
  return `rollback backlog: ${groupDigits(b.stale)} stale, ${groupDigits(b.deferred)} deferred, budget ${b.budget}/tick${eta}`;
}
