// The review queue: every proposed repair plus the ones an operator rejected (withheld by the engine),
// grouped by pool and kind, and the `git add -p` style navigation over it. Pure: no store, no React.
// Its kinds' facts (rule, title, destructive, undo) are the engine's table (REPAIR_KINDS).
import { compareBytes, KIND_ORDER } from '../../engine/index.js';
import type { Decision, Plan, Repair } from '../../engine/types.js';

export interface QueueEntry {
  /** The repair id: stable across runs, the row key of the repairs view. */
  key: string;
  repair: Repair;
  /** The rejection that withholds it; null when it is proposed (see reviewStatus). */
  decision: Decision | null;
  /** The pool it belongs to: the repair's template (a work repair's route); '' when none. */
  pool: string;
}

const kindRank = new Map(KIND_ORDER.map((k, i) => [k, i]));

/** Pools in byte order (no pool last), then kinds in rule order, then bead id. */
export function compareEntries(a: QueueEntry, b: QueueEntry): number {
  if (a.pool !== b.pool) {
    if (a.pool === '') return 1;
    if (b.pool === '') return -1;
    return compareBytes(a.pool, b.pool);
  }
  return (
    (kindRank.get(a.repair.kind) ?? 99) - (kindRank.get(b.repair.kind) ?? 99) ||
    compareBytes(a.repair.beadId, b.repair.beadId) ||
    compareBytes(a.key, b.key)
  );
}

type QueuedPlan = Pick<Plan, 'repairs'> & { detail: Pick<Plan['detail'], 'rejected'> };

export function buildQueue(p: QueuedPlan): QueueEntry[] {
  return queueEntries(p).sort(compareEntries);
}

/** The queue's entries before they are put in order (compareEntries): buildQueue's, for a caller that sorts in steps. */
export function queueEntries(p: QueuedPlan): QueueEntry[] {
  const out: QueueEntry[] = [];
  for (const r of p.repairs) out.push({ key: r.id, repair: r, decision: null, pool: r.template ?? '' });
  for (const { repair, decision } of p.detail.rejected ?? []) out.push({ key: repair.id, repair, decision, pool: repair.template ?? '' });
  return out;
}

/**
 * The index of the next (step 1) or previous (step -1) undecided row strictly after/before `from`,
 * or -1 when there is none that way (no wrap-around, like `git add -p`).
 */
export function nextUndecided(undecided: readonly boolean[], from: number, step: 1 | -1): number {
  for (let i = from + step; i >= 0 && i < undecided.length; i += step) if (undecided[i]) return i;
  return -1;
}
