// R8: stale pending creates are rolled back, at most ROLLBACK_BUDGET per plan; the rest wait.
// When a create is stale and what the rollback writes depend on the rule edition: each edition's piece is
// named here (staleAfterTenMinutes / staleByStartLease, failedCreateWrite / closeFailedCreateWrite) and
// src/engine/editions.ts picks them.
import type { Bead, Change, Finding, Repair } from '../types.js';
import {
  ROLLBACK_BUDGET,
  STALE_CREATE_MS,
  compareBytes,
  compareInstants,
  meta,
  metaBefore,
  parseInstantNs,
  reached,
  reachedAt,
} from '../values.js';
import type { Instant } from '../values.js';

export interface RollbackPlan {
  /** The stale creates (session indexes), oldest start first, then id. */
  stale: number[];
  /** The first ROLLBACK_BUDGET of them, rolled back; the rest, deferred. */
  rolledBack: number[];
  deferred: number[];
  repairs: Repair[];
  findings: Finding[];
}

/** A stale create: the instant its age counts from (the queue's order), and its age in words. */
export interface StaleCreate {
  anchor: Instant;
  age: string;
}

/** Is this in-flight bead a stale create at `now` (ms)? */
export type StaleCreateRule = (bead: Bead, now: number) => StaleCreate | null;
/** The changes of a rollback. */
export type RollbackWrite = (bead: Bead) => Change[];

export interface RollbackRules {
  stale: StaleCreateRule;
  write: RollbackWrite;
  /**
   * The instants (ms) at which `stale` may change its answer for this bead, for patrol.ts nextPlanChange; a
   * superset is fine (the console then re-plans once for nothing).
   */
  changesAt(bead: Bead): number[];
}

export function isInFlight(b: Bead): boolean {
  return meta(b, 'state') === 'creating' || meta(b, 'pending_create_claim') === 'true';
}

/**
 * An age in the unit an operator reads it in: minutes up to two hours, hours up to two days, then days ("11 d", not
 * "16444 min", for a create a city left stale since last week). Whole units, rounded down; decisions.ts withoutAges
 * masks each of these forms.
 */
