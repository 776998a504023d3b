// Audit view: the append-only log beside the input (every approval, rejection, reopen, apply and export),
// newest first. The row key is the line's position in the log, which never changes (append-only).
import { commandText } from '../../store/gc/script.js';
import type { Change } from '../../engine/types.js';
import type { AuditLog } from '../../store/audit.js';
import type { AuditEntry, GcCallRecord } from '../../store/types.js';
import { diffLine } from '../review/card.js';
import { clean, groupDigits } from '../text.js';
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

/**
 * The changes of an entry as the repair card shows them (its diff lines: `~`/`+`/`-`, an absent value as `""`), one a
 * line, so an operator reads one notation for a change proposed and the same change logged; a log line written by
 * hand may hold none.
 */
function changeLines(changes: unknown): string[] {
  return Array.isArray(changes) ? (changes as Change[]).map((c) => diffLine(c).text) : [];
}

/**
 * The entry's two texts, labelled for a person rather than by the file's keys (which read backwards on screen): the
 * file's `note` is what the operator wrote (a reject's typed reason, `apply --reason`), its `reason` why the engine
 * proposed the repair (an export's: the file it wrote).
 */
const NOTE_LABEL = "operator's note";
const reasonLabel = (e: AuditEntry) => (e.action === 'export' ? 'what it did' : 'why the repair');

/**
 * The detail area under the list: who did what to which repair and with what result first, then every change,
 * then the operator's note and why the repair (each on its own line, so a long one never pushes the changes off), and a
 * stale or failed line's `why`. The audit
 * view lends the area its list's empty rows for these lines (App); `enter` shows the entry in full (auditEntryLines).
 */
export function auditDetail(entries: AuditEntry[], key: string): string[] {
  const e = entries[Number(key)];
  if (!e) return [];
  const lines = [`${clean(e.time)} ${clean(e.operator)} ${clean(e.action)} ${clean(e.repair || e.kind)}: ${clean(e.result)}`];
  lines.push(...changeLines(e.changes));
  if (e.note) lines.push(`${NOTE_LABEL}: ${clean(e.note)}`);
  if (e.reason) lines.push(`${reasonLabel(e)}: ${clean(e.reason)}`);
  // A stale or failed line's why (a failed approval's or decision's error; a gc call's answer).
  if (e.why) lines.push(`why: ${clean(e.why)}`);
  return lines;
}

/** One gc call of a write through Gas City and its answer, as the audit line keeps them. */
function callLines(c: GcCallRecord, n: number): string[] {
  const args = Array.isArray(c.args) ? c.args.map(String) : [];
  const exit = c.signal ? `signal ${clean(c.signal)}` : `exit ${clean(c.exit)}`;
  const out = [`  ${n}. ${commandText({ args })}`, `     answer ${clean(c.answer)} · ${exit}`];
  if (c.stdout) out.push(`     stdout: ${clean(c.stdout)}`);
  if (c.stderr) out.push(`     stderr: ${clean(c.stderr)}`);
  return out;
}

/**
 * An entry in full, for the inspect pane (`enter`): every field it carries, labelled, the changes as the repair card
 * shows them, and for a write through Gas City its calls and their answers. The pane wraps and sanitizes each line.
 */
export function auditEntryLines(entries: AuditEntry[], key: string): string[] {
  const e = entries[Number(key)] as AuditEntry | undefined;
  if (!e) return [];
  const field = (label: string, v: unknown) => `${label}: ${clean(v)}`;
  const lines = [
    field('time', e.time),
    field('operator', e.operator),
    field('action', e.action),
    field('result', e.result),
    field('repair', e.repair || '–'),
    field('kind', e.kind),
    field('bead', e.beadId || '–'),
  ];
  if (e.batch) lines.push(field('batch', e.batch));
  const changes = changeLines(e.changes);
  lines.push(changes.length ? `changes (${changes.length}):` : 'changes: none', ...changes);
  if (Array.isArray(e.written)) lines.push(`written (what the file got instead):`, ...changeLines(e.written));
  lines.push(field(NOTE_LABEL, e.note || '–'), field(reasonLabel(e), e.reason || '–'));
  if (e.via) lines.push(field('via', e.via));
  if (e.why) lines.push(field('why', e.why));
  if (e.recovered !== undefined) lines.push(field('recovered', e.recovered));
  if (Array.isArray(e.calls)) {
    lines.push(e.calls.length ? `gc calls (${e.calls.length}), in order:` : 'gc calls: none made');
    e.calls.forEach((c, i) => lines.push(...(c && typeof c === 'object' ? callLines(c, i + 1) : [`  ${i + 1}. ${clean(c)}`])));
  }
  return lines;
}

/**
 * What the audit view says of the log's lines it could not read (readAudit: torn by a crash, not JSON, naming no
 * entry), or null when it read them all: `2 lines of the audit log could not be read (line 5, 9)`, the first few
 * numbers named. They are skipped, never shown as blank rows, and nothing waits on them.
 */
export function unreadableText(entries: AuditLog): string | null {
  const lines = entries.unreadable ?? [];
  if (lines.length === 0) return null;
  const named = lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', …' : '');
  const n = lines.length;
  return `${groupDigits(n)} line${n === 1 ? '' : 's'} of the audit log could not be read (line ${named})`;
}
