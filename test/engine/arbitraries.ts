// fast-check arbitraries: random cities with drift of every kind, for the engine's property tests.
import fc from 'fast-check';
import type { AgentConfig, Bead, State } from '../../src/engine/index.js';

const NAMES = ['worker', 'helper', 'kimi', 'polecat', 'dog'];
const DIRS = ['frontend', 'backend', 'gt'];
const POOL = ['furiosa', 'nux', 'slit', 'rictus', 'dag', 'capable'];
const STATES = [
  'creating',
  'active',
  'awake',
  'asleep',
  'suspended',
  'draining',
  'drained',
  'archived',
  'quarantined',
  'stopped',
  '',
  'zombie',
];
const NOW_MS = Date.parse('2026-05-06T02:13:00Z');

const agentArb = fc.record({
  name: fc.constantFrom(...NAMES),
  dir: fc.option(fc.constantFrom(...DIRS), { nil: undefined }),
  max: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 8 })),
  min: fc.integer({ min: 0, max: 2 }),
  namepool: fc.option(fc.subarray(POOL, { minLength: 1 }), { nil: undefined, freq: 3 }),
  scale: fc.boolean(),
  suspended: fc.constantFrom(false, false, false, true),
});

const sessionArb = fc.record({
  t: fc.nat(),
  other: fc.nat(),
  slot: fc.integer({ min: 1, max: 10 }),
  slot2: fc.integer({ min: 1, max: 12 }),
  agent: fc.constantFrom('identity', 'identity', 'identity', 'legacy', 'absent', 'label', 'foreign', 'oob', 'other-slot'),
  alias: fc.constantFrom('same', 'same', 'other-slot', 'foreign', 'empty', 'garbage', 'numeric'),
  poolSlot: fc.constantFrom('same', 'same', 'other', 'absent', 'garbage', 'oob'),
  template: fc.constantFrom('set', 'set', 'set', 'absent', 'foreign', 'unknown'),
  state: fc.constantFrom(...STATES),
  kind: fc.constantFrom('pool', 'pool', 'pool', 'pool', 'manual', 'named'),
  created: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined, freq: 8 }),
  pending: fc.option(fc.integer({ min: 0, max: 3_600 }), { nil: undefined, freq: 2 }),
  conflictCount: fc.option(fc.constantFrom('1', '2', 'x'), { nil: undefined, freq: 3 }),
});

const workArb = fc.record({
  route: fc.constantFrom('own', 'own', 'other', 'none', 'garbage'),
  assignee: fc.constantFrom('id', 'session_name', 'alias', 'garbage', 'none', 'none'),
  target: fc.nat(),
  status: fc.constantFrom('open', 'in_progress', 'closed'),
  priority: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
});

const rawArb = fc.record({
  agents: fc.array(agentArb, { minLength: 1, maxLength: 6 }),
  sessions: fc.array(sessionArb, { maxLength: 240, size: 'max' }),
  work: fc.array(workArb, { maxLength: 100, size: 'max' }),
  rigCap: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  wsCap: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
  named: fc.boolean(),
});
type Raw = typeof rawArb extends fc.Arbitrary<infer R> ? R : never;

export const cityArb: fc.Arbitrary<State> = rawArb.map((raw) => build(raw));

