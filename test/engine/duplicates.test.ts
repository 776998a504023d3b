// R3: one bead per slot; refused duplicates are never retagged.
import { describe, expect, it } from 'vitest';
import { city, planOf, pooled, state, work } from './build.js';

const kimi = city([{ name: 'kimi', max_active_sessions: 20 }]);

describe('R3 duplicates', () => {
  it('does not retag a duplicate concrete slot (PR #2076): the creating duplicate is refused, not moved', () => {
    const beads = [
      pooled('mc-incumbent', 'kimi', { agent_name: 'kimi-9', alias: 'kimi-9', pool_slot: '9', state: 'active' }),
      pooled('mc-duplicate', 'kimi', {
        agent_name: 'kimi-9',
        alias: 'kimi-15',
        pool_slot: '9',
        state: 'creating',
        session_name: 'workflows__kimi-mc-duplicate',
      }),
    ];
    const p = planOf(state(kimi, beads));
    expect(p.metrics.duplicate_slots).toBe(1);
    expect(p.pools[0].slots).toEqual([{ slot: 9, beadId: 'mc-incumbent', alias: 'kimi-9', state: 'active' }]);
    expect(p.pools[0].duplicates).toEqual(['mc-duplicate']);
    // No repair touches the duplicate's alias or slot; it is live, so it is a finding.
    expect(p.repairs.filter((r) => r.beadId === 'mc-duplicate')).toEqual([]);
    const f = p.findings.find((x) => x.kind === 'duplicate-slot')!;
    expect(f.beadId).toBe('mc-duplicate');
    expect(f.message).toContain('mc-incumbent');
    expect(f.message).toContain('creating');
  });
  it('orders incumbents: alias matches identity, then live, then older, then id', () => {
    const base = { agent_name: 'kimi-1', pool_slot: '1' };
    const cases: [string, ReturnType<typeof pooled>[]][] = [
      [
        'b',
        [pooled('a', 'kimi', { ...base, alias: 'x', state: 'active' }), pooled('b', 'kimi', { ...base, alias: 'kimi-1', state: 'asleep' })],
      ],
      ['b', [pooled('a', 'kimi', { ...base, state: 'asleep' }), pooled('b', 'kimi', { ...base, state: 'awake' })]],
      [
        'b',
        [
          pooled('a', 'kimi', base, { created_at: '2026-05-06T02:00:00Z' }),
          pooled('b', 'kimi', base, { created_at: '2026-05-06T01:00:00Z' }),
        ],
      ],
      ['b', [pooled('a', 'kimi', base, { created_at: 'garbage' }), pooled('b', 'kimi', base, { created_at: '2026-05-06T01:00:00Z' })]],
      ['a', [pooled('b', 'kimi', base), pooled('a', 'kimi', base)]],
    ];
    for (const [winner, beads] of cases) {
      const p = planOf(state(kimi, beads));
      expect(p.pools[0].slots[0].beadId).toBe(winner);
      expect(p.detail.beads[winner === 'a' ? 'b' : 'a'].incumbentReason).toBeTruthy();
    }
  });
  it('the older of two created within one millisecond is the incumbent: created_at compares to the nanosecond', () => {
    const c = city([{ name: 'worker', max_active_sessions: 5 }]);
    const dup = (id: string, created: string) => ({
      ...pooled(id, 'worker', { agent_name: 'worker-2', pool_slot: '2', state: 'asleep' }),
      created_at: created,
    });
    const p = planOf(state(c, [dup('gc-1', '2026-05-01T10:00:00.123456789Z'), dup('gc-2', '2026-05-01T10:00:00.123456700Z')]));
    expect(p.repairs.map((r) => r.id)).toEqual(['close-duplicate:gc-1', 'repair-alias:gc-2']);
    expect(p.repairs[0].reason).toContain('it is older (created 2026-05-01T10:00:00.123456700Z before 2026-05-01T10:00:00.123456789Z)');
  });
  it('closes a dormant duplicate without live work, and keeps one that holds work', () => {
    const beads = [
      pooled('inc', 'kimi', { agent_name: 'kimi-2', alias: 'kimi-2', pool_slot: '2', state: 'active' }),
      pooled('dup-idle', 'kimi', { agent_name: 'kimi-2', pool_slot: '2', state: 'asleep' }),
      pooled('dup-busy', 'kimi', { agent_name: 'kimi-2', pool_slot: '2', state: 'drained' }),
      work('w1', { assignee: 's-dup-busy', route: 'kimi', status: 'in_progress' }),
    ];
    const p = planOf(state(kimi, beads));
    const close = p.repairs.find((r) => r.id === 'close-duplicate:dup-idle')!;
    expect(close.changes).toEqual([
      { field: 'status', before: 'open', after: 'closed' },
      { field: 'metadata.close_reason', before: null, after: 'duplicate-slot' },
    ]);
    expect(p.repairs.some((r) => r.beadId === 'dup-busy')).toBe(false);
    const f = p.findings.find((x) => x.beadId === 'dup-busy')!;
    expect(f.kind).toBe('duplicate-slot');
    expect(f.message).toContain('w1');
    // Refused duplicates hold no capacity: the busy one's work does not make it desired.
    expect(p.pools[0].desired).toBe(0);
  });
  it('an unknown-state duplicate is never closed', () => {
    const beads = [
      pooled('inc', 'kimi', { agent_name: 'kimi-2', alias: 'kimi-2', pool_slot: '2', state: 'active' }),
      pooled('dup', 'kimi', { agent_name: 'kimi-2', pool_slot: '2', state: 'zombie' }),
    ];
    const p = planOf(state(kimi, beads));
    expect(p.repairs).toEqual([]);
    expect(p.findings.map((f) => f.kind)).toEqual(['duplicate-slot', 'unknown-state']);
  });
});

