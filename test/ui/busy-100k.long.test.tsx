// What the operator sees while the console works on a big store: the status line says what is running, and
// the keys keep working meanwhile, because the read, the plan and the locked write run in the plan worker
// (the built dist/plan-worker.js, as `gc-tui` runs it). Then the result lands on screen.
// A long test (100 000 beads): `npm run test:long`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createAppStore } from '../../src/console/state.js';
import { approve } from '../../src/console/review.js';
import { startLive } from '../../src/console/watch.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { patience, within } from '../support/wait.js';
import { lineOf, renderApp, type Harness } from './render.js';
import { selected } from '../support/frame-lines.js';

const WORKER = pathToFileURL(built('plan-worker.js'));
const WORKING = /reading…|planning…|receiving the new plan…/;
/** Reading, planning or writing 100 000 beads on a loaded machine: a safety net only. */
const SLOW_MS = 120_000;

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
  void work.then(
    () => (done = true),
    () => (done = true),
  );
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
      presses.push(await within(shown, SLOW_MS, `the cursor to move; last frame:\n${h.frame()}`));
      due = Date.now() + 50;
      await sleep(50);
    }
  } finally {
    h.stdout.write = write;
  }
  return presses;
}

/**
 * Every press made while the work ran showed on screen before it finished, and none was stuck. Only the last
 * press may race the end of the work (pressed while it ran, drawn just after): a console blocked by the work
 * would show even the first press late. Returns the presses drawn while the work ran.
 */
function expectHandledWhileRunning(presses: Press[]): Press[] {
  expect(presses.length, 'at least one key was pressed while the work ran').toBeGreaterThan(0);
  for (const [i, p] of presses.entries()) {
    if (i < presses.length - 1)
      expect(p.whileRunning, `press ${i + 1} of ${presses.length} showed only after the work finished (${p.ms} ms)`).toBe(true);
    expect(p.ms, `press ${i + 1}`).toBeLessThan(patience(GENEROUS_KEY_MS));
  }
  const during = presses.filter((p) => p.whileRunning);
  expect(during.length, 'at least one press was drawn while the work ran').toBeGreaterThan(0);
  return during;
}

/** The status line: the line above the footer (the last line). */
const statusLine = (f: string) => {
  const lines = f.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 2] ?? '';
};

describe('a 100 000-bead store in the plan worker', () => {
  test(
    'during a refresh and an approval, keys move the cursor and the status line says what runs; then the result shows',
    { timeout: patience(600_000) },
    async () => {
      const file = join(tempDir('gc-tui-busy-'), 'big.json');
      const doc = generateStore({ beads: 100_000, seed: 7 });
      writeFileSync(file, JSON.stringify(doc));
      const store = createAppStore({ operator: 'tester', viewport: { rows: 40, columns: 160 } });
      const live = startLive({ store, source: { kind: 'store', path: file }, watch: false, patrolMs: 3_600_000, worker: WORKER });
      onTestFinished(() => live.stop());
      await live.ready;
      expect(live.jobs.kind).toBe('worker');
      expect(store.getState().error).toBeNull();
      const h = renderApp(store, { services: live.services });
      onTestFinished(() => h.unmount());
      await h.press('2'); // the slots of the biggest pool
      await h.waitForFrame((f) => f.includes('AGENT_NAME') && selected(f) !== '', 'the slots view', SLOW_MS);

      // A refresh: the file changed behind the console's back.
      doc.city.workspace.name = 'renamed-city';
      writeFileSync(file, JSON.stringify(doc));
      const refreshed = live.refresh();
      await h.waitForFrame((f) => WORKING.test(statusLine(f)), 'the status line saying the read or the plan runs', SLOW_MS);
      const duringRefresh = expectHandledWhileRunning(await typeDuring(h, refreshed, 'j'));
      for (const p of duringRefresh) expect(p.status).toMatch(WORKING);
      await refreshed;
      let f = await h.waitForFrame((x) => x.includes('renamed-city') && !WORKING.test(x), 'the new data', SLOW_MS);
      expect(lineOf(f, 'gc-tui')).toContain('renamed-city');

      // An approval: a locked write of the 100 000-bead file and a plan of what was written.
      const repair = store.getState().current!.plan.repairs.find((r) => r.kind === 'rollback-stale-create')!;
      const approved = approve({ store, services: live.services }, [repair]);
      await h.waitForFrame((x) => statusLine(x).includes(`applying ${repair.id}…`), 'the status line saying the write runs', SLOW_MS);
      const duringApproval = expectHandledWhileRunning(await typeDuring(h, approved, 'j'));
      for (const p of duringApproval) expect(p.status).toContain(`applying ${repair.id}…`);
      const result = await approved;
      expect(result?.applied.map((r) => r.id)).toEqual([repair.id]);
      f = await h.waitForFrame((x) => statusLine(x).includes(`applied ${repair.id}`), 'the outcome', SLOW_MS);
      expect(statusLine(f)).not.toContain('applying');
      expect(store.getState().current!.plan.repairs.some((r) => r.id === repair.id)).toBe(false);
    },
  );
});
