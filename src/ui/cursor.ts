// Cursor moves shared by the key handlers: clamp to the rows, keep the cursor inside the window; and the cursor
// while a filter is typed and cleared, which goes back to its row by key, never to a row position.
import type { AppState, AppStore } from '../console/state.js';
import type { FilterOrigin, UiState, ViewId } from '../console/ui-state.js';
import { layout, bannerShown } from './layout.js';
import { firstKey } from './keymap.js';
import { clean } from './text.js';
import { rowOfKey } from './rows/row-list.js';
import { reviewSelection } from './review/selection.js';
import { poolsModel } from './views/glance.js';
import { rowTitle, viewInput, viewModel, viewModelOf, windowTop, type ViewModel } from './views/registry.js';

export function pageSize(store: AppStore): number {
  const s = store.getState();
  return Math.max(1, layout(s.ui.viewport.rows, s.ui.viewport.columns, bannerShown(s)).list);
}

/** Move the cursor of the current view to a row index (clamped) and keep it in the window. */
export function moveTo(store: AppStore, target: (index: number, total: number, page: number) => number): void {
  const s = store.getState();
  const view = s.ui.view;
  // The pools of the first look while its beads are on their way (views/glance.ts).
  const vm = view === 'pools' ? poolsModel(s) : viewModel(s, view);
  if (!vm || vm.rows.length === 0) return;
  const page = pageSize(store);
  const index = Math.min(Math.max(target(vm.index, vm.rows.length, page), 0), vm.rows.length - 1);
  const top = windowTop(windowTop(vm.top, vm.index, page, vm.rows.length), index, page, vm.rows.length);
  s.setCursor(view, { key: vm.rows[index].key, index, top });
}

/** The row `vm`'s cursor was on before its filter was typed; none once the slots view shows another pool. */
function originOf(ui: UiState, vm: ViewModel): FilterOrigin | null {
  const from = ui.filterFrom[vm.input.view];
  return from && from.pool === vm.pool ? from : null;
}

function withoutOrigin(ui: UiState, view: ViewId): UiState['filterFrom'] {
  const { [view]: _dropped, ...rest } = ui.filterFrom;
  return rest;
}

/**
 * `/`: remember the row the cursor is on, to go back to (esc). An accepted filter that shows no row left the cursor on
 * none: typed on again, it keeps the row from before it.
 */
export function beginFilter(store: AppStore): void {
  const s = store.getState();
  const view = s.ui.view;
  const vm = viewModel(s, view);
  if (!vm || (s.ui.cursors[view].key === null && originOf(s.ui, vm))) return;
  // A row a refresh took away or hid is the card's (the repairs view): it is the one the operator had in front of them.
  const key = vm.missing || vm.hidden ? vm.input.cursor.key : (vm.rows[vm.index]?.key ?? null);
  const at = vm.rows[vm.index];
  const row = key === null ? undefined : at?.key === key ? at : rowOfKey(vm.table.rows, key);
  const name = row ? rowTitle(vm.view, row) : clean(key ?? '');
  s.patchUi({ filterFrom: { ...s.ui.filterFrom, [view]: { key, index: vm.index, top: vm.top, name, pool: vm.pool } } });
}

/**
 * After the operator changed the current view's filter: the cursor is on the row it was on before the filter was typed
 * whenever the filter shows it (a character erased, the filter emptied). Else a cursor not on a row it shows — hidden
 * by it, or on a row a refresh took away (the repairs view's GONE card) — goes to the row at its place among those it
 * shows (or lets go of its row when it shows none). Only a refresh leaves the cursor on a hidden or vanished row (the
 * repairs view then keeps that repair's card, marked: review/selection.ts); what the operator types is a move of their
 * own.
 */
export function followFilter(store: AppStore): void {
  const s = store.getState();
  const view = s.ui.view;
  const vm = viewModel(s, view);
  if (!vm) return;
  const from = originOf(s.ui, vm);
  if (from && from.key !== null && from.key !== vm.input.cursor.key) {
    const back = viewModelOf({ ...vm.input, cursor: from });
    if (back && !back.hidden && !back.missing) return s.setCursor(view, { key: from.key, index: back.index, top: from.top });
  }
  if (!vm.hidden && !vm.missing) return;
  s.setCursor(view, { key: vm.rows[vm.index]?.key ?? null, index: vm.index, top: vm.top });
}

/**
 * `enter` on the filter: kept, the cursor where the filter put it; an empty filter is none, and its origin goes.
 */
export function acceptFilter(store: AppStore): void {
  const s = store.getState();
  if (s.ui.filters[s.ui.view] === '') s.patchUi({ filterFrom: withoutOrigin(s.ui, s.ui.view) });
}

/**
 * Clear the current view's filter. The cursor goes back to the row it was on before the filter was typed when the
 * filter is cancelled (`esc` while typing it: `cancel`), or when it left the cursor on no row (it matched none); else
 * it stays on its row (the operator picked it from the filtered list). When that row is gone (a refresh), the cursor
 * takes its place, and the status line says so and names the row it is on: never a row taken silently.
 */
export function clearFilter(store: AppStore, cancel: boolean): void {
  const s = store.getState();
  const view = s.ui.view;
  const before = viewModel(s, view);
  const from = before ? originOf(s.ui, before) : null;
  s.patchUi({ filters: { ...s.ui.filters, [view]: '' }, filterFrom: withoutOrigin(s.ui, view) });
  if (!from || (!cancel && s.ui.cursors[view].key !== null)) return;
  const after = store.getState();
  const vm = viewModelOf({ ...viewInput(after, view), cursor: from });
  if (!vm?.missing) return after.setCursor(view, { key: from.key, index: from.index, top: from.top });
  const row = vm.rows[vm.index];
  after.setCursor(view, { key: row?.key ?? null, index: vm.index, top: from.top });
  const went = row ? `: the cursor went to ${rowTitle(vm.view, row)}, at its place` : ', and the list is empty';
  after.setMessage({ text: `${from.name} is gone${went}`, tone: 'info' });
}

/**
 * Why `[`/`]` have no other pool to step to (keymap's `pools`), or null when they have one: a city of one pool, the
 * one shown (a pool gone from the config steps to the pools still there), or of none.
 */
export function noOtherPoolText(s: AppState): string | null {
  const vm = poolsModel(s);
  if (!vm) return null;
  const rows = vm.table.rows;
  const pinned = s.ui.cursors.pools.key;
  const gone = pinned !== null && !rows.some((r) => r.key === pinned);
  if (rows.length > (gone ? 0 : 1)) return null;
  return rows.length === 0 ? 'no pool to step to: the city has none' : 'no other pool: the city has one';
}

/**
 * Why the current view has no row for a key to act on (an empty list, or a filter that matches none), or null when it
 * has one: the words every such key says (keymap's `row`). A card that stays while its row left the list (the repairs
 * view's GONE or HIDDEN card) is one: the decisions say why they decide nothing on it.
 */
export function noRowText(s: AppState): string | null {
  const view = s.ui.view;
  const vm = view === 'pools' ? poolsModel(s) : viewModel(s, view);
  if (!vm || vm.rows.length > 0) return null;
  if (view === 'repairs') {
    const full = viewModel(s, view);
    if (full && reviewSelection(full, s.ui.seen).id !== null) return null;
  }
  const filter = s.ui.filters[view];
  return filter !== ''
    ? `no row selected: the filter "${clean(filter)}" matches none (${firstKey(view, 'clear-filter')} clears it)`
    : 'no row selected: the list is empty';
}