describe('R3 duplicates: details', () => {
  it('a dormant duplicate whose stale-create rollback is deferred is still closed', () => {
    const start = { pending_create_claim: 'true', pending_create_started_at: '2026-05-06T01:00:00Z', state: 'asleep' };
    const beads = [
      ...[1, 2, 3, 4, 5, 6].map((n) =>
        pooled(`a${n}`, 'kimi', { agent_name: `kimi-${n}`, alias: `kimi-${n}`, pool_slot: String(n), ...start }),
      ),
      pooled('z-dup', 'kimi', { agent_name: 'kimi-1', pool_slot: '1', ...start, pending_create_started_at: '2026-05-06T01:30:00Z' }),
    ];
    const p = planOf(state(kimi, beads));
    expect(p.metrics.deferred_rollbacks).toBe(2);
    expect(p.repairs.map((r) => r.id)).toContain('close-duplicate:z-dup');
    expect(p.findings.filter((f) => f.beadId === 'z-dup').map((f) => f.kind)).toEqual(['deferred-rollback']);
  });
  it('explains the incumbent\u2019s win over each duplicate separately', () => {
    const beads = [
      pooled('a', 'kimi', { agent_name: 'kimi-9', alias: 'kimi-9', pool_slot: '9' }, { created_at: '2026-05-06T01:00:00Z' }),
      pooled(
        'b',
        'kimi',
        { agent_name: 'kimi-9', alias: 'kimi-9', pool_slot: '9', state: 'active' },
        { created_at: '2026-05-06T01:30:00Z' },
      ),
      pooled('c', 'kimi', { agent_name: 'kimi-9', pool_slot: '9', state: 'active' }, { created_at: '2026-05-06T00:00:00Z' }),
    ];
    // b wins (alias matches and live); over a because it is live, over c because its alias matches.
    const p = planOf(state(kimi, beads));
    expect(p.pools[0].slots[0].beadId).toBe('b');
    expect(p.detail.beads.a.incumbentReason).toMatch(/live/);
    expect(p.detail.beads.c.incumbentReason).toMatch(/alias equals/);
  });
  it('finds a far slot held twice after the slots before it fill in: one incumbent, the later bead refused', () => {
    // An unbounded pool: slot 500 comes first, far above the slots held so far, then slots 1..300 (the array by slot grows past 500), then 500 again.
    const c = city([{ name: 'kimi' }]);
    const held = (id: string, slot: number) =>
      pooled(id, 'kimi', { agent_name: `kimi-${slot}`, alias: `kimi-${slot}`, pool_slot: String(slot) });
    const beads = [held('far-1', 500)];
    for (let s = 1; s <= 300; s++) beads.push(held(`near-${s}`, s));
    beads.push(held('far-2', 500));
    const p = planOf(state(c, beads));
    expect(p.metrics.duplicate_slots).toBe(1);
    expect(p.pools[0].duplicates).toEqual(['far-2']);
    expect(p.pools[0].slots.filter((e) => e.slot === 500)).toEqual([{ slot: 500, beadId: 'far-1', alias: 'kimi-500', state: 'asleep' }]);
    expect(p.pools[0].slots).toHaveLength(301);
  });
});
