// Stores for the differential test (old engine vs new): cityArb's cities, then roughened with what the
// property generators leave out — closed and odd-status beads, names borrowed from other beads (as
// assignee, alias, agent_name, session_name, alias_history), odd slot strings and times, integer-like and
// prototype-named ids, named sessions, rig caps and suspension, demand overrides, rejected decisions.
import fc from 'fast-check';
import type { Bead, Decision, Repair, State } from '../../src/engine/index.js';
import { cityArb, shuffled } from './arbitraries.js';

const KEYS = [
  'template',
  'agent_name',
  'alias',
  'alias_history',
  'pool_slot',
  'pool_managed',
  'session_origin',
  'session_name',
  'state',
  'pending_create_claim',
  'pending_create_started_at',
  'pool_alias_conflict',
  'pool_alias_conflict_count',
  'pool_alias_conflict_at',
  'configured_named_session',
  'close_reason',
  'gc.routed_to',
] as const;

const ODD_VALUES = [
  '',
  '0',
  '007',
  '1',
  '2',
  '3',
  '999999',
  '1000000',
  ' 3',
  '+4',
  '-1',
  'true',
  'false',
  'creating',
  'active',
  'asleep',
  'named',
  'zombie',
  'closed',
  '2026-05-06T01:00:00Z',
  '2026-05-06T02:12:59Z',
  '2026-05-06T01:00:00.5+01:00',
  '2026-02-30T00:00:00Z',
  'yesterday',
  'x,y,,z',
  'mayor',
  'ghost/template',
];

const STATUSES = ['open', 'open', 'closed', 'in_progress', 'blocked', undefined] as const;
const ODD_IDS = ['7', '12', '0', '4294967295', '__proto__', 'constructor', 'toString', 'a\u00e9', 'z\u{1F600}', 'Z'];

const mutationArb = fc.record({
  target: fc.nat(),
  other: fc.nat(),
  what: fc.constantFrom(
    'status',
    'status',
    'meta-borrow',
    'meta-borrow',
    'meta-odd',
    'meta-odd',
    'meta-delete',
    'assignee',
    'assignee',
    'history',
    'created',
    'priority',
    'odd-id',
    'issue-type',
    'label',
  ),
  key: fc.constantFrom(...KEYS),
  from: fc.constantFrom('id', 'session_name', 'alias', 'agent_name', 'alias_history', 'template'),
  pick: fc.nat(),
});

