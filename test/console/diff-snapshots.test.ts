// What a resume marks as changed meanwhile (`*`): the rows whose data changed, not a repair whose only difference
// is the plan's clock in the time a conflict clear would stamp (pool_alias_conflict_at), new at every plan.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import { diffSnapshots } from '../../src/console/state.js';

const demo = (): State => JSON.parse(readFileSync(new URL('../../fixtures/demo-city.json', import.meta.url), 'utf8')) as State;

describe('diffSnapshots', () => {
  it('does not mark a repair whose only difference is the conflict-clear stamp; a changed bead it does mark', () => {
    const state = demo();
    const at = new Date('2026-05-06T02:13:00Z');
    const later = new Date('2026-05-06T02:13:01Z');
    const a = { state, plan: plan(state, at), loadedAt: 0, plannedAt: 0 };
    const b = { state, plan: plan(state, later), loadedAt: 0, plannedAt: 0 };
    const stamped = b.plan.repairs.filter((r) => r.changes.some((c) => c.field === 'metadata.pool_alias_conflict_at'));
    expect(stamped.length).toBeGreaterThan(0);
    expect(JSON.stringify(a.plan.repairs)).not.toBe(JSON.stringify(b.plan.repairs));
    expect([...diffSnapshots(a, b)]).toEqual([]);

    const moved = demo();
    const bead = moved.beads.find((x) => x.id === stamped[0].beadId)!;
    bead.metadata = { ...bead.metadata, state: 'active' };
    const c = { state: moved, plan: plan(moved, later), loadedAt: 0, plannedAt: 0 };
    expect(diffSnapshots(a, c).has(bead.id)).toBe(true);
  });
});
