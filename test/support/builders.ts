// The one set of builders for tests: beads, cities and states that read like the store files they stand for,
// and the one clock every test plans at.
import type { AgentConfig, Bead, CityConfig, State } from '../../src/engine/index.js';

/** The time every test plans at; beads are created a few minutes before it. */
export const NOW = new Date('2026-05-06T02:13:00Z');
/** NOW as the CLI's `--now` takes it. */
export const NOW_ISO = '2026-05-06T02:13:00Z';
/** When builders' beads were created (and last updated). */
export const CREATED = '2026-05-06T02:00:00Z';

export function city(agents: AgentConfig[], extra: Partial<CityConfig> = {}): CityConfig {
  return { workspace: { name: 'test-city' }, agents, ...extra };
}

/** A session bead: `gc:session`, and `agent:<agent_name>` when the metadata names an agent. */
export function session(id: string, metadata: Record<string, string>, extra: Partial<Bead> = {}): Bead {
  const agent = metadata.agent_name;
  return {
    id,
    title: agent ?? id,
    status: 'open',
    issue_type: 'session',
    labels: agent ? ['gc:session', `agent:${agent}`] : ['gc:session'],
    metadata,
    created_at: CREATED,
    ...extra,
  };
}

/** A pool-managed session bead of a template, with the usual keys (asleep, ephemeral, session `s-<id>`). */
export function pooled(id: string, template: string, metadata: Record<string, string>, extra: Partial<Bead> = {}): Bead {
  return session(
    id,
    { template, pool_managed: 'true', session_origin: 'ephemeral', session_name: `s-${id}`, state: 'asleep', ...metadata },
    extra,
  );
}

/**
 * A backend/worker create in flight in slot `slot` (claimed, `creating`), started at `startedAt`: stale ten minutes
 * later (2026-05), so a patrol re-plan past then proposes its rollback.
 */
export function creatingSince(id: string, slot: number, startedAt: string): Bead {
  return pooled(id, 'backend/worker', {
    agent_name: `backend/worker-${slot}`,
    alias: '',
    pool_slot: String(slot),
    state: 'creating',
    pending_create_claim: 'true',
    pending_create_started_at: startedAt,
  });
}

/** A work bead (a task), optionally routed to a template and assigned to a session. */
export function work(id: string, opts: { route?: string; assignee?: string; status?: string; priority?: number } = {}): Bead {
  const b: Bead = {
    id,
    title: `work ${id}`,
    status: opts.status ?? 'open',
    issue_type: 'task',
    metadata: opts.route ? { 'gc.routed_to': opts.route } : {},
    created_at: '2026-05-06T01:00:00Z',
  };
  if (opts.assignee) b.assignee = opts.assignee;
  if (opts.priority !== undefined) b.priority = opts.priority;
  return b;
}

export function state(c: CityConfig, beads: Bead[], extra: Partial<State> = {}): State {
  return { city: c, beads, ...extra };
}

/**
 * A session bead as Gas City's file store holds one (pool-managed, ephemeral, priority 2, titled by its agent),
 * as a plain record a test can reshape before writing it to a file.
 */
export function sessionRecord(id: string, metadata: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const bead = session(
    id,
    { pool_managed: 'true', session_origin: 'ephemeral', ...metadata },
    { title: metadata.agent_name ?? '', priority: 2, updated_at: CREATED },
  );
  return { ...bead, ...extra };
}
