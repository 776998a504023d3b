// R5: alias repair anchored to identity; clear and record a conflict when the alias is unavailable.
import { describe, expect, it } from 'vitest';
import { applyRepairs, plan, sameChanges } from '../../src/engine/index.js';
import { NOW, city, planOf, pooled, session, state } from './build.js';

const pack = city(
  [
    { name: 'worker', dir: 'pack', max_active_sessions: 10 },
    { name: 'helper', dir: 'pack', max_active_sessions: 10 },
  ],
  { named_sessions: [{ template: 'pack/worker', identity: 'pack/worker-9' }] },
);

/** A manual session holding pack/worker-3, and the pool session whose identity it is, with a wrong alias. */
function manualHoldsIdentity(live: Record<string, string> = {}) {
  return [
    session('manual', {
      template: 'pack/manual',
      alias: 'pack/worker-3',
      state: 'awake',
      session_origin: 'manual',
      manual_session: 'true',
    }),
    pooled('live', 'pack/worker', { agent_name: 'pack/worker-3', alias: 'pack/helper-3', pool_slot: '3', state: 'awake', ...live }),
  ];
}

describe('R5 aliases', () => {
  it('clears a wrong pool alias when the wanted one is held by a manual session (PR #2076)', () => {
    const beads = manualHoldsIdentity({ session_name: 'pack-worker-live' });
    const p = planOf(state(pack, beads));
    const r = p.repairs.find((x) => x.beadId === 'live')!;
    expect(r.kind).toBe('clear-conflicting-alias');
    expect(r.changes).toEqual([
      { field: 'metadata.alias', before: 'pack/helper-3', after: '' },
      { field: 'metadata.pool_alias_conflict', before: null, after: 'pack/worker-3' },
      { field: 'metadata.pool_alias_conflict_count', before: null, after: '1' },
      { field: 'metadata.pool_alias_conflict_at', before: null, after: '2026-05-06T02:13:00Z' },
    ]);
    expect(r.reason).toContain('manual');
    expect(p.metrics).toMatchObject({ mismatched_aliases: 1, alias_conflicts: 1 });
    // After the clear: no write, an alias-conflict finding naming the holder; the figure stays.
    const next = planOf(applyRepairs(state(pack, beads), p.repairs));
    expect(next.repairs).toEqual([]);
    expect(next.metrics).toMatchObject({ mismatched_aliases: 0, alias_conflicts: 1 });
    expect(next.findings).toMatchObject([{ kind: 'alias-conflict', beadId: 'live', template: 'pack/worker' }]);
    expect(next.findings[0].message).toContain('manual');
  });
  it('repairs to the identity when available: pushes history, removes conflict keys', () => {
    const b = pooled('b', 'pack/worker', {
      agent_name: 'pack/worker-2',
      alias: 'pack/helper-2',
      alias_history: 'older',
      pool_slot: '2',
      pool_alias_conflict: 'pack/worker-2',
      pool_alias_conflict_count: '3',
      pool_alias_conflict_at: '2026-05-01T00:00:00Z',
    });
    const r = planOf(state(pack, [b])).repairs.find((x) => x.kind === 'repair-alias')!;
    expect(r.changes).toEqual([
      { field: 'metadata.alias', before: 'pack/helper-2', after: 'pack/worker-2' },
      { field: 'metadata.alias_history', before: 'older', after: 'pack/helper-2,older' },
      { field: 'metadata.pool_alias_conflict', before: 'pack/worker-2', after: null },
      { field: 'metadata.pool_alias_conflict_count', before: '3', after: null },
      { field: 'metadata.pool_alias_conflict_at', before: '2026-05-01T00:00:00Z', after: null },
    ]);
  });
  it('keeps a clean alias with no write; an empty alias is filled without history', () => {
    const clean = pooled('c', 'pack/worker', { agent_name: 'pack/worker-1', alias: 'pack/worker-1', pool_slot: '1' });
    const empty = pooled('e', 'pack/worker', { agent_name: 'pack/worker-4', pool_slot: '4' });
    const p = planOf(state(pack, [clean, empty]));
    expect(p.repairs.map((r) => [r.id, r.changes])).toEqual([
      ['repair-alias:e', [{ field: 'metadata.alias', before: null, after: 'pack/worker-4' }]],
    ]);
  });
  it('a named-session identity is never handed to a pool bead; the conflict count increments', () => {
    const b = pooled('n', 'pack/worker', { agent_name: 'pack/worker-9', alias: 'x', pool_slot: '9', pool_alias_conflict_count: 'junk' });
    const r = planOf(state(pack, [b])).repairs.find((x) => x.beadId === 'n')!;
    expect(r.kind).toBe('clear-conflicting-alias');
    expect(r.reason).toContain('named session');
    expect(r.changes[2]).toEqual({ field: 'metadata.pool_alias_conflict_count', before: 'junk', after: '1' });
  });
  it('swaps two aliases in two applies, judging availability on the store as it was', () => {
    const beads = [
      pooled('a', 'pack/worker', { agent_name: 'pack/worker-1', alias: 'pack/worker-2', pool_slot: '1' }),
      pooled('b', 'pack/worker', { agent_name: 'pack/worker-2', alias: 'pack/worker-1', pool_slot: '2' }),
    ];
    let s = state(pack, beads);
    const first = planOf(s);
    expect(first.repairs.map((r) => r.id)).toEqual(['clear-conflicting-alias:a', 'clear-conflicting-alias:b']);
    s = applyRepairs(s, first.repairs, { now: NOW });
    const second = planOf(s);
    expect(second.repairs.map((r) => r.id)).toEqual(['repair-alias:a', 'repair-alias:b']);
    s = applyRepairs(s, second.repairs);
    const third = planOf(s);
    expect(third.repairs).toEqual([]);
    expect(third.metrics.mismatched_aliases).toBe(0);
    expect(third.metrics.alias_conflicts).toBe(0);
  });
  it('the refused duplicates of the bead\u2019s own slot do not count against it', () => {
    const beads = [
      pooled('inc', 'pack/worker', { agent_name: 'pack/worker-5', alias: '', pool_slot: '5', state: 'active' }),
      pooled(
        'dup',
        'pack/worker',
        { agent_name: 'pack/worker-5', alias: 'pack/worker-5', pool_slot: '5', state: 'active' },
        { created_at: '2026-05-06T02:05:00Z' },
      ),
    ];
    // dup's alias matches the identity, so dup is the incumbent; inc is refused and gets nothing.
    const p = planOf(state(pack, beads));
    expect(p.pools.find((x) => x.template === 'pack/worker')!.slots[0].beadId).toBe('dup');
    expect(p.repairs.filter((r) => r.beadId === 'inc')).toEqual([]);
  });
});

