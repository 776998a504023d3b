// Audit view: the append-only log beside the input (every approval, rejection, reopen, apply and export),
// newest first. The row key is the line's position in the log, which never changes (append-only).
import type { AuditEntry } from '../../store/types.js';
import { clean, quoted } from '../text.js';
import type { Tone } from '../theme.js';
import { makeRow, type Table } from './types.js';

const RESULT_TONE: Record<string, Tone> = { applied: 'ok', stale: 'error', failed: 'error', recorded: 'accent' };

const cache = new WeakMap<AuditEntry[], Table>();

export function auditTable(entries: AuditEntry[]): Table {
  let t = cache.get(entries);
  if (t) return t;
  const rows = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    const note = e.note ? `${clean(e.note)} — ` : '';
    const row = makeRow(
      String(i),
      [clean(e.time), clean(e.operator), clean(e.action), clean(e.result), clean(e.repair || e.kind), note + clean(e.reason)],
      [e.repair, e.beadId].filter(Boolean),
    );
    row.cellTones = [undefined, undefined, undefined, RESULT_TONE[e.result]];
    rows.push(row);
  }
  t = {
    columns: [
      { title: 'TIME', width: 20 },
      { title: 'OPERATOR', width: 12, drop: 1 },
      { title: 'ACTION', width: 7 },
      { title: 'RESULT', width: 8 },
      { title: 'REPAIR', flex: 2, min: 12, cut: 'middle' },
      { title: 'NOTE / REASON', flex: 3, min: 10 },
    ],
    rows,
  };
  cache.set(entries, t);
  return t;
}

const show = quoted;

export function auditDetail(entries: AuditEntry[], key: string): string[] {
  const e = entries[Number(key)];
  if (!e) return [];
  const lines = [
    `${clean(e.time)} ${clean(e.operator)} ${clean(e.action)} ${clean(e.repair || e.kind)}: ${clean(e.result)}${e.note ? ` — ${clean(e.note)}` : ''}`,
  ];
  for (const c of Array.isArray(e.changes) ? e.changes : []) lines.push(`  ${clean(c.field)}: ${show(c.before)} → ${show(c.after)}`);
  if (e.reason) lines.push(clean(e.reason));
  return lines;
}
