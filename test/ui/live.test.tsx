// Live behaviour: refreshes keep the cursor on its bead, pause holds updates and marks what changed,
// a failed read keeps the last good data under a red banner, the watcher follows the file, and the first read
// shows its first look before its beads arrive.
import { copyFileSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import { inProcessJobs, type Jobs, type LoadResult } from '../../src/console/jobs.js';
import { createAppStore, type AppStore, type Snapshot } from '../../src/console/state.js';
import type { ConsoleServices, JobControl } from '../../src/console/services.js';
import { SETTLE_MS, startLive, type Live, type LiveOptions } from '../../src/console/watch.js';
import { loadSource } from '../../src/store/source.js';
import type { Source } from '../../src/store/types.js';
import { creatingSince, NOW, sessionRecord } from '../support/builders.js';
import { tempDir, write, writeJson } from '../support/files.js';
import { until, waitFor, within } from '../support/wait.js';
import { endAfterEach } from '../support/teardown.js';
import { demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, type Harness } from './render.js';
import { selected } from '../support/frame-lines.js';

let h: Harness | null = null;
let live: Live | null = null;
endAfterEach(() => [h, live]);

function reload(store: ReturnType<typeof storeWith>, s: State) {
  store.getState().loaded(s, plan(s, NOW), Date.now());
}

describe('refresh', () => {
  test('the cursor stays on the same bead when rows move around it', async () => {
    const store = storeWith(demoState());
    h = renderApp(store);
    await h.press('2', 'j');
    await h.waitForFrame((f) => selected(f).includes('be-stale'));
    const s = demoState();
    // A new bead sorts before be-stale: the cursor must follow be-stale, not stay on row 2.
    s.beads.push({
      ...s.beads[4],
      id: 'be-aaa',
      metadata: { ...s.beads[4].metadata, state: 'active', agent_name: '', alias: '', pool_slot: '' },
    });
    s.beads.find((b) => b.id === 'be-one')!.metadata!.pool_slot = '1';
    s.beads.unshift({
      ...s.beads.find((b) => b.id === 'be-one')!,
      id: 'be-0first',
      metadata: {
        template: 'backend/worker',
        pool_managed: 'true',
        agent_name: 'backend/worker-1',
        alias: '',
        pool_slot: '1',
        state: 'asleep',
      },
    });
    reload(store, s);
    const f = await h.waitForFrame((x) => x.includes('be-0first'));
    expect(selected(f)).toContain('be-stale');
  });

  test('when the selected row disappears the cursor stays at its position', async () => {
    const store = storeWith(demoState());
    h = renderApp(store);
    await h.press('2', 'j');
    await h.waitForFrame((f) => selected(f).includes('be-stale'));
    const s = demoState();
    s.beads = s.beads.filter((b) => b.id !== 'be-stale');
    reload(store, s);
    const f = await h.waitForFrame((x) => !x.includes('be-stale'));
    expect(selected(f)).toMatch(/be-evil|be-four/);
  });
});

/** The console on `s`, paused in `view` (space pauses there). */
async function pausedOn(s: State, view: string): Promise<{ store: AppStore; harness: Harness }> {
  const store = storeWith(s);
  const harness = (h = renderApp(store));
  await harness.press(view, ' ');
  await harness.waitForFrame((x) => x.split('\n')[0].endsWith('[PAUSED]'), 'paused');
  return { store, harness };
}

/** `min` minutes after NOW. */
const at = (min: number) => new Date(NOW.getTime() + min * 60_000);

describe('pause', () => {
  test('space holds updates; on resume the rows that changed are marked', async () => {
    const store = storeWith(demoState());
    h = renderApp(store);
    await h.press('2');
    await h.waitForFrame((f) => f.includes('be-one'));
    await h.press(' ');
    await h.waitForFrame((f) => f.includes('[PAUSED]'));
    const s = demoState();
    s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'active';
    reload(store, s);
    let f = await h.waitForFrame((x) => x.includes('[PAUSED · updates waiting]'));
    expect(f).toMatch(/be-evil .*asleep/);
    await h.press(' ');
    f = await h.waitForFrame((x) => !x.includes('PAUSED'));
    const evil = f.split('\n').find((l) => l.includes('be-evil'))!;
    expect(evil).toMatch(/^\*/);
    expect(evil).toContain('active');
    expect(f.split('\n').find((l) => l.includes('be-stale'))).toMatch(/^ /);
    // The cursor row shows its own mark; everything unchanged is unmarked.
    expect(f.split('\n').filter((l) => l.startsWith('*'))).toHaveLength(1);
  });

  test('the cursor row that changed while paused shows its * beside the cursor, and keeps it when the cursor moves off', async () => {
    const store = storeWith(demoState());
    h = renderApp(store);
    await h.press('2');
    let f = await h.waitForFrame((x) => x.includes('be-one'));
    const id = demoState().beads.find((b) => selected(f).includes(` ${b.id} `))!.id;
    await h.press(' ');
    await h.waitForFrame((x) => x.includes('[PAUSED]'));
    const s = demoState();
    s.beads.find((b) => b.id === id)!.title = 'renamed meanwhile';
    s.beads.find((b) => b.id === id)!.metadata!.state = 'drained';
    reload(store, s);
    await h.waitForFrame((x) => x.includes('[PAUSED · updates waiting]'));
    await h.press(' ');
    f = await h.waitForFrame((x) => !x.includes('PAUSED') && x.includes('drained'));
    expect(selected(f)).toMatch(new RegExp(`^>\\* .* ${id} `));
    await h.press('j');
    f = await h.waitForFrame((x) => !selected(x).includes(` ${id} `), 'the cursor moved off');
    expect(f.split('\n').find((l) => l.includes(` ${id} `))).toMatch(/^\* /);
  });

  test("while paused the header's age is that of the data on screen, not of the reads waiting; resumed, of the newest", async () => {
    // What is on screen was read at NOW (months before the test's clock); reads keep coming while paused.
    const store = storeWith(demoState());
    h = renderApp(store);
    await h.press(' ');
    await h.waitForFrame((x) => x.includes('[PAUSED]'));
    const next = demoState();
    next.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'active';
    reload(store, next);
    let f = await h.waitForFrame((x) => x.includes('[PAUSED · updates waiting]'));
    expect(f.split('\n')[0]).toMatch(/read \d+ d ago \[PAUSED · updates waiting\]/);
    await h.press(' ');
    f = await h.waitForFrame((x) => !x.includes('PAUSED'));
    // Seconds (or minutes, on a machine slow enough), not the days of the read that was on screen.
    expect(f.split('\n')[0]).toMatch(/read (just now|\d+ s ago|\d+ min ago)/);
  });

  test('a patrol re-plan while paused says updates are waiting only when resuming would show something new', async () => {
    // A create started at 02:08 (02:13 now) turns stale at 02:18; a re-plan before then shows what is on screen.
    const s = demoState();
    s.beads = s.beads.filter((b) => b.id !== 'be-stale');
    s.beads.push(creatingSince('be-soon', 9, '2026-05-06T02:08:00Z'));
    const { store, harness } = await pausedOn(s, '1');
    h = harness;
    store.getState().replanned(plan(s, at(2)), at(2).getTime());
    expect(store.getState().pending).not.toBeNull(); // held all the same: resuming shows its time
    // A key's frame is drawn after the re-plan: its header says what the re-plan left it.
    await h.press('2');
    const f = await h.waitForFrame((x) => x.includes('be-soon'), 'the slots view');
    expect(f.split('\n')[0]).toMatch(/\[PAUSED\]$/);
    // Past 02:18 the create is stale: a rollback the screen does not show waits.
    store.getState().replanned(plan(s, at(6)), at(6).getTime());
    await h.waitForFrame((x) => x.includes('[PAUSED · updates waiting]'), 'the stale create waiting');
    await h.press(' ');
    await h.press('6');
    await h.waitForFrame((x) => !x.includes('PAUSED') && /rollback.*be-soon/.test(x), 'the rollback on resume');
  });

  test("a re-plan while paused that only moves a stale create's age waits for nothing and marks nothing; a real change does", async () => {
    // The demo's be-stale started at 01:00: its rollback's reason says "73 min ago" at 02:13, a plan at 02:15 "75 min ago".
    // Paused in the slots view (in the repairs view space marks); the repairs view shows what resuming marks.
    const s = demoState();
    const { store, harness } = await pausedOn(s, '2');
    h = harness;
    const marked = (x: string) => x.split('\n').filter((l) => /^>?\*/.test(l));
    store.getState().replanned(plan(s, at(2)), at(2).getTime());
    expect(store.getState().pending?.plan.repairs.find((r) => r.beadId === 'be-stale')?.reason).toContain('75 min ago');
    await h.press('6');
    let f = await h.waitForFrame((x) => /rollback.*be-stale/.test(x), 'the repairs view after the re-plan');
    expect(f.split('\n')[0]).toMatch(/\[PAUSED\]$/);
    await h.press('2', ' ', '6');
    f = await h.waitForFrame((x) => !x.includes('PAUSED') && /rollback.*be-stale/.test(x), 'resumed');
    expect(marked(f)).toEqual([]);
    // What is on screen tells the age as of the newest plan.
    for (let i = 0; i < 10 && !selected(h.frame()).includes('be-stale'); i++) await h.press('j');
    await h.waitForFrame((x) => selected(x).includes('be-stale') && x.includes('(75 min ago'), "the card's current age");
    // A real change to the repair (its create started at another time) still waits, and resuming marks its row.
    await h.press('2', ' ');
    await h.waitForFrame((x) => x.split('\n')[0].endsWith('[PAUSED]'), 'paused again');
    const moved = structuredClone(s);
    moved.beads.find((b) => b.id === 'be-stale')!.metadata!.pending_create_started_at = '2026-05-06T00:50:00Z';
    store.getState().loaded(moved, plan(moved, at(4)), at(4).getTime());
    await h.waitForFrame((x) => x.includes('[PAUSED · updates waiting]'), 'the change waiting');
    await h.press(' ', '6');
    f = await h.waitForFrame((x) => !x.includes('PAUSED') && /rollback.*be-stale/.test(x), 'resumed again');
    expect(marked(f).join('\n')).toContain('be-stale');
  });

  test('resume without changes marks nothing', async () => {
    const store = storeWith(demoState());
    h = renderApp(store);
    await h.press(' ');
    await h.waitForFrame((f) => f.includes('[PAUSED]'));
    await h.press(' ');
    const f = await h.waitForFrame((x) => !x.includes('PAUSED'));
    expect(f.split('\n').filter((l) => l.startsWith('*'))).toHaveLength(0);
  });
});

describe('errors', () => {
  test('a failed read keeps the last good data under a red banner, and clears when reads work again', async () => {
    const store = storeWith(demoState());
    h = renderApp(store);
    await h.waitForFrame((f) => f.includes('HEALTH'));
    store.getState().loadFailed('/tmp/ui-city.json: line 3, column 7: unexpected token', Date.now());
    const f = await h.waitForFrame((x) => x.includes('✗ /tmp/ui-city.json: line 3, column 7'));
    expect(f).toContain('showing the last good read');
    expect(f).toContain('frontend/worker');
    expect(f).toMatch(/last good read .* ago/);
    reload(store, demoState());
    await h.waitForFrame((x) => !x.includes('✗'));
  });
});

function writeStore(file: string, s: State) {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ schema: 'gc-tui/1', seq: 1, ...s, decisions: [] }));
  renameSync(tmp, file);
}

