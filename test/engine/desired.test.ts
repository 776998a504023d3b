// R7: desired sessions per pool — resume, new demand, in-flight reuse, caps, min fill.
import { describe, expect, it } from 'vitest';
import type { Bead, CityConfig, State } from '../../src/engine/index.js';
import { city, planOf, pooled, session, state, work } from './build.js';

const desired = (s: State) => Object.fromEntries(planOf(s).pools.map((p) => [p.template, p.desired]));
const member = (id: string, t: string, n: number, md: Record<string, string> = {}) =>
  pooled(id, t, { agent_name: `${t}-${n}`, alias: `${t}-${n}`, pool_slot: String(n), ...md });

describe('R7 desired state', () => {
  const two: CityConfig = city([
    { name: 'a', max_active_sessions: 2 },
    { name: 'b', max_active_sessions: 5 },
  ]);

  it('resume beats new, and the agent cap counts both', () => {
    const beads: Bead[] = [
      member('s1', 'a', 1),
      member('s2', 'a', 2),
      work('w1', { route: 'a', assignee: 's-s1' }),
      work('w2', { route: 'a', assignee: 's-s2' }),
      work('new1', { route: 'a' }),
    ];
    const p = planOf(state(two, beads));
    expect(p.pools[0].desired).toBe(2);
    const reqs = p.detail.templates[0].requests;
    expect(reqs.map((r) => [r.tier, r.accepted])).toEqual([
      ['resume', true],
      ['resume', true],
      ['new', false],
    ]);
    expect(reqs[2].refusedBy).toBe('agent_cap');
  });
  it('one request per session, highest priority first; the cap keeps the most urgent', () => {
    const c = city([{ name: 'a', max_active_sessions: 1 }]);
    const beads = [
      member('low', 'a', 1),
      member('high', 'a', 2),
      work('w1', { route: 'a', assignee: 's-low', priority: 1 }),
      work('w2', { route: 'a', assignee: 's-high', priority: 9 }),
      work('w3', { assignee: 's-high', priority: 0 }),
    ];
    const reqs = planOf(state(c, beads)).detail.templates[0].requests;
    expect(reqs.map((r) => [r.beadId, r.accepted])).toEqual([
      ['high', true],
      ['low', false],
    ]);
  });
  it('store demand overrides the routed count; resume and new add up; suspended pools want nothing', () => {
    const c = city([{ name: 'a' }, { name: 'b', suspended: true }, { name: 'c', dir: 'r' }], { rigs: [{ name: 'r', suspended: true }] });
    const beads = [
      member('s1', 'a', 1),
      work('w', { route: 'a', assignee: 's-s1' }),
      work('n1', { route: 'a' }),
      work('n2', { route: 'b' }),
      work('n3', { route: 'r/c' }),
    ];
    expect(desired(state(c, beads))).toEqual({ a: 2, b: 0, 'r/c': 0 });
    expect(desired(state(c, beads, { demand: { a: 0 } }))).toEqual({ a: 1, b: 0, 'r/c': 0 });
  });
  it('in-flight beads fill the first new requests oldest first and never add demand', () => {
    const c = city([{ name: 'a', max_active_sessions: 10 }]);
    const inflight = (id: string) => member(id, 'a', Number(id.slice(1)), { state: 'creating' });
    const beads = [
      { ...inflight('f2'), created_at: '2026-05-06T02:05:00Z' },
      { ...inflight('f1'), created_at: '2026-05-06T02:01:00Z' },
      { ...inflight('f3'), created_at: '2026-05-06T02:09:00Z' },
    ];
    const none = planOf(state(c, beads));
    expect(none.pools[0].desired).toBe(0);
    expect(none.detail.templates[0].inFlight).toEqual(['f1', 'f2', 'f3']);
    const two = planOf(state(c, beads, { demand: { a: 2 } }));
    expect(two.detail.templates[0].requests.map((r) => r.beadId)).toEqual(['f1', 'f2']);
    const five = planOf(state(c, beads, { demand: { a: 5 } }));
    expect(five.detail.templates[0].requests.map((r) => r.beadId)).toEqual(['f1', 'f2', 'f3', null, null]);
  });
  it('rig and workspace caps apply across templates in config order; min fill tops up within them', () => {
    const c = city(
      [
        { name: 'x', dir: 'r' },
        { name: 'y', dir: 'r' },
        { name: 'z', min_active_sessions: 3 },
      ],
      { rigs: [{ name: 'r', max_active_sessions: 3 }], workspace: { name: 'w', max_active_sessions: 5 } },
    );
    const s = state(c, [], { demand: { 'r/x': 2, 'r/y': 2, z: 1 } });
    const p = planOf(s);
    expect(Object.fromEntries(p.pools.map((x) => [x.template, x.desired]))).toEqual({ 'r/x': 2, 'r/y': 1, z: 2 });
    expect(p.detail.templates[1].requests.at(-1)).toMatchObject({ accepted: false, refusedBy: 'rig_cap' });
    expect(p.detail.templates[2].requests.at(-1)).toMatchObject({ tier: 'min', accepted: false, refusedBy: 'workspace_cap' });
  });
  it('a namepool bounds a pool without max; a zero cap accepts nothing', () => {
    const c = city([
      { name: 'p', namepool: ['furiosa', 'nux'] },
      { name: 'q', max_active_sessions: 0 },
    ]);
    expect(desired(state(c, [], { demand: { p: 5, q: 3 } }))).toEqual({ p: 2, q: 0 });
  });
  it('a custom scale_check without a demand entry is an estimate with an unknown-demand finding', () => {
    const c = city([
      { name: 'a', scale_check: 'echo 3' },
      { name: 'b', scale_check: 'echo 1', suspended: true },
    ]);
    const p = planOf(state(c, [work('n', { route: 'a' })]));
    expect(p.pools[0].desired).toBe(1);
    expect(p.findings).toMatchObject([{ kind: 'unknown-demand', severity: 'info', template: 'a' }]);
    expect(planOf(state(c, [], { demand: { a: 4 } })).findings).toEqual([]);
  });
  it('named sessions, closed sessions and refused duplicates are not resumed', () => {
    const c = city([{ name: 'a', max_active_sessions: 5 }, { name: 'mayor' }], { named_sessions: [{ template: 'mayor' }] });
    const beads = [
      session('mayor-bead', { template: 'a', configured_named_session: 'true', session_name: 'm', state: 'active' }),
      session('gone', { template: 'a', session_name: 'g' }, { status: 'closed' }),
      member('inc', 'a', 1, { state: 'active' }),
      member('dup', 'a', 1, { alias: '', state: 'active' }),
      work('w1', { assignee: 'm' }),
      work('w2', { assignee: 'g' }),
      work('w3', { assignee: 's-dup' }),
    ];
    expect(desired(state(c, beads))).toEqual({ a: 0, mayor: 0 });
  });
});