function minutes(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h` : `${Math.floor(h / 24)} d`;
}

/** PR #2076: stale 10 min after `pending_create_started_at`; a missing or unreadable start time is never stale. */
export function staleAfterTenMinutes(bead: Bead, now: number): StaleCreate | null {
  const text = meta(bead, 'pending_create_started_at');
  const started = parseInstantNs(text);
  if (started === null || !reached(started, STALE_CREATE_MS, now)) return null;
  const what = meta(bead, 'state') === 'creating' ? 'creating' : 'pending create';
  return { anchor: started, age: `${what} since ${text} (${minutes(now - started.ms)} ago, lease 10 min)` };
}

/** PR #2076: 10 min after `pending_create_started_at`, for a bead in flight. */
export function tenMinutesAfterStart(bead: Bead): number[] {
  if (!isInFlight(bead)) return [];
  const started = parseInstantNs(meta(bead, 'pending_create_started_at'));
  return started === null ? [] : [reachedAt(started, STALE_CREATE_MS)];
}

/** A start that woke is in flight for the startup timeout (60 s by default) + 2 s + 5 s after `last_woke_at`. */
const START_IN_FLIGHT_MS = 67_000;
const NEVER_STARTED_MS = 10 * 60_000;
const STALE_CREATING_MS = 60_000;
const PENDING_STATES: ReadonlySet<string> = new Set(['start-pending', 'creating', 'asleep']);

function ageWords(ms: number): string {
  return ms < 120_000 ? `${Math.floor(ms / 1000)} s` : minutes(ms);
}

/**
 * 2026-08 (cmd/gc/session_reconcile.go, session_reconciler.go): a create's lease counts from
 * `pending_create_started_at`, else `created_at`.
 * - `pending_create_claim = true` in state `start-pending`, `creating` or `asleep` that never woke (no
 *   `last_woke_at`): 10 min (`pendingCreateNeverStartedTimeout`);
 * - the same having woke once: 60 s (`pendingCreateAttemptStale`, `staleCreatingStateTimeout`);
 * - `creating` without a claim: 60 s (`staleCreatingState`);
 * and never while a start that woke is still in flight (`pendingCreateStartInFlight`: `last_woke_at` + 67 s).
 * Gas City counts a bead with neither time as stale; gc-tui does not close a bead on an unknown age.
 */
export function staleByStartLease(bead: Bead, now: number): StaleCreate | null {
  const state = meta(bead, 'state');
  const claim = meta(bead, 'pending_create_claim') === 'true';
  if (claim ? !PENDING_STATES.has(state) : state !== 'creating') return null;
  let from = 'pending_create_started_at';
  let text = meta(bead, from);
  let anchor = parseInstantNs(text);
  if (anchor === null) {
    from = 'created_at';
    text = typeof bead.created_at === 'string' ? bead.created_at : '';
    anchor = parseInstantNs(text);
  }
  if (anchor === null) return null;
  const woke = meta(bead, 'last_woke_at');
  const wokeAt = parseInstantNs(woke);
  if (wokeAt !== null && !reached(wokeAt, START_IN_FLIGHT_MS, now)) return null;
  const [lease, leaseWords] = !claim
    ? [STALE_CREATING_MS, 'creating without a create claim, lease 60 s']
    : woke === ''
      ? [NEVER_STARTED_MS, 'never woke, lease 10 min']
      : [STALE_CREATING_MS, `woke at ${woke}, lease 60 s`];
  if (!reached(anchor, lease, now)) return null;
  const what = claim ? `pending create (${state})` : 'creating';
  return { anchor, age: `${what} since ${from} ${text} (${ageWords(now - anchor.ms)} ago; ${leaseWords})` };
}

/** 2026-08: 60 s and 10 min after the lease's start, and the end of a woken start's in-flight window. */
export function leaseEnds(bead: Bead): number[] {
  const state = meta(bead, 'state');
  if (state !== 'creating' && !(meta(bead, 'pending_create_claim') === 'true' && PENDING_STATES.has(state))) return [];
  const anchor =
    parseInstantNs(meta(bead, 'pending_create_started_at')) ?? parseInstantNs(typeof bead.created_at === 'string' ? bead.created_at : '');
  if (anchor === null) return [];
  const out = [reachedAt(anchor, STALE_CREATING_MS), reachedAt(anchor, NEVER_STARTED_MS)];
  const woke = parseInstantNs(meta(bead, 'last_woke_at'));
  if (woke !== null) out.push(reachedAt(woke, START_IN_FLIGHT_MS));
  return out;
}

/** PR #2076: closed as failed-create. */
export function failedCreateWrite(bead: Bead): Change[] {
  return [
    { field: 'status', before: typeof bead.status === 'string' ? bead.status : null, after: 'closed' },
    { field: 'metadata.state', before: metaBefore(bead, 'state'), after: 'failed-create' },
    { field: 'metadata.close_reason', before: metaBefore(bead, 'close_reason'), after: 'failed-create' },
  ];
}

/** `session.CanonicalCloseReason("failed-create")`. */
export const FAILED_CREATE_REASON = 'session create failed: aborted before creation_complete';

/**
 * 2026-08 (`rollbackPendingCreateClears` → `closeFailedCreateBeadInTx`, cmd/gc; `session.ClosePatch`): closed as
 * failed-create with Gas City's canonical close reason, the create lease and the wake emptied
 * (`pending_create_claim`, `pending_create_started_at`, `sleep_intent`, `last_woke_at`, each when set), and the
 * `session_name` of an explicitly named session (`session_name_explicit`), which the rollback clears after the
 * close. Gas City also stamps `closed_at`/`synced_at` with its clock; gc-tui leaves those to it.
 */
export function closeFailedCreateWrite(bead: Bead): Change[] {
  const changes = [
    { field: 'status', before: typeof bead.status === 'string' ? bead.status : null, after: 'closed' },
    { field: 'metadata.state', before: metaBefore(bead, 'state'), after: 'failed-create' },
    { field: 'metadata.close_reason', before: metaBefore(bead, 'close_reason'), after: FAILED_CREATE_REASON },
  ];
  for (const key of ['pending_create_claim', 'pending_create_started_at', 'sleep_intent', 'last_woke_at'])
    if (meta(bead, key) !== '') changes.push({ field: `metadata.${key}`, before: metaBefore(bead, key), after: '' });
  if (meta(bead, 'session_name_explicit') === 'true' && meta(bead, 'session_name') !== '')
    changes.push({ field: 'metadata.session_name', before: metaBefore(bead, 'session_name'), after: '' });
  return changes;
}

export const ROLLBACK_2026_05: RollbackRules = { stale: staleAfterTenMinutes, write: failedCreateWrite, changesAt: tenMinutesAfterStart };
export const ROLLBACK_2026_08: RollbackRules = { stale: staleByStartLease, write: closeFailedCreateWrite, changesAt: leaseEnds };

/**
 * `candidates` are the open session beads of a resolved template in a known state that are in flight
 * (`creating` or `pending_create_claim=true`), in file order. Returns the stale ones, the first
 * ROLLBACK_BUDGET of them as repairs, the others as findings.
 */
export function planRollbacks(
  candidates: { i: number; bead: Bead; template: string }[],
  now: number,
  patrolMs: number,
  rules: RollbackRules = ROLLBACK_2026_05,
): RollbackPlan {
  const stale: { i: number; bead: Bead; template: string; s: StaleCreate }[] = [];
  for (const c of candidates) {
    const s = rules.stale(c.bead, now);
    if (s) stale.push({ ...c, s });
  }
  stale.sort((a, b) => compareInstants(a.s.anchor, b.s.anchor) || compareBytes(a.bead.id, b.bead.id));
  const repairs: Repair[] = [];
  const findings: Finding[] = [];
  const rolledBack: number[] = [];
  const deferred: number[] = [];
  stale.forEach(({ i: session, bead, template, s }, i) => {
    const age = s.age;
    if (i < ROLLBACK_BUDGET) {
      rolledBack.push(session);
      repairs.push({
        id: `rollback-stale-create:${bead.id}`,
        kind: 'rollback-stale-create',
        beadId: bead.id,
        template,
        changes: rules.write(bead),
        reason: `${age}: roll back as failed-create`,
      });
    } else {
      deferred.push(session);
      const ticks = Math.ceil((i + 1 - ROLLBACK_BUDGET) / ROLLBACK_BUDGET);
      findings.push({
        kind: 'deferred-rollback',
        severity: 'action',
        beadId: bead.id,
        template,
        message: `${age}; rollback budget of ${ROLLBACK_BUDGET} per tick is spent (#${i + 1} in line): deferred about ${ticks} tick(s), ~${Math.round((ticks * patrolMs) / 1000)} s`,
      });
    }
  });
  return { stale: stale.map((s) => s.i), rolledBack, deferred, repairs, findings };
}