/** A store file on disk watched by a live console rendered at 100x30. */
async function watched(prefix: string, opts: Omit<LiveOptions, 'store' | 'source'>) {
  const file = join(tempDir(prefix), 'store.json');
  writeStore(file, demoState());
  const store = createAppStore({ viewport: { rows: 30, columns: 100 } });
  live = startLive({ store, source: { kind: 'store', path: file }, ...opts });
  await live.ready;
  h = renderApp(store);
  return { file, store, h };
}

describe('watch', () => {
  test('a change to the store file (replaced by rename) shows up; a broken file keeps the last good state', async () => {
    const dir = tempDir('gc-tui-watch-');
    const file = join(dir, 'store.json');
    writeStore(file, demoState());
    const store = createAppStore({ viewport: { rows: 30, columns: 100 } });
    live = startLive({ store, source: { kind: 'store', path: file }, debounceMs: 30 });
    await live.ready;
    expect(store.getState().current?.state.beads).toHaveLength(demoState().beads.length);
    h = renderApp(store);
    await h.press('2');
    await h.waitForFrame((f) => f.includes('be-evil'));

    const s = demoState();
    s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'quarantined';
    writeStore(file, s);
    await h.waitForFrame((f) => /be-evil .*quarantined/.test(f), 'the change');

    writeFileSync(file, '{ "schema": "gc-tui/1", ');
    const f = await h.waitForFrame((x) => x.includes('✗'), 'the banner');
    expect(f).toContain(file);
    expect(f).toMatch(/be-evil .*quarantined/);

    writeStore(file, demoState());
    await h.waitForFrame((x) => !x.includes('✗') && /be-evil .*asleep/.test(x), 'recovery');
  });

  test('a change after a quiet moment is read at once, not after the debounce', async () => {
    // A debounce longer than the test's timeout: only the read at the first event can show the change.
    const { file, h } = await watched('gc-tui-leading-', { debounceMs: 600_000 });
    await h.press('2');
    await h.waitForFrame((f) => /be-evil .*asleep/.test(f));
    const s = demoState();
    s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'quarantined';
    writeStore(file, s);
    await h.waitForFrame((f) => /be-evil .*quarantined/.test(f), 'the change');
  });

  test('a file caught half-written at the first event is read again before any error shows', async () => {
    let failed = 0;
    const load = (src: Source) =>
      loadSource(src).catch((e: unknown) => {
        failed++;
        throw e;
      });
    // The retry comes a debounce after the failed read: far beyond this test, so what it sees is the read at once.
    const { file, store, h } = await watched('gc-tui-half-', { load, debounceMs: 600_000 });
    await h.waitForFrame((f) => f.includes('HEALTH'));
    writeFileSync(file, '{ "schema": "gc-tui/1", '); // a writer part-way through writing in place
    await waitFor(
      () => `${failed} failed, activity ${String(store.getState().ui.activity)}`,
      (v) => v === '1 failed, activity null',
      'the read at the first event',
    );
    expect(store.getState().error).toBeNull();
    expect(h.frame()).not.toContain('✗');
  });

  test('a store file removed is reported, read again once it is back, and so is each change after it', async () => {
    // No patrol tick in this test, and each write past the look for a missed change (SETTLE_MS after the last one):
    // only the watcher can see the file come back, and the change after it.
    const { file, h } = await watched('gc-tui-removed-', { debounceMs: 30, patrolMs: 3_600_000 });
    await h.press('2');
    await h.waitForFrame((f) => /be-evil .*asleep/.test(f));
    unlinkSync(file);
    await h.waitForFrame((x) => x.includes('✗'), 'the banner');
    await new Promise((res) => setTimeout(res, 2 * SETTLE_MS));
    const s = demoState();
    s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'quarantined';
    writeStore(file, s);
    await h.waitForFrame((x) => !x.includes('✗') && /be-evil .*quarantined/.test(x), 'the file back');
    await new Promise((res) => setTimeout(res, 2 * SETTLE_MS));
    s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'active';
    writeStore(file, s);
    await h.waitForFrame((x) => /be-evil .*active/.test(x), 'the change after it');
  });

  /**
   * A console on the demo store whose reads are counted (`reads`, `readsDone`) and which says its activity at once
   * (null again once a read and any read it asked for are over); `snapshots` counts the snapshots put on screen after
   * the first read's.
   * `afterRead(n)` runs once the n-th read is done, before the console takes its result.
   */
  async function counted(prefix: string, debounceMs: number, afterRead: (n: number) => void = () => undefined) {
    const inner = inProcessJobs();
    const count = { reads: 0, readsDone: 0, snapshots: 0 };
    const jobs: Jobs = {
      ...inner,
      async load(source, now, opts): Promise<LoadResult> {
        count.reads++;
        const r = await inner.load(source, now, opts);
        afterRead(++count.readsDone);
        return r;
      },
    };
    const sayActivity = (say: () => void) => {
      say();
      return () => undefined;
    };
    // No patrol tick of its own: the test calls tick(), the patrol's look for a change the watcher missed.
    const w = await watched(prefix, { jobs, debounceMs, sayActivity, patrolMs: 3_600_000 });
    w.store.subscribe((s, was) => {
      if (s.current !== was.current) count.snapshots++;
    });
    const idle = () => w.store.getState().ui.activity === null;
    return { ...w, count, idle };
  }

  test('a write the watcher reports twice (its look finds it, then its event comes) is read twice but shown once', async () => {
    // The patrol's look (or the one SETTLE_MS after a change) finds the write first and reads it at once; the
    // watcher's own event for it comes while that read's debounce runs, so the file is read once more when it ends.
    const { file, h, count, idle } = await counted('gc-tui-twice-', 2_000);
    await h.press('2');
    await h.waitForFrame((f) => /be-evil .*asleep/.test(f));
    const s = demoState();
    s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'quarantined';
    writeStore(file, s);
    live!.tick();
    await h.waitForFrame((f) => /be-evil .*quarantined/.test(f), 'the change');
    await until(() => count.readsDone === 3 && idle(), 'the read once more when the debounce ends');
    // The first read (before the count), the change's, and the same bytes again: one snapshot since, the change's.
    expect(count.snapshots).toBe(1);
    expect(h.frame()).toMatch(/be-evil .*quarantined/);
  });

  test('a second write in place with the same size and times as the first, after its read, is read and shown', async () => {
    // What the file's size, inode and times cannot tell apart: the bytes decide. Both writes get the same times (in
    // whole seconds: what utimes sets exactly), as two writes within one tick of the file system's clock do.
    const SAME_TIME = Math.floor(Date.now() / 1000);
    let file = '';
    const second = demoState();
    second.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'quarantinex';
    const stats: number[][] = [];
    const { h, count, idle, ...w } = await counted('gc-tui-same-stat-', 2_000, (n) => {
      if (n !== 2) return;
      const was = statSync(file);
      writeFileSync(file, JSON.stringify({ schema: 'gc-tui/1', seq: 1, ...second, decisions: [] }));
      utimesSync(file, SAME_TIME, SAME_TIME);
      const now = statSync(file);
      stats.push([was.ino, was.size, was.mtimeMs], [now.ino, now.size, now.mtimeMs]);
    });
    file = w.file;
    await h.press('2');
    await h.waitForFrame((f) => /be-evil .*asleep/.test(f));
    const first = demoState();
    first.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'quarantined';
    writeStore(file, first);
    utimesSync(file, SAME_TIME, SAME_TIME);
    live!.tick();
    await h.waitForFrame((f) => /be-evil .*quarantinex/.test(f), 'the second write');
    await until(() => idle(), 'the reads over');
    // The second write was the first's size, inode and times, and written after the first was read.
    expect(stats[1]).toEqual(stats[0]);
    expect(count.readsDone).toBe(3);
  });

  test('a file still broken when read again is reported', async () => {
    const { file, h } = await watched('gc-tui-broken-', { debounceMs: 30 });
    await h.waitForFrame((f) => f.includes('HEALTH'));
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, '{ "schema": "gc-tui/1", ');
    renameSync(tmp, file);
    const f = await h.waitForFrame((x) => x.includes('✗'), 'the banner');
    expect(f).toContain(file);
  });

  test('every snapshot that goes on screen gets its other views made while idle, one held by a pause on resume', async () => {
    const warmed: string[] = [];
    const warm = (snap: Snapshot) => {
      warmed.push(snap.state.beads.find((b) => b.id === 'be-evil')!.metadata!.state as string);
      return Promise.resolve();
    };
    const { file, h } = await watched('gc-tui-warm-', { warm, debounceMs: 30 });
    await h.press('2');
    await h.waitForFrame((f) => /be-evil .*asleep/.test(f));
    expect(warmed).toEqual(['asleep']);
    await h.press(' ');
    await h.waitForFrame((f) => f.includes('[PAUSED]'));
    const s = demoState();
    s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'active';
    writeStore(file, s);
    await h.waitForFrame((x) => x.includes('[PAUSED · updates waiting]'));
    expect(warmed).toEqual(['asleep']); // held, not on screen
    await h.press(' ');
    await h.waitForFrame((x) => !x.includes('PAUSED') && /be-evil .*active/.test(x));
    expect(warmed).toEqual(['asleep', 'active']);
  });

  test('a decision made while paused: the re-read of its own write leaves nothing waiting, the header says [PAUSED]; another change then does', async () => {
    const file = join(tempDir('gc-tui-paused-decision-'), 'store.json');
    writeStore(file, demoState());
    const inner = inProcessJobs();
    let reads = 0;
    const jobs: Jobs = { ...inner, load: (...a) => inner.load(...a).finally(() => reads++) };
    const store = createAppStore({ viewport: { rows: 30, columns: 120 }, operator: 'tester' });
    live = startLive({ store, source: { kind: 'store', path: file }, debounceMs: 30, jobs, now: () => NOW });
    await live.ready;
    h = renderApp(store, { services: live.services });
    await h.press('6');
    await h.waitForFrame((f) => f.includes('REASON'), 'the repairs view');
    await h.press(':', ...'pause', KEYS.enter);
    await h.waitForFrame((f) => f.split('\n')[0].endsWith('[PAUSED]'), 'paused');
    const before = reads;
    await h.press('r', KEYS.enter);
    await h.waitForFrame((f) => (f.split('\n').at(-2) ?? '').startsWith('rejected '), 'rejected');
    // The watcher reads the file this write changed (on screen already): before, that read was held back as an update.
    await waitFor(
      () => String(reads),
      (n) => Number(n) > before,
      'the re-read of the write',
    );
    const f = await h.waitForFrame((x) => !x.includes('rejecting'), 'settled');
    expect(f.split('\n')[0]).toMatch(/\[PAUSED\]$/);
    // Another writer's change is an update: it waits.
    const s = JSON.parse(readFileSync(file, 'utf8')) as State;
    s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'active';
    writeStore(file, s);
    await h.waitForFrame((x) => x.includes('[PAUSED · updates waiting]'), 'held back');
  });

  test('a pool taken out of city.toml while its slots are on screen stays, said to be gone, until another is picked', async () => {
    const dir = tempDir('gc-tui-pool-out-');
    const agent = (name: string) => `[[agent]]\nname = "${name}"\nmax_active_sessions = 3\n`;
    const config = (names: string[]) => {
      writeFileSync(join(dir, 'city.toml.tmp'), ['[workspace]\nname = "three"\n', ...names.map(agent)].join('\n'));
      renameSync(join(dir, 'city.toml.tmp'), join(dir, 'city.toml'));
    };
    const bead = (id: string, template: string, slot: number) => ({
      id,
      status: 'open',
      issue_type: 'session',
      metadata: {
        template,
        pool_managed: 'true',
        agent_name: `${template}-${slot}`,
        alias: `${template}-${slot}`,
        pool_slot: String(slot),
        state: 'active',
      },
    });
    config(['alpha', 'bravo', 'charlie']);
    mkdirSync(join(dir, '.gc'));
    const beads = [bead('al-1', 'alpha', 1), bead('bv-1', 'bravo', 1), bead('bv-2', 'bravo', 2), bead('ch-1', 'charlie', 1)];
    writeFileSync(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 4, beads }));
    const store = createAppStore({ viewport: { rows: 30, columns: 100 } });
    live = startLive({ store, source: { kind: 'city', dir }, debounceMs: 30, patrolMs: 3_600_000 });
    await live.ready;
    h = renderApp(store);
    await h.press('j', KEYS.enter);
    await h.waitForFrame((f) => f.includes('│ pool bravo ') && selected(f).includes('bv-1'), "bravo's slots");
    await h.press('j');
    await h.waitForFrame((f) => selected(f).includes('bv-2'), 'the cursor on bv-2');

    // bravo's agent goes: its beads no longer resolve to a template (the header counts them), and the view says so.
    config(['alpha', 'charlie']);
    let f = await h.waitForFrame((x) => x.includes('unresolved 2') && x.includes('findings 2'), 'the reload without bravo');
    expect(f).toContain('│ pool bravo (gone) 0 of 0');
    expect(f).toContain("  Pool bravo is no longer in the city's config.\n");
    // Under the list, what it means; on the status line, the ways on (kept while the view shows the pool).
    expect(f).toContain(
      [
        'A reload took it out of the config; configured again, it shows here again.',
        'Its beads that fit no other pool are findings now (unresolved template).',
      ].join('\n'),
    );
    expect(f.split('\n').at(-2)).toBe('pool bravo is gone: [ ] another pool · esc the pools view');
    for (const other of ['al-1', 'ch-1', 'pool alpha', 'pool charlie']) expect(f).not.toContain(other);

    // Configured again: its slots again, the cursor on the slot it was on.
    config(['alpha', 'bravo', 'charlie']);
    f = await h.waitForFrame((x) => x.includes('findings 0'), 'the reload with bravo');
    expect(f).toContain('│ pool bravo 1–2 of 2');
    expect(selected(f)).toContain('bv-2');

    // Gone again: `]` shows the pool now at its place (charlie), `[` from there the one before (alpha).
    config(['alpha', 'charlie']);
    await h.waitForFrame((x) => x.includes('findings 2') && x.includes('pool bravo (gone)'), 'gone again');
    await h.press(']');
    f = await h.waitForFrame((x) => !x.includes('│ pool bravo'), 'another pool');
    expect(f).toContain('│ pool charlie ');
    expect(selected(f)).toContain('ch-1');
    expect(f).not.toContain('(gone)');
    expect(f.split('\n').at(-2)).not.toContain('is gone');
  });

  test('a namepool file Gas City cannot read: the city opens on numbered names under a warning, until the file is there', async () => {
    const dir = tempDir('gc-tui-namepool-');
    write(
      join(dir, 'city.toml'),
      '[workspace]\nname = "pc"\n\n[[agent]]\nname = "polecat"\nmax_active_sessions = 3\nnamepool = "names.txt"\n',
    );
    const bead = sessionRecord('pc-1', {
      template: 'polecat',
      agent_name: 'polecat-1',
      alias: 'polecat-1',
      pool_slot: '1',
      state: 'active',
    });
    writeJson(join(dir, '.gc', 'beads.json'), { seq: 1, beads: [bead] });
    const store = createAppStore({ viewport: { rows: 30, columns: 100 } });
    live = startLive({ store, source: { kind: 'city', dir }, debounceMs: 30, patrolMs: 3_600_000 });
    await live.ready;
    h = renderApp(store);
    let f = await h.waitForFrame((x) => x.includes('⚠'), 'the warning');
    // Under the header, the warning; the plan is Gas City's, numbered names, so polecat-1 is no drift.
    expect(f.split('\n')[2].trimEnd()).toBe(
      '⚠ namepool "names.txt" of polecat: no such file — Gas City (and this plan) uses polecat-1, -2, …',
    );
    expect(f).toContain('repairs 0');

    writeFileSync(join(dir, 'names.tmp'), 'furiosa\nnux\n');
    renameSync(join(dir, 'names.tmp'), join(dir, 'names.txt'));
    f = await h.waitForFrame((x) => !x.includes('⚠') && x.includes('repairs 1'), 'the names read');
    expect(f.split('\n')[2]).not.toContain('namepool');
  });

  test('the patrol timer re-plans without a file change', async () => {
    const dir = tempDir('gc-tui-patrol-');
    const file = join(dir, 'store.json');
    const s = demoState();
    // A create that turns stale at +10 min: only time changes, not the file.
    s.beads.find((b) => b.id === 'be-stale')!.metadata!.pending_create_started_at = '2026-05-06T02:05:00Z';
    writeStore(file, s);
    let clock = NOW.getTime();
    const store = createAppStore();
    live = startLive({ store, source: { kind: 'store', path: file }, patrolMs: 20, watch: false, now: () => new Date(clock) });
    await live.ready;
    expect(store.getState().current?.plan.metrics.stale_creates).toBe(0);
    clock += 10 * 60_000;
    await waitFor(
      () => String(store.getState().current?.plan.metrics.stale_creates),
      (v) => v === '1',
      'a stale create',
    );
  });
});

