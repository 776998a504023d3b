#!/usr/bin/env node
/* global process, console, setImmediate, setTimeout, setInterval, clearInterval, performance */
// Console key and stall timings on generated stores (it bundles the console's code itself); the issue-9 figures are in
// scripts/bench.mjs. Timing lives here, never in tests.
//   npm run bench:console    (1 000 and 100 000 beads)
//   node scripts/bench-console.mjs 5000 100000
// Reports per size: load+plan, first frame, a keystroke (j), PgDn, G, a filter keystroke, a view
// switch, the tallest frame; and the 100k/1k ratio of the keystroke costs (windowing: ~1 expected).
// Then, on the biggest size, the console's responsiveness while it works: the event-loop stall (the
// longest delay of a 10 ms interval timer) and the latency of a `j` pressed meanwhile, during a refresh
// (read + plan) and during an approval (locked write + re-plan), in this thread vs in the plan worker.
//   node scripts/bench-console.mjs --stall-only 100000   (just that part)
// First of all, on the biggest size: the engine's plan ÷ JSON.parse of the same file, CPU time measured
// side by side in this run (issue 9: target ≤ 0.5×).
//   node scripts/bench-console.mjs --plan-only 100000    (just that figure)
import { rmSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { benchBuildDir, buildPackage } from './build.mjs';
import { generateStore } from './gen-store.mjs';

// The console's code as one bundled module (scripts/build.mjs --bench), as the shipped build loads it.
const apiDir = benchBuildDir();
process.on('exit', () => rmSync(apiDir, { recursive: true, force: true }));
await buildPackage(apiDir, { bench: true });
const { createElement, render, loadStore, plan, createAppStore, App, startLive, approve } = await import(
  pathToFileURL(join(apiDir, 'bench-api.js')).href
);

const ROWS = 40;
const COLS = 120;
const stallOnly = process.argv.includes('--stall-only');
const planOnly = process.argv.includes('--plan-only');
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
if (sizes.length === 0) sizes.push(1_000, 100_000);

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const now = () => process.hrtime.bigint();

// ---------------------------------------------------------------- plan ÷ JSON.parse

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * CPU time of plan(state) and of the JSON.parse that made the state, from the same file text, best of
 * `reps` each (a full GC before each, so neither pays for the other's garbage). Also the cost of then
 * reading plan.detail.beads, which the console does and `check` does not.
 */
function planVersusParse(n, reps = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'gc-tui-bench-plan-'));
  let text;
  try {
    const file = join(dir, 'store.json');
    writeFileSync(file, JSON.stringify(generateStore({ beads: n })));
    text = readFileSync(file, 'utf8');
  } finally {
    // Removed whether the run got this far or failed (a full disk): no temp dir is left behind.
    rmSync(dir, { recursive: true, force: true });
  }
  const at = new Date('2026-05-06T02:13:00Z');
  const best = { parse: Infinity, plan: Infinity, detail: Infinity, parseWall: Infinity, planWall: Infinity };
  for (let r = 0; r < reps; r++) {
    gc();
    let c = cpuMs();
    let t = now();
    const state = JSON.parse(text);
    best.parse = Math.min(best.parse, cpuMs() - c);
    best.parseWall = Math.min(best.parseWall, ms(t));
    gc();
    c = cpuMs();
    t = now();
    const p = plan(state, at);
    best.plan = Math.min(best.plan, cpuMs() - c);
    best.planWall = Math.min(best.planWall, ms(t));
    c = cpuMs();
    if (Object.keys(p.detail.beads).length === 0 && n > 0) throw new Error('no bead detail');
    best.detail = Math.min(best.detail, cpuMs() - c);
  }
  return best;
}

{
  const n = sizes[sizes.length - 1];
  const b = planVersusParse(n);
  const x = (a, d) => `${(a / d).toFixed(2)}×`;
  console.log(
    `plan ÷ JSON.parse at ${n} beads: ${x(b.plan, b.parse)} CPU (target ≤ 0.5×; plan ${b.plan.toFixed(0)} ms, JSON.parse ${b.parse.toFixed(0)} ms, best of 3; wall ${x(b.planWall, b.parseWall)}); ` +
      `plan + reading every bead's detail ${x(b.plan + b.detail, b.parse)}`,
  );
  if (planOnly) process.exit(0);
}

