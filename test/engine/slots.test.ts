// R6: the slot stamp follows the owned slot.
import { describe, expect, it } from 'vitest';
import { city, planOf, pooled, state } from './build.js';

const c = city([{ name: 'worker', dir: 'frontend', max_active_sessions: 5 }]);

describe('R6 restamp', () => {
  it('restamps a stale, missing or malformed pool_slot, independently of the alias', () => {
    const beads = [
      pooled('stale', 'frontend/worker', { agent_name: 'frontend/worker-3', alias: 'frontend/worker-3', pool_slot: '4' }),
      pooled('missing', 'frontend/worker', { agent_name: 'frontend/worker-1', alias: 'frontend/worker-1' }),
      pooled('padded', 'frontend/worker', { agent_name: 'frontend/worker-2', alias: 'frontend/worker-2', pool_slot: '02' }),
      pooled('ok', 'frontend/worker', { agent_name: 'frontend/worker-5', alias: 'frontend/worker-5', pool_slot: '5' }),
    ];
    const p = planOf(state(c, beads));
    expect(p.repairs.map((r) => [r.id, r.changes[0].before, r.changes[0].after])).toEqual([
      ['restamp-slot:missing', null, '1'],
      ['restamp-slot:padded', '02', '2'],
      ['restamp-slot:stale', '4', '3'],
    ]);
  });
  it("the bead's detail says its pool_slot is stale exactly where a restamp is due, proposed or withheld", () => {
    const later = { created_at: '2026-05-06T02:05:00Z' };
    const beads = [
      pooled('stale', 'frontend/worker', { agent_name: 'frontend/worker-3', alias: 'frontend/worker-3', pool_slot: '4' }),
      pooled('missing', 'frontend/worker', { agent_name: 'frontend/worker-1', alias: 'frontend/worker-1' }),
      pooled('ok', 'frontend/worker', { agent_name: 'frontend/worker-5', alias: 'frontend/worker-5', pool_slot: '5' }),
      // Withheld: an unknown state keeps its repairs back, the drift is still there.
      pooled('odd', 'frontend/worker', { agent_name: 'frontend/worker-2', alias: 'frontend/worker-2', pool_slot: '4', state: 'weird' }),
      // A refused duplicate of slot 3 (created after 'stale') is never restamped: its pool_slot says nothing to fix.
      pooled('dup', 'frontend/worker', { agent_name: 'frontend/worker-3', alias: '', pool_slot: '1' }, later),
    ];
    const p = planOf(state(c, beads));
    const stale = Object.values(p.detail.beads)
      .filter((b) => b.stalePoolSlot)
      .map((b) => b.id);
    expect(stale.sort()).toEqual(['missing', 'odd', 'stale']);
    expect(p.repairs.filter((r) => r.kind === 'restamp-slot').map((r) => r.beadId)).toEqual(['missing', 'stale']);
    expect(p.detail.beads.dup.duplicateOf).toBe('stale');
    // A rejected restamp is withheld from the queue; the pool_slot is stale all the same.
    const restamp = p.repairs.find((r) => r.id === 'restamp-slot:stale')!;
    const decided = planOf(state(c, beads, { decisions: [{ repair: restamp.id, decision: 'rejected', changes: restamp.changes }] }));
    expect(decided.repairs.map((r) => r.id)).not.toContain('restamp-slot:stale');
    expect(decided.detail.beads.stale.stalePoolSlot).toBe(true);
  });
  it('does not stamp a bead that owns no slot', () => {
    const p = planOf(state(c, [pooled('x', 'frontend/worker', { agent_name: 'frontend/worker-9', pool_slot: '8' })]));
    expect(p.repairs).toEqual([]);
    expect(p.metrics.out_of_bounds_identities).toBe(1);
    expect(p.findings[0]).toMatchObject({ kind: 'out-of-bounds-identity', beadId: 'x' });
    expect(p.detail.beads.x.stalePoolSlot).toBe(false);
  });
});
