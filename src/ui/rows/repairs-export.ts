// What `E` writes from the repairs view: each repair as the queue and its card show it, not just the queue's cells.
// The queue's columns name a repair by its kind and bead and leave its diff to the card; an export read elsewhere (a
// ticket, a review by someone else, `apply --repair`) needs the id and what it would change. One row per repair, in
// the view's order and under its filter, as the other views' exports are.
import { REPAIR_KINDS } from '../../engine/index.js';
import type { Change } from '../../engine/types.js';
import type { ReviewOutcome } from '../../console/ui-state.js';
import { showValue } from '../../store/output/plan-view.js';
import type { QueueRow } from './repairs.js';

export const REPAIR_EXPORT_COLUMNS = ['ID', 'STATUS', 'MARKED', 'POOL', 'KIND', 'RULE', 'BEAD', 'CHANGES', 'REASON', 'DECISION'];

/** A change as the card spells it, without its sign: `metadata.pool_slot: "5" → "2"`. */
export function changeText(c: Change): string {
  return `${c.field}: ${showValue(c.before)} → ${showValue(c.after)}`;
}

/**
 * Where the repair stands, in words: this session's outcome (applied by whom and when, stale and why, rejected with the
 * reason), else the rejection on disk that withholds it; '' for one nobody decided.
 */
function decisionText(q: QueueRow, outcome: ReviewOutcome | undefined): string {
  if (outcome) return outcome.text;
  const d = q.decision;
  if (!d) return '';
  return `${d.decision} by ${d.by ?? 'unknown'}${d.at ? ` at ${d.at}` : ''}${d.reason ? `: ${d.reason}` : ''}`;
}

/** The cells of one repair (REPAIR_EXPORT_COLUMNS); changes joined by `; ` (their values are quoted, so it never splits one). */
export function repairExportCells(q: QueueRow, outcome: ReviewOutcome | undefined, marked: boolean): string[] {
  const r = q.repair;
  return [
    r.id,
    q.status,
    marked ? 'yes' : '',
    q.pool,
    r.kind,
    REPAIR_KINDS[r.kind].rule,
    r.beadId,
    r.changes.map(changeText).join('; '),
    r.reason,
    decisionText(q, outcome),
  ];
}