function build(raw: Raw): State {
  const seen = new Set<string>();
  const agents: AgentConfig[] = [];
  for (const a of raw.agents) {
    const q = a.dir ? `${a.dir}/${a.name}` : a.name;
    if (seen.has(q)) continue;
    seen.add(q);
    agents.push({
      name: a.name,
      ...(a.dir ? { dir: a.dir } : {}),
      max_active_sessions: a.max,
      min_active_sessions: a.min,
      // Names are per agent: two templates sharing an identity is a config error the rules do not arbitrate.
      namepool: (a.namepool ?? []).map((n) => `${n}-${a.name}`),
      ...(a.scale ? { scale_check: 'echo 1' } : {}),
      suspended: a.suspended,
    });
  }
  const q = (a: AgentConfig) => (a.dir ? `${a.dir}/${a.name}` : a.name);
  const identity = (a: AgentConfig, s: number) =>
    a.namepool && s <= a.namepool.length ? (a.dir ? `${a.dir}/${a.namepool[s - 1]}` : a.namepool[s - 1]) : `${q(a)}-${s}`;
  const beads: Bead[] = [];
  raw.sessions.forEach((r, i) => {
    const a = agents[r.t % agents.length];
    const o = agents[r.other % agents.length];
    const md: Record<string, string> = { session_name: `sn-${i}`, state: r.state };
    if (r.template === 'set') md.template = q(a);
    else if (r.template === 'foreign') md.template = q(o);
    else if (r.template === 'unknown') md.template = 'ghost/template';
    const agentName = {
      identity: identity(a, r.slot),
      legacy: `${q(a)}-gc-${r.slot}`,
      absent: '',
      label: '',
      foreign: identity(o, r.slot),
      oob: `${q(a)}-${50 + r.slot}`,
      'other-slot': identity(a, r.slot2),
    }[r.agent];
    if (agentName) md.agent_name = agentName;
    const alias = {
      same: identity(a, r.slot),
      'other-slot': identity(a, r.slot2),
      foreign: identity(o, r.slot2),
      empty: '',
      garbage: `ghost-${i}`,
      numeric: `${q(a)}-${r.slot}`,
    }[r.alias];
    if (alias) md.alias = alias;
    const ps = { same: String(r.slot), other: String(r.slot2), absent: '', garbage: 'x', oob: '77' }[r.poolSlot];
    if (ps) md.pool_slot = ps;
    if (r.kind === 'pool') {
      md.pool_managed = 'true';
      md.session_origin = 'ephemeral';
    } else if (r.kind === 'manual') {
      md.session_origin = 'manual';
      md.manual_session = 'true';
    } else {
      md.configured_named_session = 'true';
    }
    if (r.pending !== undefined) {
      md.pending_create_claim = 'true';
      md.pending_create_started_at = new Date(NOW_MS - r.pending * 1000).toISOString();
    }
    if (r.conflictCount) md.pool_alias_conflict_count = r.conflictCount;
    beads.push({
      id: `s${i}`,
      title: agentName || `s${i}`,
      status: 'open',
      issue_type: 'session',
      labels: r.agent === 'label' ? ['gc:session', `agent:${identity(a, r.slot)}`] : ['gc:session'],
      metadata: md,
      ...(r.created !== undefined ? { created_at: new Date(NOW_MS - r.created * 1000).toISOString() } : {}),
    });
  });
  // Assignees by alias only where the alias is unique: ties would resolve by file order, by design.
  const aliasCount = new Map<string, number>();
  for (const b of beads) {
    const al = b.metadata?.alias;
    if (al) aliasCount.set(al, (aliasCount.get(al) ?? 0) + 1);
  }
  raw.work.forEach((w, i) => {
    const target = beads.length ? beads[w.target % beads.length] : undefined;
    const tmpl = target ? target.metadata?.template || q(agents[w.target % agents.length]) : q(agents[0]);
    const route = { own: tmpl, other: q(agents[(w.target + 1) % agents.length]), none: '', garbage: 'nowhere' }[w.route];
    let assignee = '';
    if (w.assignee === 'garbage') assignee = `person-${i % 3}`;
    else if (target && w.assignee === 'id') assignee = target.id;
    else if (target && w.assignee === 'session_name') assignee = target.metadata!.session_name;
    else if (target && w.assignee === 'alias') {
      const al = target.metadata?.alias ?? '';
      assignee = al && aliasCount.get(al) === 1 ? al : target.id;
    }
    const bead: Bead = {
      id: `w${i}`,
      title: `work ${i}`,
      status: w.status,
      issue_type: 'task',
      metadata: route ? { 'gc.routed_to': route } : {},
      created_at: '2026-05-06T00:00:00Z',
    };
    if (assignee) bead.assignee = assignee;
    if (w.priority !== undefined) bead.priority = w.priority;
    beads.push(bead);
  });
  const rigs = DIRS.map((name) => ({ name, max_active_sessions: raw.rigCap }));
  return {
    city: {
      workspace: { name: 'prop-city', max_active_sessions: raw.wsCap },
      rigs,
      agents,
      named_sessions: raw.named ? [{ template: q(agents[0]), identity: identity(agents[0], 1) }] : [],
    },
    beads,
  };
}

/** A deterministic permutation of the beads (a seeded Fisher–Yates). */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
