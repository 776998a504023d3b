// Drill-down both ways between a bead and its repairs. `r` on a slot, alias, work item or finding opens the
// repairs view narrowed to that bead's repairs (marked on the view bar; `esc` goes back where it came from);
// `b` on a repair (list or card) goes to its bead's row: a session bead in the slots view of its pool, a work
// bead in the work view. Every cursor set here is pinned by id, never by a row position.
import type { AppStore } from '../console/state.js';
import { repairsOfBead } from './rows/repairs.js';
import { beadDetailOf } from './rows/bead-details.js';
import { slotsTable } from './rows/slots.js';
import { workTable } from './rows/work.js';
import { indexOfKey } from './rows/row-list.js';
import { reviewSelection } from './review/selection.js';
import { firstKey } from './keymap.js';
import { clean } from './text.js';
import { showSlots } from './to-slots.js';
import { cursorRow, isPool, viewModel } from './views/registry.js';

/** The selected row of the current view. */
function cursorRowOf(store: AppStore) {
  const s = store.getState();
  const vm = viewModel(s, s.ui.view);
  return vm && cursorRow(vm);
}

/** The bead the selected row is about: the first id it shows that is a bead (a template-wide finding has none). */
export function beadOfSelection(store: AppStore): string | null {
  const s = store.getState();
  const vm = viewModel(s, s.ui.view);
  const row = vm && cursorRow(vm);
  if (!vm || !row) return null;
  return row.ids.find((id) => vm.derived.beadById.has(id)) ?? null;
}

/**
 * `r`: the repairs view, only the selected row's bead's repairs (a pools row: the pool's, as `y` there shows the pool's
 * config, never the bead of one of its duplicates); a message when it has none.
 */
export function drillToRepairs(store: AppStore): void {
  const s = store.getState();
  if (!s.current) return;
  const pool = s.ui.view === 'pools';
  const bead = pool ? (cursorRowOf(store)?.key ?? null) : beadOfSelection(store);
  if (bead === null) return s.setMessage({ text: 'no bead on this row', tone: 'info' });
  const vm = viewModel(s, 'repairs');
  if (!vm) return;
  const rows = repairsOfBead(vm.derived, s.ui.review, bead, pool).rows;
  if (rows.length === 0) return s.setMessage({ text: `no repairs for ${pool ? 'pool ' : ''}${clean(bead)}`, tone: 'info' });
  const from = s.ui.view;
  s.setView('repairs');
  store.getState().patchUi({
    drill: { bead, from, ...(pool ? { pool } : {}) },
    card: false,
    // The bead's repairs, all of them: a filter typed before would hide some.
    filters: { ...store.getState().ui.filters, repairs: '' },
    cursors: { ...store.getState().ui.cursors, repairs: { key: rows[0].key, index: 0, top: 0 } },
  });
}

/**
 * `esc` on the narrowed repairs view: back to the view the drill-down came from, on the row it came from, or, when a
 * refresh took that row away or the view's filter hides it now, at its place with a word saying so. False when not
 * narrowed.
 */
export function leaveDrill(store: AppStore): boolean {
  const s = store.getState();
  if (s.ui.view !== 'repairs' || !s.ui.drill) return false;
  const { bead, from } = s.ui.drill;
  s.setView(from);
  const back = store.getState();
  const vm = viewModel(back, from);
  const filter = back.ui.filters[from];
  const text = vm?.missing
    ? `${clean(bead)} is no longer in the ${from} view: the cursor is at its place`
    : vm?.hidden
      ? `${clean(bead)} is hidden by the filter "${clean(filter)}" now: the cursor is at its place (${firstKey(from, 'clear-filter')} clears the filter)`
      : null;
  // A word about the repairs view (a refused decision) does not follow the operator back.
  back.setMessage(text ? { text, tone: 'info' } : null);
  return true;
}

/** `b`: from the selected repair to its bead's row, in the slots view (a session bead) or the work view. */
export function jumpToBead(store: AppStore): void {
  const s = store.getState();
  const vm = viewModel(s, 'repairs');
  if (!vm) return;
  const sel = reviewSelection(vm, s.ui.seen);
  const repair = sel.entry?.repair ?? sel.seen;
  if (!repair) return s.setMessage({ text: 'no repair selected', tone: 'info' });
  const d = vm.derived;
  const bead = repair.beadId;
  const template = beadDetailOf(d.snap.plan, bead)?.template ?? null;
  if (template !== null && isPool(d, template) && indexOfKey(slotsTable(d, template).rows, bead) >= 0) {
    showSlots(store, template, bead);
    return;
  }
  const index = indexOfKey(workTable(d).rows, bead);
  if (index >= 0) {
    s.setView('work');
    const ui = store.getState().ui;
    store.getState().patchUi({ cursors: { ...ui.cursors, work: { key: bead, index, top: index } }, filters: { ...ui.filters, work: '' } });
    return;
  }
  s.setMessage({
    text: `${clean(bead)} is in neither the slots nor the work view (${firstKey('repairs', 'raw')} shows the bead)`,
    tone: 'info',
  });
}
