// A read's snapshot made ready for its first frame before it goes on screen: the indexes the views share, the
// pools view's tallies (the view a launch shows) and the rows of the slots view (the longest list most operators
// watch), a slice at a time with keys and frames in between (watch.ts awaits this before the store takes the
// snapshot). That frame then only windows the rows.
// Once the snapshot is on screen, warmViews makes the rows of the other long views while the console idles;
// what neither makes (a sort, a filter, a short view) is made when a frame needs it.
import type { AppState, Snapshot } from '../../console/state.js';
import { warmContentWidths } from '../components/fit-columns.js';
import { derive } from '../rows/derive.js';
import { warmBeadDetails } from '../rows/bead-details.js';
import { warmFilterCode, warmSearchIndex } from '../rows/filter.js';
import { warmAliasesTable, aliasesTable } from '../rows/aliases.js';
import { slotsTable, warmSlotsTable } from '../rows/slots.js';
import { warmPoolsTable } from '../rows/pools.js';
import { currentPool, isPool, VIEWS, viewInput, warmKeyIndex } from './registry.js';
import { templatesTable } from '../rows/templates.js';
import { warmWorkTable, workTable } from '../rows/work.js';
import { findingsTable } from '../rows/findings.js';
import { warmRepairsTable } from '../rows/repairs.js';

const pause = () => new Promise<void>((res) => setImmediate(res));

export async function prepareSnapshot(snap: Snapshot, s: AppState): Promise<void> {
  const d = derive(snap);
  await d.warm(pause);
  await warmBeadDetails(snap.plan, pause);
  // The pools view is the one a launch shows, and its tallies read every bead's detail.
  await warmPoolsTable(d, pause);
  if (s.ui.view !== 'slots') return;
  const pool = currentPool(s.ui.cursors.pools, d);
  if (pool === null || !isPool(d, pool)) return;
  await warmSlotsTable(d, pool, pause);
  const table = VIEWS.slots.table(d, pool, viewInput(s, 'slots', snap));
  await warmContentWidths(table.columns, table.rows, pause);
}

/** A snapshot that is no longer on screen: its views need no rows. */
class Superseded extends Error {}

/**
 * Once a snapshot is on screen, the rows of the views an operator may open next, a slice at a time while the
 * console idles (keys and frames in between): the aliases view (every name of every session, the longest list)
 * and the slots view of every pool, with their search indexes (rows/filter.ts). So the first visit
 * of a view after a read does not stall the keys while its rows are made (at 100 000 beads, seconds), nor its
 * first filter while the index is. Stops as soon as another snapshot replaces this one.
 */
export async function warmViews(snap: Snapshot, onScreen: () => boolean, state?: () => AppState): Promise<void> {
  const step = async () => {
    await pause();
    if (!onScreen()) throw new Superseded();
  };
  try {
    const d = derive(snap);
    await d.warm(step);
    await warmBeadDetails(snap.plan, step);
    await d.warmByBead(step);
    for (const pool of d.poolNames) {
      await warmSlotsTable(d, pool, step);
      const t = slotsTable(d, pool);
      await warmContentWidths(t.columns, t.rows, step);
      await warmKeyIndex(t.rows, step);
      // Every pool's: its rows keep no search text (rows/lazy-row.ts), the index holds it.
      await warmSearchIndex(t.rows, step);
    }
    await warmAliasesTable(d, step);
    const t = aliasesTable(d);
    await warmContentWidths(t.columns, t.rows, step);
    // Not its key places: each aliases row's key is a string made of three (name, kind, holder), and keeping the
    // 216 000 of them at 100 000 beads cost the console about 35 MiB it would hold whether the view is opened or not.
    await warmSearchIndex(t.rows, step);
    await warmFilterCode(step);
    // The shorter views, each made in one step (a few to 20 ms at 100 000 beads; the work view's rows, the longest,
    // in slices) and measured in slices: their first visit took 25-120 ms.
    await warmWorkTable(d, step);
    for (const make of [() => templatesTable(d), () => workTable(d), () => findingsTable(d)]) {
      await step();
      const short = make();
      await warmContentWidths(short.columns, short.rows, step);
    }
    // The repairs queue in steps too: 6 769 rows at 100 000 beads, its rows then every cell's width.
    const review = state?.().ui.review;
    if (review) {
      const queue = await warmRepairsTable(d, review, step);
      await warmContentWidths(queue.columns, queue.rows, step);
    }
  } catch (e) {
    if (!(e instanceof Superseded)) throw e;
  }
}