describe('R5 details', () => {
  it('reads the conflict count as a signed decimal', () => {
    const count = (prev: string) =>
      planOf(
        state(pack, [
          pooled('n', 'pack/worker', { agent_name: 'pack/worker-9', alias: 'x', pool_slot: '9', pool_alias_conflict_count: prev }),
        ]),
      ).repairs.find((r) => r.kind === 'clear-conflicting-alias')!.changes[2].after;
    // Beyond int64, Atoi fails and the count starts again (Gas City reads its error as 0); at its edge it still counts.
    expect([count('2'), count('-1'), count('+2'), count('1.5'), count('99999999999999999999'), count('9223372036854775806')]).toEqual([
      '3',
      '0',
      '3',
      '1',
      '1',
      '9223372036854775807',
    ]);
  });
  it('a bead in an unknown state still reports an alias conflict, but gets no write', () => {
    const beads = [
      session('manual', { template: 'pack/manual', alias: 'pack/worker-3', state: 'awake', session_origin: 'manual' }),
      pooled('z', 'pack/worker', { agent_name: 'pack/worker-3', pool_slot: '3', state: 'zombie' }),
    ];
    const p = planOf(state(pack, beads));
    expect(p.repairs).toEqual([]);
    expect(p.findings.map((f) => [f.kind, f.beadId])).toEqual([
      ['alias-conflict', 'z'],
      ['unknown-state', 'z'],
    ]);
  });
});

describe('a conflict record that is already on record', () => {
  const s = state(
    pack,
    manualHoldsIdentity({
      pool_alias_conflict: 'pack/worker-3',
      pool_alias_conflict_count: '1',
      pool_alias_conflict_at: '2026-05-06T02:13:00Z',
    }),
  );
  const changesAt = (ms: number) => plan(s, new Date(ms), '2026-05').repairs.find((r) => r.beadId === 'live')!.changes;

  it('lists no key it leaves as it is, but always its time stamp: the same judgment a second later', () => {
    const now = changesAt(NOW.getTime());
    expect(now.map((c) => c.field)).toEqual(['metadata.alias', 'metadata.pool_alias_conflict_count', 'metadata.pool_alias_conflict_at']);
    expect(sameChanges(now, changesAt(NOW.getTime() + 1000))).toBe(true);
  });
});
