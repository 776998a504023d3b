// "+N new": a refresh that adds repairs says so in the header until the operator opens the repairs view.
import { afterEach, describe, expect, test } from 'vitest';
import { freshRepairs } from '../../src/console/state.js';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import { NOW, pooled } from '../support/builders.js';
import { demoState, storeWith } from './fixture.js';
import { renderApp, waitForView, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** The demo city and `n` more refused duplicates of frontend/worker's slot 1 (fe-dup2, fe-dup3, …): a repair each. */
function withDup(n = 1): State {
  const s = demoState();
  for (let i = 0; i < n; i++)
    s.beads.push(
      pooled(
        `fe-dup${i + 2}`,
        'frontend/worker',
        { agent_name: 'frontend/furiosa', alias: '', pool_slot: '1', state: 'asleep' },
        { created_at: `2026-05-06T02:0${6 + i}:00Z` },
      ),
    );
  return s;
}

const header = (f: string) => f.split('\n')[1] ?? '';

describe('new repairs', () => {
  test('the ones a refresh adds are kept until seen; the ones that leave the plan go', () => {
    const a = plan(demoState(), NOW);
    const b = plan(withDup(), NOW);
    const added = b.repairs.filter((r) => !a.repairs.some((x) => x.id === r.id)).map((r) => r.id);
    expect(added.length).toBeGreaterThan(0);
    expect(freshRepairs([], null, a)).toEqual([]);
    expect(freshRepairs([], a, b)).toEqual(added);
    expect(freshRepairs(added, b, b)).toBe(added);
    expect(freshRepairs(added, b, a)).toEqual([]);
    const none: readonly string[] = [];
    expect(freshRepairs(none, a, a)).toBe(none);
  });

  test('the header marks them; opening the repairs view clears the mark', async () => {
    h = renderApp(storeWith(demoState(), { columns: 100, rows: 30 }));
    await h.waitForFrame((x) => /repairs \d+/.test(header(x)), 'the header');
    expect(header(h.frame())).not.toContain('new');
    const next = withDup();
    const n = plan(next, NOW);
    const before = h.store.getState().current!.plan.repairs.length;
    h.store.getState().loaded(next, n, NOW.getTime());
    const f = await h.waitForFrame((x) => header(x).includes(`repairs ${n.repairs.length} +${n.repairs.length - before} new`), 'the mark');
    expect(f.split('\n').length).toBeLessThanOrEqual(29);
    await h.press('6');
    await waitForView(h, 'repairs');
    await h.waitForFrame((x) => !header(x).includes('new'), 'the mark cleared');
    expect(h.store.getState().ui.fresh).toEqual([]);
    // While the list is open, what a refresh adds is in front of the operator: no mark counts up.
    const more = withDup(2);
    const m = plan(more, NOW);
    expect(m.repairs.length).toBeGreaterThan(n.repairs.length);
    h.store.getState().loaded(more, m, NOW.getTime());
    await h.waitForFrame((x) => header(x).includes(`repairs ${m.repairs.length}`), 'the new count');
    expect(header(h.frame())).not.toContain('new');
  });

  test('a refresh while paused marks nothing until it is shown', async () => {
    h = renderApp(storeWith(demoState(), { columns: 100, rows: 30 }));
    await h.waitForFrame((x) => /repairs \d+/.test(header(x)), 'the header');
    h.store.getState().setPaused(true);
    const next = withDup();
    h.store.getState().loaded(next, plan(next, NOW), NOW.getTime());
    expect(h.store.getState().ui.fresh).toEqual([]);
    h.store.getState().setPaused(false);
    await h.waitForFrame((x) => header(x).includes('new'), 'the mark after resume');
  });
});
