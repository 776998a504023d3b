#!/usr/bin/env node
/* global process, console, URL, setTimeout, performance */
// The speed figures of issue 9, each a ratio measured in this one run against a yardstick measured beside
// it, with its target and pass/miss; writes bench/results.json. It builds what it runs (scripts/build.mjs --bench).
// Timing lives here, never in tests.
//   npm run bench                 (100 000 beads; a few minutes)
//   npm run bench -- --quick      (10 000 beads)
//   node scripts/bench.mjs --beads 300000 --reps 5
//   node scripts/bench.mjs --no-console   (the headless figures only)
//   node scripts/bench.mjs --out FILE     (instead of bench/results.json)
//   node scripts/bench.mjs --order ORDER  (the console's store: created, the default; shuffled; id)
// The yardstick is a bare process that only reads and JSON.parses the same file (`node -e`-like, started
// the same way as the measured command): for every headless command the ratio is best-of-reps wall time
// ÷ best-of-reps bare wall time, both alternated so that a busy machine slows both alike. In-process
// figures (plan, validation) are CPU time ÷ the JSON.parse of the same text, in this process.
// The console's keys, filter, outside change and a plan landing are times against their targets (ms), measured
// in a console process at this size and at a tenth of it (scripts/bench-keys.mjs); the smaller is their yardstick.
// Every figure runs on the city written in the order Gas City's file store keeps it (creation order, ids gc-1 … gc-N,
// which do not sort as created: scripts/gen-store.mjs --order); `--order` runs the console's on another order.
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';
import { BroadcastChannel } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
// The parent's helpers (the build with esbuild, the store generator, the console's key figures) are imported where
// they are used: a measured child loads only this file, or its yardstick would carry their ~40 ms of loading too.
const parentHelpers = async () => ({
  ...(await import('./build.mjs')),
  ...(await import('./gen-store.mjs')),
  ...(await import('./bench-keys.mjs')),
});

/** The in-process figures drive the code through one bundled module (built by the parent, see main). */
const benchApi = () => import(process.env.GC_TUI_BENCH_API);
const self = fileURLToPath(import.meta.url);
const NOW = '2026-05-06T02:13:00Z';

// ---------------------------------------------------------------- children
//
// `node scripts/bench.mjs --child MODE OUT ARGS...`: one measured process. It writes what it measured to OUT
// as it exits: its CPU time, its peak RSS, and for the console modes the time from process start.

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function child(mode, out, args) {
  const result = {};
  process.on('exit', () => {
    result.cpuMs ??= cpuMs();
    result.maxRssKiB = process.resourceUsage().maxRSS;
    writeFileSync(out, JSON.stringify(result));
  });
  if (mode === 'bare') {
    JSON.parse(readFileSync(args[0], 'utf8'));
  } else if (mode === 'cli') {
    // The CLI of the bench's own build (beside bench-api.js), so that a stale or missing dist/ cannot be measured.
    const cli = fileURLToPath(new URL('cli.js', process.env.GC_TUI_BENCH_API));
    process.argv = [process.argv[0], cli, ...args];
    await import(cli);
  } else if (mode === 'bare-ink') {
    JSON.parse(readFileSync(args[0], 'utf8'));
    await import('ink');
    result.readyMs = performance.now();
  } else if (mode === 'console') {
    await consoleChild(result, args[0], Number(args[1]));
  } else if (mode === 'landing') {
    const { measureFirstLanding } = await import('./bench-keys.mjs');
    result.measured = await measureFirstLanding(process.env.GC_TUI_BENCH_API, args[0]);
    process.exit(0);
  } else if (mode === 'keys') {
    const { measureConsole } = await import('./bench-keys.mjs');
    result.measured = await measureConsole(await benchApi(), args[0], { outsideReps: Number(args[1]) });
    process.exit(0);
  }
}

