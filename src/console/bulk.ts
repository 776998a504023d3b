// The bulk review pane (`A` with nothing marked) while new plans come in. It never takes in what a refresh changed:
// a listed repair whose diff changes, or that leaves the plan, is marked so and left out of the approval (what the
// operator read is no longer what would be written), and a repair the plan adds is counted, never listed. When the
// set shrinks, what was typed is cleared: the count asked for is always the number it would approve.
import { sameChanges } from '../engine/index.js';
import type { Plan, Repair } from '../engine/types.js';
import { dialogOf, type BulkReview, type Message, type Mode } from './ui-state.js';

/** The repairs an open bulk review approves: those listed, but those a refresh changed or took away. */
export function bulkIncluded(d: BulkReview): Repair[] {
  return d.out.size === 0 ? d.repairs : d.repairs.filter((r) => !d.out.has(r.id));
}

const named = (ids: string[]) => (ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`);

/** The open bulk review as `plan` leaves it, and what the status line says; undefined when none is open or nothing changed. */
export function bulkAfter(mode: Mode, plan: Plan): { mode: Mode; caret?: number; message?: Message } | undefined {
  const d = dialogOf(mode);
  if (d?.kind !== 'bulk') return undefined;
  const proposed = new Map(plan.repairs.map((r) => [r.id, r]));
  const out = new Map(d.out);
  const went: string[] = [];
  for (const r of d.repairs) {
    const now = proposed.get(r.id) ?? null;
    // Once out, out (a later plan that proposes the listed version again does not bring it back unread); what it
    // shows as proposed now follows the plan.
    if (d.out.has(r.id)) out.set(r.id, now);
    else if (!now || !sameChanges(now.changes, r.changes)) {
      went.push(r.id);
      out.set(r.id, now);
    }
  }
  let added = 0;
  for (const r of plan.repairs) if (!d.known.has(r.id)) added++;
  const sameOut = [...out].every(([id, r]) => {
    const was = d.out.get(id);
    return was === r || (!!was && !!r && sameChanges(was.changes, r.changes));
  });
  if (went.length === 0 && added === d.added && sameOut) return undefined;
  const next: BulkReview = { ...d, out, added };
  if (went.length === 0) return { mode: next };
  const left = d.repairs.length - out.size;
  const what = `${went.length} listed repair${went.length === 1 ? '' : 's'} changed or left the plan (${named(went)})`;
  const text = left > 0 ? `${what}: left out; type ${left} to approve the rest` : `${what}: nothing left to approve (esc)`;
  return { mode: { ...next, text: '' }, caret: 0, message: { text, tone: 'error' } };
}
