// `space` marks repairs in the repairs view, by id; `A` then approves the marked ones instead of everything under
// the filter, and `esc` clears them. The marks themselves live in the console state (ui.marks, pruned by
// marksAfter on every new plan); this is what the keys do with them. A destructive repair is marked on the picture its
// card gives, its blast radius too (what approving it touches: live work on the bead it closes, the slot it frees), as
// a confirmation asks on it: a refresh that changes that drops the mark (dropMovedMarks), as a changed diff does.
import { isDestructive, sameChanges } from '../../engine/index.js';
import type { Repair } from '../../engine/types.js';
import { marksKept } from '../../console/marks.js';
import type { AppState, AppStore } from '../../console/state.js';
import { noMarks, noRadius, type HiddenMarks } from '../../console/ui-state.js';
import { moveTo } from '../cursor.js';
import { isUndecided, queueRowByKey, repairsTable } from '../rows/repairs.js';
import { sortRows } from '../rows/sort.js';
import { viewModel } from '../views/registry.js';
import { movedWhich, radiusMoved, radiusNow } from './confirm-radius.js';
import { diffOnScreenNow, notOnScreenText, reviewSelection } from './selection.js';

/**
 * `space`: mark (or unmark) the undecided repair under the cursor, as it is proposed now, and move down. Only a
 * version whose whole diff is on screen can be marked, as only such a one can be approved with `a`: `A`
 * approves the marks as they are.
 */
export function toggleMark(store: AppStore): void {
  const s = store.getState();
  const vm = viewModel(s, 'repairs');
  const key = vm?.rows[vm.index]?.key;
  if (!vm) return;
  if (key === undefined) return s.setMessage({ text: 'mark: no repair selected', tone: 'error' });
  // The card stays on a repair whose row left the list: the row at the cursor's place is not what it shows.
  const away = reviewSelection(vm, s.ui.seen);
  if (away.state === 'gone' || away.state === 'hidden')
    return s.setMessage({ text: `${away.id} is not in the list: move to a repair to mark it`, tone: 'error' });
  const marks = new Map(s.ui.marks);
  const markedRadius = new Map(s.ui.markedRadius);
  if (marks.has(key)) marks.delete(key);
  else {
    const q = queueRowByKey(vm.derived, s.ui.review).get(key);
    if (!q || !isUndecided(q)) {
      s.setMessage({ text: `${key} is ${q?.status ?? 'not proposed'}: only undecided repairs can be marked`, tone: 'error' });
      return;
    }
    const sel = reviewSelection(vm, s.ui.seen);
    if (sel.id !== key || sel.state !== 'same' || !diffOnScreenNow(s.ui.diffOnScreen, q)) {
      const text =
        sel.state === 'changed'
          ? `the diff of ${key} changed since you opened it: a or r acknowledges the new one; not marked`
          : notOnScreenText(key, s.ui.card, 'not marked', q.repair.changes);
      s.setMessage({ text, tone: 'error', subject: key });
      return;
    }
    marks.set(key, q.repair);
    if (isDestructive(q.repair)) markedRadius.set(key, radiusNow(s, q.repair));
  }
  s.patchUi({ marks, markedRadius });
  moveTo(store, (i) => i + 1);
}

/** `esc`: clear the marks; false when there were none. */
export function clearMarks(store: AppStore): boolean {
  const s = store.getState();
  const n = s.ui.marks.size;
  if (n === 0) return false;
  s.patchUi({ marks: noMarks, markedRadius: noRadius, message: { text: `${n} mark${n === 1 ? '' : 's'} cleared`, tone: 'info' } });
  return true;
}

/**
 * The marked repairs `A` approves, in the order the list shows them (its sort; the filter or a drill-down hides some,
 * and those keep their place in it): the count prompt names them so. Each as it was marked, and only while it is
 * undecided and proposed with the same changes (a refresh drops the others' marks; this holds between refreshes too).
 * `hidden`: the ids of those the list does not show now, so the prompt can say that it approves them too.
 */
export function markedRepairs(store: AppStore): { repairs: Repair[]; hidden: HiddenMarks } {
  const s = store.getState();
  const vm = viewModel(s, 'repairs');
  const hidden: HiddenMarks = { ids: [], by: vm?.input.filter ? 'filter' : 'narrowing' };
  if (!vm || s.ui.marks.size === 0) return { repairs: [], hidden };
  const byKey = queueRowByKey(vm.derived, s.ui.review);
  const shown = new Set(vm.rows.map((r) => r.key));
  const out: Repair[] = [];
  for (const row of sortRows(repairsTable(vm.derived, s.ui.review).rows, s.ui.sorts.repairs)) {
    const marked = s.ui.marks.get(row.key);
    const q = byKey.get(row.key);
    if (!marked || !q || !isUndecided(q) || !sameChanges(q.repair.changes, marked.changes)) continue;
    out.push(marked);
    if (!shown.has(row.key)) hidden.ids.push(row.key);
  }
  return { repairs: out, hidden };
}

/** The marked destructive repairs whose blast radius is not the one they were marked on, each with what changed. */
function movedMarks(s: AppState): { id: string; what: string }[] {
  const { marks, markedRadius } = s.ui;
  if (marks.size === 0 || markedRadius.size === 0 || !s.current) return [];
  const out: { id: string; what: string }[] = [];
  for (const [id, r] of marks) {
    const was = markedRadius.get(id);
    const what = was && radiusMoved(was, radiusNow(s, r));
    if (what) out.push({ id, what });
  }
  return out;
}

/**
 * Drop the marks of destructive repairs whose blast radius changed since they were marked (live work assigned meanwhile
 * to the bead one closes): `A` would otherwise close it on a picture the operator no longer has. The status line names
 * them and what changed; a count prompt open on the marks follows, as for a changed diff. True when any went.
 */
export function dropMovedMarks(store: AppStore): boolean {
  const s = store.getState();
  const moved = movedMarks(s);
  if (moved.length === 0) return false;
  const marks = new Map(s.ui.marks);
  for (const m of moved) marks.delete(m.id);
  const n = moved.length;
  const which = movedWhich(moved);
  const message = {
    text: `${n} marked repair${n === 1 ? "'s" : "s'"} blast radius changed (${which}): mark${n === 1 ? '' : 's'} dropped; read the card${n === 1 ? '' : 's'} and mark again`,
    tone: 'error' as const,
  };
  s.patchUi(marksKept(s.ui, marks, message, 'whose blast radius changed', which));
  return true;
}
