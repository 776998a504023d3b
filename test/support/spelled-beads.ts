// Beads laid out by hand, holding numbers JSON.parse would respell (1.10 → 1.1, 1.0 → 1, 1e2 → 100, -0 → 0, a
// 23-digit fraction rounded, 1e400, 2^53 + 1) in their own fields, in bd-written metadata and in fields gc-tui does
// not know: a write must leave every one of them as written, in the bead it changes too. Session bead mc-1's slot is
// wrong ("4" for frontend/worker-3): one repair, restamp-slot:mc-1, sets it to "3".

const BIG = '9007199254740993';

/** Bead mc-1 with its pool_slot and updated_at; `store`: only string metadata, as a store file holds. */
export function spelledSession(slot: string, updated: string, store = false): string {
  const bdWritten = store ? '"ratio": "1.10"' : '"ratio": 1.10, "restarts": 1.0, "hundred": 1e2, "attached": false';
  return `{"id": "mc-1", "title": "", "status": "open", "issue_type": "session", "priority": 2,
     "x_precise": 0.12345678901234567890123, "x_negzero": -0,
     "labels": ["gc:session", "agent:frontend/worker-3"],
     "metadata": {"template": "frontend/worker", "agent_name": "frontend/worker-3", "alias": "frontend/worker-3",
                  "pool_slot": "${slot}", "pool_managed": "true", "session_origin": "ephemeral", "session_name": "s-1", "state": "asleep",
                  ${bdWritten}},
     "unknown_field": {"x": [1, 2.50], "y": {"deep": -0.0}},
     "created_at": "2026-05-06T02:00:00Z", "updated_at": "${updated}"}`;
}

/** A work bead no repair touches. */
export const SPELLED_WORK = `{"id": "mc-2", "status": "open", "issue_type": "task", "priority": 1, "weight": 1E+2, "huge": 1e400}`;

/**
 * A sealed city's .gc/beads.json holding mc-1 (slot, updated_at and its revision given) and mc-2. Its fence is
 * spelled `-0`, which JSON.parse respells and Go's int64 takes (a `1.0e0` would make the file one Gas City cannot read,
 * refused at load: token-maps.ts).
 */
export function spelledCityBeads(slot: string, updated: string, revision: string): string {
  return `{
  "seq": 12,
  "beads": [
    ${spelledSession(slot, updated)},
    ${SPELLED_WORK}
  ],
  "revisions_sealed": true,
  "revisions": {"mc-1": ${revision}, "mc-2": ${BIG}},
  "fences": {"mc-1": -0}
}
`;
}

/** A store file holding mc-1 (slot and updated_at given) and mc-2, its own keys spelled by hand too. */
export function spelledStore(slot: string, updated: string): string {
  return `{"schema": "gc-tui/1", "seq": 1.0,
 "city": {"agents": [{"name": "worker", "dir": "frontend", "max_active_sessions": 10}], "x": 1e2},
 "beads": [${spelledSession(slot, updated, true)},
   ${SPELLED_WORK}],
 "decisions": []}
`;
}

/** The city.toml of the city: the template frontend/worker, a pool of 10. */
export const SPELLED_CITY_TOML = `[workspace]
name = "spelled"

[beads]
provider = "file"

[[agent]]
name = "worker"
dir = "frontend"
max_active_sessions = 10
`;
