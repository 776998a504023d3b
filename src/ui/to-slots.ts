// The ways into the slots view of one pool from a row about it: `2` (and `:slots`) from any row that names a pool
// (a repair's POOL, a finding's TEMPLATE, a work item's route, an alias holder's pool, a template), with the cursor on
// the row's bead when it holds a slot there; `b` from a repair to its bead's slot. The pool shown is the pools view's
// cursor and the slot the slots view's: both are pinned by id, never by a row position.
import { indexOfKey } from './rows/row-list.js';
import type { AppStore } from '../console/state.js';
import { poolsTable } from './rows/pools.js';
import { beadDetailOf } from './rows/bead-details.js';
import { slotsTable } from './rows/slots.js';
import { reviewSelection } from './review/selection.js';
import { clean } from './text.js';
import { currentPool, cursorRow, isPool, poolWith, viewModel, VIEWS, type RowPool } from './views/registry.js';

/**
 * Show the slots of the pool `template`, the cursor on `bead`'s slot (null: where it was when that slot is of this
 * pool, else on the first). False when `template` is not a configured pool.
 */
export function showSlots(store: AppStore, template: string, bead: string | null): boolean {
  const s = store.getState();
  const vm = viewModel(s, 'pools');
  if (!vm) return false;
  const d = vm.derived;
  if (!isPool(d, template)) return false;
  const ui = s.ui;
  const cursors = { ...ui.cursors };
  const filters = { ...ui.filters };
  if (currentPool(ui.cursors.pools, d) !== template) {
    const p = poolsTable(d).rows.findIndex((r) => r.key === template);
    cursors.pools = { key: template, index: p, top: p };
    // The pools view's filter could hide the pool now selected there.
    filters.pools = '';
  }
  // The first row with the key, read without making every row (rows/row-list.ts).
  const index = bead !== null ? indexOfKey(slotsTable(d, template).rows, bead) : -1;
  if (index >= 0) {
    cursors.slots = { key: bead, index, top: index };
    // The slot the operator asked for, under the cursor: a filter typed before would hide it.
    filters.slots = '';
  } else {
    const at = ui.cursors.slots.key;
    // A slot of another pool is not a place in this one: the first row (never the row at the same position).
    if (at === null || beadDetailOf(d.snap.plan, at)?.template !== template) cursors.slots = { key: null, index: 0, top: 0 };
  }
  s.setView('slots');
  store.getState().patchUi({ cursors, filters });
  return true;
}

/** What the selected row of the current view names of a pool (the repairs view: the repair on its card, as `b`). */
function selectedPool(store: AppStore): RowPool | null {
  const s = store.getState();
  const view = s.ui.view;
  const vm = viewModel(s, view);
  if (!vm) return null;
  if (view === 'repairs') {
    const sel = reviewSelection(vm, s.ui.seen);
    const repair = sel.entry?.repair ?? sel.seen;
    // Its POOL (the repair's template; a work repair's route) and its bead.
    return repair ? poolWith(vm.derived, repair.template, repair.beadId) : null;
  }
  const row = cursorRow(vm);
  const of = VIEWS[view].poolOf;
  return row && of ? of(vm.derived, row, vm.input) : null;
}

/**
 * `2` and `:slots`: the slots of the pool the selected row is about, the cursor on its bead's slot; from the slots view
 * itself, or a view whose rows name no pool (the trend view), the slots of the pool selected in the pools view. A row
 * that names something that is not a pool says so, and shows those.
 */
export function openSlots(store: AppStore): void {
  const s = store.getState();
  const at = s.ui.view === 'slots' ? null : selectedPool(store);
  if (at?.template && showSlots(store, at.template, at.bead)) return;
  s.setView('slots');
  if (!at) return;
  const what = at.template
    ? `${clean(at.template)} is not a configured pool`
    : at.bead
      ? `${clean(at.bead)} is in no pool`
      : 'this row names no pool';
  const vm = viewModel(store.getState(), 'slots');
  const shown = vm?.pool ? `the slots of ${clean(vm.pool)}, the pool selected in the pools view` : 'no pool is configured';
  store.getState().setMessage({ text: `${what}: showing ${shown}`, tone: 'info' });
}
