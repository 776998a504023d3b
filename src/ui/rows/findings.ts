// Findings view: what the engine sees but must not change by itself, one row per finding, actions
// first. Some of these have no other home on screen (an unresolved template owns no slot; unknown
// demand belongs to a template), so this is where an operator reads them whole.
import type { Finding } from '../../engine/types.js';
import { clean } from '../text.js';
import type { Derived } from './derive.js';
import { findingLine, slotDetail } from './slot-detail.js';
import { ID_COLUMN, makeRow, type Table } from './types.js';

/** Stable across refreshes: a finding is one kind about one subject. */
export function findingKey(f: Finding): string {
  return `${f.kind}:${f.beadId ?? f.workId ?? f.template ?? ''}`;
}

export function findingsTable(d: Derived): Table {
  return d.table('findings', () => {
    const ordered = [...d.snap.plan.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'action' ? -1 : 1));
    return {
      columns: [
        { title: 'SEVERITY', width: 8 },
        // Narrow, KIND and SUBJECT (which finding a row is) stay, cut with … if need be; TEMPLATE goes, then MESSAGE.
        { title: 'KIND', width: 22, least: 12 },
        { title: 'SUBJECT', ...ID_COLUMN, least: 6 },
        { title: 'TEMPLATE', flex: 1, min: 10, cut: 'middle', drop: 2 },
        { title: 'MESSAGE', flex: 4, min: 12, drop: 1 },
      ],
      rows: ordered.map((f) => {
        const subject = f.beadId ?? f.workId ?? '';
        const row = makeRow(
          findingKey(f),
          [f.severity, f.kind, clean(subject || '–'), clean(f.template ?? '–'), clean(f.message)],
          [subject, f.template ?? ''].filter(Boolean),
        );
        row.cellTones = [f.severity === 'action' ? 'error' : 'dim'];
        return row;
      }),
    };
  });
}

/** The finding of the row `key`. */
export function findingOf(d: Derived, key: string): Finding | undefined {
  return d.snap.plan.findings.find((x) => findingKey(x) === key);
}

export function findingDetail(d: Derived, key: string): string[] {
  const f = findingOf(d, key);
  if (!f) return [];
  // This finding first (the pane may be short), then the bead's own detail without repeating what it says.
  return f.beadId ? slotDetail(d, f.beadId, f) : [findingLine(f)];
}
