// R1: the template of a bead, and the template backfill.
import { describe, expect, it } from 'vitest';
import { city, planOf, pooled, session, state } from './build.js';

const c = city(
  [
    { name: 'codex-max', max_active_sessions: 10 },
    { name: 'codex-min', max_active_sessions: 10 },
    { name: 'polecat', dir: 'gt', namepool: ['furiosa', 'nux'] },
    { name: 'mayor', max_active_sessions: 1 },
  ],
  { named_sessions: [{ template: 'mayor' }, { template: 'deacon' }] },
);

describe('R1 template resolution', () => {
  it('backfills an empty template from agent_name, then the agent: label, then alias', () => {
    const beads = [
      session('a', { agent_name: 'codex-max-1', state: 'asleep' }),
      session('b', { state: 'asleep' }, { labels: ['gc:session', 'agent:gt/nux'] }),
      session('c', { template: '', alias: 'codex-min-gc-4', state: 'asleep' }),
    ];
    const p = planOf(state(c, beads));
    const fills = p.repairs.filter((r) => r.kind === 'backfill-template');
    expect(fills.map((r) => [r.beadId, r.changes])).toEqual([
      ['a', [{ field: 'metadata.template', before: null, after: 'codex-max' }]],
      ['b', [{ field: 'metadata.template', before: null, after: 'gt/polecat' }]],
      ['c', [{ field: 'metadata.template', before: '', after: 'codex-min' }]],
    ]);
    expect(fills[0].reason).toContain('codex-max-1');
    // The beads' detail says so (the console's slots view flags them), and not of a bead whose template is stored.
    expect(Object.values(p.detail.beads).map((b) => [b.id, b.templateBackfill, b.templateSource])).toEqual([
      ['a', true, 'agent_name'],
      ['b', true, 'label'],
      ['c', true, 'alias'],
    ]);
  });
  it('the detail says a backfill is due while its repair is withheld (an unknown state), never on a stored template', () => {
    const p = planOf(
      state(c, [
        session('w', { agent_name: 'codex-max-1', state: 'weird' }),
        session('s', { template: 'codex-max', agent_name: 'codex-max-2', state: 'asleep' }),
      ]),
    );
    expect(p.repairs.filter((r) => r.kind === 'backfill-template')).toEqual([]);
    expect(p.detail.beads.w.templateBackfill).toBe(true);
    expect(p.detail.beads.s.templateBackfill).toBe(false);
  });
  it('never rewrites a present template, even one that is not configured', () => {
    const p = planOf(state(c, [session('a', { template: 'old/thing', agent_name: 'codex-max-2', state: 'asleep' })]));
    expect(p.repairs.filter((r) => r.kind === 'backfill-template')).toEqual([]);
    expect(p.detail.beads.a.template).toBe('codex-max');
  });
  it('a named session template counts as configured', () => {
    const p = planOf(state(c, [session('d', { template: 'deacon', configured_named_session: 'true', state: 'active' })]));
    expect(p.metrics.unresolved_templates).toBe(0);
    expect(p.repairs).toEqual([]);
  });
  it('an unresolved bead gets no repair and an unresolved-template finding naming what was tried', () => {
    const b = pooled('u', 'ghost', {
      agent_name: 'ghost-1',
      alias: 'ghost-1',
      pool_slot: 'x',
      state: 'creating',
      pending_create_claim: 'true',
      pending_create_started_at: '2026-05-01T00:00:00Z',
    });
    const p = planOf(state(c, [b]));
    expect(p.repairs).toEqual([]);
    expect(p.metrics.unresolved_templates).toBe(1);
    expect(p.metrics.stale_creates).toBe(0);
    expect(p.findings).toMatchObject([{ kind: 'unresolved-template', severity: 'action', beadId: 'u' }]);
    expect(p.findings[0].message).toContain('ghost-1');
  });
});

describe('R1 details', () => {
  it('a numbered identity of a named-session-only template resolves to it', () => {
    const p = planOf(state(c, [session('d2', { agent_name: 'deacon-2', state: 'asleep' })]));
    expect(p.detail.beads.d2.template).toBe('deacon');
    expect(p.repairs.map((r) => r.id)).toEqual(['backfill-template:d2']);
  });
});
