import { describe, expect, it } from 'vitest';
import { compactionSteps, growthCollector } from '../../src/console/worker/heap-steps.js';

// The plan worker's collections around the first read (plan-worker-body.ts): when they run, with a fake heap.
describe('growthCollector', () => {
  it('collects each time the heap has grown past the step since the first check or the last collection', () => {
    let used = 100;
    const at: number[] = [];
    const check = growthCollector(
      () => used,
      () => {
        at.push(used);
        used -= 15; // what the collection freed
      },
      10,
    );
    for (const u of [100, 105, 110, 111, 120, 125, 140]) {
      used = u;
      check();
    }
    // 111 is past 100 + 10 (then 96 after it); 120 past 96 + 10 (then 105); 125 past 105 + 10; 140 past 110 + 10.
    expect(at).toEqual([111, 120, 125, 140]);
  });

  it('does not collect while the heap stays within the step', () => {
    let calls = 0;
    let used = 50;
    const check = growthCollector(
      () => used,
      () => calls++,
      10,
    );
    for (const u of [50, 55, 60, 58, 44]) {
      used = u;
      check();
    }
    expect(calls).toBe(0);
  });
});

describe('compactionSteps', () => {
  const run = (next: () => boolean) => {
    let steps = 0;
    for (let more = true; more; steps++) more = next();
    return steps;
  };

  it('asks for another step until one gives back less than the least', () => {
    const frees = [8, 6, 3, 0.5, 4];
    let committed = 100;
    let k = 0;
    const next = compactionSteps(
      () => (committed -= frees[k++]),
      () => committed,
      10,
      1,
    );
    expect(run(next)).toBe(4);
    expect(committed).toBe(100 - 8 - 6 - 3 - 0.5);
    expect(next()).toBe(true); // called again, it steps again: the caller stops
  });

  it('stops at the most steps, and steps no more', () => {
    let committed = 100;
    const next = compactionSteps(
      () => (committed -= 5),
      () => committed,
      3,
      1,
    );
    expect(run(next)).toBe(3);
    expect(committed).toBe(85);
    expect(next()).toBe(false);
    expect(committed).toBe(85);
  });
});
