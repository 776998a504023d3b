// Repairs view: the review queue (see review/queue.ts), grouped by pool and kind. Proposed repairs are
// undecided; the ones an operator rejected stay in their group as "rejected" (o reopens); the ones
// approved in this session stay as "applied" so the operator sees what was done. The row key is the
// repair id, which is stable across runs.
import { parseDurationMs } from '../../engine/index.js';
import type { Change, State } from '../../engine/types.js';
import type { ReviewOutcome } from '../../console/state.js';
import { buildQueue, compareEntries, RULES, type QueueEntry } from '../review/queue.js';
import type { Tone } from '../theme.js';
import { clean, groupDigits, quoted } from '../text.js';
import type { Derived } from './derive.js';
import { makeRow, type Row, type Table } from './types.js';

/** A queue row's status: the plan's (undecided / rejected), or this session's outcome. */
export type RowStatus = 'undecided' | 'rejected' | 'applying' | 'applied' | 'stale' | 'failed';

export interface QueueRow extends QueueEntry {
  rowStatus: RowStatus;
}

const STATUS_TONE: Record<RowStatus, Tone | undefined> = {
  undecided: undefined, rejected: 'dim', applying: 'accent', applied: 'ok', stale: 'error', failed: 'error',
};

/** The plan's queue. Cached per plan. */
export function queueOf(d: Derived): QueueEntry[] {
  return d.once('queue', () => buildQueue(d.snap.plan));
}

/** The plan's queue by repair id. Cached per plan. */
function queueEntryByKey(d: Derived): Map<string, QueueEntry> {
  return d.once('queueByKey', () => {
    const m = new Map<string, QueueEntry>();
    for (const e of queueOf(d)) if (!m.has(e.key)) m.set(e.key, e);
    return m;
  });
}

function rowStatus(e: QueueEntry, o: ReviewOutcome | undefined): RowStatus {
  if (e.status === 'rejected') return o?.result === 'stale' || o?.result === 'failed' ? o.result : 'rejected';
  if (o?.result === 'applying' || o?.result === 'stale' || o?.result === 'failed') return o.result;
  return 'undecided';
}

interface Built {
  review: Record<string, ReviewOutcome>;
  rows: QueueRow[];
  /** The same rows by key: a key press or a render looks a row up without scanning the queue. */
  byKey: Map<string, QueueRow>;
  table: Table;
}

const cache = new WeakMap<Derived, Built>();

function build(d: Derived, review: Record<string, ReviewOutcome>): Built {
  const hit = cache.get(d);
  if (hit && hit.review === review) return hit;
  const rows: QueueRow[] = queueOf(d).map((e) => ({ ...e, rowStatus: rowStatus(e, review[e.key]) }));
  const inPlan = new Set(rows.map((r) => r.key));
  // Applied in this session and gone from the plan: kept in their group, decided.
  for (const [id, o] of Object.entries(review)) {
    if (o.result === 'applied' && o.repair && !inPlan.has(id)) {
      rows.push({ key: id, repair: o.repair, status: 'pending', decision: null, pool: o.repair.template ?? '', rowStatus: 'applied' });
    }
  }
  rows.sort(compareEntries);
  const table: Table = {
    columns: [
      { title: 'STATUS', width: 9 },
      { title: 'POOL', flex: 1, min: 8 },
      { title: 'KIND', width: 28 },
      { title: 'RULE', width: 4 },
      { title: 'BEAD', width: 14 },
      { title: 'REASON', flex: 4, min: 10 },
    ],
    rows: rows.map((q): Row => {
      const r = q.repair;
      const row = makeRow(
        q.key,
        [q.rowStatus, clean(q.pool || '–'), r.kind, RULES[r.kind].rule, clean(r.beadId), clean(r.reason)],
        [r.id, r.beadId],
      );
      const decided = q.rowStatus === 'rejected' || q.rowStatus === 'applied';
      if (decided) row.tone = 'dim';
      row.cellTones = [STATUS_TONE[q.rowStatus], undefined, r.kind === 'close-duplicate' || r.kind === 'rollback-stale-create' ? 'error' : 'warn'];
      return row;
    }),
  };
  const out: Built = { review, rows, byKey: firstByKey(rows), table };
  cache.set(d, out);
  return out;
}

function firstByKey(rows: QueueRow[]): Map<string, QueueRow> {
  const m = new Map<string, QueueRow>();
  for (const q of rows) if (!m.has(q.key)) m.set(q.key, q);
  return m;
}

/** The queue as table rows (plan + this session's outcomes). */
export function repairsTable(d: Derived, review: Record<string, ReviewOutcome> = {}): Table {
  return build(d, review).table;
}

/** The queue entries behind the rows, in row order. */
export function queueRows(d: Derived, review: Record<string, ReviewOutcome> = {}): QueueRow[] {
  return build(d, review).rows;
}

/** The queue rows by key (cached with the rows: once per plan and review outcomes). */
export function queueRowByKey(d: Derived, review: Record<string, ReviewOutcome> = {}): Map<string, QueueRow> {
  return build(d, review).byKey;
}

/** Undecided: proposed by the plan and not being written, applied or rejected. */
export function isUndecided(q: QueueRow | undefined): boolean {
  return !!q && (q.rowStatus === 'undecided' || q.rowStatus === 'stale' || q.rowStatus === 'failed') && q.status === 'pending';
}

const show = quoted;

export function changeLine(c: Change): string {
  return `${clean(c.field)}: ${show(c.before)} → ${show(c.after)}`;
}

export function repairDetail(d: Derived, key: string): string[] {
  const r = queueEntryByKey(d).get(key)?.repair;
  if (!r) return [];
  return [`${clean(r.id)}: ${clean(r.reason)}`, ...r.changes.map(changeLine)];
}

const DEFAULT_PATROL_MS = 30_000;

/** The patrol interval a state configures (`daemon.patrol_interval`), 30 s when absent or unusable. */
export function patrolMsOf(state: State): number {
  const ms = parseDurationMs(state.city.daemon?.patrol_interval);
  return ms !== null && ms > 0 ? ms : DEFAULT_PATROL_MS;
}

/** The rollback backlog line: how many stale creates wait beyond this tick's budget, and when they clear. */
export function backlogLine(d: Derived, patrolMs: number): string | null {
  const b = d.snap.plan.detail.rollbackBacklog;
  if (b.stale === 0) return null;
  const eta = b.ticks > 0 ? ` · clears in ${b.ticks} tick${b.ticks === 1 ? '' : 's'} (~${Math.round((b.ticks * patrolMs) / 1000)} s)` : '';
  return `rollback backlog: ${groupDigits(b.stale)} stale, ${groupDigits(b.deferred)} deferred, budget ${b.budget}/tick${eta}`;
}
