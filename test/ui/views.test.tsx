// Each view renders what the plan says, from the fixture city with one of every drift.
import { afterEach, describe, expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import { glanceOf } from '../../src/console/glance.js';
import { NOW, pooled } from '../support/builders.js';
import { demoState, storeWith } from './fixture.js';
import { KEYS, lineOf, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

function open(columns = 160, rows = 40) {
  h = renderApp(storeWith(demoState(), { columns, rows }));
  return h;
}

describe('pools view', () => {
  test('one row per template with bounds, live vs desired and health badges', async () => {
    const app = open();
    const f = await app.waitForFrame((x) => x.includes('mayor'));
    expect(f).toMatch(/TEMPLATE\s+BOUND\s+MAX\s+MIN\s+HELD\s+LIVE\s+DESIRED\s+HEALTH/);
    // max 5 but 3 names: its names bound it.
    // fe-poison: an alias of another pool and a stale pool_slot.
    expect(lineOf(f, 'frontend/worker ')).toMatch(/names\s+3\s+0\s+2\s+1\s+0\s+1 dup · 1 alias · 1 pool_slot · 1 x-tmpl/);
    expect(lineOf(f, 'backend/worker ')).toMatch(/yes\s+4\s+0\s/);
    expect(lineOf(f, 'backend/worker ')).toMatch(/1 conflict/);
    expect(lineOf(f, 'backend/worker ')).toMatch(/1 stale/);
    expect(lineOf(f, 'mayor')).toMatch(/ok$/);
    expect(f).toContain('1–3 of 3');
  });

  test('the header shows the city, the input, the age and the health figures', async () => {
    const app = open();
    const f = await app.waitForFrame((x) => x.includes('ui-city'));
    expect(f.split('\n')[0]).toMatch(/gc-tui ui-city \/tmp\/ui-city\.json read .* ago/);
    expect(f).toMatch(/mismatched 2 .*conflicts 1 .*dups 1 .*x-tmpl 1 .*orphaned 1 .*stale 1/);
    expect(f).toMatch(/repairs \d+ {2}findings \d+/);
    expect(f).not.toContain('READ-ONLY');
  });

  test('read-only shows its badge', async () => {
    h = renderApp(storeWith(demoState(), { readOnly: true }));
    await h.waitForFrame((x) => x.includes('[READ-ONLY]'));
  });
});

describe('slots view', () => {
  test('a refused duplicate sits under its incumbent with the reason', async () => {
    const app = open();
    await app.press(':', ...'slots frontend/worker', '\r');
    const f = await app.waitForFrame((x) => x.includes('fe-dup'));
    const lines = f.split('\n');
    const ok = lines.findIndex((l) => l.includes('fe-ok'));
    expect(lines[ok + 1]).toContain('fe-dup');
    expect(lines[ok + 1]).toMatch(/↳ 1/);
    expect(lines[ok + 1]).toMatch(/refused dup of fe-ok \(.+\)/);
    expect(lineOf(f, 'fe-poison')).toMatch(/backend\/worker-4\s+frontend\/nux\s+3\s+asleep\s+alias≠frontend\/nux/);
    expect(f).toContain('pool frontend/worker');
  });

  test('flags: stale create, alias conflict, live work', async () => {
    const app = open();
    await app.press('2');
    const f = await app.waitForFrame((x) => x.includes('be-stale'));
    expect(lineOf(f, 'be-stale')).toContain('stale create');
    expect(lineOf(f, 'be-four')).toContain('alias conflict: backend/worker-4 held by fe-poison as alias');
    expect(lineOf(f, 'be-one')).toContain('work 1');
  });

  test('flags: a stale pool_slot against the owned slot, and a template to backfill', async () => {
    const s = demoState();
    // be-one's agent_name says slot 1; its pool_slot is an escape sequence and a 9.
    const one = s.beads.find((b) => b.id === 'be-one')!;
    one.metadata = { ...one.metadata, pool_slot: '\u001b[2J9' };
    // No template: its agent_name, a name of frontend/worker's namepool, says which (R1 backfills it).
    s.beads.push(pooled('fe-bare', '', { agent_name: 'frontend/slit', alias: 'frontend/slit', pool_slot: '3' }));
    h = renderApp(storeWith(s, { columns: 160, rows: 40 }));
    await h.press(':', ...'slots frontend/worker', '\r');
    const f = await h.waitForFrame((x) => x.includes('fe-bare'));
    // fe-poison's agent_name (nux) says slot 2; its pool_slot says 3.
    expect(lineOf(f, 'fe-poison')).toMatch(/\s3\s+asleep\s+alias≠frontend\/nux · pool_slot 3≠2$/);
    expect(lineOf(f, 'fe-bare')).toMatch(/\s3\s+asleep\s+no template \(from agent_name\)$/);
    expect(lineOf(f, 'fe-ok')).not.toContain('pool_slot');
    // The pools view counts them (esc goes back to it).
    await h.press(KEYS.esc);
    const pools = await h.waitForFrame((x) => x.includes('HEALTH'));
    expect(lineOf(pools, 'frontend/worker ')).toMatch(/ · 1 pool_slot · 1 no template · /);
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('pool frontend/worker'));
    // A refused duplicate is never restamped: its pool_slot is not flagged.
    expect(lineOf(f, 'fe-dup')).not.toContain('pool_slot');
    await h.press('[');
    const g = await h.waitForFrame((x) => x.includes('pool backend/worker'));
    expect(lineOf(g, 'be-one')).toContain('pool_slot "\\e[2J9"≠1');
    expect(g).not.toContain('\u001b');
  });

  test('a restamp withheld (its rejection stands, or the state is unknown) is no drift: the pools view does not count it, the slots view says why it waits', async () => {
    const s = demoState();
    // fe-poison's restamp (pool_slot 3 → 2) rejected with exactly its changes; fe-odd in a state gc-tui does not know.
    s.decisions = [
      {
        repair: 'restamp-slot:fe-poison',
        decision: 'rejected',
        changes: [{ field: 'metadata.pool_slot', before: '3', after: '2' }],
        by: 'tester',
        at: '2026-05-06T02:10:00Z',
        reason: 'kept on purpose',
      },
    ];
    s.beads.push(
      pooled('fe-odd', 'frontend/worker', { agent_name: 'frontend/slit', alias: 'frontend/slit', pool_slot: '7', state: 'hibernating' }),
    );
    const p = plan(s, NOW);
    expect(p.repairs.filter((r) => r.kind === 'restamp-slot')).toEqual([]); // as check says: no restamp proposed
    // The first look (the pools view before the beads arrive) counts as the pools view after it.
    expect(glanceOf(s, p, 0).pools.find((x) => x.template === 'frontend/worker')!.health.stalePoolSlots).toBe(0);
    h = renderApp(storeWith(s, { columns: 160, rows: 40 }));
    const pools = await h.waitForFrame((x) => x.includes('HEALTH'));
    expect(lineOf(pools, 'frontend/worker ')).not.toContain('pool_slot');
    expect(lineOf(pools, 'frontend/worker ')).toContain('1 unknown');
    await h.press(':', ...'slots frontend/worker', '\r');
    const f = await h.waitForFrame((x) => x.includes('fe-odd'));
    expect(lineOf(f, 'fe-poison')).toMatch(/alias≠frontend\/nux · pool_slot 3≠2 \(rejected\)$/);
    expect(lineOf(f, 'fe-odd')).toMatch(/pool_slot 7≠3 \(withheld\) · unknown state "hibernating"$/);
  });

  test('the detail pane explains the selected bead', async () => {
    const app = open();
    await app.press(':', ...'slots frontend/worker', '\r', 'j');
    // fe-dup: its close says whose slot it is and why (test/ui/slot-detail.test.tsx: once).
    const f = await app.waitForFrame((x) => x.includes('proposed close-duplicate: refused duplicate of slot 1'));
    expect(f).toContain('fe-ok holds it because');
  });
});

describe('aliases view', () => {
  test('names, kinds of claim, holders, conflicts with count and age, history', async () => {
    const app = open();
    await app.press('3');
    const f = await app.waitForFrame((x) => x.includes('KIND'));
    expect(f).toMatch(/NAME\s+KIND\s+HOLDER\s+STATE\s+CONFLICT\s+HISTORY/);
    const held = f.split('\n').find((l) => /backend\/worker-4\s+alias\s+fe-poison/.test(l)) ?? '';
    expect(held).toMatch(/wanted by be-four ×2, \d+ (d|h|min|s) ago/);
    const wanted = f.split('\n').find((l) => /backend\/worker-4\s+wanted\s+be-four/.test(l)) ?? '';
    expect(wanted).toMatch(/×2, .* ago; held by fe-poison/);
    expect(f).toMatch(/mayor\s+named identity\s+mayor-1/);
    expect(f).toMatch(/frontend\/nux\s+agent_name\s+fe-poison/);
    expect(f).toMatch(/s-be-one\s+session_name\s+be-one/);
  });
});

describe('templates view', () => {
  test('cap chain, namepool, demand and its source', async () => {
    const app = open();
    await app.press('4');
    const f = await app.waitForFrame((x) => x.includes('CAPS'));
    expect(lineOf(f, 'frontend/worker')).toMatch(/agent 5 → rig frontend 8 → ws ∞/);
    expect(lineOf(f, 'frontend/worker')).toMatch(/3: furiosa, nux, slit/);
    expect(lineOf(f, 'frontend/worker')).toMatch(/0 \(routed work\)/);
    expect(f).toContain('namepool (3): furiosa, nux, slit');
  });

  test('a namepool name holding a byte order mark (Gas City keeps one a file starts with) shows it escaped', async () => {
    const s = demoState();
    s.city.agents[0].namepool = ['\uFEFFfuriosa', 'nux', 'slit'];
    h = renderApp(storeWith(s, { columns: 160, rows: 40 }));
    await h.press('4');
    const f = await h.waitForFrame((x) => x.includes('CAPS'));
    expect(f).toContain('namepool (3): \\u{feff}furiosa, nux, slit');
    expect(f).not.toContain('\uFEFF');
  });
});

describe('work view', () => {
  test('cross-template and orphaned work, with the session they point at', async () => {
    const app = open();
    await app.press('5');
    const f = await app.waitForFrame((x) => x.includes('PROBLEM'));
    expect(lineOf(f, 'wk-cross')).toMatch(/cross-template\s+frontend\/worker\s+s-be-one\s+be-one\s+backend\/worker/);
    expect(lineOf(f, 'wk-orphan')).toMatch(/orphaned\s+backend\/worker\s+gone-session/);
    expect(f).toContain('proposed unassign-cross-template-work');
  });
});

describe('repairs view', () => {
  test('the queue with kind, bead, template and reason; changes of the selected repair; the backlog', async () => {
    const app = open();
    await app.press('6');
    const f = await app.waitForFrame((x) => x.includes('REASON'));
    const kinds = [
      'close-duplicate',
      'release-orphaned-work',
      'repair-alias',
      'restamp-slot',
      'rollback-stale-create',
      'unassign-cross-template-work',
    ];
    for (const k of kinds) expect(f).toContain(k);
    // The queue is grouped by pool, then kind in rule order: backend/worker's R4 release comes first.
    expect(f).toMatch(/~ status: "in_progress" → "open"/);
    expect(f).toMatch(/rollback backlog: 1 stale, 0 deferred, budget 5\/tick/);
  });

  test('an empty queue says the store is consistent', async () => {
    const s = demoState();
    s.beads = s.beads.filter((b) => b.id === 'fe-ok');
    h = renderApp(storeWith(s));
    await h.press('6');
    await h.waitForFrame((x) => x.includes('No repairs proposed'));
  });

  test('the rollback backlog ETA follows a changed daemon.patrol_interval', async () => {
    // More stale creates than one plan may roll back, so the backlog takes ticks to clear.
    const stale = (patrol: string): State => {
      const s = demoState();
      s.city.daemon = { patrol_interval: patrol };
      for (let i = 5; i <= 16; i++) {
        s.beads.push(
          pooled(`be-stale-${i}`, 'backend/worker', {
            agent_name: `backend/worker-${i}`,
            alias: '',
            pool_slot: String(i),
            state: 'creating',
            pending_create_claim: 'true',
            pending_create_started_at: '2026-05-06T01:00:00Z',
          }),
        );
      }
      return s;
    };
    h = renderApp(storeWith(stale('30s'), { rows: 40, columns: 160 }));
    await h.press('6');
    const f = await h.waitForFrame((x) => x.includes('rollback backlog'));
    const ticks = Number(/clears in (\d+) tick/.exec(lineOf(f, 'rollback backlog'))?.[1]);
    expect(ticks).toBeGreaterThan(0);
    expect(lineOf(f, 'rollback backlog')).toContain(`(~${ticks * 30} s)`);
    const next = stale('2m');
    h.store.getState().loaded(next, plan(next, NOW), NOW.getTime());
    await h.waitForFrame((x) => lineOf(x, 'rollback backlog').includes(`(~${ticks * 120} s)`), 'the ETA at the new interval');
    const bad = stale('often');
    h.store.getState().loaded(bad, plan(bad, NOW), NOW.getTime());
    await h.waitForFrame((x) => lineOf(x, 'rollback backlog').includes(`(~${ticks * 30} s)`), 'the default interval (30 s)');
  });
});
