// A bulk approval in the console records every repair's outcome in one update of the console state, twice
// (writing…, then applied or stale), not one update per repair: each update re-derives the repairs queue, and at
// 1 350 repairs of a 20 000-bead store the per-repair updates held the console for 7 s after the write.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { inProcessJobs } from '../../src/console/jobs.js';
import { approve } from '../../src/console/review.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive } from '../../src/console/watch.js';
import { NOW } from '../support/builders.js';
import { tempDir } from '../support/files.js';

let live: ReturnType<typeof startLive> | null = null;
afterEach(async () => {
  await live?.stop();
  live = null;
});

describe('a bulk approval', () => {
  it('sets the outcomes of all its repairs at once: two updates of the review state, whatever their number', async () => {
    const path = join(tempDir(), 's.json');
    writeFileSync(path, JSON.stringify(generateStore({ beads: 2000, seed: 7 })));
    const source = { kind: 'store' as const, path };
    const store = createAppStore({ source, operator: 'tester' });
    live = startLive({ store, source, jobs: inProcessJobs(), watch: false, patrolMs: 3_600_000, now: () => NOW });
    await live.ready;
    const repairs = store.getState().current!.plan.repairs;
    expect(repairs.length).toBeGreaterThan(50);

    const seen: string[] = [];
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.ui.review !== prev.ui.review) seen.push([...new Set(Object.values(s.ui.review).map((o) => o.result))].sort().join(','));
    });
    const result = await approve({ store, services: live.services }, repairs);
    unsubscribe();
    expect(result?.applied.length).toBe(repairs.length);
    expect(seen).toEqual(['applying', 'applied']);
    const review = store.getState().ui.review;
    expect(repairs.every((r) => review[r.id]?.result === 'applied')).toBe(true);
  });
});
