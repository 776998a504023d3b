// Rejected repairs are withheld until their facts change; a reopened one is proposed again.
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/engine/index.js';
import { city, planOf, pooled, state } from './build.js';

const c = city([{ name: 'worker', dir: 'frontend', max_active_sessions: 10 }]);
const bead = (slot: string) =>
  pooled('b', 'frontend/worker', { agent_name: 'frontend/worker-3', alias: 'frontend/worker-3', pool_slot: slot });

describe('decisions', () => {
  const first = planOf(state(c, [bead('4')])).repairs[0];
  const rejection: Decision = { repair: first.id, decision: 'rejected', changes: first.changes, by: 'ops', reason: 'on purpose' };

  it('withholds a repair rejected with exactly these changes, and says so', () => {
    const p = planOf(state(c, [bead('4')], { decisions: [rejection] }));
    expect(p.repairs).toEqual([]);
    expect(p.detail.rejected.map((r) => r.repair.id)).toEqual(['restamp-slot:b']);
  });
  it('proposes it again when its facts change', () => {
    const p = planOf(state(c, [bead('5')], { decisions: [rejection] }));
    expect(p.repairs.map((r) => r.changes[0].before)).toEqual(['5']);
    expect(p.detail.rejected).toEqual([]);
  });
  it('proposes it again once reopened (the latest decision wins)', () => {
    const p = planOf(state(c, [bead('4')], { decisions: [rejection, { repair: first.id, decision: 'reopened', changes: first.changes }] }));
    expect(p.repairs.map((r) => r.id)).toEqual(['restamp-slot:b']);
  });
});

describe('decisions on a conflict clear', () => {
  const pack = city([{ name: 'worker', dir: 'pack', max_active_sessions: 10 }], {
    named_sessions: [{ template: 'pack/worker', identity: 'pack/worker-1' }],
  });
  const s = state(pack, [pooled('p', 'pack/worker', { agent_name: 'pack/worker-1', alias: 'wrong', pool_slot: '1' })]);
  it('stays rejected when only the clock moved (the conflict time is the plan\u2019s own)', () => {
    const r = planOf(s, new Date('2026-05-06T02:13:00Z')).repairs.find((x) => x.kind === 'clear-conflicting-alias')!;
    const later = planOf(
      { ...s, decisions: [{ repair: r.id, decision: 'rejected', changes: r.changes }] },
      new Date('2026-05-06T05:00:00Z'),
    );
    expect(later.repairs.map((x) => x.id)).not.toContain(r.id);
    expect(later.detail.rejected.map((x) => x.repair.id)).toEqual([r.id]);
  });
});
