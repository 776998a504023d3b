// `space` marks repairs in the repairs view, by id; `A` then approves the marked ones instead of everything under
// the filter, and `esc` clears them. The marks themselves live in the console state (ui.marks, pruned by
// marksAfter on every new plan); this is what the keys do with them.
import { sameChanges } from '../../engine/index.js';
import type { Repair } from '../../engine/types.js';
import type { AppStore } from '../../console/state.js';
import { noMarks, type HiddenMarks } from '../../console/ui-state.js';
import { moveTo } from '../cursor.js';
import { isUndecided, queueRowByKey, repairsTable } from '../rows/repairs.js';
import { sortRows } from '../rows/sort.js';
import { viewModel } from '../views/registry.js';
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
  }
  s.patchUi({ marks });
  moveTo(store, (i) => i + 1);
}

/** `esc`: clear the marks; false when there were none. */
export function clearMarks(store: AppStore): boolean {
  const s = store.getState();
  const n = s.ui.marks.size;
  if (n === 0) return false;
  s.patchUi({ marks: noMarks, message: { text: `${n} mark${n === 1 ? '' : 's'} cleared`, tone: 'info' } });
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
