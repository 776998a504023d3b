// Cursor moves shared by the key handlers: clamp to the rows, keep the cursor inside the window.
import type { AppStore } from '../console/state.js';
import { layout, bannerShown } from './layout.js';
import { poolsModel } from './views/glance.js';
import { viewModel, windowTop } from './views/registry.js';

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

/**
 * After the operator changed the current view's filter: a cursor not on a row it shows — hidden by it, or on a row a
 * refresh took away (the repairs view's GONE card) — goes to the row at its place among those it shows (or lets go of
 * its row when it shows none). Only a refresh leaves the cursor on a hidden or vanished row (the repairs view then
 * keeps that repair's card, marked: review/selection.ts); what the operator types is a move of their own.
 */
export function followFilter(store: AppStore): void {
  const s = store.getState();
  const view = s.ui.view;
  const vm = viewModel(s, view);
  if (!vm || (!vm.hidden && !vm.missing)) return;
  s.setCursor(view, { key: vm.rows[vm.index]?.key ?? null, index: vm.index, top: vm.top });
}
