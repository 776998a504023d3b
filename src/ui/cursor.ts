// Cursor moves shared by the key handlers: clamp to the rows, keep the cursor inside the window.
import type { AppStore } from '../console/state.js';
import { layout } from './layout.js';
import { poolsModel } from './views/glance.js';
import { viewModel, windowTop } from './views/registry.js';

export function pageSize(store: AppStore): number {
  const s = store.getState();
  return Math.max(1, layout(s.ui.viewport.rows, s.ui.viewport.columns, s.error !== null).list);
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
