// The rows `E` exports: what the view shows, under its filter and in its order. Most views export their cells; the
// repairs view exports each repair whole (rows/repairs-export.ts), as its cells leave the id and the diff to the card.
import type { AppState } from '../console/state.js';
import type { RowsExport } from '../console/review.js';
import { queueRowByKey } from './rows/repairs.js';
import { REPAIR_EXPORT_COLUMNS, repairExportCells } from './rows/repairs-export.js';
import { viewModel } from './views/registry.js';
import { allCells } from './rows/row-list.js';

/** The rows of the view on screen, as `E` writes them; null before anything is loaded. */
export function viewRowsExport(s: AppState): RowsExport | null {
  const { view } = s.ui;
  const vm = viewModel(s, view);
  if (!vm) return null;
  if (view !== 'repairs') return { view, columns: vm.table.columns.map((c) => c.title), rows: allCells(vm.rows, vm.table.columns.length) };
  const { review, marks } = s.ui;
  const byKey = queueRowByKey(vm.derived, review);
  const rows: string[][] = [];
  for (const row of vm.rows) {
    const q = byKey.get(row.key);
    if (q) rows.push(repairExportCells(q, review[q.key], marks.has(q.key)));
  }
  return { view, columns: REPAIR_EXPORT_COLUMNS, rows };
}