/**
 * The console as `gc-tui --store FILE` starts it (run.tsx), on a fake terminal: the plan worker started before Ink is
 * loaded, Ink loaded while the worker reads, the first frame, then idle. With `idleMs`, the CPU of two idle spans:
 * the first `idleMs` from 2 s after the views are made (`idleCpuMs`), and `3 × idleMs` once V8's memory reducer is
 * done (`steadyCpuMs`). The reducer shrinks each thread's heap once, some seconds after a read, when it finds the
 * thread idle: two or three full collections each, up to a second of CPU in all at 100 000 beads, falling inside the
 * first span or after it by when V8's timers fire. The steady span shows what an idle console costs itself (the
 * patrol ticks every 30 s, the header's clock): it starts once both threads have had their reducer's collections
 * and 10 s have gone by without one (at most STEADY_WAIT_MS after the first span, or 12 first spans when they are
 * shorter), and says how many came in it.
 */
async function consoleChild(result, file, idleMs) {
  process.env.NODE_ENV ??= 'production';
  const { createAppStore, startLive, prepareSnapshot, warmViews } = await import(new URL('bench-live.js', process.env.GC_TUI_BENCH_API));
  const reduced = idleMs > 0 ? watchReducer() : null;
  const source = { kind: 'store', path: file };
  const store = createAppStore({ source, readOnly: false, operator: 'bench', viewport: { rows: 40, columns: 120 } });
  let warming = Promise.resolve();
  const live = startLive({
    store,
    source,
    prepare: prepareSnapshot,
    warm: (snap, onScreen, state) => (warming = warmViews(snap, onScreen, state)),
    // As run.tsx: it draws the first look and says so (firstLookDrawn below).
    drawsFirstLook: true,
    // The bench build's own worker, its collections told to this thread (scripts/bench-gc-worker.mjs).
    ...(reduced ? { worker: new URL('bench-gc-worker.mjs', import.meta.url) } : {}),
  });
  const ui = benchApi();
  // As run.tsx: the key-to-frame path warmed off screen while the first read is on its way (a build without it skips).
  let shown = false;
  const warmingUp = ui.then((api) => api.warmUp?.({ rows: 40, columns: 120 }, () => shown));
  // Mounted as run.tsx mounts it: as soon as the first read has something to show (its first look, or all of it).
  await live.shown;
  shown = true;
  await warmingUp;
  const { createElement, render, App } = await ui;
  const r = render(createElement(App, { store, services: live.services, color: false }));
  const t0 = performance.now();
  // Polled a millisecond apart, not in a setImmediate loop: that held one of the two CPUs while the worker read.
  while (!(r.lastFrame() ?? '').includes('HEALTH')) {
    await new Promise((res) => setTimeout(res, 1));
    if (performance.now() - t0 > 300_000) throw new Error('no first frame within 300 s');
  }
  result.readyMs = performance.now();
  // As run.tsx once Ink has written its first frame (an older build has no such call: its worker held the beads itself).
  live.firstLookDrawn?.();
  // Idle: let the rest of the first read land and what it started settle (the other views' rows included), then
  // the CPU of the whole process (worker included).
  await live.ready;
  await warming;
  const madeAt = Date.now();
  await new Promise((res) => setTimeout(res, 2000));
  const idle = async (ms) => {
    const c0 = cpuMs();
    const w0 = performance.now();
    const from = Date.now();
    const rssMiB = process.memoryUsage.rss() / 2 ** 20;
    await new Promise((res) => setTimeout(res, ms));
    return { cpuMs: cpuMs() - c0, wallMs: performance.now() - w0, reductions: reduced.log.filter((g) => g.at >= from).length, rssMiB };
  };
  if (idleMs > 0) {
    const first = await idle(idleMs);
    result.idleCpuMs = first.cpuMs;
    result.idleWallMs = first.wallMs;
    result.idleReductions = first.reductions;
    const waitFrom = performance.now();
    const waited = await reduced.done(Math.min(STEADY_WAIT_MS, 12 * idleMs));
    result.reducer = {
      done: waited,
      waitedMs: performance.now() - waitFrom,
      collections: reduced.log.map((g) => ({ thread: g.thread, sAfterViews: (g.at - madeAt) / 1000, ms: g.ms })),
      rssFirstMiB: first.rssMiB,
    };
    const steady = await idle(3 * idleMs);
    result.steadyCpuMs = steady.cpuMs;
    result.steadyWallMs = steady.wallMs;
    result.steadyReductions = steady.reductions;
    result.reducer.rssSteadyMiB = steady.rssMiB;
  }
  result.cpuMs = cpuMs();
  r.unmount();
  await live.stop();
  process.exit(0);
}

