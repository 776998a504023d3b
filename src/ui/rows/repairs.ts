// Repairs view: the plan's queue. The repair-review flow (card, approve/reject) plugs in here: the
// row key is the repair id, which is stable across runs.
import type { Change } from '../../engine/types.js';
import { clean, groupDigits } from '../text.js';
import type { Derived } from './derive.js';
import { makeRow, type Table } from './types.js';

export function repairsTable(d: Derived): Table {
  return d.table('repairs', () => ({
    columns: [
      { title: 'KIND', width: 29 },
      { title: 'BEAD', width: 14 },
      { title: 'TEMPLATE', flex: 1, min: 8 },
      { title: 'REASON', flex: 4, min: 10 },
    ],
    rows: d.snap.plan.repairs.map((r) => {
      const row = makeRow(r.id, [r.kind, clean(r.beadId), clean(r.template ?? '–'), clean(r.reason)], [r.id, r.beadId]);
      row.cellTones = [r.kind === 'close-duplicate' || r.kind === 'rollback-stale-create' ? 'error' : 'warn'];
      return row;
    }),
  }));
}

const show = (v: string | null) => (v === null ? '(absent)' : JSON.stringify(clean(v)));

export function changeLine(c: Change): string {
  return `${clean(c.field)}: ${show(c.before)} → ${show(c.after)}`;
}

export function repairDetail(d: Derived, key: string): string[] {
  const r = d.snap.plan.repairs.find((x) => x.id === key);
  if (!r) return [];
  return [`${clean(r.id)}: ${clean(r.reason)}`, ...r.changes.map(changeLine)];
}

/** The rollback backlog line: how many stale creates wait beyond this tick's budget, and when they clear. */
export function backlogLine(d: Derived, patrolMs: number): string | null {
  const b = d.snap.plan.detail.rollbackBacklog;
  if (b.stale === 0) return null;
  const eta = b.ticks > 0 ? ` · clears in ${b.ticks} tick${b.ticks === 1 ? '' : 's'} (~${Math.round((b.ticks * patrolMs) / 1000)} s)` : '';
  return `rollback backlog: ${groupDigits(b.stale)} stale, ${groupDigits(b.deferred)} deferred, budget ${b.budget}/tick${eta}`;
}
