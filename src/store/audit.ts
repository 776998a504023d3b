// The audit log: append-only JSON Lines beside the input, one line per applied, stale or recorded action.
//
// Every commit has its lines, whatever kills gc-tui when (a write-ahead journal):
// 1. the new data file is written to its temp file and fsynced;
// 2. the audit lines of the write go to `<audit log>.pending` (fsynced, with the temp file's name and the
//    sha256 of the new bytes);
// 3. the temp file is renamed over the data file (the commit);
// 4. the lines are appended to the log (fsynced), and the pending file removed.
// The next write under the same lock first settles a pending file left by a kill (recoverPendingAudit): the
// data file holds exactly the new bytes → the lines are appended (unless the log already ends with them);
// the temp file is still there with those bytes → the rename never happened, nothing is logged; neither can
// be told (another writer replaced the file since) → the lines are appended marked `"recovered":
// "unverified"`. A commit is never left without its audit lines.
import { createHash, randomUUID } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { removeDeadTemps, writeFileAtomic } from './fs/atomic-file.js';
import { appendLines } from './fs/append.js';
import { describeFsError, errnoCode } from './fs/fs-errors.js';
import { auditPathOf, dataPathOf, ensureOwnDir, pendingAuditPath } from './fs/paths.js';
import { readFileTail, readRegularFile, readRegularTextIfExists } from './fs/read-bounded.js';
import { lstatOrNull, SYMLINK_REFUSED } from './fs/safe-file.js';
import { escapeJsonText } from './formats/json-text.js';
import type { Change } from '../engine/types.js';
import { InputError, type AuditEntry, type FileBytes, type GcCallRecord, type Source } from './types.js';

/** A fresh id for the `batch` key shared by the audit lines of one bulk approval (ApplyOptions.batch). */
export function newBatchId(): string {
  return randomUUID();
}

/** The JSON Lines of `entries`: C0 escaped by JSON, and DEL, C1 and bidi controls as \u escapes too. */
export function auditText(entries: readonly AuditEntry[]): string {
  return entries.length === 0 ? '' : escapeJsonText(entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

/**
 * auditText's UTF-8, made once per array: a write journals its entries (writePendingAudit) and then appends the same
 * array's lines (appendAudit); at `apply --all` on 100 000 beads that is 6 769 entries, 3.5 MB. Keyed by the array:
 * write.ts builds it once and changes it no more.
 */
const madeBytes = new WeakMap<readonly AuditEntry[], Buffer>();

/**
 * auditText's UTF-8, made a line at a time: a line of ASCII characters only is its bytes as they are (copied, not
 * encoded), and only a line that is not is escaped and encoded. Joined whole, one arrow in one reason (a repair's
 * "before → after") made all 3.5 MB a two-byte string, escaped and encoded as such: 45-80 ms against 30-55 ms so.
 * Escaping is per character and no line holds a raw line break, so the lines escaped apart are the text escaped whole.
 */
function auditBytes(entries: readonly AuditEntry[]): Buffer {
  let bytes = madeBytes.get(entries);
  if (bytes !== undefined) return bytes;
  const lines = entries.map((e) => JSON.stringify(e));
  // Per line, its length in bytes: negative for an ASCII line (written as Latin-1: byte i is character i).
  const sizes = new Array<number>(lines.length);
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const n = Buffer.byteLength(line, 'utf8');
    if (n === line.length && line.indexOf('\x7f') < 0) sizes[i] = -n;
    else {
      lines[i] = escapeJsonText(line);
      sizes[i] = Buffer.byteLength(lines[i], 'utf8');
    }
    total += Math.abs(sizes[i]) + 1;
  }
  bytes = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    at += bytes.write(lines[i], at, sizes[i] < 0 ? 'latin1' : 'utf8');
    bytes[at++] = 0x0a;
  }
  madeBytes.set(entries, bytes);
  return bytes;
}

/**
 * Append entries in one write (O_APPEND, fsynced), so concurrent writers never interleave inside a line and a
 * line torn by a crash is never glued to the next one. The log is never followed through a link.
 */