/** How long the steady span waits at most for V8's memory reducer, after the first span (less for a short `--idle-ms`). */
const STEADY_WAIT_MS = 120_000;
/** Quiet after the reducer's last collection before the steady span starts (it spaces them 0.5 to 8 s apart). */
const REDUCER_QUIET_MS = 10_000;

/**
 * The full collections of V8's memory reducer on this thread and the plan worker's (told by bench-gc-worker.mjs),
 * known by the flag V8 starts them with (all external memory); `done(ms)`: true once each thread that has one has had its
 * reducer's collections and none came for REDUCER_QUIET_MS, false if `ms` went by first.
 */
function watchReducer() {
  const log = [];
  const isReducer = (flags) => (flags & perfConstants.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY) !== 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.detail.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR && isReducer(e.detail.flags))
        log.push({ thread: 'main', at: performance.timeOrigin + e.startTime, ms: e.duration });
  }).observe({ entryTypes: ['gc'] });
  const told = new BroadcastChannel('gc-tui-bench-gc');
  told.unref();
  told.onmessage = ({ data }) => {
    if (isReducer(data.flags)) log.push({ thread: data.thread, at: data.at, ms: data.ms });
  };
  const done = async (ms) => {
    const until = performance.now() + ms;
    for (;;) {
      const last = Math.max(...log.map((g) => g.at));
      const count = (t) => log.filter((g) => g.thread === t).length;
      // The worker's heap is made without a reducer (src/console/worker/channel.ts): none there is done; an older
      // build's, once begun, makes two or three.
      const both = count('main') >= 2 && count('worker') !== 1;
      if (both && Date.now() - last >= REDUCER_QUIET_MS) return true;
      if (performance.now() >= until) return false;
      await new Promise((res) => setTimeout(res, 500));
    }
  };
  return { log, done };
}

// ---------------------------------------------------------------- the parent

/** Run one child; resolves to its wall time (from spawn to exit, measured here) and what it reported. */
function run(mode, args, { stdout = '/dev/null', cwd } = {}) {
  const out = join(work, `child-${process.pid}-${runs++}.json`);
  const t0 = process.hrtime.bigint();
  const fd = openSync(stdout, 'w');
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...childFlags(mode), self, '--child', mode, out, ...args], {
      cwd,
      stdio: ['ignore', fd, 'pipe'],
      env: childEnv(mode),
    });
    closeSync(fd);
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      let reported;
      try {
        reported = JSON.parse(readFileSync(out, 'utf8'));
      } catch {
        reject(new Error(`${mode} ${args.join(' ')} exited ${code} without a report: ${stderr.slice(0, 2000)}`));
        return;
      }
      // check and apply exit 1 on drift, by contract; 2 is an error.
      if (code !== 0 && code !== 1) reject(new Error(`${mode} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`));
      else resolve({ wallMs, ...reported });
    });
  });
}

/**
 * Production React, and no CI variables: on CI Ink writes no frame until the end (is-in-ci), and the console
 * figures time frames.
 */
function childEnv(mode) {
  // gc-tui's own processes start as its command starts them (bin/gc-tui); the yardsticks as a bare node does.
  const env = { ...process.env, ...(mode.startsWith('bare') ? {} : launchEnv()), NODE_ENV: 'production' };
  for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
  return env;
}

/** What bin/gc-tui sets before it starts node (its `export NAME="${NAME:-value}"` lines), read from it. */
function launchEnv() {
  const text = readFileSync(new URL('../bin/gc-tui', import.meta.url), 'utf8');
  const env = {};
  for (const m of text.matchAll(/^export (\w+)="\$\{\1:-([^}]*)\}"$/gm)) env[m[1]] = process.env[m[1]] || m[2];
  if (Object.keys(env).length === 0) throw new Error('bin/gc-tui sets nothing the bench can read');
  return env;
}

