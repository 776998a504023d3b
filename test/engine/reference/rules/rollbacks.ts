// R8: stale pending creates are rolled back, at most ROLLBACK_BUDGET per plan; the rest wait.
import type { Bead, Finding, Repair } from '../types.js';
import {
  KNOWN_STATES,
  ROLLBACK_BUDGET,
  STALE_CREATE_MS,
  compareBytes,
  compareInstants,
  meta,
  metaBefore,
  parseInstant,
} from '../values.js';

export interface RollbackPlan {
  stale: Bead[];
  rolledBack: Set<string>;
  deferred: Set<string>;
  repairs: Repair[];
  findings: Finding[];
}

export function isInFlight(b: Bead): boolean {
  return meta(b, 'state') === 'creating' || meta(b, 'pending_create_claim') === 'true';
}

function minutes(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 120) return `${min} min`;
  if (min < 48 * 60) return `${Math.floor(min / 60)} h`;
  return `${Math.floor(min / (24 * 60))} d`;
}

/**
 * `candidates` are the open session beads of a resolved template in a known state.
 * Returns the stale ones, the first ROLLBACK_BUDGET of them as repairs, the others as findings.
 */
export function planRollbacks(candidates: { bead: Bead; template: string }[], now: number, patrolMs: number): RollbackPlan {
  const stale = candidates
    .filter(({ bead }) => KNOWN_STATES.has(meta(bead, 'state')) && isInFlight(bead))
    .map((c) => ({ ...c, started: parseInstant(meta(c.bead, 'pending_create_started_at')) }))
    .filter((c) => c.started !== null && c.started <= now - STALE_CREATE_MS)
    .sort((a, b) => compareInstants(a.started, b.started) || compareBytes(a.bead.id, b.bead.id));
  const repairs: Repair[] = [];
  const findings: Finding[] = [];
  const rolledBack = new Set<string>();
  const deferred = new Set<string>();
  stale.forEach(({ bead, template, started }, i) => {
    const what = meta(bead, 'state') === 'creating' ? 'creating' : 'pending create';
    const age = `${what} since ${meta(bead, 'pending_create_started_at')} (${minutes(now - started!)} ago, lease 10 min)`;
    if (i < ROLLBACK_BUDGET) {
      rolledBack.add(bead.id);
      repairs.push({
        id: `rollback-stale-create:${bead.id}`,
        kind: 'rollback-stale-create',
        beadId: bead.id,
        template,
        changes: [
          { field: 'status', before: typeof bead.status === 'string' ? bead.status : null, after: 'closed' },
          { field: 'metadata.state', before: metaBefore(bead, 'state'), after: 'failed-create' },
          { field: 'metadata.close_reason', before: metaBefore(bead, 'close_reason'), after: 'failed-create' },
        ],
        reason: `${age}: roll back as failed-create`,
      });
    } else {
      deferred.add(bead.id);
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
  return { stale: stale.map((s) => s.bead), rolledBack, deferred, repairs, findings };
}