export function appendAudit(source: Source, entries: AuditEntry[]): void {
  if (entries.length === 0) return;
  const file = auditPathOf(source);
  try {
    ensureOwnDir(source);
    appendLines(file, auditBytes(entries), { like: dataPathOf(source) });
  } catch (e) {
    const why = e instanceof InputError ? (e.file === file ? e.detail : e.message) : describeFsError(e);
    throw new InputError(file, null, `cannot append to the audit log: ${why.replace(/^cannot append: /, '')}`);
  }
}

/**
 * Before a write: fail (and write nothing) when the audit log could certainly not be appended to: it, or a
 * city's `.gc/gc-tui`, is a link, or it is not a regular file. A missing `.gc/gc-tui` is made by the write's first
 * step that needs it (writePendingAudit), so a write refused before it leaves no empty directory behind.
 */
export function assertAuditWritable(source: Source): void {
  // One that is there is checked as the write will find it (a link is refused).
  if (lstatOrNull(dirname(auditPathOf(source))) !== null) ensureOwnDir(source);
  const file = auditPathOf(source);
  const st = lstatOrNull(file);
  if (st?.isSymbolicLink()) throw new InputError(file, null, `cannot append to the audit log: ${SYMLINK_REFUSED}`);
  if (st && !st.isFile()) throw new InputError(file, null, 'cannot append to the audit log: it is not a regular file');
}

const GLUED = /\{"time":"/g;

/** The fields that name an audit entry: a line with none of them is not one. */
const NAMING = ['time', 'operator', 'action', 'repair', 'kind', 'beadId', 'changes', 'result'];

/**
 * A value as the text an audit entry holds: a string as it is, anything else (a hand edit) as its JSON; a number
 * JSON cannot hold (`1e309` reads as Infinity) as its name, not JSON's `null`.
 */
const textOf = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : JSON.stringify(v);
const textOrNull = (v: unknown): string | null => (v === undefined || v === null ? null : textOf(v));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function changesOf(v: unknown): Change[] {
  return Array.isArray(v)
    ? v.filter(isRecord).map((c) => ({ field: textOf(c.field), before: textOrNull(c.before), after: textOrNull(c.after) }))
    : [];
}

function callOf(c: Record<string, unknown>): GcCallRecord {
  return {
    args: Array.isArray(c.args) ? c.args.map(textOf) : [],
    exit: typeof c.exit === 'number' ? c.exit : null,
    ...(c.signal !== undefined ? { signal: textOf(c.signal) } : {}),
    stdout: textOf(c.stdout),
    stderr: textOf(c.stderr),
    answer: textOf(c.answer) as GcCallRecord['answer'],
  };
}

/**
 * A line of the log as an entry whose every field has the type the console reads it as: the log is a file a person
 * can edit, and a number where a string was written (`"before": 3`) must show as typed, not stop the console. Null
 * when the line is not an object at all.
 */
export function auditEntryOf(v: unknown): AuditEntry | null {
  // An object with none of what names an entry (`{}`) says nothing: skipped as a torn line is, not a blank row.
  if (!isRecord(v) || !NAMING.some((k) => v[k] !== undefined && v[k] !== null && v[k] !== '')) return null;
  // In the line's own order (what is shown, and what a test of the file reads), unknown keys kept.
  const e: Record<string, unknown> = { ...v };
  for (const k of ['time', 'operator', 'action', 'repair', 'kind', 'beadId', 'reason', 'note', 'result']) e[k] = textOf(v[k]);
  e.changes = changesOf(v.changes);
  for (const k of ['batch', 'via', 'why', 'recovered']) if (v[k] !== undefined) e[k] = textOf(v[k]);
  // `written` is a list of changes or nothing: another value (`"no"`) would head an empty list.
  if (Array.isArray(v.written)) e.written = changesOf(v.written);
  else delete e.written;
  if (v.calls !== undefined) e.calls = Array.isArray(v.calls) ? v.calls.filter(isRecord).map(callOf) : [];
  return e as unknown as AuditEntry;
}

/**
 * The entries of the audit log, and (not enumerable: the list stays a plain list of entries) the numbers of its lines,
 * from 1, that could not be read whole: torn by a crash, not JSON, or naming no entry; one whose start was torn and an
 * entry glued after it is among them too (the entry is kept). The console says how many (the audit view).
 */
export type AuditLog = AuditEntry[] & { readonly unreadable?: readonly number[] };

/** Every audit entry so far (a missing log is empty; a torn line is skipped, an entry glued to one is kept). */
export function readAudit(source: Source): AuditLog {
  const text = readRegularTextIfExists(auditPathOf(source), { noFollow: true });
  return text === null ? [] : auditLogOf(text);
}

/**
 * The entries of `text`, lines of the log from line `first` + 1 on (AuditLog: the numbers of those that could not be
 * read whole count from there). `prior`: the entries of the lines before it, which the list goes on from.
 */
export function auditLogOf(text: string, first = 0, prior: AuditLog = []): AuditLog {
  const out: AuditEntry[] = prior.slice();
  const unreadable: number[] = prior.unreadable?.slice() ?? [];
  const keep = (v: unknown) => {
    const e = auditEntryOf(v);
    if (e) out.push(e);
    return e !== null;
  };
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let whole = false;
    try {
      whole = keep(JSON.parse(line));
    } catch {
      // A line torn by a crash mid-append. An older gc-tui appended the next entry right after it, on the
      // same line: keep that one.
      const starts = [...line.matchAll(GLUED)].map((m) => m.index).filter((i) => i > 0);
      const last = starts.at(-1);
      if (last !== undefined) {
        try {
          keep(JSON.parse(line.slice(last)));
        } catch {
          // nothing to keep
        }
      }
    }
    if (!whole) unreadable.push(first + i + 1);
  }
  return Object.defineProperty(out, 'unreadable', { value: unreadable, enumerable: false });
}

