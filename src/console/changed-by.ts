// Who changed on disk what a decision refused as stale was judged against. The locked write knows only that a `before`
// no longer holds; the audit log knows who wrote it, when, and through what: every gc-tui write (a headless `apply`,
// another console's approval) appends its lines there under the same lock. A writer that keeps no such line (Gas City
// itself, bd, an editor) leaves only the data file's modification time.
import { statSync } from 'node:fs';
import type { AuditEntry, Source, StaleRepair } from '../store/types.js';
import type { Message } from './ui-state.js';
import { dataPathOf } from '../store/fs/paths.js';
import { sanitize } from '../store/output/sanitize.js';
import { formatZ } from '../store/time.js';

const THROUGH: Partial<Record<AuditEntry['action'], string>> = { apply: 'gc-tui apply', approve: 'a console approval' };

/**
 * The applied audit lines since `since` (epoch ms: when the input the operator decided on was read), by bead; the log's
 * times are whole seconds, so the second `since` falls in counts.
 */
function writesSince(audit: readonly AuditEntry[], since: number): Map<string, AuditEntry[]> {
  const from = Math.floor(since / 1000) * 1000;
  const byBead = new Map<string, AuditEntry[]>();
  for (const e of audit) {
    if (e.result !== 'applied' || !THROUGH[e.action] || !(Date.parse(e.time) >= from)) continue;
    const list = byBead.get(e.beadId);
    if (list) list.push(e);
    else byBead.set(e.beadId, [e]);
  }
  return byBead;
}

/** The newest of `writes` that set the field found changed to what is there now, else the newest on its bead. */
function writeOf(writes: readonly AuditEntry[] | undefined, x: StaleRepair): AuditEntry | null {
  if (!writes) return null;
  const set = writes.findLast((e) => e.changes.some((c) => c.field === x.change.field && c.after === x.actual));
  return set ?? writes.at(-1) ?? null;
}

function byLine(e: AuditEntry): string {
  return `changed on disk by ${sanitize(e.operator)} at ${sanitize(e.time)} (${THROUGH[e.action]} of ${sanitize(e.repair)})`;
}

/** When the data file was last written, if after `since`: all that is known of a writer that keeps no audit line. */
function modifiedAfter(source: Source, since: number): Date | null {
  try {
    const m = statSync(dataPathOf(source)).mtime;
    return m.getTime() > since ? m : null;
  } catch {
    return null;
  }
}

/** What is said of a file written after `since` whose writer no gc-tui audit line names. */
const outsideText = (m: Date) => `changed on disk outside gc-tui (no audit line names it), the file last written at ${formatZ(m)}`;

/**
 * `message` (a read found its `who` beads changed) with who changed them said after it, from the audit log as read
 * after that read and the lines since `since` (epoch ms: when the screen's data before it was read): the newest gc-tui
 * write of those beads (`…; changed on disk by alice at … (gc-tui apply of …)`), else the data file's modification
 * time when after `since`; a second writer is not told. As it was (without `who`) when neither says.
 */
export function whoChangedSaid(message: Message, audit: readonly AuditEntry[], source: Source, since: number): Message {
  const { who, ...rest } = message;
  if (!who?.length) return rest;
  const writes = writesSince(audit, since);
  const e = who
    .flatMap((id) => writes.get(id) ?? [])
    .reduce<AuditEntry | null>((a, b) => (a === null || Date.parse(b.time) >= Date.parse(a.time) ? b : a), null);
  const modified = e ? null : modifiedAfter(source, since);
  const by = e ? byLine(e) : modified ? outsideText(modified) : null;
  return by ? { ...rest, text: `${rest.text}; ${who.length > 1 ? 'the last ' : ''}${by}` } : rest;
}

/**
 * `stale` with who changed each one's bead on disk said after its why: `…; changed on disk by alice at
 * 2026-12-05T06:30:00Z (gc-tui apply of restamp-slot:dc-f2b)`, from the audit lines written since `since`; where none
 * names its bead, the data file's modification time and that its writer keeps no gc-tui audit line. A rejection
 * already names who made it, and is left as it is.
 */
export function withWhoChanged(stale: readonly StaleRepair[], audit: readonly AuditEntry[], source: Source, since: number): StaleRepair[] {
  if (stale.length === 0) return [];
  const writes = writesSince(audit, since);
  let modified: Date | null | undefined;
  return stale.map((x) => {
    if (x.why?.startsWith('rejected by ')) return x;
    const e = writeOf(writes.get(x.repair.beadId), x);
    let who: string | null = e ? byLine(e) : null;
    // A value on disk that is not the one judged was written by someone; with no gc-tui line for its bead, not by gc-tui
    // (every gc-tui write journals its lines before its commit). A repair only re-planned may have changed with the clock.
    if (!who && x.actual !== x.change.before) {
      if (modified === undefined) modified = modifiedAfter(source, since);
      if (modified) who = outsideText(modified);
    }
    return who ? { ...x, why: `${x.why ?? 'changed on disk'}; ${who}` } : x;
  });
}
