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

/** One write: its lines share the operator, the time and the way in (a bulk approval writes many at once). */
const writeKey = (e: AuditEntry) => `${e.operator}\u0000${e.time}\u0000${e.action}`;

/**
 * Who wrote `writes` (audit lines of the beads in question, any order): the newest write, and when there were others,
 * how many and by whom (`changed on disk by bob at … (gc-tui apply of …) (+2 other writes since, by alice, carol)`).
 */
function writersLine(writes: readonly AuditEntry[]): string {
  const newest = writes.reduce((a, b) => (Date.parse(b.time) >= Date.parse(a.time) ? b : a));
  const others = new Map<string, string>();
  for (const e of writes) if (writeKey(e) !== writeKey(newest)) others.set(writeKey(e), e.operator);
  if (others.size === 0) return byLine(newest);
  const who = [...new Set(others.values())].map(sanitize);
  const names = who.length <= 3 ? who.join(', ') : `${who.slice(0, 3).join(', ')} and ${who.length - 3} more`;
  return `${byLine(newest)} (+${others.size} other write${others.size === 1 ? '' : 's'} since, by ${names})`;
}

/**
 * Who changed beads on disk since `since` (epoch ms: when the data the operator saw was read), as a function of the beads
 * (the log indexed once for all of them): from the audit log, the newest gc-tui write of them and how many others
 * (writersLine); else the data file's modification time when after `since` (outsideText); else null (nothing says a
 * write came after, as when only the clock re-planned).
 */
export function whoChangedOf(audit: readonly AuditEntry[], source: Source, since: number): (beads: readonly string[]) => string | null {
  let writes: Map<string, AuditEntry[]> | undefined;
  let modified: Date | null | undefined;
  return (beads) => {
    if (beads.length === 0) return null;
    writes ??= writesSince(audit, since);
    const mine = beads.flatMap((id) => writes!.get(id) ?? []);
    if (mine.length > 0) return writersLine(mine);
    if (modified === undefined) modified = modifiedAfter(source, since);
    return modified ? outsideText(modified) : null;
  };
}

/**
 * `message` (a read found its `who` beads changed) with who changed them said after it (whoChangedOf). As it was
 * (without `who`) when nothing says.
 */
export function whoChangedSaid(message: Message, whoChanged: (beads: readonly string[]) => string | null): Message {
  const { who, ...rest } = message;
  const by = who ? whoChanged(who) : null;
  return by ? { ...rest, text: `${rest.text}; ${by}` } : rest;
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
