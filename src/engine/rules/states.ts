// Session states by rule edition: which states are known, which are live, and which beads are in flight
// (R7 fills new requests with them; R8 looks for stale creates among them).
import { KNOWN_STATES, LIVE_STATES } from '../values.js';

export interface StateRules {
  known: ReadonlySet<string>;
  live: ReadonlySet<string>;
  /** In flight: a create under way (R7's in-flight beads, R8's candidates). */
  inFlight(state: string, claim: boolean): boolean;
}

/** PR #2076: `creating` or `pending_create_claim = true`; `start-pending` is an unknown state. */
export const STATES_2026_05: StateRules = {
  known: KNOWN_STATES,
  live: LIVE_STATES,
  inFlight: (state, claim) => state === 'creating' || claim,
};

/**
 * 2026-08: `start-pending` is a session being started (new pool beads start there). Gas City reads it as
 * `creating` (`sessionMetadataStateInfo`, cmd/gc/session_reconcile.go): known, live and in flight.
 */
export const START_PENDING = 'start-pending';

export const STATES_2026_08: StateRules = {
  known: new Set([...KNOWN_STATES, START_PENDING]),
  live: new Set([...LIVE_STATES, START_PENDING]),
  inFlight: (state, claim) => state === 'creating' || state === START_PENDING || claim,
};
