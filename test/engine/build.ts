// Small builders for engine tests: states read like the store files they stand for.
import type { AgentConfig, Bead, CityConfig, State } from '../../src/engine/index.js';
import { plan } from '../../src/engine/index.js';

export const NOW = new Date('2026-05-06T02:13:00Z');

export function city(agents: AgentConfig[], extra: Partial<CityConfig> = {}): CityConfig {
  return { workspace: { name: 'test-city' }, agents, ...extra };
}

export function session(id: string, metadata: Record<string, string>, extra: Partial<Bead> = {}): Bead {
  const agent = metadata.agent_name;
  return {
    id,
    title: agent ?? id,
    status: 'open',
    issue_type: 'session',
    labels: agent ? ['gc:session', `agent:${agent}`] : ['gc:session'],
    metadata,
    created_at: '2026-05-06T02:00:00Z',
    ...extra,
  };
}

/** A pool-managed session bead of a template, with the usual keys. */
export function pooled(id: string, template: string, metadata: Record<string, string>, extra: Partial<Bead> = {}): Bead {
  return session(
    id,
    { template, pool_managed: 'true', session_origin: 'ephemeral', session_name: `s-${id}`, state: 'asleep', ...metadata },
    extra,
  );
}

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

export function planOf(s: State, now: Date = NOW) {
  return plan(s, now);
}

export function repairIds(s: State, now: Date = NOW): string[] {
  return plan(s, now).repairs.map((r) => r.id);
}
