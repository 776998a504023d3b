// applyRepairs: pure application, never mutating its input.
import { describe, expect, it } from 'vitest';
import { applyRepairs, beforesHold, fieldValue } from '../../src/engine/index.js';
import { city, planOf, pooled, state, work } from './build.js';

describe('applyRepairs', () => {
  it('applies every change, stamps updated_at, keeps unknown fields and never mutates the input', () => {
    const c = city([{ name: 'worker', dir: 'frontend', max_active_sessions: 10 }]);
    const b = pooled(
      'b',
      'frontend/worker',
      { agent_name: 'frontend/worker-3', alias: 'x', pool_slot: '4', custom: 'keep' },
      { extra_field: { nested: true } },
    );
    const w = work('w', { route: 'frontend/worker', assignee: 'nobody', status: 'in_progress' });
    const s = state(c, [b, w]);
    const frozen = JSON.stringify(s);
    const p = planOf(s);
    const next = applyRepairs(s, p.repairs, { now: new Date('2026-05-06T03:00:00.123Z') });
    expect(JSON.stringify(s)).toBe(frozen);
    const nb = next.beads[0];
    expect(nb.metadata).toMatchObject({ alias: 'frontend/worker-3', alias_history: 'x', pool_slot: '3', custom: 'keep' });
    expect(nb.extra_field).toEqual({ nested: true });
    expect(nb.updated_at).toBe('2026-05-06T03:00:00Z');
    expect(next.beads[1]).toMatchObject({ assignee: '', status: 'open' });
    expect(planOf(next).repairs).toEqual([]);
  });
  it("a new metadata key goes where Go's encoder writes it (byte order) when the keys are in that order; else last", () => {
    const c = city([{ name: 'worker', dir: 'frontend', max_active_sessions: 10 }]);
    const sorted = { agent_name: 'a', pool_slot: '1', state: 'active', template: 'frontend/worker' };
    const unsorted = { template: 'frontend/worker', state: 'active', agent_name: 'a', pool_slot: '1' };
    const s = state(c, [
      { id: 's', issue_type: 'session', status: 'open', metadata: sorted },
      { id: 'u', issue_type: 'session', status: 'open', metadata: unsorted },
      { id: 'p', issue_type: 'session', status: 'open', metadata: { a: '1', z: '2' } },
    ]);
    const add = (beadId: string, key: string) => ({
      id: `x:${beadId}:${key}`,
      kind: 'repair-alias' as const,
      beadId,
      template: null,
      changes: [{ field: `metadata.${key}`, before: null, after: 'new' }],
      reason: 'test',
    });
    const next = applyRepairs(s, [add('s', 'pool_alias_conflict'), add('s', 'zz'), add('u', 'alias'), add('p', '__proto__')]);
    const keys = (id: string) => Object.keys(next.beads.find((b) => b.id === id)!.metadata!);
    expect(keys('s')).toEqual(['agent_name', 'pool_alias_conflict', 'pool_slot', 'state', 'template', 'zz']);
    expect(keys('u')).toEqual(['template', 'state', 'agent_name', 'pool_slot', 'alias']);
    // A key that names Object's prototype stays a plain key of the bead's own.
    expect(keys('p')).toEqual(['__proto__', 'a', 'z']);
    expect(Object.getPrototypeOf(next.beads.find((b) => b.id === 'p')!.metadata)).toBe(Object.prototype);
  });

  it('reads fields as changes report them, and tells which before no longer holds', () => {
    const b = pooled('b', 't', { alias: '' });
    expect(fieldValue(b, 'metadata.alias')).toBe('');
    expect(fieldValue(b, 'metadata.nope')).toBeNull();
    expect(fieldValue(b, 'status')).toBe('open');
    expect(fieldValue(b, 'assignee')).toBeNull();
    const r = {
      id: 'x:b',
      kind: 'restamp-slot' as const,
      beadId: 'b',
      template: 't',
      reason: '',
      changes: [{ field: 'metadata.alias', before: 'old', after: 'new' }],
    };
    expect(beforesHold(b, r)).toEqual(r.changes[0]);
    expect(beforesHold(pooled('b', 't', { alias: 'old' }), r)).toBeNull();
  });
});
