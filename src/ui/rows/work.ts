// Work view: live work stuck behind a session of another template, and work whose assignee is gone.
import type { Bead, WorkInfo } from '../../engine/types.js';
import { clean } from '../text.js';
import { KeptPlaces } from './kept-places.js';
import { runAtOnce, runSliced, sliceDue, type Derived } from './derive.js';
import { ID_COLUMN, makeRow, type Row, type Table } from './types.js';

export function workTable(d: Derived): Table {
  return d.table('work', () => runAtOnce(workSteps(d)));
}

/** The same table made a slice at a time, awaiting `pause` in between (while the console idles after a read). */
export async function warmWorkTable(d: Derived, pause: () => Promise<void>): Promise<void> {
  if (d.has('work')) return;
  const table = await runSliced(workSteps(d), pause);
  d.table('work', () => table);
}

/**
 * The last table made: each row's work item and bead, and its rows. A row is its work item's and bead's (the same
 * objects, as a refresh hands back what did not change): the last table's row of both is this table's.
 */
let last: { items: WorkInfo[]; beads: (Bead | undefined)[]; rows: Row[] } | null = null;

/** The table's making, in steps of a slice's time each (derive.ts): at 100 000 beads 15-20 ms in one go. */
function* workSteps(d: Derived): Generator<void, Table> {
  const work = d.snap.plan.detail.work;
  const rows: Row[] = [];
  const items: WorkInfo[] = [];
  const beads: (Bead | undefined)[] = [];
  const was = last;
  const kept = was ? new KeptPlaces(was.items, (w) => w.id) : null;
  for (let k = 0; k < work.length; k++) {
    if (sliceDue(k)) yield;
    const w = work[k];
    if (w.problem === null) continue;
    const bead = d.beadById.get(w.id);
    const at = kept ? kept.place(rows.length, w) : -1;
    items.push(w);
    beads.push(bead);
    rows.push(at >= 0 && was!.beads[at] === bead ? was!.rows[at] : workRow(w, bead));
  }
  last = { items, beads, rows };
  return {
    columns: [
      { title: 'WORK', ...ID_COLUMN },
      { title: 'PROBLEM', width: 15 },
      { title: 'ROUTE', flex: 2, min: 12, cut: 'middle' },
      { title: 'ASSIGNEE', flex: 2, min: 12, cut: 'middle' },
      { title: 'SESSION', ...ID_COLUMN, drop: 2 },
      { title: 'SESSION TEMPLATE', short: 'TEMPLATE', flex: 2, min: 8, cut: 'middle', drop: 3 },
      { title: 'STATUS', width: 12, drop: 1 },
      { title: 'TITLE', flex: 1, min: 12 },
    ],
    rows,
  };
}

function workRow(w: WorkInfo, bead: Bead | undefined): Row {
  const row = makeRow(
    w.id,
    [
      clean(w.id),
      w.problem ?? '',
      clean(w.route),
      clean(w.assignee),
      clean(w.sessionId ?? '–'),
      clean(w.sessionTemplate ?? '–'),
      clean(bead?.status ?? ''),
      clean(bead?.title ?? ''),
    ],
    [w.id, ...(w.sessionId ? [w.sessionId] : [])],
  );
  row.cellTones = [undefined, 'error'];
  return row;
}

export function workDetail(d: Derived, key: string): string[] {
  const w = d.workById.get(key);
  if (!w) return [];
  const lines = [
    w.problem === 'cross-template'
      ? `${clean(w.id)} is routed to ${clean(w.route)} but its assignee ${clean(w.assignee)} is session ${clean(w.sessionId ?? '?')} of ${clean(w.sessionTemplate ?? '?')}: no resume under either template`
      : `${clean(w.id)} is routed to ${clean(w.route)}; its assignee ${clean(w.assignee)} resolves to no open session bead`,
  ];
  for (const r of d.repairsByBead.get(key) ?? []) lines.push(`proposed ${r.kind}: ${clean(r.reason)}`);
  return lines;
}