async function frameAfter(r, write, changed) {
  const before = r.lastFrame();
  const t0 = now();
  if (write) r.stdin.write(write);
  for (;;) {
    const f = r.lastFrame();
    if (f !== before && (!changed || changed(f))) return { t: ms(t0), f };
    await new Promise((res) => setImmediate(res));
    if (ms(t0) > 30_000) throw new Error('no frame within 30 s');
  }
}

const results = [];
for (const n of stallOnly ? [] : sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'gc-tui-bench-'));
  try {
    const file = join(dir, 'store.json');
    writeFileSync(file, JSON.stringify(generateStore({ beads: n })));
    let tallest = 0;
    const t0 = now();
    const loaded = await loadStore(file);
    const tLoad = ms(t0);
    const t1 = now();
    const p = plan(loaded.state, new Date());
    const tPlan = ms(t1);
    const store = createAppStore({ source: { kind: 'store', path: file }, viewport: { rows: ROWS, columns: COLS } });
    store.getState().loaded(loaded.state, p, Date.now());
    const t2 = now();
    const r = render(createElement(App, { store, color: false }));
    Object.defineProperty(r.stdout, 'rows', { value: ROWS, configurable: true });
    Object.defineProperty(r.stdout, 'columns', { value: COLS, configurable: true });
    r.stdout.emit('resize');
    while (!(r.lastFrame() ?? '').includes('HEALTH')) await new Promise((res) => setImmediate(res));
    const tFirst = ms(t2);
    const track = (x) => {
      tallest = Math.max(tallest, x.f.split('\n').length);
      return x.t;
    };
    // The slots view of the biggest pool: the longest list.
    const tSlotsFirst = track(await frameAfter(r, '2', (f) => f.includes('AGENT_NAME')));
    const tJ = [];
    for (let i = 0; i < 20; i++) tJ.push(track(await frameAfter(r, 'j')));
    const tPg = track(await frameAfter(r, '\u001b[6~'));
    const tG = track(await frameAfter(r, 'G'));
    r.stdin.write('/');
    await frameAfter(r, null).catch(() => 0);
    const tFilter = track(await frameAfter(r, '7'));
    r.stdin.write('\u001b');
    await new Promise((res) => setTimeout(res, 30));
    const tAliasesFirst = track(await frameAfter(r, '3', (f) => f.includes('HOLDER')));
    const tBack = track(await frameAfter(r, '2', (f) => f.includes('AGENT_NAME')));
    r.unmount();
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    results.push({
      beads: n,
      load: tLoad,
      plan: tPlan,
      firstFrame: tFirst,
      slotsFirst: tSlotsFirst,
      j: median(tJ),
      pgdn: tPg,
      G: tG,
      filterKey: tFilter,
      aliasesFirst: tAliasesFirst,
      viewBack: tBack,
      tallest,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : String(v));
if (results.length > 0) {
  const keys = Object.keys(results[0]);
  console.log(`terminal ${COLS}×${ROWS} (frames must be ≤ ${ROWS - 1} lines); times in ms`);
  console.log(keys.join('\t'));
  for (const r of results) console.log(keys.map((k) => fmt(r[k])).join('\t'));
}
if (results.length >= 2) {
  const a = results[0];
  const b = results[results.length - 1];
  const ratio = (k) => (b[k] / Math.max(a[k], 0.01)).toFixed(2);
  console.log(
    `ratios ${b.beads}/${a.beads} beads (${(b.beads / a.beads).toFixed(0)}× data): j ${ratio('j')}×, PgDn ${ratio('pgdn')}×, G ${ratio('G')}×, view switch back ${ratio('viewBack')}×, plan ${ratio('plan')}×`,
  );
}
// ---------------------------------------------------------------- responsiveness while working

/** The longest delay of a 10 ms interval timer while it runs: how long the event loop was blocked. */
function stallMeter() {
  let last = performance.now();
  let max = 0;
  const t = setInterval(() => {
    const at = performance.now();
    max = Math.max(max, at - last - 10);
    last = at;
  }, 10);
  return () => {
    clearInterval(t);
    return Math.max(max, performance.now() - last - 10);
  };
}

const selectedRow = (f) => (f ?? '').split('\n').find((l) => l.startsWith('>')) ?? '';

/**
 * Run `work`, press `j` 150 ms into it, and measure the stall over the whole of it (plus 300 ms for the
 * frame of its result) and how long the `j` took to move the cursor on screen.
 */
async function duringWork(r, work) {
  const stop = stallMeter();
  let keyMs = null;
  const before = selectedRow(r.lastFrame());
  const start = performance.now();
  const key = (async () => {
    await new Promise((res) => setTimeout(res, 150));
    // Timed from when the user pressed it (150 ms in), not from when a blocked loop got round to it.
    const pressedAt = start + 150;
    r.stdin.write('j');
    while (selectedRow(r.lastFrame()) === before) {
      await new Promise((res) => setImmediate(res));
      if (performance.now() - pressedAt > 60_000) return;
    }
    keyMs = performance.now() - pressedAt;
  })();
  const t0 = now();
  await work();
  const total = ms(t0);
  await key;
  await new Promise((res) => setTimeout(res, 300));
  return { stall: stop(), key: keyMs, total };
}

async function stallRun(n, mode) {
  const dir = mkdtempSync(join(tmpdir(), 'gc-tui-bench-stall-'));
  try {
    const file = join(dir, 'store.json');
    writeFileSync(file, JSON.stringify(generateStore({ beads: n })));
    const source = { kind: 'store', path: file };
    const store = createAppStore({ source, operator: 'bench', viewport: { rows: ROWS, columns: COLS } });
    const live = startLive({ store, source, watch: false, patrolMs: 3_600_000, worker: mode === 'worker' });
    await live.ready;
    if (live.jobs.kind !== (mode === 'worker' ? 'worker' : 'in-process')) throw new Error(`wanted ${mode}, got ${live.jobs.kind}`);
    const r = render(createElement(App, { store, services: live.services, color: false }));
    Object.defineProperty(r.stdout, 'rows', { value: ROWS, configurable: true });
    Object.defineProperty(r.stdout, 'columns', { value: COLS, configurable: true });
    r.stdout.emit('resize');
    while (!(r.lastFrame() ?? '').includes('HEALTH')) await new Promise((res) => setImmediate(res));
    // The slots view of the biggest pool, so `j` visibly moves a cursor.
    await frameAfter(r, '2', (f) => f.includes('AGENT_NAME'));
    await live.refresh(); // warm both paths once
    const refresh = await duringWork(r, () => live.refresh());
    const repair =
      store.getState().current.plan.repairs.find((x) => x.kind === 'rollback-stale-create') ?? store.getState().current.plan.repairs[0];
    const approval = await duringWork(r, async () => {
      const res = await approve({ store, services: live.services }, [repair]);
      if (!res || res.applied.length !== 1) throw new Error(`approval of ${repair.id} did not apply: ${store.getState().ui.message?.text}`);
    });
    r.unmount();
    await live.stop();
    return { refresh, approval, repair: repair.id };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

{
  const n = sizes[sizes.length - 1];
  const inProc = await stallRun(n, 'in-process');
  const worker = await stallRun(n, 'worker');
  const row = (name, x) =>
    console.log(
      `${name}\t${x.refresh.total.toFixed(0)}\t${x.refresh.stall.toFixed(0)}\t${fmt(x.refresh.key)}\t${x.approval.total.toFixed(0)}\t${x.approval.stall.toFixed(0)}\t${fmt(x.approval.key)}`,
    );
  console.log(`\nresponsiveness at ${n} beads (ms): a refresh and an approval (${worker.repair}), a j pressed 150 ms in`);
  console.log('where\trefresh\tstall\tj\tapprove\tstall\tj');
  row('in-process', inProc);
  row('worker', worker);
  const ratio = (a, b) => (a / Math.max(b, 0.01)).toFixed(1);
  console.log(
    `stall ratios in-process/worker: refresh ${ratio(inProc.refresh.stall, worker.refresh.stall)}×, approval ${ratio(inProc.approval.stall, worker.approval.stall)}×; ` +
      `j latency ratios: refresh ${ratio(inProc.refresh.key, worker.refresh.key)}×, approval ${ratio(inProc.approval.key, worker.approval.key)}×`,
  );
}

const bad = results.filter((r) => r.tallest > ROWS - 1);
if (bad.length) {
  console.error(`FAIL: a frame taller than the terminal (${bad.map((r) => `${r.beads}: ${r.tallest}`).join(', ')})`);
  process.exit(1);
}