/** The node flags bin/gc-tui starts gc-tui with (its `exec node FLAGS "…/dist/cli.js"` line), for gc-tui's own processes. */
function childFlags(mode) {
  if (mode.startsWith('bare')) return [];
  const line = readFileSync(new URL('../bin/gc-tui', import.meta.url), 'utf8').match(/^exec node ((?:--[\w-]+(?:=\S+)? )*)"/m);
  if (!line) throw new Error('bin/gc-tui has no `exec node` line the bench can read');
  return line[1].split(' ').filter(Boolean);
}

let work = '';
let runs = 0;

function argValue(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
}

/** The order of the headless figures' store: Gas City's file store's (before 2026-12-05's fifth round, id order). */
const HEADLESS_ORDER = 'created';

/** What the header says of a store's order (gen-store.mjs --order). */
const ORDER_NOTES = {
  created: " (as Gas City's file store keeps it: ids gc-1 … gc-N, not in id order)",
  shuffled: " (an order fixed by the seed, none of the ids')",
  id: ' (sorted by id, as no Gas City store is kept)',
};

/** The 1, 5 and 15 minute load averages. */
const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(' ');
const fmtX = (v) => (v === null || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(2)}×`);
/** A figure's value in its unit: a ratio (×) unless the figure says otherwise. */
const show = (v, unit) => (unit ? (v === null || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(2)} ${unit}`) : fmtX(v));

