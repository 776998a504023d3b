// The pool tables' rows are made when first read (plan.ts lazyPool): whoever reads them, by property, JSON or
// structured clone (the console's plan worker), sees the same rows in slot order, and a row list can be replaced.
import { describe, expect, it } from 'vitest';
import { city, planOf, pooled, state } from './build.js';

const c = city([
  { name: 'worker', dir: 'frontend' },
  { name: 'builder', dir: 'backend' },
]);
// Slots far apart (placed by sorting, not by number) and close together, holders out of slot order.
const beads = [
  pooled('w9', 'frontend/worker', { agent_name: 'frontend/worker-900', alias: 'frontend/worker-900', pool_slot: '900' }),
  pooled('w2', 'frontend/worker', { agent_name: 'frontend/worker-2', alias: 'frontend/worker-2', pool_slot: '2' }),
  pooled('b3', 'backend/builder', { agent_name: 'backend/builder-3', alias: 'backend/builder-3', pool_slot: '3' }),
  pooled('b1', 'backend/builder', { agent_name: 'backend/builder-1', alias: 'backend/builder-1', pool_slot: '1' }),
];

describe('pool rows', () => {
  it('are in slot order, the same by property, JSON and structured clone', () => {
    const p = planOf(state(c, beads));
    const cloned = structuredClone(p.pools);
    const json = JSON.parse(JSON.stringify(p.pools)) as typeof p.pools;
    expect(cloned).toEqual(json);
    expect(Object.keys(json[0])).toEqual(['template', 'bounded', 'max', 'min', 'desired', 'slots', 'duplicates']);
    expect(p.pools.map((pool) => [pool.template, pool.slots.map((s) => [s.slot, s.beadId])])).toEqual([
      [
        'backend/builder',
        [
          [1, 'b1'],
          [3, 'b3'],
        ],
      ],
      [
        'frontend/worker',
        [
          [2, 'w2'],
          [900, 'w9'],
        ],
      ],
    ]);
    expect(p.pools[0].slots).toBe(p.pools[0].slots);
  });
  it('can be replaced', () => {
    const p = planOf(state(c, beads));
    p.pools[1].slots = [];
    expect(JSON.parse(JSON.stringify(p.pools[1])).slots).toEqual([]);
  });
});
