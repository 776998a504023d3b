// The patrol timer costs nothing while the plan cannot change: a tick re-plans only once the clock passes the
// next instant at which a time rule can change the plan (a create turning stale). The timer and the clock are
// driven by hand: no test here waits on the wall clock.
import { describe, expect, test } from 'vitest';
import type { State } from '../../src/engine/types.js';
import { inProcessJobs, type Jobs } from '../../src/console/jobs.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive, type Live, type PatrolTimer } from '../../src/console/watch.js';
import { creatingSince, NOW } from '../support/builders.js';
import { demoState } from '../ui/fixture.js';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditLog } from '../../src/store/audit.js';
import { tempDir } from '../support/files.js';

/** A patrol timer the test ticks. */
function handTimer(): PatrolTimer & { tick(): void; intervals: number[] } {
  let tick: (() => void) | null = null;
  const intervals: number[] = [];
  return {
    intervals,
    every(ms, fn) {
      intervals.push(ms);
      tick = fn;
      return () => {
        tick = null;
      };
    },
    tick: () => tick?.(),
  };
}

/** A console on `state` (read by a custom reader: no file), its plans counted, with a clock the test moves. */
async function consoleOn(state: State, path = '/nonexistent/gc-tui-patrol.json') {
  const base = inProcessJobs(async (source) => ({ source, state, files: [] }));
  const plans: Promise<unknown>[] = [];
  const jobs: Jobs = {
    ...base,
    plan: (s, now, opts) => {
      const p = base.plan(s, now, opts);
      plans.push(p);
      return p;
    },
  };
  const clock = { ms: NOW.getTime() };
  const timer = handTimer();
  const store = createAppStore();
  const live: Live = startLive({
    store,
    source: { kind: 'store', path },
    jobs,
    timer,
    watch: false,
    now: () => new Date(clock.ms),
  });
  await live.ready;
  return { store, live, plans, clock, timer };
}

const PATROL = 30_000;

/** The demo city and a create started at 02:08: stale from 02:18, five minutes after NOW (02:13). */
function soonStale(): State {
  const s = demoState();
  s.beads.push(creatingSince('be-soon', 9, '2026-05-06T02:08:00Z'));
  return s;
}

describe('the idle patrol', () => {
  test('a store with no time-based drift is never re-planned, however many ticks pass', async () => {
    // The demo city's stale create is stale already: nothing in it can change with time alone.
    const c = await consoleOn(demoState());
    try {
      expect(c.timer.intervals.at(-1)).toBe(PATROL);
      const shown = c.store.getState().current;
      expect(shown?.plan.metrics.stale_creates).toBe(1);
      for (let i = 0; i < 1_000; i++) {
        c.clock.ms += PATROL;
        c.timer.tick();
      }
      expect(c.plans).toHaveLength(0);
      expect(c.store.getState().current).toBe(shown);
      expect(c.store.getState().ui.activity).toBeNull();
    } finally {
      await c.live.stop();
    }
  });

  test('a create that turns stale is re-planned once, at the first tick past its threshold, then never again', async () => {
    const c = await consoleOn(soonStale());
    try {
      expect(c.store.getState().current?.plan.metrics.stale_creates).toBe(1);
      // Nine ticks up to 02:17:30: the plan cannot have changed yet.
      for (let i = 0; i < 9; i++) {
        c.clock.ms += PATROL;
        c.timer.tick();
      }
      expect(c.plans).toHaveLength(0);
      // 02:18:00: the threshold.
      c.clock.ms += PATROL;
      c.timer.tick();
      c.timer.tick(); // a tick while that re-plan runs asks for no other
      expect(c.plans).toHaveLength(1);
      await c.plans[0];
      await Promise.resolve();
      const after = c.store.getState().current!;
      expect(after.plan.metrics.stale_creates).toBe(2);
      expect(after.plannedAt).toBe(Date.parse('2026-05-06T02:18:00Z'));
      for (let i = 0; i < 100; i++) {
        c.clock.ms += PATROL;
        c.timer.tick();
      }
      expect(c.plans).toHaveLength(1);
      expect(c.store.getState().current).toBe(after);
    } finally {
      await c.live.stop();
    }
  });

  test('a read (a file change) makes a new plan, and the next tick judges that one', async () => {
    const c = await consoleOn(soonStale());
    try {
      c.clock.ms = Date.parse('2026-05-06T02:20:00Z');
      await c.live.refresh();
      expect(c.store.getState().current?.plan.metrics.stale_creates).toBe(2);
      for (let i = 0; i < 10; i++) c.timer.tick();
      expect(c.plans).toHaveLength(0);
    } finally {
      await c.live.stop();
    }
  });
});

describe('a torn last line of the audit log at launch', () => {
  const line = (operator: string) =>
    `${JSON.stringify({ time: '2026-05-06T02:10:00Z', operator, action: 'reject', repair: 'restamp-slot:fe-a', kind: 'restamp-slot', beadId: 'fe-a', changes: [], reason: 'r', result: 'recorded' })}\n`;

  test('left out at the first read, said unreadable at the next patrol tick that finds the log unchanged', async () => {
    const path = join(tempDir('gc-tui-patrol-audit-'), 'store.json');
    // A writer killed mid-append before the console started: nothing will write the log again.
    writeFileSync(`${path}.audit.jsonl`, line('ana') + line('bo').slice(0, 40));
    const c = await consoleOn(demoState(), path);
    try {
      const audit = () => c.store.getState().audit as AuditLog;
      expect(audit().map((e) => e.operator)).toEqual(['ana']);
      expect(audit().unreadable ?? []).toEqual([]);
      c.timer.tick();
      expect(audit().map((e) => e.operator)).toEqual(['ana']);
      expect(audit().unreadable).toEqual([2]);
      // Said once: a later tick reads nothing more.
      const said = audit();
      c.timer.tick();
      expect(audit()).toBe(said);
    } finally {
      await c.live.stop();
    }
  });

  test('a line still being appended between two ticks is not said unreadable', async () => {
    const path = join(tempDir('gc-tui-patrol-audit-'), 'store.json');
    const log = `${path}.audit.jsonl`;
    const half = line('bo');
    writeFileSync(log, line('ana') + half.slice(0, 40));
    const c = await consoleOn(demoState(), path);
    try {
      appendFileSync(log, half.slice(40, 60));
      c.timer.tick();
      expect((c.store.getState().audit as AuditLog).unreadable ?? []).toEqual([]);
      appendFileSync(log, half.slice(60));
      c.timer.tick();
      expect(c.store.getState().audit.map((e) => e.operator)).toEqual(['ana', 'bo']);
    } finally {
      await c.live.stop();
    }
  });
});
