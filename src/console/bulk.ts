// The bulk review pane (`A` with nothing marked) while new plans come in. It never takes in what a refresh changed:
// a listed repair whose diff changes, or that leaves the plan, is marked so and left out of the approval (what the
// operator read is no longer what would be written), and a repair the plan adds is counted, never listed. One that a
// later plan proposes again exactly as listed is back in: what it would write is the diff the pane listed, and it
// counts only once those very lines have been on screen (ui/review/bulk.ts keys them by their text). When the set
// changes, what was typed is cleared: the count asked for is always the number it would approve. A listed repair with
// a value too long to show (`long`) is never approved from the pane: it is never on screen whole.
import { sameChanges } from '../engine/index.js';
import type { Plan, Repair } from '../engine/types.js';
import { listed } from './marks.js';
import { dialogOf, type BulkReview, type Message, type Mode } from './ui-state.js';

/**
 * The repairs an open bulk review approves: those listed, but those a refresh changed or took away (or changed what
 * they touch) and those with a value too long to show (never on screen whole).
 */
export function bulkIncluded(d: BulkReview): Repair[] {
  return d.out.size === 0 && d.long.size === 0 && d.moved.size === 0
    ? d.repairs
    : d.repairs.filter((r) => !d.out.has(r.id) && !d.long.has(r.id) && !d.moved.has(r.id));
}

/** The open bulk review as `plan` leaves it, and what the status line says; undefined when none is open or nothing changed. */
export function bulkAfter(mode: Mode, plan: Plan): { mode: Mode; caret?: number; message?: Message } | undefined {
  const d = dialogOf(mode);
  if (d?.kind !== 'bulk') return undefined;
  const proposed = new Map(plan.repairs.map((r) => [r.id, r]));
  const out = new Map(d.out);
  const went: string[] = [];
  const wentBeads: string[] = [];
  const back: string[] = [];
  for (const r of d.repairs) {
    const now = proposed.get(r.id) ?? null;
    if (now && sameChanges(now.changes, r.changes)) {
      // Proposed as listed (again): in. One that was out shows its listed lines again, read or not as they were.
      if (out.delete(r.id) && !d.long.has(r.id)) back.push(r.id);
      continue;
    }
    // Out, showing what is proposed now beside what was listed (never the same diff twice).
    if (!d.out.has(r.id)) {
      went.push(r.id);
      wentBeads.push(r.beadId);
    }
    out.set(r.id, now);
  }
  let added = 0;
  for (const r of plan.repairs) if (!d.known.has(r.id)) added++;
  const sameOut = [...out].every(([id, r]) => {
    const was = d.out.get(id);
    return was === r || (!!was && !!r && sameChanges(was.changes, r.changes));
  });
  if (went.length === 0 && back.length === 0 && added === d.added && sameOut) return undefined;
  const next: BulkReview = { ...d, out, added };
  if (went.length === 0 && back.length === 0) return { mode: next };
  const left = bulkIncluded(next).length;
  const what = `${went.length} listed repair${went.length === 1 ? '' : 's'} changed or left the plan (${listed(went)})`;
  const says = [went.length > 0 ? `${what}: left out` : '', back.length > 0 ? `${listed(back)}: proposed as listed again, back in` : ''];
  const text =
    left > 0
      ? `${says.filter((x) => x !== '').join('; ')}; type ${left}${went.length > 0 ? ' to approve the rest' : ''}`
      : // The pane's title and footer say which key leaves it (the keymap is the ui's: none is named here).
        `${what}: nothing left to approve`;
  const message: Message = went.length > 0 ? { text, tone: 'error', who: wentBeads } : { text, tone: 'info' };
  return { mode: { ...next, text: '' }, caret: 0, message };
}
