// One open session bead per session_name (2026-08). `session_name` is the runtime name (the tmux session): two
// open beads carrying it account for one runtime twice. Gas City's session sync closes the extra ones every tick
// (`syncSessionBeadsWithSnapshotAndRigStores` → `closeSessionBeadIfUnassigned(…, "duplicate", …)`,
// cmd/gc/session_beads.go); the rules of PR #2076 as gc-tui models them (DOMAIN.md) leave them alone.
import type { SessionTable } from '../model.js';
import { KNOWN_STATE, nameHash } from '../model.js';
import type { Bead, Repair } from '../types.js';
import { meta, metaBefore, inQuotes } from '../values.js';

export interface SessionNameCloses {
  repairs: Repair[];
  /** Session indexes being closed: they get no other repair and hold no capacity. */
  closing: number[];
  /** Session indexes whose close is withheld (unknown state), for the unknown-state finding. */
  withheld: number[];
}

/**
 * The edition's piece: which open session beads are closed as duplicates of another's session_name.
 * `liveAssignees` are the assignees of live (open or in_progress) work, as written.
 */
export type SessionNameRule = (
  table: SessionTable,
  liveAssignees: readonly string[],
  templateName: (i: number) => string | null,
) => SessionNameCloses;

const NONE: SessionNameCloses = { repairs: [], closing: [], withheld: [] };

/** PR #2076 as DOMAIN.md states it: no rule about shared session names. */
export const keepDuplicateSessionNames: SessionNameRule = () => NONE;

/** The reason a duplicate close writes: `state` and `close_reason` (`session.ClosePatch(now, "duplicate")`). */
export const DUPLICATE_REASON = 'duplicate';

/** `beadOwnsPoolSessionName`: the name is the bead's own pool name, `<base>-<bead id>`. */
function ownsName(b: Bead, name: string): boolean {
  const id = b.id.trim();
  return id !== '' && name.endsWith('-' + id);
}

/** The names work is assigned to this bead by (`sessionAssignmentIdentifiersForConfig`, read conservatively). */
function assignmentNames(b: Bead, name: string): string[] {
  return [b.id.trim(), name, meta(b, 'configured_named_identity').trim(), meta(b, 'alias').trim()].filter((n) => n !== '');
}

/** The session names that more than one open bead carries, found by their hashes first (most cities have none). */
function sharedNames({ beads, open }: SessionTable): Map<string, number[]> | null {
  const hashes = new Int32Array(open.length);
  let n = 0;
  for (let d = 0; d < open.length; d++) {
    const h = nameHash(meta(beads[open[d]], 'session_name').trim());
    if (h !== 0) hashes[n++] = h;
  }
  const sorted = hashes.subarray(0, n).sort();
  const repeated = new Set<number>();
  for (let k = 1; k < n; k++) if (sorted[k] === sorted[k - 1]) repeated.add(sorted[k]);
  if (repeated.size === 0) return null;
  const groups = new Map<string, number[]>();
  for (let d = 0; d < open.length; d++) {
    const i = open[d];
    const name = meta(beads[i], 'session_name').trim();
    if (!repeated.has(nameHash(name))) continue;
    const g = groups.get(name);
    if (g) g.push(i);
    else groups.set(name, [i]);
  }
  return groups;
}

/**
 * 2026-08 (`canonicalDuplicateSessionBead`, then the close loop of the session sync): among the open session beads
 * sharing a session_name, in file order, the bead whose name is its own pool name (`<base>-<bead id>`) keeps it;
 * when both or neither own it, the later one does. Every other one is closed with state and close_reason
 * `duplicate`, unless live work is assigned to it (by id, session_name, configured named identity or alias:
 * Gas City checks the store itself and keeps such a bead open). Only a bead whose session_name has no
 * surrounding spaces is closed (Gas City looks the untrimmed name up among the trimmed ones). gc-tui also keeps
 * its own rules for a bead of an unresolved template (no repair at all), one in an unknown state (withheld) and a
 * failed create (Gas City closes that one as failed-create instead).
 */
export const closeDuplicateSessionNames: SessionNameRule = (table, liveAssignees, templateName) => {
  const { beads, flags } = table;
  const groups = sharedNames(table);
  if (!groups) return NONE;
  let assigned: Set<string> | null = null;
  const out: SessionNameCloses = { repairs: [], closing: [], withheld: [] };
  for (const [name, members] of groups) {
    if (members.length < 2) continue;
    let keeper = members[0];
    for (let k = 1; k < members.length; k++) {
      const c = members[k];
      if (!ownsName(beads[keeper], name) || ownsName(beads[c], name)) keeper = c;
    }
    const held = beads[keeper];
    for (const i of members) {
      const b = beads[i];
      if (i === keeper || meta(b, 'session_name') !== name || table.name[i] < 0) continue;
      const state = meta(b, 'state').trim();
      if (state === 'failed-create') continue;
      assigned ??= new Set(liveAssignees.map((a) => a.trim()));
      if (assignmentNames(b, name).some((n) => assigned!.has(n))) continue;
      if (!(flags[i] & KNOWN_STATE)) {
        out.withheld.push(i);
        continue;
      }
      out.closing.push(i);
      const why = ownsName(held, name)
        ? `${held.id} keeps it: the name is its own pool session name (<base>-${held.id})`
        : `${held.id} keeps it: no bead owns the name as <base>-<bead id>, and it comes later in the bead list`;
      out.repairs.push({
        id: `close-duplicate-session-name:${b.id}`,
        kind: 'close-duplicate-session-name',
        beadId: b.id,
        template: templateName(i),
        changes: [
          { field: 'status', before: typeof b.status === 'string' ? b.status : null, after: 'closed' },
          { field: 'metadata.state', before: metaBefore(b, 'state'), after: DUPLICATE_REASON },
          { field: 'metadata.close_reason', before: metaBefore(b, 'close_reason'), after: DUPLICATE_REASON },
        ],
        reason: `session_name ${inQuotes(name)} is also carried by open session bead ${held.id}; ${why}; this bead (${state || 'in no state'}) has no live work assigned, so Gas City closes it as a duplicate`,
      });
    }
  }
  return out;
};
