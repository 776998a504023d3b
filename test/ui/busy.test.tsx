// What the operator sees while the console works on a big store: the status line says what is running, and
// the keys keep working meanwhile, because the read, the plan and the locked write run in the plan worker
// (the built dist/console/worker/plan-worker.js, as `gc-tui` runs it). Then the result lands on screen.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAppStore } from '../../src/console/state.js';
import { approve } from '../../src/console/review.js';
import { startLive, type Live } from '../../src/console/watch.js';
import { workText } from '../../src/ui/components/StatusLine.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { demoState, storeWith } from './fixture.js';
import { lineOf, renderApp, within, type Harness } from './render.js';

const WORKER = new URL('../../dist/console/worker/plan-worker.js', import.meta.url);
const WORKING = /reading…|planning…|receiving the new plan…/;

let h: Harness | null = null;
let live: Live | null = null;
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gc-tui-busy-'));
});
afterEach(async () => {
  h?.unmount();
  h = null;
  await live?.stop();
  live = null;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const selected = (f: string) => f.split('\n').find((l) => l.startsWith('>')) ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Far above any real key latency: it only catches a console that is stuck, not a slow machine. */
const GENEROUS_KEY_MS = 10_000;

interface Press {
  /** From when the press was due until the frame showing it: a blocked console types it late. */
  ms: number;
  /** The status line of that frame. */
  status: string;
  /** The frame showing the press was drawn while the work still ran. */
  whileRunning: boolean;
}

/**
 * Press `key` while `work` runs: at once, then every 50 ms until the work is done. For each press: whether
 * the frame that showed the cursor move was drawn before the work finished (checked as each frame is
 * written, so polling cannot blur the order), how late that was, and what the status line said.
 */
async function typeDuring(h: Harness, work: Promise<unknown>, key: string): Promise<Press[]> {
  let done = false;
  void work.then(() => (done = true), () => (done = true));
  const presses: Press[] = [];
  const write = h.stdout.write;
  let waiting: { before: string; due: number; resolve: (p: Press) => void } | null = null;
  h.stdout.write = (frame: string) => {
    write(frame);
    const f = h.frame();
    if (waiting && selected(f) !== waiting.before) {
      waiting.resolve({ ms: Date.now() - waiting.due, status: statusLine(f), whileRunning: !done });
      waiting = null;
    }
  };
  try {
    let due = Date.now();
    while (!done) {
      const before = selected(h.frame());
      const shown = new Promise<Press>((resolve) => (waiting = { before, due, resolve }));
      h.stdin.write(key);
      presses.push(await within(shown, 30_000, `the cursor to move; last frame:\n${h.frame()}`));
      due = Date.now() + 50;
      await sleep(50);
    }
  } finally {
    h.stdout.write = write;
  }
  return presses;
}

/** Every press made while the work ran showed on screen before it finished, and none was stuck. */
function expectHandledWhileRunning(presses: Press[]): void {
  expect(presses.length, 'at least one key was pressed while the work ran').toBeGreaterThan(0);
  for (const [i, p] of presses.entries()) {
    expect(p.whileRunning, `press ${i + 1} of ${presses.length} showed only after the work finished (${p.ms} ms)`).toBe(true);
    expect(p.ms, `press ${i + 1}`).toBeLessThan(GENEROUS_KEY_MS);
  }
}

/** The status line: the line above the footer (the last line). */
const statusLine = (f: string) => {
  const lines = f.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 2] ?? '';
};

describe('status line', () => {
  test('names the write and the read in progress on its right, beside the message', async () => {
    expect(workText(null, null)).toBeNull();
    expect(workText('applying rollback-stale-create:x', null)).toBe('applying rollback-stale-create:x…');
    expect(workText('applying rollback-stale-create:x', 'reading…')).toBe('applying rollback-stale-create:x… · reading…');
    const store = storeWith(demoState());
    h = renderApp(store);
    store.getState().patchUi({ busy: 'applying rollback-stale-create:be-stale', activity: 'reading…', message: { text: 'exported md snapshot to /tmp/x.md', tone: 'info' } });
    let f = await h.waitForFrame((x) => x.includes('reading…'));
    expect(statusLine(f)).toContain('exported md snapshot');
    expect(statusLine(f)).toMatch(/applying rollback-stale-create:be-stale… · reading…\s*$/);
    store.getState().patchUi({ busy: null, activity: null });
    f = await h.waitForFrame((x) => !x.includes('reading…'));
    expect(statusLine(f)).not.toContain('applying');
  });
});

describe('a 100 000-bead store in the plan worker', () => {
  test('during a refresh and an approval, keys move the cursor and the status line says what runs; then the result shows', { timeout: 120_000 }, async () => {
    const file = join(dir, 'big.json');
    const doc = generateStore({ beads: 100_000, seed: 7 });
    writeFileSync(file, JSON.stringify(doc));
    const store = createAppStore({ operator: 'tester', viewport: { rows: 40, columns: 160 } });
    live = startLive({ store, source: { kind: 'store', path: file }, watch: false, patrolMs: 3_600_000, worker: WORKER });
    await live.ready;
    expect(live.jobs.kind).toBe('worker');
    expect(store.getState().error).toBeNull();
    h = renderApp(store);
    await h.press('2'); // the slots of the biggest pool
    await h.waitForFrame((f) => f.includes('AGENT_NAME') && selected(f) !== '', 'the slots view', 20_000);

    // A refresh: the file changed behind the console's back.
    doc.city.workspace.name = 'renamed-city';
    writeFileSync(file, JSON.stringify(doc));
    const refreshed = live.refresh();
    await h.waitForFrame((f) => statusLine(f).includes('planning…'), 'the status line saying the plan runs');
    const duringRefresh = await typeDuring(h, refreshed, 'j');
    expectHandledWhileRunning(duringRefresh);
    for (const p of duringRefresh) expect(p.status).toMatch(WORKING);
    await refreshed;
    let f = await h.waitForFrame((x) => x.includes('renamed-city') && !WORKING.test(x), 'the new data', 20_000);
    expect(lineOf(f, 'gc-tui')).toContain('renamed-city');

    // An approval: a locked write of the 100 000-bead file and a plan of what was written.
    const repair = store.getState().current!.plan.repairs.find((r) => r.kind === 'rollback-stale-create')!;
    const approved = approve(store, [repair]);
    await h.waitForFrame((x) => statusLine(x).includes(`applying ${repair.id}…`), 'the status line saying the write runs');
    const duringApproval = await typeDuring(h, approved, 'j');
    expectHandledWhileRunning(duringApproval);
    for (const p of duringApproval) expect(p.status).toContain(`applying ${repair.id}…`);
    const result = await approved;
    expect(result?.applied.map((r) => r.id)).toEqual([repair.id]);
    f = await h.waitForFrame((x) => statusLine(x).includes(`applied ${repair.id}`), 'the outcome', 20_000);
    expect(statusLine(f)).not.toContain('applying');
    expect(store.getState().current!.plan.repairs.some((r) => r.id === repair.id)).toBe(false);
  });
});
