// A read's snapshot made ready for its first frame before it goes on screen: the indexes the views share and
// the rows of the slots view (the longest list most operators watch), a slice at a time with keys and frames in
// between (watch.ts awaits this before the store takes the snapshot). That frame then only windows the rows.
// What is not made here (another view's rows, a sort, a filter) is made when a frame needs it, as before.
import type { AppState, Snapshot } from '../../console/state.js';
import { warmContentWidths } from '../components/fit-columns.js';
import { derive } from '../rows/derive.js';
import { warmSlotsTable } from '../rows/slots.js';
import { currentPool, VIEWS, viewInput } from './registry.js';

const pause = () => new Promise<void>((res) => setImmediate(res));

export async function prepareSnapshot(snap: Snapshot, s: AppState): Promise<void> {
  const d = derive(snap);
  await d.warm(pause);
  if (s.ui.view !== 'slots') return;
  const pool = currentPool(s.ui.cursors.pools, d);
  if (pool === null) return;
  await warmSlotsTable(d, pool, pause);
  const table = VIEWS.slots.table(d, pool, viewInput(s, 'slots', snap));
  await warmContentWidths(table.columns, table.rows, pause);
}
