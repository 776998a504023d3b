// Capacity shrink (2026-08 rules; rules/identity.ts keepSlotAboveCapacity): a session resuming assigned work keeps
// the slot its identity names above its pool's max; everything else stays bounded as under PR #2076.
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { AgentConfig, Bead } from '../../src/engine/index.js';
import { NOW, city, pooled, state, work } from './build.js';

const owned = (agents: AgentConfig[], beads: Bead[], edition: '2026-05' | '2026-08' = '2026-08') =>
  plan(state(city(agents), beads), NOW, edition).detail.beads.s1?.ownedSlot;
const worker = (extra: Partial<AgentConfig> = {}): AgentConfig[] => [{ name: 'worker', max_active_sessions: 2, ...extra }];
const at4 = (md: Record<string, string> = {}) =>
  pooled('s1', 'worker', { agent_name: 'worker-4', alias: 'worker-4', pool_slot: '4', state: 'active', ...md });

describe('cap shrink (2026-08)', () => {
  it('keeps the slot above the max while live work resumes the session; not without it, nor under 2026-05', () => {
    expect(owned(worker(), [at4(), work('w', { assignee: 's1' })])).toBe(4);
    expect(owned(worker(), [at4(), work('w', { assignee: 's1', status: 'in_progress', route: 'worker' })])).toBe(4);
    expect(owned(worker(), [at4()])).toBe(0);
    expect(owned(worker(), [at4(), work('w', { assignee: 's1', status: 'closed' })])).toBe(0);
    expect(owned(worker(), [at4(), work('w', { assignee: 's1' })], '2026-05')).toBe(0);
  });

  it('not for work routed to another pool, a suspended pool, another stored template, a max of 0 or unset', () => {
    const agents: AgentConfig[] = [...worker(), { name: 'other', max_active_sessions: 2 }];
    expect(owned(agents, [at4(), work('w', { assignee: 's1', route: 'other' })])).toBe(0);
    expect(owned(worker({ suspended: true }), [at4(), work('w', { assignee: 's1' })])).toBe(0);
    expect(owned(worker(), [at4({ template: '' }), work('w', { assignee: 's1' })])).toBe(0);
    // A max of 0 or none bounds no slot number: slot 4 is simply usable, not kept above a max.
    for (const max of [0, null]) {
      const p = plan(state(city(worker({ max_active_sessions: max })), [at4(), work('w', { assignee: 's1' })]), NOW, '2026-08');
      expect(p.detail.beads.s1.ownedSlot).toBe(4);
      expect(p.detail.beads.s1.slotReason).not.toContain('above max_active_sessions');
    }
  });

  it('a namepool still bounds it; the identity is the agent identity, else the alias, else a session_name not its own', () => {
    const pool = worker({ namepool: ['ant', 'bee', 'cat', 'dog', 'eel'] });
    const named = (n: string, md: Record<string, string> = {}) =>
      pooled('s1', 'worker', { agent_name: n, alias: n, pool_slot: '', state: 'active', ...md });
    expect(owned(pool, [named('dog'), work('w', { assignee: 's1' })])).toBe(4);
    expect(owned(worker({ namepool: ['ant', 'bee', 'cat'] }), [at4(), work('w', { assignee: 's1' })])).toBe(0);
    expect(owned(worker(), [at4({ agent_name: '', alias: 'worker-3', pool_slot: '' }), work('w', { assignee: 's1' })])).toBe(3);
    const bySessionName = at4({ agent_name: '', alias: '', pool_slot: '', session_name: 'worker-5' });
    expect(owned(worker(), [{ ...bySessionName, labels: ['gc:session'] }, work('w', { assignee: 's1' })])).toBe(5);
  });

  it('the kept slot is stamped, the alias is not renamed, and the reason says why', () => {
    const p = plan(state(city(worker()), [at4({ pool_slot: '1' }), work('w', { assignee: 's1' })]), NOW, '2026-08');
    expect(p.repairs.map((r) => [r.id, r.changes])).toEqual([
      ['restamp-slot:s1', [{ field: 'metadata.pool_slot', before: '1', after: '4' }]],
    ]);
    expect(p.repairs[0].reason).toContain('above max_active_sessions 2 (the pool shrank)');
  });
});