async function main() {
  const { benchBuildDir, buildPackage, generateStore } = await parentHelpers();
  const quick = process.argv.includes('--quick');
  const beads = Number(argValue('--beads', quick ? '10000' : '100000'));
  const reps = Number(argValue('--reps', quick ? '3' : '3'));
  const idleMs = Number(argValue('--idle-ms', quick ? '5000' : '10000'));
  const noConsole = process.argv.includes('--no-console');
  const order = argValue('--order', 'created');
  work = mkdtempSync(join(tmpdir(), 'gc-tui-bench-'));
  const apiDir = benchBuildDir();
  process.on('exit', () => rmSync(apiDir, { recursive: true, force: true }));
  await buildPackage(apiDir, { bench: true });
  process.env.GC_TUI_BENCH_API = pathToFileURL(join(apiDir, 'bench-api.js')).href;
  try {
    const file = join(work, 'store.json');
    // Written as the generator writes it (compact, one line), as in the issue's measurements.
    writeFileSync(file, JSON.stringify(generateStore({ beads, order: HEADLESS_ORDER })));
    const size = statSync(file).size;
    const started = new Date();
    // The machine's load at the start and the end: the figures near their targets move with it (2 CPUs shared).
    const loadStart = loadavg();
    console.log(
      `gc-tui bench: ${beads} beads, ${(size / 2 ** 20).toFixed(1)} MiB store, best of ${reps}; node ${process.version}, ${cpus().length} CPUs, load average ${fmtLoad(loadStart)}`,
    );
    console.log(`the headless figures on the city in ${HEADLESS_ORDER} order${ORDER_NOTES[HEADLESS_ORDER]}`);
    if (!noConsole)
      console.log(
        `the console's figures on the same city in ${order} order${order === HEADLESS_ORDER ? ', the same file' : (ORDER_NOTES[order] ?? '')}`,
      );

    const figures = [];
    const add = (f) => {
      figures.push(f);
      const pass = f.value === null ? 'n/a ' : f.value <= f.target ? 'pass' : 'MISS';
      const cpu = f.cpu === undefined ? '' : `, CPU ${show(f.cpu, f.unit)}`;
      console.log(
        `${pass}  ${f.name}: ${show(f.value, f.unit)}${cpu} (target ≤ ${show(f.target, f.unit)})${f.detail ? `  ${f.detail}` : ''}`,
      );
    };

    // In-process: plan and validation, CPU time against the JSON.parse of the same text.
    const inproc = await planAndValidation(file, reps);
    // The console reads the city as Gas City writes it: not in id order (the console orders nothing it can be sent in
    // order), the headless figures' file unless `--order` asks for another. Another is made after the in-process
    // figures, whose process it would leave another city's garbage and a larger heap.
    const consoleFile = order === HEADLESS_ORDER ? file : join(work, 'console-store.json');
    if (!noConsole && consoleFile !== file) writeFileSync(consoleFile, JSON.stringify(generateStore({ beads, order })));
    const consoleSize = noConsole ? 0 : statSync(consoleFile).size;
    add({
      key: 'plan',
      name: 'plan alone ÷ JSON.parse (CPU, in process)',
      value: inproc.plan / inproc.parse,
      target: 0.5,
      // Each round's plan too: the first runs the engine's code unoptimized, and a process's first plans pay for
      // compiling it (a re-plan in a running console does not).
      // The process's CPU counts V8's background threads too (compiling the engine's code while it runs): the plan's
      // own wall time beside it says how much of the figure is the plan's thread. What it started runs on after it
      // returns (a compile finishing) is counted in it, until the process is quiet (settle()); its most is shown.
      detail: `plan ${inproc.plan.toFixed(0)} ms (rounds ${inproc.plans.map((p) => p.toFixed(0)).join(', ')}; wall ${inproc.planWall.toFixed(0)} ms; of a round, up to ${inproc.after.plan.toFixed(0)} ms after it returned), JSON.parse ${inproc.parse.toFixed(0)} ms (and up to ${inproc.after.parse.toFixed(0)} ms after it returned, not counted)`,
    });
    add({
      key: 'validation',
      name: 'validation of the store ÷ JSON.parse (CPU, in process)',
      value: inproc.validate / inproc.parse,
      target: 0.2,
      detail: `validation ${inproc.validate.toFixed(0)} ms (of a round, up to ${inproc.after.validate.toFixed(0)} ms after it returned)`,
    });

    // Headless commands against the bare parse, alternated.
    const best = {};
    const keep = (k, r) => {
      const b = (best[k] ??= { wallMs: Infinity, cpuMs: Infinity, maxRssKiB: 0 });
      b.wallMs = Math.min(b.wallMs, r.wallMs);
      b.cpuMs = Math.min(b.cpuMs, r.cpuMs);
      b.maxRssKiB = Math.max(b.maxRssKiB, r.maxRssKiB);
    };
    const applyFile = join(work, 'apply', 'store.json');
    mkdirSync(join(work, 'apply'));
    const commands = {
      check: ['check', '--json', '--store', file, '--now', NOW],
      csv: ['export', '--format', 'csv', '--store', file, '--now', NOW],
      md: ['export', '--format', 'md', '--store', file, '--now', NOW],
      json: ['export', '--format', 'json', '--store', file, '--now', NOW],
      apply: ['apply', '--all', '--yes', '--store', applyFile, '--now', NOW, '--by', 'bench'],
    };
    for (let i = 0; i < reps; i++) {
      for (const [k, args] of Object.entries(commands)) {
        keep('bare', await run('bare', [file]));
        if (k === 'apply') {
          rmSync(join(work, 'apply'), { recursive: true, force: true });
          mkdirSync(join(work, 'apply'));
          copyFileSync(file, applyFile);
        }
        keep(k, await run('cli', args));
      }
    }
    const bare = best.bare;
    const vsBare = (k) => best[k].wallMs / bare.wallMs;
    const detail = (k) => `${best[k].wallMs.toFixed(0)} ms vs bare ${bare.wallMs.toFixed(0)} ms`;
    const cpuVsBare = (k) => best[k].cpuMs / bare.cpuMs;
    add({
      key: 'check',
      name: '`check --json` ÷ bare parse',
      value: vsBare('check'),
      cpu: cpuVsBare('check'),
      target: 1.5,
      detail: detail('check'),
    });
    add({
      key: 'apply',
      name: '`apply --all` ÷ bare parse',
      value: vsBare('apply'),
      cpu: cpuVsBare('apply'),
      target: 3,
      detail: detail('apply'),
    });
    for (const f of ['csv', 'md', 'json'])
      add({
        key: `export-${f}`,
        name: `\`export --format ${f}\` ÷ bare parse`,
        value: vsBare(f),
        cpu: cpuVsBare(f),
        target: 2.5,
        detail: detail(f),
      });
    add({
      key: 'check-rss',
      name: 'peak RSS ÷ file size, check',
      value: (best.check.maxRssKiB * 1024) / size,
      target: 4,
      detail: `${(best.check.maxRssKiB / 1024).toFixed(0)} MiB (bare parse ${((bare.maxRssKiB * 1024) / size).toFixed(2)}×)`,
    });

    // The console: launch → first frame against bare parse + bare import('ink'); then idle CPU and peak RSS.
    let yard = Infinity;
    let con = null;
    for (let i = 0; i < (noConsole ? 0 : Math.min(reps, 2)); i++) {
      yard = Math.min(yard, (await run('bare-ink', [consoleFile])).readyMs);
      const c = await run('console', [consoleFile, String(i === 0 ? idleMs : 0)]);
      if (!con) con = c;
      else con.readyMs = Math.min(con.readyMs, c.readyMs);
    }
    if (con)
      add({
        key: 'console-first-frame',
        name: 'console launch → first frame ÷ (bare parse + bare `import("ink")`)',
        value: con.readyMs / yard,
        target: 2,
        detail: `${con.readyMs.toFixed(0)} ms vs ${yard.toFixed(0)} ms (from process start, headless: ink-testing-library)`,
      });
    // Idle: the console settled (V8's memory reducer done on both threads), and the first span after the views are
    // made, where that one-time shrinking of the heaps often falls (consoleChild).
    if (con) {
      const per10s = (cpu, wall) => (cpu / wall) * 10;
      const red = con.reducer;
      const byThread = (t) => red.collections.filter((g) => g.thread === t);
      const when = (gs) => (gs.length ? `${gs.length} at ${gs.map((g) => g.sAfterViews.toFixed(0)).join(', ')} s` : 'none');
      add({
        key: 'idle-cpu',
        name: 'console CPU while idle, settled, s per 10 s',
        value: per10s(con.steadyCpuMs, con.steadyWallMs),
        unit: 's',
        target: 0.1,
        detail: `${con.steadyCpuMs.toFixed(0)} ms CPU over ${(con.steadyWallMs / 1000).toFixed(1)} s (main thread, worker, watcher), from ${(red.waitedMs / 1000 + idleMs / 1000 + 2).toFixed(0)} s after the views were made${red.done ? '' : ' (V8 had not finished reducing within the wait)'}; reducer collections in it: ${con.steadyReductions}`,
      });
      add({
        key: 'idle-cpu-first',
        name: `console CPU while idle, first ${idleMs / 1000} s after the views are made, s per 10 s`,
        value: per10s(con.idleCpuMs, con.idleWallMs),
        unit: 's',
        target: 0.1,
        detail: `${con.idleCpuMs.toFixed(0)} ms CPU over ${(con.idleWallMs / 1000).toFixed(1)} s from 2 s after; V8's memory reducer collections in it: ${con.idleReductions} (main thread ${when(byThread('main'))}, worker ${when(byThread('worker'))} after the views were made; RSS ${red.rssFirstMiB.toFixed(0)} → ${red.rssSteadyMiB.toFixed(0)} MiB)`,
      });
    }
    if (con)
      add({
        key: 'console-rss',
        name: 'peak RSS ÷ file size, console',
        value: (con.maxRssKiB * 1024) / consoleSize,
        target: 8,
        detail: `${(con.maxRssKiB / 1024).toFixed(0)} MiB`,
      });
    // The console's keys, filter, outside change and a plan landing (scripts/bench-keys.mjs), at this size and
    // at 10 000 beads (a tenth of it under 100 000): the smaller run is the yardstick of the key figures
    // (a windowed list costs the same whatever it holds) and gives the 10 000-bead outside-change figure.
    if (!noConsole) await consoleFigures(add, consoleFile, beads, reps, order);

    const results = {
      date: started.toISOString(),
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: {
        nproc: cpus().length,
        cpu: cpus()[0]?.model ?? '',
        loadAverage: { start: loadStart, end: loadavg() },
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
      },
      beads,
      order: HEADLESS_ORDER,
      fileBytes: size,
      ...(noConsole ? {} : { console: { order, fileBytes: consoleSize } }),
      reps,
      yardstick: {
        bareParseWallMs: bare.wallMs,
        bareParseCpuMs: bare.cpuMs,
        bareParseInkMs: con ? yard : null,
        jsonParseCpuMs: inproc.parse,
      },
      figures: figures.map((f) => ({ ...f, pass: f.value !== null && f.value <= f.target })),
    };
    const dir = fileURLToPath(new URL('../bench/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const out = argValue('--out', join(dir, 'results.json'));
    writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
    console.log(`\n${markdown(results)}`);
    console.log(`written: ${out}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The README's table. */
function markdown(r) {
  const lines = [
    `${r.date.slice(0, 10)}, ${r.beads} beads (${(r.fileBytes / 2 ** 20).toFixed(1)} MiB), ${r.machine.nproc} CPUs (${r.machine.cpu}), node ${r.machine.node}, load average ${fmtLoad(r.machine.loadAverage.start)} → ${fmtLoad(r.machine.loadAverage.end)}; ${r.console && r.console.order !== r.order ? `the headless figures on the beads in ${r.order} order, the console's in ${r.console.order} order` : `the beads in ${r.order} order`}: \`${r.command}\``,
    '',
    '| figure | measured | CPU | target | |',
    '|---|---|---|---|---|',
  ];
  for (const f of r.figures) {
    const cpu = f.cpu === undefined ? '' : show(f.cpu, f.unit);
    lines.push(`| ${f.name} | ${show(f.value, f.unit)} | ${cpu} | ≤ ${show(f.target, f.unit)} | ${f.pass ? 'pass' : 'miss'} |`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- the console's keys

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtMs = (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

async function consoleFigures(add, file, beads, reps, order) {
  const { generateStore, p95 } = await parentHelpers();
  const small = beads > 10_000 ? 10_000 : Math.max(100, Math.floor(beads / 10));
  const smallFile = join(work, 'small.json');
  writeFileSync(smallFile, JSON.stringify(generateStore({ beads: small, order })));
  // Its size before the outside changes rewrite it.
  const size = statSync(file).size;
  const ran = {};
  for (const [n, f] of [
    [small, smallFile],
    [beads, file],
  ])
    ran[n] = await run('keys', [f, String(reps)]);
  const at = Object.fromEntries(Object.entries(ran).map(([n, r]) => [n, r.measured]));
  const big = at[beads];
  const yard = at[small];
  const allKeys = (m) => Object.values(m.keys).flat();
  const perKind = (m) =>
    Object.entries(m.keys)
      .map(([k, xs]) => `${k} ${fmtMs(median(xs))}/${fmtMs(Math.max(...xs))}`)
      .join(', ');
  const vs = (a, b) => `${small} beads ${fmtMs(b)}, ratio ${fmtX(a / b)}`;
  const keyP95 = p95(allKeys(big));
  add({
    key: 'key-frame-p95',
    name: 'key → frame committed, p95 (j, PgDn, G, view switch; Ink onRender)',
    value: keyP95,
    cpu: p95(big.keysCpu),
    unit: 'ms',
    target: 16,
    samples: big.keys,
    detail: `median/max: ${perKind(big)}; ${vs(keyP95, p95(allKeys(yard)))}`,
  });
  const filterP95 = p95(big.filter);
  add({
    key: 'filter-p95',
    name: 'filter, per typed character, p95 (aliases view)',
    value: filterP95,
    cpu: p95(big.filterCpu),
    unit: 'ms',
    target: 30,
    samples: big.filter,
    detail: `per character: ${big.filter.map(fmtMs).join(' ')}; ${vs(filterP95, p95(yard.filter))}`,
  });
  // Targets: 250 ms at 10 000 beads (and under), 2 s above.
  for (const [n, m] of Object.entries(at))
    add({
      key: `outside-change-${n}`,
      name: `outside change → screen, ${n} beads (median)`,
      value: median(m.outside),
      unit: 'ms',
      target: Number(n) <= 10_000 ? 250 : 2000,
      samples: m.outside,
      detail: `runs: ${m.outside.map(fmtMs).join(' ')} (a change is read at the watcher's first event)`,
    });
  const longest = Math.max(...big.planLands.waits);
  add({
    key: 'plan-lands-key-wait',
    name: 'longest key wait while a plan lands',
    value: longest,
    unit: 'ms',
    target: 50,
    samples: big.planLands.waits,
    detail: `${big.planLands.waits.length} keys over ${fmtMs(big.planLands.landedMs)} + 500 ms; ${vs(longest, Math.max(...yard.planLands.waits))}`,
  });
  // The console's memory in use: the peak of the keys child at this size, the console's alone (its other writer is a
  // process of its own); the launch's figure (console-rss) is taken at the first frame and idle.
  const keysPressed = allKeys(big).length;
  add({
    key: 'console-rss-use',
    name: 'peak RSS ÷ file size, console in use (keys, filter, outside changes, a plan landing)',
    value: (ran[beads].maxRssKiB * 1024) / size,
    target: 8,
    detail: `${(ran[beads].maxRssKiB / 1024).toFixed(0)} MiB over ${keysPressed} keys, ${big.filter.length} filter characters, ${big.outside.length} outside changes and a plan landing under ${big.planLands.waits.length} keys`,
  });
  // The first read at launch lands the same way, with more to receive: the whole state, not the beads that changed.
  // Each run's longest wait, of `reps` launches; the figure is their median (one run's longest is one event).
  const launches = [];
  for (let i = 0; i < reps; i++) launches.push((await run('landing', [file])).measured);
  const longestOf = launches.map((m) => Math.max(...m.waits));
  add({
    key: 'first-landing-key-wait',
    name: 'longest key wait while the first read lands (median of launches)',
    value: median(longestOf),
    unit: 'ms',
    target: 50,
    samples: launches.map((m) => m.waits),
    detail: `per launch: ${launches.map((m, i) => `${fmtMs(longestOf[i])} of ${m.waits.length} keys over ${fmtMs(m.warmMs)} + 500 ms`).join('; ')}`,
  });
}

// ---------------------------------------------------------------- in process

/**
 * Waits until this process's CPU stops advancing while its main thread sleeps: the optimizing compiles a measured
 * section started and the sweeping after a gc() run on V8's background threads, and finish after the section has
 * returned. Each in-process section counts them as its own and the next starts once they are done: the validation's
 * compile of scanBeads (75–95 ms of a compiler thread at 100 000 beads) used to land inside the plan that followed
 * it. Returns the CPU spent meanwhile, beyond this thread's sleeping.
 */
async function settle() {
  const start = cpuMs();
  let last = start;
  for (let k = 0; k < 200; k++) {
    await new Promise((res) => setTimeout(res, 10));
    const now = cpuMs();
    if (now - last < 0.5) return now - start;
    last = now;
  }
  return cpuMs() - start;
}

function planAndValidation(file, reps) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  return benchApi().then(async ({ plan, validateStoreDocument }) => {
    const text = readFileSync(file, 'utf8');
    const at = new Date(NOW);
    const best = {
      parse: Infinity,
      plan: Infinity,
      planWall: Infinity,
      validate: Infinity,
      plans: [],
      after: { parse: 0, validate: 0, plan: 0 },
    };
    // gc() then settle() before each section, so that it starts on a quiet process; the plan's and the validation's
    // CPU run until the background work they started (their code's optimizing compiles) is done: that work is
    // theirs. The yardstick's (JSON.parse's) does not: a measured section is charged its tail, the yardstick is not.
    const ready = async () => {
      gc();
      return settle();
    };
    for (let r = 0; r < reps; r++) {
      await ready();
      let c = cpuMs();
      const doc = JSON.parse(text);
      best.parse = Math.min(best.parse, cpuMs() - c);
      // The yardstick is the parse's own call: V8's background work that runs on after it (80–100 ms at 100 000
      // beads, as the bench's parent runs it) is counted neither in it nor in the validation that follows.
      best.after.parse = Math.max(best.after.parse, await settle());
      await ready();
      c = cpuMs();
      validateStoreDocument(doc, file);
      const validateTail = await settle();
      best.validate = Math.min(best.validate, cpuMs() - c);
      best.after.validate = Math.max(best.after.validate, validateTail);
      await ready();
      c = cpuMs();
      const w = performance.now();
      plan({ city: doc.city, beads: doc.beads, decisions: doc.decisions ?? [] }, at);
      best.planWall = Math.min(best.planWall, performance.now() - w);
      const planTail = await settle();
      best.plans.push(cpuMs() - c);
      best.after.plan = Math.max(best.after.plan, planTail);
      best.plan = Math.min(best.plan, best.plans[r]);
    }
    return best;
  });
}

// ---------------------------------------------------------------- entry

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv.slice(5));
} else {
  await main();
}