// The first read's first look: the console shows the header's figures and the pools view as soon as the read is
// planned, while its beads are still on their way, and they are what the console shows once the beads are here.
const DEMO = fileURLToPath(new URL('../../fixtures/demo-city.json', import.meta.url));

/**
 * Reads that hold their result (after its first look went out) until `arrive()`: beads still on their way (with
 * `fail`, they never come: the read fails then).
 */
function heldJobs(fail = false): { jobs: Jobs; arrive(): void } {
  const inner = inProcessJobs();
  let arrive = () => {};
  const held = new Promise<void>((res) => (arrive = res));
  const jobs: Jobs = {
    ...inner,
    async load(source, now, opts): Promise<LoadResult> {
      const r = await inner.load(source, now, opts);
      await held;
      if (fail) throw new Error('the worker went away');
      return r;
    },
  };
  return { jobs, arrive: () => arrive() };
}

/** The demo store's (or `state`'s) console on screen, its first read held after its first look until `arrive()`. */
async function heldConsole(
  state?: State,
  fail = false,
  services: Partial<ConsoleServices> = {},
): Promise<{ store: AppStore; arrive(): void; ui: Harness; console: Live; file: string }> {
  const file = join(tempDir('gc-tui-glance-'), 'demo.json');
  if (state) writeFileSync(file, JSON.stringify({ schema: 'gc-tui/1', seq: 1, ...state, decisions: [] }));
  else copyFileSync(DEMO, file);
  const { jobs, arrive } = heldJobs(fail);
  const store = createAppStore({ viewport: { rows: 30, columns: 120 } });
  const started = startLive({ store, source: { kind: 'store', path: file }, jobs, now: () => NOW, watch: false });
  live = started;
  await started.shown;
  const ui = renderApp(store, { services: { ...started.services, ...services } });
  h = ui;
  return { store, arrive, ui, console: started, file };
}

