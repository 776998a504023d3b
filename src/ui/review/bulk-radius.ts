// The bulk review pane (`A` with nothing marked) lists destructive repairs by their diffs, under a DESTRUCTIVE heading.
// What approving one touches (its blast radius: live work on the bead it closes, the slot it frees) can change while
// its diff stays the same, as an outside write assigns work to a stale create. The pane keeps each one's radius as it
// opened (handlers.ts bulkOf); a plan that changes it leaves that repair out, as a changed diff does, so the count
// never closes a bead on a picture the operator no longer has. As a mark's (marks.ts dropMovedMarks), and as a
// confirmation's (confirm-radius.ts), which say CHANGED where `a` would have asked.
import { bulkIncluded } from '../../console/bulk.js';
import type { AppStore } from '../../console/state.js';
import { dialogOf } from '../../console/ui-state.js';
import { movedWhich, radiusMoved, radiusNow } from './confirm-radius.js';

/** Leave out the listed repairs whose blast radius changed since the pane opened; true when any went (the status line says which). */
export function leaveOutMovedRadius(store: AppStore): boolean {
  const s = store.getState();
  const d = dialogOf(s.ui.mode);
  if (d?.kind !== 'bulk' || d.radius.size === 0) return false;
  const moved = new Map(d.moved);
  const went: { id: string; what: string }[] = [];
  for (const r of d.repairs) {
    const was = d.radius.get(r.id);
    // One a refresh changed or took away, or with a value too long to show, is out already, and says so.
    if (!was || moved.has(r.id) || d.out.has(r.id) || d.long.has(r.id)) continue;
    const what = radiusMoved(was, radiusNow(s, r));
    if (what === null) continue;
    moved.set(r.id, what);
    went.push({ id: r.id, what });
  }
  if (went.length === 0) return false;
  const next = { ...d, moved, text: '' };
  const left = bulkIncluded(next).length;
  const n = went.length;
  const what = `${n} listed repair${n === 1 ? "'s" : "s'"} blast radius changed (${movedWhich(went)})`;
  s.patchUi({
    mode: next,
    caret: 0,
    message: { text: left > 0 ? `${what}: left out; type ${left} to approve the rest` : `${what}: nothing left to approve`, tone: 'error' },
  });
  return true;
}
