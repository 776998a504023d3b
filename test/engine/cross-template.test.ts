// R4: no cross-template resume; orphaned work is released.
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { city, NOW, planOf, pooled, session, state, work } from './build.js';

const codex = city(
  [
    { name: 'codex-max', max_active_sessions: 10 },
    { name: 'codex-min', max_active_sessions: 10 },
  ],
  { named_sessions: [{ template: 'codex-max', identity: 'overseer' }] },
);

describe('R4 cross-template work', () => {
  it('does not resume a session across an explicit route mismatch (PR #2076)', () => {
    const beads = [
      pooled('mc-codex-max', 'codex-max', {
        session_name: 'workflows__codex-max-mc-codex-max',
        agent_name: 'codex-max-1',
        alias: 'codex-max-1',
        pool_slot: '1',
      }),
      work('w-mismatched-route', { route: 'codex-min', assignee: 'workflows__codex-max-mc-codex-max', status: 'in_progress', priority: 5 }),
    ];
    const p = planOf(state(codex, beads));
    expect(p.metrics.cross_template_assignments).toBe(1);
    expect(p.pools.map((x) => x.desired)).toEqual([0, 0]);
    const r = p.repairs.find((x) => x.kind === 'unassign-cross-template-work')!;
    expect(r).toMatchObject({ id: 'unassign-cross-template-work:w-mismatched-route', beadId: 'w-mismatched-route', template: 'codex-min' });
    expect(r.changes).toEqual([
      { field: 'assignee', before: 'workflows__codex-max-mc-codex-max', after: '' },
      { field: 'status', before: 'in_progress', after: 'open' },
    ]);
    expect(r.reason).toContain('mc-codex-max');
  });
  it('2026-08: an unassign also empties the session affinity that would pull the work back; 2026-05 leaves it', () => {
    const w = work('w', { route: 'codex-min', assignee: 'codex-max-1', status: 'in_progress' });
    w.metadata = { ...w.metadata, 'gc.session_affinity': 'codex-max-1', 'gc.continuation_group': ' ' };
    const beads = [pooled('s1', 'codex-max', { agent_name: 'codex-max-1', alias: 'codex-max-1', pool_slot: '1' }), w];
    const unassignOf = (edition: '2026-05' | '2026-08') => plan(state(codex, beads), NOW, edition).repairs.find((r) => r.beadId === 'w')!;
    expect(unassignOf('2026-08').changes).toEqual([
      { field: 'assignee', before: 'codex-max-1', after: '' },
      { field: 'status', before: 'in_progress', after: 'open' },
      { field: 'metadata.gc.session_affinity', before: 'codex-max-1', after: '' },
    ]);
    expect(unassignOf('2026-08').reason).toContain(
      'empty gc.session_affinity (a later claim would otherwise follow it to its old session)',
    );
    expect(unassignOf('2026-05').changes.map((c) => c.field)).toEqual(['assignee', 'status']);
  });
  it('2026-08: a release that empties both affinity keys names both, in the order of the keys', () => {
    const w = work('w', { route: 'codex-min', assignee: 'gone-session', status: 'open' });
    w.metadata = { ...w.metadata, 'gc.session_affinity': 'gone-session', 'gc.continuation_group': 'g1' };
    const r = plan(state(codex, [w]), NOW, '2026-08').repairs.find((x) => x.beadId === 'w')!;
    expect(r.changes.map((c) => c.field)).toEqual(['assignee', 'metadata.gc.session_affinity', 'metadata.gc.continuation_group']);
    expect(r.reason).toBe(
      'assignee "gone-session" resolves to no open session bead (routed to codex-min): release it, and empty gc.session_affinity and gc.continuation_group (a later claim would otherwise follow it to its old session)',
    );
  });
  it('resolves a legacy session without template through agent_name', () => {
    const beads = [
      session('legacy', { agent_name: 'codex-max-1', session_name: 'legacy-s', state: 'asleep' }),
      work('w', { route: 'codex-min', assignee: 'legacy-s', status: 'open' }),
    ];
    const p = planOf(state(codex, beads));
    expect(p.repairs.map((r) => r.id)).toEqual(['backfill-template:legacy', 'unassign-cross-template-work:w']);
    expect(p.repairs[1].changes).toEqual([{ field: 'assignee', before: 'legacy-s', after: '' }]);
  });
  it('releases orphaned work routed to a configured template, but leaves people and named identities alone', () => {
    const beads = [
      work('orphan', { route: 'codex-min', assignee: 'gone-session', status: 'in_progress' }),
      work('person', { assignee: 'alice', status: 'in_progress' }),
      work('named', { route: 'codex-max', assignee: 'overseer', status: 'open' }),
      work('elsewhere', { route: 'not-configured', assignee: 'ghost', status: 'open' }),
      work('done', { route: 'codex-min', assignee: 'gone', status: 'closed' }),
    ];
    const p = planOf(state(codex, beads));
    expect(p.repairs.map((r) => r.id)).toEqual(['release-orphaned-work:orphan']);
    expect(p.metrics.orphaned_work).toBe(1);
  });
  it('resolves an assignee by id, session_name, alias, then alias_history; closed sessions do not resolve', () => {
    const beads = [
      pooled('s1', 'codex-max', { agent_name: 'codex-max-1', alias: 'codex-max-1', pool_slot: '1', alias_history: 'old-name' }),
      session('s-closed', { template: 'codex-min', session_name: 'closed-s' }, { status: 'closed' }),
      work('by-history', { route: 'codex-min', assignee: 'old-name' }),
      work('by-closed', { route: 'codex-min', assignee: 'closed-s', status: 'in_progress' }),
    ];
    const p = planOf(state(codex, beads));
    expect(p.repairs.map((r) => r.id)).toEqual(['release-orphaned-work:by-closed', 'unassign-cross-template-work:by-history']);
  });
});