export const chaosArb: fc.Arbitrary<{ state: State; rejectPicks: number[] }> = fc
  .record({
    base: cityArb,
    mutations: fc.array(mutationArb, { maxLength: 80, size: 'max' }),
    seed: fc.nat(),
    shuffle: fc.boolean(),
    namedIdentity: fc.option(fc.constantFrom('mayor', 'ghost', 'frontend/worker-1', 'kimi-1'), { nil: undefined }),
    rigSuspended: fc.option(fc.constantFrom('frontend', 'backend', 'gt'), { nil: undefined }),
    demand: fc.array(fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: -2, max: 30 }), fc.double({ min: 0, max: 9, noNaN: true }))), {
      maxLength: 3,
    }),
    patrol: fc.constantFrom(undefined, '30s', '1m30s', '500ms', 'bogus'),
    rejectPicks: fc.array(fc.nat(), { maxLength: 4 }),
  })
  .map(({ base, mutations, seed, shuffle, namedIdentity, rigSuspended, demand, patrol, rejectPicks }) => {
    const beads: Bead[] = base.beads.map((b) => ({
      ...b,
      metadata: { ...(b.metadata ?? {}) },
      labels: b.labels ? [...b.labels] : undefined,
    }));
    const ids = new Set(beads.map((b) => b.id));
    const nameFrom = (b: Bead, from: string): string =>
      from === 'id'
        ? b.id
        : from === 'alias_history'
          ? ((b.metadata?.alias_history ?? '').split(',')[0] ?? '')
          : (b.metadata?.[from] ?? '');
    for (const m of mutations) {
      if (beads.length === 0) break;
      const b = beads[m.target % beads.length];
      const o = beads[m.other % beads.length];
      const md = b.metadata!;
      switch (m.what) {
        case 'status':
          b.status = STATUSES[m.pick % STATUSES.length];
          if (b.status === undefined) delete b.status;
          break;
        case 'meta-borrow':
          md[m.key] = nameFrom(o, m.from);
          break;
        case 'meta-odd':
          md[m.key] = ODD_VALUES[m.pick % ODD_VALUES.length];
          break;
        case 'meta-delete':
          delete md[m.key];
          break;
        case 'assignee': {
          // Mostly on work beads: a session bead's assignee means nothing to the rules.
          const works = beads.filter((x) => x.issue_type !== 'session');
          const w = m.pick % 7 === 0 || works.length === 0 ? b : works[m.target % works.length];
          const name = m.pick % 5 === 0 ? (namedIdentity ?? 'mayor') : m.pick % 5 === 1 ? `retired-${m.pick % 3}` : nameFrom(o, m.from);
          if (name) w.assignee = name;
          else delete w.assignee;
          break;
        }
        case 'history':
          // Retired names are only in histories: an assignee that names one resolves by history alone.
          md.alias_history = [m.pick % 2 ? `retired-${m.pick % 3}` : nameFrom(o, m.from), nameFrom(o, 'alias'), md.alias_history ?? '']
            .filter((x) => x !== '')
            .join(',');
          break;
        case 'created':
          b.created_at = [undefined, '2026-05-06T00:00:00Z', o.created_at, 'garbage', '2026-05-06T00:00:00+00:00'][m.pick % 5] as string;
          if (b.created_at === undefined) delete b.created_at;
          break;
        case 'priority':
          b.priority = [0, 1, 4, -1, 2.5][m.pick % 5];
          break;
        case 'odd-id': {
          const id = ODD_IDS[m.pick % ODD_IDS.length];
          if (!ids.has(id)) {
            ids.delete(b.id);
            ids.add(id);
            b.id = id;
          }
          break;
        }
        case 'issue-type':
          b.issue_type = b.issue_type === 'session' ? 'task' : 'session';
          break;
        case 'label':
          b.labels = ['gc:session', `agent:${nameFrom(o, 'agent_name') || nameFrom(o, 'alias')}`];
          break;
      }
    }
    const agents = base.city.agents;
    const city = {
      ...base.city,
      ...(patrol ? { daemon: { patrol_interval: patrol } } : {}),
      rigs: (base.city.rigs ?? []).map((r) => (r.name === rigSuspended ? { ...r, suspended: true } : r)),
      named_sessions: [
        ...(base.city.named_sessions ?? []),
        ...(namedIdentity ? [{ template: 'mayor', identity: namedIdentity }, { template: agents[seed % agents.length].name }] : []),
      ],
    };
    const q = (k: number) => {
      const a = agents[k % agents.length];
      return a.dir ? `${a.dir}/${a.name}` : a.name;
    };
    const state: State = { city, beads: shuffle ? shuffled(beads, seed) : beads };
    if (demand.length) state.demand = Object.fromEntries(demand.map(([k, n]) => [q(k), n]));
    return { state, rejectPicks };
  });

/** Decisions that reject some of a plan's repairs with exactly their changes (and reopen one). */
export function rejecting(repairs: Repair[], picks: number[]): Decision[] {
  if (repairs.length === 0) return [];
  const out: Decision[] = picks.map((p) => ({
    repair: repairs[p % repairs.length].id,
    decision: 'rejected',
    changes: repairs[p % repairs.length].changes,
  }));
  if (picks.length > 2) out.push({ repair: repairs[picks[2] % repairs.length].id, decision: 'reopened', changes: [] });
  return out;
}
