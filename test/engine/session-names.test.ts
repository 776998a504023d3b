// One open session bead per session_name (2026-08 rules; rules/session-names.ts): who keeps the name, who is
// closed, who is kept open and why; and on random cities with shared names, that it converges.
import { describe, expect, it } from 'vitest';
import { applyRepairs, plan } from '../../src/engine/index.js';
import type { Bead, State } from '../../src/engine/index.js';
import { PROPERTY_RUNS } from '../support/runs.js';
import { NOW, city, pooled, session, state, work } from './build.js';

const worker = city([{ name: 'worker', max_active_sessions: 5 }]);
const manual = (id: string, sessionName: string, md: Record<string, string> = {}) =>
  session(id, { template: 'worker', session_origin: 'manual', session_name: sessionName, state: 'asleep', ...md });
const closes = (s: State) =>
  plan(s, NOW, '2026-08')
    .repairs.filter((r) => r.kind === 'close-duplicate-session-name')
    .map((r) => r.beadId);

describe('duplicate session_name closes (2026-08)', () => {
  it('the bead owning the name as <base>-<bead id> keeps it wherever it stands; else the later bead in the list', () => {
    expect(closes(state(worker, [manual('a', 'worker-b'), manual('b', 'worker-b'), manual('c', 'worker-b')]))).toEqual(['a', 'c']);
    expect(closes(state(worker, [manual('a', 'x'), manual('b', 'x'), manual('c', 'x')]))).toEqual(['a', 'b']);
    // Not by age: c is the oldest and still loses.
    expect(closes(state(worker, [manual('a', 'x'), manual('c', 'x', {}), manual('b', 'x')]))).toEqual(['a', 'c']);
  });

  it('the write is status closed, state and close_reason "duplicate"; it asks first and is never proposed under 2026-05', () => {
    const s = state(worker, [manual('a', 'x', { close_reason: '' }), manual('b', 'x')]);
    const r = plan(s, NOW, '2026-08').repairs.find((x) => x.id === 'close-duplicate-session-name:a')!;
    expect(r.changes).toEqual([
      { field: 'status', before: 'open', after: 'closed' },
      { field: 'metadata.state', before: 'asleep', after: 'duplicate' },
      { field: 'metadata.close_reason', before: '', after: 'duplicate' },
    ]);
    expect(r.template).toBe('worker');
    expect(plan(s, NOW, '2026-05').repairs).toEqual([]);
  });

  it('kept open: live work assigned by id, by the shared name or by alias; a failed create; an unresolved template', () => {
    const pair = (extra: Bead[], md: Record<string, string> = {}) => state(worker, [manual('a', 'x', md), manual('b', 'x'), ...extra]);
    expect(closes(pair([work('w', { status: 'in_progress', assignee: 'a' })]))).toEqual([]);
    expect(closes(pair([work('w', { status: 'open', assignee: ' x ' })]))).toEqual([]);
    expect(closes(pair([work('w', { status: 'open', assignee: 'al' })], { alias: 'al' }))).toEqual([]);
    expect(closes(pair([work('w', { status: 'closed', assignee: 'a' })]))).toEqual(['a']);
    expect(closes(pair([], { state: 'failed-create' }))).toEqual([]);
    expect(closes(pair([], { template: 'ghost' }))).toEqual([]);
  });

  it('names are compared trimmed, but a bead whose own name has spaces around it is not closed (Gas City looks it up untrimmed)', () => {
    expect(closes(state(worker, [manual('a', ' x'), manual('b', 'x')]))).toEqual([]);
    expect(closes(state(worker, [manual('a', 'x'), manual('b', 'x ')]))).toEqual(['a']);
  });

  it('a duplicate being closed gets no other repair and is not rolled back; an unknown state withholds the close', () => {
    const s = state(worker, [
      pooled('p1', 'worker', { agent_name: 'worker-1', alias: 'worker-1', pool_slot: '7', session_name: 'worker-p2' }),
      pooled('p2', 'worker', { agent_name: 'worker-2', alias: 'worker-2', pool_slot: '2', session_name: 'worker-p2' }),
      manual('u', 'y', { state: 'hibernating' }),
      manual('v', 'y'),
    ]);
    const p = plan(s, NOW, '2026-08');
    expect(p.repairs.map((r) => r.id)).toEqual(['close-duplicate-session-name:p1']);
    expect(p.findings.find((f) => f.beadId === 'u')?.message).toContain('withheld: duplicate session_name close');
    const creating = state(worker, [
      manual('a', 'x', { state: 'creating', pending_create_claim: 'true', pending_create_started_at: '2026-05-06T01:00:00Z' }),
      manual('b', 'x'),
    ]);
    expect(plan(creating, NOW, '2026-08').repairs.map((r) => r.id)).toEqual(['close-duplicate-session-name:a']);
    expect(plan(creating, NOW, '2026-05').repairs.map((r) => r.id)).toEqual(['rollback-stale-create:a']);
  });

  it('on random cities with shared names: pure, a closed duplicate gets no other repair, and it converges', async () => {
    const fc = (await import('fast-check')).default;
    const { cityArb } = await import('./arbitraries.js');
    const shared = fc.tuple(cityArb, fc.array(fc.nat(), { maxLength: 40 }));
    fc.assert(
      fc.property(shared, ([base, picks]) => {
        const sessions = base.beads.filter((b) => b.issue_type === 'session');
        const beads = base.beads.map((b) => {
          const k = sessions.indexOf(b);
          if (k < 0 || !picks.includes(k)) return b;
          return { ...b, metadata: { ...b.metadata, session_name: `shared-${k % 3}` } };
        });
        let s: State = { ...base, beads };
        const before = JSON.stringify(s);
        let p = plan(s, NOW, '2026-08');
        expect(JSON.stringify(s)).toBe(before);
        const perBead = p.repairs.filter((r) => r.kind === 'close-duplicate-session-name').map((r) => r.beadId);
        for (const id of perBead) expect(p.repairs.filter((r) => r.beadId === id)).toHaveLength(1);
        for (let round = 0; round < 12 && p.repairs.length > 0; round++) {
          s = applyRepairs(s, p.repairs, { now: NOW });
          p = plan(s, NOW, '2026-08');
        }
        expect(p.repairs).toEqual([]);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  }, 120_000);
});
