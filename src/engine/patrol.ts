// Time in the plan: the city's patrol interval, and the next instant at which the plan of an unchanged state
// can propose something else. A console re-plans on a file change or at that instant, never on a tick
// that cannot change the answer.
import { editionRules, type Edition } from './editions.js';
import type { CityConfig, State } from './types.js';
import { parseDurationMs } from './values.js';

/** Gas City's patrol interval when `[daemon] patrol_interval` is absent or unusable. */
export const DEFAULT_PATROL_MS = 30_000;

/** The patrol interval of a city (`[daemon] patrol_interval`, see parseDurationMs), 30 s when unusable. */
export function patrolIntervalMs(city: Pick<CityConfig, 'daemon'> | null | undefined): number {
  return parseDurationMs(city?.daemon?.patrol_interval) ?? DEFAULT_PATROL_MS;
}

/**
 * The earliest instant after `now` (ms since the epoch) at which `plan(state, t)` can propose other repairs or
 * findings than `plan(state, now)`, or null when only a change of the state can. Time enters the plan in two
 * places: R8 calls a create stale STALE_CREATE_MS after its `pending_create_started_at` (a threshold per
 * bead in flight), and R5 stamps a conflict clear with the plan's time, which never makes it another judgment
 * (sameChanges ignores that stamp). The texts that quote an age ("12 min ago") read as of the plan's time.
 * Conservative: any bead in flight counts, so the instant is never later than the first real change.
 * Under `edition` 2026-08 the create leases are those of rules/rollbacks.ts staleByStartLease (60 s, 10 min,
 * a woken start's in-flight window), and open work deferred until later (`defer_until`) becomes new demand
 * then, which changes a pool's desired count; the default is 2026-05.
 */
export function nextPlanChange(state: State, now: number, edition?: Edition): number | null {
  const rules = editionRules(edition);
  const changesAt = rules.rollback.changesAt;
  const demandChangesAt = rules.demandChangesAt;
  let next = Infinity;
  for (const bead of state.beads) {
    // 2026-05: stale once started <= t - STALE_CREATE_MS, i.e. from t = started + STALE_CREATE_MS on.
    for (const at of changesAt(bead)) if (at > now && at < next) next = at;
    for (const at of demandChangesAt(bead)) if (at > now && at < next) next = at;
  }
  return next === Infinity ? null : next;
}