/** Six sessions of one pool, each stamped with a slot its identity does not name: six restamp repairs, mc-b1…mc-b6. */
function restampCity(): State {
  const beads = [1, 2, 3, 4, 5, 6].map((n) => ({
    id: `mc-b${n}`,
    title: `worker-${n}`,
    status: 'open',
    issue_type: 'session',
    priority: 2,
    labels: ['gc:session', `agent:worker-${n}`],
    metadata: {
      template: 'worker',
      agent_name: `worker-${n}`,
      alias: `worker-${n}`,
      pool_slot: String(n + 5),
      pool_managed: 'true',
      session_name: `s-mc-b${n}`,
      state: 'asleep',
    },
    created_at: '2026-05-01T10:00:00Z',
    updated_at: '2026-05-01T10:00:00Z',
  }));
  return { city: { workspace: { name: 'marks' }, agents: [{ name: 'worker', max_active_sessions: 6 }] }, beads } as State;
}

/** The frame without its status line and footer (which say what the console is doing). */
const screen = (f: string) => f.split('\n').slice(0, -2).join('\n');

describe('the first look', () => {
  test('the figures and the pools show before the beads arrive, as they show after; other views wait for the beads', async () => {
    const { store, arrive, ui: h, console: live } = await heldConsole();
    expect(store.getState().current).toBeNull();
    const early = await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    expect(early).toMatch(/repairs \d/);
    expect(early).toContain('backend/builder');
    // Other views wait for the beads.
    await h.press('2');
    await h.waitForFrame((f) => /Receiving \d+ beads…/.test(f), 'the slots view waiting');
    await h.press('1');
    await h.waitForFrame((f) => screen(f) === screen(early), 'the pools again');

    arrive();
    await live.ready;
    await until(() => store.getState().current !== null, 'the beads');
    expect(store.getState().glance).toBeNull();
    // The same figures and rows once the beads are here, and the views that needed them show.
    await h.waitForFrame((f) => screen(f) === screen(early) && !f.includes('receiving'), 'the pools of the whole read');
    await h.press('2');
    await h.waitForFrame((f) => f.includes('pool backend/builder') && f.includes('SLOT'), 'the slots view');
  });

  test('a pool bounded by its namepool shows that bound (BOUND names, MAX 12), in the first look and after it, and in its detail', async () => {
    const state = demoState();
    // Bounded by its names alone (no max_active_sessions): it showed MAX ∞. frontend/worker: max 5, 3 names.
    state.city.agents.push({ name: 'polecat', namepool: 'abcdefghijkl'.split('').map((c) => `cat-${c}`) });
    const { arrive, ui: h, console: live } = await heldConsole(state);
    const early = await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    const row = (f: string, name: string) => f.split('\n').find((l) => l.slice(2).startsWith(`${name} `)) ?? '';
    expect(row(early, 'polecat')).toMatch(/^ {2}polecat\s+names\s+12\s+0\s/);
    expect(row(early, 'frontend/worker')).toMatch(/names\s+3\s+0\s/);
    expect(row(early, 'backend/worker')).toMatch(/yes\s+4\s+0\s/);
    expect(row(early, 'mayor')).toMatch(/yes\s+1\s+0\s/);
    arrive();
    await live.ready;
    const whole = await h.waitForFrame((f) => !f.includes('receiving') && f.includes('HEALTH'), 'the pools of the whole read');
    for (const name of ['polecat', 'frontend/worker', 'backend/worker']) expect(row(whole, name)).toBe(row(early, name));
    // Its detail under the list says the same.
    await h.press('G');
    const f = await h.waitForFrame((x) => /^> polecat /m.test(x), 'the cursor on polecat');
    expect(f).toMatch(/polecat {2}bounded: at most 12 names {2}caps: /);
  });

  test('a pause pressed during the first look holds later reads, not the beads of the one on screen', async () => {
    const { store, arrive, ui: h, console: live } = await heldConsole();
    await h.waitForFrame((f) => f.includes('HEALTH'), 'the pools of the first look');
    await h.press(' ');
    await h.waitForFrame((f) => f.includes('[PAUSED]'), 'paused');
    arrive();
    await live.ready;
    await h.press('2');
    await h.waitForFrame(
      (f) => f.includes('pool backend/builder') && f.includes('SLOT') && f.includes('[PAUSED]'),
      'the slots view, paused',
    );
    expect(store.getState().pending).toBeNull();
  });

  test('keys move over the pools of the first look and open one; the beads arrive where the operator is', async () => {
    const { store, arrive, ui: h, console: live } = await heldConsole();
    await h.waitForFrame((f) => f.includes('HEALTH') && /^> backend\/builder /m.test(f), 'the pools of the first look');
    await h.press('j');
    await h.waitForFrame((f) => /^> backend\/worker /m.test(f), 'the cursor on the second pool');
    await h.press(KEYS.enter);
    await h.waitForFrame((f) => /Receiving \d+ beads…/.test(f), 'the slots view waiting for the beads');
    // A key that needs the beads says they are on their way, and waits for them.
    await h.press('y');
    await h.waitForFrame((f) => /beads of the first read are still arriving: 1 key typed waits for them/.test(f), 'the raw bead waiting');
    expect(store.getState().current).toBeNull();

    arrive();
    await live.ready;
    // It shows the raw bead of the first slot of the pool opened once they are here.
    await h.waitForFrame((f) => f.includes('"template": "backend/worker"'), 'the raw bead of a backend/worker slot');
    await h.press(KEYS.esc);
    await h.waitForFrame((f) => f.includes('pool backend/worker') && f.includes('SLOT'), 'the slots of the pool opened');
    await h.press('1');
    await h.waitForFrame((f) => /^> backend\/worker /m.test(f), 'the pools cursor where it was put');
  });

  test('the footer offers only keys that work while the beads arrive; "still arriving" goes when they land', async () => {
    const { store, arrive, ui: h, console: live } = await heldConsole();
    await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    const footer = (f: string) => f.split('\n').at(-1) ?? '';
    const status = (f: string) => f.split('\n').at(-2) ?? '';
    await h.press('6');
    let f = await h.waitForFrame((x) => /Receiving \d+ beads…/.test(x), 'the repairs view waiting');
    // An empty queue for now: no review key, no move, no sort is offered; the ways on are.
    expect(footer(f)).not.toMatch(/approve|reject|skip|next|card|mark|reopen|bead|move|sort/);
    expect(footer(f)).toMatch(/^1-9 views {2}\/ filter {2}: cmd {2}tab view {2}\? help {2}q quit/);
    await h.press('a');
    await h.waitForFrame((x) => /beads of the first read are still arriving/.test(status(x)), 'a says they are on their way');
    expect(store.getState().current).toBeNull();

    arrive();
    await live.ready;
    f = await h.waitForFrame((x) => footer(x).includes('a approve') && !x.includes('Receiving'), 'the queue with its keys');
    expect(f).not.toContain('still arriving');
    expect(footer(f)).toMatch(/^a approve {2}r reject {2}s skip {2}n next/);
  });

  test('keys typed in the repairs view before the beads land wait for them, then act in order: `6 j j a` approves the third repair', async () => {
    const { store, arrive, ui: h, console: live, file } = await heldConsole(restampCity());
    await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    const status = (f: string) => f.split('\n').at(-2) ?? '';
    // Typed as fast as a script types them: the repairs view has no rows yet. The moves used to do nothing, silently,
    // and an `a` typed once the beads had landed approved the first repair.
    await h.press('6', 'j', 'j');
    await h.waitForFrame(
      (f) => /Receiving 6 beads…/.test(f) && /still arriving: 2 keys typed wait for them/.test(status(f)),
      'the moves waiting',
    );
    await h.press('a');
    await h.waitForFrame((f) => /still arriving: 3 keys typed wait for them/.test(status(f)), 'the approval waiting behind them');
    expect(store.getState().current).toBeNull();

    arrive();
    await live.ready;
    const f = await h.waitForFrame((x) => x.includes('applied restamp-slot:mc-b3'), 'the third repair approved');
    expect(selected(f)).toContain('mc-b4');
    expect(f).toMatch(/^ {2}applied +worker +restamp-slot R6 +mc-b3 /m);
    expect(f).toMatch(/^ {2}undecided +worker +restamp-slot R6 +mc-b1 /m);
    const slots = (JSON.parse(readFileSync(file, 'utf8')) as State).beads.map((b) => `${b.id}=${b.metadata?.pool_slot}`);
    expect(slots).toEqual(['mc-b1=6', 'mc-b2=7', 'mc-b3=3', 'mc-b4=9', 'mc-b5=10', 'mc-b6=11']);
  });

  test('^C quits while keys typed on the first look wait for its beads', async () => {
    const { ui: h } = await heldConsole(restampCity());
    await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    await h.press('6', 'j', 'j');
    await h.waitForFrame((f) => /still arriving: 2 keys typed wait for them \(esc drops them, q quits\)/.test(f), 'the keys waiting');
    await h.press('\u0003');
    await within(h.exited, 20_000, 'the console to exit on ^C');
  });

  test('q typed while keys wait for the beads quits at once, as ^C does: the keys waiting never act', async () => {
    const { ui: h, file } = await heldConsole(restampCity());
    const before = readFileSync(file, 'utf8');
    await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    await h.press('6', 'j', 'a');
    await h.waitForFrame((f) => /still arriving: 2 keys typed wait for them/.test(f), 'the keys waiting');
    // It used to wait behind them, the console quitting only once the beads had landed and `a` had approved.
    await h.press('q');
    await within(h.exited, 20_000, 'the console to exit on q');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test("a q typed after r waits with it: it is the reason's text, not a quit", async () => {
    const { arrive, ui: h, console: live } = await heldConsole(restampCity());
    const status = (f: string) => f.split('\n').at(-2) ?? '';
    await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    await h.press('6', 'r', ...'quick');
    await h.waitForFrame((f) => /still arriving: 6 keys typed wait for them/.test(status(f)), 'the keys waiting, q among them');
    arrive();
    await live.ready;
    // The prompt the r opened holds every letter typed after it; the console is still running.
    await h.waitForFrame((f) => /Reject restamp-slot:mc-b\d — reason.*quick/.test(status(f)), 'the reason typed ahead');
  });

  test('esc drops the keys waiting for the beads, saying how many; the keys typed after it act on their own', async () => {
    const { store, arrive, ui: h, console: live, file } = await heldConsole(restampCity());
    const before = readFileSync(file, 'utf8');
    const status = (f: string) => f.split('\n').at(-2) ?? '';
    await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    await h.press('6', 'j', 'j', 'a');
    await h.waitForFrame((f) => /still arriving: 3 keys typed wait for them/.test(status(f)), 'the keys waiting');
    // There was no way to take them back: esc waited behind them, then acted as esc once the beads had landed.
    await h.press(KEYS.esc);
    await h.waitForFrame((f) => status(f).includes("esc: 3 keys typed while the first read's beads arrived dropped"), 'the keys dropped');
    // A key typed after the esc waits on its own.
    await h.press('j');
    await h.waitForFrame((f) => /still arriving: 1 key typed waits for them/.test(status(f)), 'the next move waiting');
    arrive();
    await live.ready;
    const f = await h.waitForFrame((x) => !x.includes('Receiving') && /^> .*mc-b2 /m.test(x), 'the one move made once the beads are here');
    expect(f).not.toContain('applied');
    expect(store.getState().current).not.toBeNull();
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('^Z typed while keys wait for the beads suspends at once, dropping them (nothing acts while the console is stopped)', async () => {
    const log: string[] = [];
    const conts: (() => void)[] = [];
    const jobControl: JobControl = {
      ownsTerminal: () => true,
      stop: (why) => {
        log.push(why ? `stop ${why}` : 'stop');
        queueMicrotask(() => conts.splice(0).forEach((c) => c()));
      },
      onContinue: (cb) => {
        conts.push(cb);
        return () => conts.splice(conts.indexOf(cb) >>> 0, 1);
      },
      afterStop: () => () => undefined,
    };
    const { arrive, ui: h, console: live, file } = await heldConsole(restampCity(), false, { jobControl });
    const before = readFileSync(file, 'utf8');
    const status = (f: string) => f.split('\n').at(-2) ?? '';
    await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    await h.press('6', 'j', 'a');
    await h.waitForFrame((f) => /still arriving: 2 keys typed wait for them/.test(status(f)), 'the keys waiting');
    await h.press('\u001a');
    await h.waitForFrame(
      (f) => status(f).includes("^Z: 2 keys typed while the first read's beads arrived dropped"),
      'back from the suspend',
    );
    expect(log).toEqual(['stop']);
    arrive();
    await live.ready;
    const f = await h.waitForFrame((x) => !x.includes('Receiving') && /^> .*mc-b1 /m.test(x), 'the queue once the beads are here');
    expect(f).not.toContain('applied');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('keys waiting for the beads of a first read that then fails are dropped, saying so', async () => {
    const { store, arrive, ui: h } = await heldConsole(restampCity(), true);
    await h.waitForFrame((f) => f.includes('HEALTH') && f.includes('receiving'), 'the pools of the first look');
    await h.press('6', 'j', 'j', 'a');
    await h.waitForFrame((f) => /still arriving: 3 keys typed wait for them/.test(f), 'the keys waiting');
    arrive();
    await h.waitForFrame((f) => f.includes('the first read failed before its beads arrived: 3 keys typed ignored'), 'the keys dropped');
    expect(store.getState().current).toBeNull();
    expect(store.getState().error).toContain('the worker went away');
  });

  test('a first read that fails shows no first look', async () => {
    const file = join(tempDir('gc-tui-glance-'), 'missing.json');
    const store = createAppStore();
    live = startLive({ store, source: { kind: 'store', path: file }, now: () => NOW, watch: false });
    await live.shown;
    expect(store.getState().glance).toBeNull();
    expect(store.getState().current).toBeNull();
    expect(store.getState().error).not.toBeNull();
  });
});