// ---------------------------------------------------------------- the write-ahead journal

interface PendingAudit {
  gcTuiPendingAudit: 1;
  /** The data file the write replaces. */
  data: string;
  /** The temp file renamed over it. */
  tmp: string;
  /** `sha256:<hex>` of the bytes written. */
  after: string;
  entries: AuditEntry[];
}

export function sha256Of(bytes: FileBytes): string {
  const hash = createHash('sha256');
  if (typeof bytes === 'string' || Buffer.isBuffer(bytes)) hash.update(bytes);
  else for (const part of bytes) hash.update(part);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Step 2 of a write: record its audit lines, durably, before the rename. `tmp` is the complete temp file,
 * `text` the bytes it holds. Throws (and the write must not go on) when the record cannot be written.
 */
export function writePendingAudit(source: Source, tmp: string, text: FileBytes, entries: AuditEntry[]): void {
  const pending: Omit<PendingAudit, 'entries'> = { gcTuiPendingAudit: 1, data: dataPathOf(source), tmp, after: sha256Of(text) };
  ensureOwnDir(source);
  writeFileAtomic(pendingAuditPath(source), pendingBytes(pending, entries), { like: dataPathOf(source) });
}

/**
 * The UTF-8 of `escapeJsonText(JSON.stringify({ ...pending, entries })) + "\n"`, its entries taken from the bytes of
 * their audit lines (made once for the append after it): JSON text holds no raw line break, so the lines joined by
 * commas are the entries' array (each "\n" byte ends a line: in UTF-8 an ASCII byte is always that character), and
 * the escaper replaces character by character, so the text escaped in parts is the text escaped whole.
 */
function pendingBytes(pending: Omit<PendingAudit, 'entries'>, entries: readonly AuditEntry[]): Buffer {
  const head = Buffer.from(`${escapeJsonText(JSON.stringify(pending)).slice(0, -1)},"entries":[`, 'utf8');
  const lines = auditBytes(entries);
  const n = Math.max(0, lines.length - 1);
  const out = Buffer.allocUnsafe(head.length + n + 3);
  head.copy(out, 0);
  lines.copy(out, head.length, 0, n);
  out.write(']}\n', head.length + n, 'latin1');
  const end = head.length + n;
  for (let i = out.indexOf(0x0a, head.length); i >= 0 && i < end; i = out.indexOf(0x0a, i + 1)) out[i] = 0x2c;
  return out;
}

/** Step 4, after the append: the pending record is done with. */
export function clearPendingAudit(source: Source): void {
  try {
    unlinkSync(pendingAuditPath(source));
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw new InputError(pendingAuditPath(source), null, `cannot remove: ${describeFsError(e)}`);
  }
}

function readPending(file: string): PendingAudit | null {
  const text = readRegularTextIfExists(file, { noFollow: true, maxBytes: 256 * 1024 * 1024 });
  if (text === null) return null;
  let p: PendingAudit;
  try {
    p = JSON.parse(text) as PendingAudit;
  } catch {
    p = null as unknown as PendingAudit;
  }
  if (!p || p.gcTuiPendingAudit !== 1 || typeof p.tmp !== 'string' || typeof p.after !== 'string' || !Array.isArray(p.entries)) {
    throw new InputError(
      file,
      null,
      'is not a pending audit record gc-tui can read; check the audit log against the data file, then remove it',
    );
  }
  return p;
}

function hashOrNull(file: string, noFollow = false): string | null {
  const st = lstatOrNull(file);
  if (!st || !(st.isFile() || (!noFollow && st.isSymbolicLink()))) return null;
  try {
    return sha256Of(readRegularFile(file, { noFollow }));
  } catch {
    return null;
  }
}

export type Recovery = 'none' | 'appended' | 'already-logged' | 'not-committed' | 'unverified';

/**
 * Settle what a write killed between its journal and its audit append left behind (see the top of this file),
 * and remove the temp files killed writers left. The caller holds the input's write lock. Throws an InputError naming the file when the lines cannot be
 * appended: no new write may replace the pending record before its lines are in the log.
 */
export function recoverPendingAudit(source: Source, opts: { maxLogTail?: number } = {}): Recovery {
  const file = pendingAuditPath(source);
  const data = dataPathOf(source);
  const pending = readPending(file);
  if (pending === null) {
    removeDeadTemps(data);
    removeDeadTemps(file);
    return 'none';
  }
  // Only a temp name of this data file counts (the record could have been planted to name any file).
  const tmp = isTempOf(pending.tmp, data) ? pending.tmp : null;
  let outcome: Recovery;
  if (hashOrNull(data) === pending.after) outcome = 'appended';
  else if (tmp !== null && hashOrNull(tmp, true) === pending.after) outcome = 'not-committed';
  else outcome = 'unverified';
  if (outcome === 'not-committed') {
    try {
      unlinkSync(tmp!);
    } catch {
      // gone already
    }
  } else {
    const text = auditText(pending.entries);
    const tail = readFileTail(auditPathOf(source), text.length + (opts.maxLogTail ?? 1024 * 1024));
    if (tail !== null && tail.includes(text)) outcome = 'already-logged';
    else {
      const entries =
        outcome === 'unverified' ? pending.entries.map((e): AuditEntry => ({ ...e, recovered: 'unverified' })) : pending.entries;
      try {
        appendAudit(source, entries);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new InputError(
          file,
          null,
          `holds the audit lines of an earlier write that could not be appended (${why}); fix the audit log, then write again`,
        );
      }
    }
  }
  clearPendingAudit(source);
  // What the killed process left half-made: its temp files (the data file's, this record's).
  removeDeadTemps(data);
  removeDeadTemps(file);
  return outcome;
}

/** Whether `tmp` is one of `data`'s temp names: Gas City's fixed `<name>.tmp` or our `.<name>.<pid>.<hex>.tmp`. */
function isTempOf(tmp: string, data: string): boolean {
  if (dirname(tmp) !== dirname(data)) return false;
  const name = basename(tmp);
  const base = basename(data);
  return name === `${base}.tmp` || (name.startsWith(`.${base}.`) && /^\.[0-9]+\.[0-9a-f]+\.tmp$/.test(name.slice(base.length + 1)));
}
