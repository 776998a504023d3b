/* global process, setTimeout, clearTimeout, performance, URL, queueMicrotask */
// The console's interactive figures of issue 9, measured in one child process of scripts/bench.mjs on a
// generated store: the console as `gc-tui --store FILE` runs it (plan worker, file watcher, Ink's own
// render with its frame throttle, not the test renderer's debug mode), on a fake 120×40 terminal.
// A frame is "committed" when Ink calls its `onRender` callback (the frame is then written, synchronously);
// every time below runs from the keystroke (or the end of the outside write) to that callback.
//   - keys: j, PgDn, G and view switches, each pressed once the previous frame is done and Ink's throttle
//     (gc-tui asks for 60 frames a second: mount.tsx) has lapsed, so the time is the console's, not the throttle's;
//   - filter: one character at a time into `/` on the aliases view (the longest list);
//   - outside change: another writer replaces the store (write + rename) changing the state of the bead under
//     the cursor; the time until a frame shows it (debounce, read, plan, rows, render);
//   - plan lands: the same change again while j/k are pressed every 30 ms; the longest wait of a key,
//     from when it was due (a key typed while the loop is blocked waits in the terminal) to its frame.
import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import { renameSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROWS = 40;
const COLS = 120;
/** Past Ink's render throttle (at gc-tui's MAX_FPS of 60, 17 ms), so the next key's frame is not held back by the last one. */
const QUIET_MS = 60;
const KEY_GAP_MS = 30;
const PGDN = '\u001b[6~';
const PGUP = '\u001b[5~';
const ESC = '\u001b';
// eslint-disable-next-line no-control-regex -- the escapes Ink's log-update writes around a frame
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

class FakeStdout extends EventEmitter {
  isTTY = true;
  rows = ROWS;
  columns = COLS;
  constructor(onWrite) {
    super();
    this.write = (s) => {
      onWrite(String(s));
      return true;
    };
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  data = null;
  write(data) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read() {
    const d = this.data;
    this.data = null;
    return d;
  }
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const selectedLine = (f) => f.split('\n').find((l) => l.startsWith('>')) ?? '';

export function p95(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

/**
 * The console mounted as mount.tsx mounts it (Ink's own render, gc-tui's frame rate) on a fake 120×40 terminal:
 * each frame as Ink commits it, with the time of its onRender call and the process's CPU time then.
 */
function onFakeTerminal(api, store, services, firstFrame) {
  const { createElement, inkRender, App, MAX_FPS } = api;
  const frames = [];
  let renderAt = 0;
  let renderCpu = 0;
  const term = { frames, last: '', stdin: new FakeStdin(), instance: null, frameAfter };
  /** Who waits for the next frame (frameAfter). */
  const waiting = new Set();
  const stdout = new FakeStdout((s) => {
    const text = s.replace(ANSI, '');
    if (text.trim() === '') return;
    term.last = text;
    frames.push({ t: renderAt, cpu: renderCpu, text });
    for (const w of [...waiting]) w();
  });
  /**
   * Until the next frame is written, or `ms`. Not a setImmediate loop: that kept one of the machine's CPUs busy while
   * the console worked, and its plan worker got what was left of the other (the frames' times are taken in onRender
   * either way).
   */
  const nextFrame = (ms) =>
    new Promise((res) => {
      const done = () => {
        clearTimeout(timer);
        waiting.delete(done);
        res();
      };
      const timer = setTimeout(done, ms);
      waiting.add(done);
    });
  term.instance = inkRender(createElement(App, { store, services, color: false }), {
    stdout,
    stdin: term.stdin,
    stderr: new FakeStdout(() => undefined),
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: MAX_FPS,
    onRender: () => {
      renderAt = performance.now();
      renderCpu = cpuMs();
      // As mount.tsx: said once the first frame is written (Ink writes it after this callback).
      if (firstFrame) queueMicrotask(firstFrame);
      firstFrame = undefined;
    },
  });
  /** The first frame committed after frame index `from` whose text passes `ok`. */
  async function frameAfter(from, ok, limitMs = 120_000) {
    const t0 = performance.now();
    for (;;) {
      for (let i = from; i < frames.length; i++) if (ok(frames[i].text)) return frames[i];
      from = frames.length;
      const left = limitMs - (performance.now() - t0);
      if (left < 0) throw new Error(`no frame within ${limitMs} ms (last: ${term.last.slice(0, 300)})`);
      await nextFrame(left + 1);
    }
  }
  return term;
}

/**
 * j and k every KEY_GAP_MS on `term`'s console until `done()` says so; each key's wait, from when it was due (a key
 * typed while the loop is blocked waits in the terminal) to the frame that moved the cursor.
 */
async function keysUntil(term, done) {
  const waits = [];
  let due = performance.now();
  let dir = 'j';
  while (!done()) {
    due += KEY_GAP_MS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const from = term.frames.length;
    const before = selectedLine(term.last);
    term.stdin.write(dir);
    dir = dir === 'j' ? 'k' : 'j';
    const { t } = await term.frameAfter(from, (f) => selectedLine(f) !== before);
    waits.push(t - due);
    due = Math.max(due, t);
  }
  return waits;
}

/**
 * The console's state and live reader on `file` as `gc-tui --store FILE` starts them (the plan worker reads at once),
 * with `settled()`: until the rows of the views not on screen, made while the console idles after each read
 * (views/prepare.ts), are done. `live` holds startLive, createAppStore, prepareSnapshot and warmViews (bench-live.js).
 */
function startConsole(live, file, drawsFirstLook = false) {
  const { createAppStore, startLive, prepareSnapshot, warmViews } = live;
  const source = { kind: 'store', path: file };
  const store = createAppStore({ source, readOnly: false, operator: 'bench', viewport: { rows: ROWS, columns: COLS } });
  let warming = Promise.resolve();
  const warm = (snap, onScreen, state) => (warming = warmViews(snap, onScreen, state));
  const settled = async () => {
    for (let w = null; w !== warming; ) await (w = warming);
  };
  return { store, live: startLive({ store, source, prepare: prepareSnapshot, warm, drawsFirstLook }), settled };
}

/**
 * The other writer (bench-writer.mjs) on `file`, changing bead `id`: `loaded` once it has read the store; `write(marker)`
 * resolves once `file`.tmp holds the store with that marker as the bead's state.
 */
function otherWriter(file, id) {
  const p = spawn(process.execPath, [fileURLToPath(new URL('bench-writer.mjs', import.meta.url)), file, id], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: p.stdout })[Symbol.asyncIterator]();
  const answer = async (want) => {
    const { value, done } = await lines.next();
    if (done || value !== want) throw new Error(`the other writer (bench-writer.mjs) said ${done ? 'nothing' : value}, not ${want}`);
  };
  return {
    loaded: answer('loaded'),
    write: async (marker) => {
      p.stdin.write(`${marker}\n`);
      await answer('ready');
    },
    end: () => p.stdin.end(),
  };
}

/**
 * The first read landing at launch: the console started as `gc-tui --store FILE` starts it (run.tsx: the plan worker
 * first, Ink loaded while it reads, mounted as soon as the first look is ready), then j/k every KEY_GAP_MS on the
 * pools view (the one a launch shows; its rows are in the first look) from the first frame until the whole read has
 * landed and the other views' rows are made, and 500 ms more. `apiUrl` is the bench bundle's bench-api.js.
 */
export async function measureFirstLanding(apiUrl, file) {
  // It draws the first look as it comes and says so, as run.tsx does.
  const { store, live, settled } = startConsole(await import(new URL('bench-live.js', apiUrl).href), file, true);
  const ui = import(apiUrl);
  // As run.tsx: the key-to-frame path warmed off screen while the first read is on its way (a build without it skips).
  let shown = false;
  const warming = ui.then((api) => api.warmUp?.({ rows: ROWS, columns: COLS }, () => shown));
  await live.shown;
  shown = true;
  await warming;
  const term = onFakeTerminal(await ui, store, live.services, () => live.firstLookDrawn?.());
  const first = await term.frameAfter(0, (f) => f.includes('HEALTH'));
  let warmAt = null;
  void live.ready.then(async () => {
    await settled();
    warmAt = performance.now();
  });
  const waits = await keysUntil(term, () => warmAt !== null && performance.now() - warmAt > 500);
  term.instance.unmount();
  await live.stop();
  return { waits, warmMs: warmAt - first.t };
}

/**
 * Measure the console on `file`: the times (ms) of { keys: {kind: []}, keysCpu, filter, filterCpu, outside, planLands }.
 * `api` is the bench bundle (test/support/bench-api.ts).
 */
export async function measureConsole(api, file, { outsideReps = 3 } = {}) {
  // Each figure starts once the rows of the views not on screen are made, as an operator's key usually comes (the
  // steady state). Mounted once the first read is in, it draws no first look: the worker holds nothing back for one.
  const { store, live, settled } = startConsole(api, file);
  await live.ready;

  const term = onFakeTerminal(api, store, live.services);
  const { frames, stdin, frameAfter, instance } = term;
  /** Until no frame has been committed for QUIET_MS. */
  async function quiet() {
    for (;;) {
      const n = frames.length;
      await sleep(QUIET_MS);
      if (frames.length === n) return;
    }
  }
  /**
   * Press `key`; until the first frame that passes `ok` (default: any frame that differs from the last one),
   * the wall time and the process's CPU time (the worker is idle then: it is the main thread's).
   */
  async function press(key, ok) {
    await quiet();
    const before = term.last;
    const from = frames.length;
    const c0 = cpuMs();
    const t0 = performance.now();
    stdin.write(key);
    const f = await frameAfter(from, ok ?? ((x) => x !== before));
    return { ms: f.t - t0, cpu: f.cpu - c0 };
  }
  const keys = { j: [], pgdn: [], G: [], view: [] };
  const keysCpu = [];
  const filter = [];
  const filterCpu = [];
  const record = (list, cpuList, x) => {
    list.push(x.ms);
    cpuList.push(x.cpu);
  };

  await frameAfter(0, (f) => f.includes('HEALTH'));
  // Mounted as run.tsx mounts it, once the first read is ready and while the rows are made. Mounting Ink after
  // the warm-up threw away code V8 had optimized during it (the filter's, the tables'), which the console itself
  // never does.
  await settled();
  // GC_TUI_BENCH_ONLY=filter: only the filter figure, typed GC_TUI_BENCH_FILTER_REPS times (a quicker A/B run).
  if (process.env.GC_TUI_BENCH_ONLY === 'filter') {
    await press('3', (f) => f.includes('HOLDER'));
    for (let i = 0; i < Number(process.env.GC_TUI_BENCH_FILTER_REPS ?? 1); i++) {
      await press('/');
      for (const ch of 'builder-12') record(filter, filterCpu, await press(ch));
      await press('\r');
      await press(ESC);
    }
    instance.unmount();
    await live.stop();
    return { keys, keysCpu, filter, filterCpu, outside: [], planLands: { waits: [], landedMs: null } };
  }
  // GC_TUI_BENCH_ONLY=outside: only the outside changes and the plan landing, on the slots view (a quicker A/B run).
  if (process.env.GC_TUI_BENCH_ONLY === 'outside') await press('2', (f) => f.includes('AGENT_NAME'));
  else await keysAndFilter();
  async function keysAndFilter() {
    // The slots view of the first pool, built for the first time: a view switch like the others.
    record(keys.view, keysCpu, await press('2', (f) => f.includes('AGENT_NAME')));
    // Each key moves the cursor (the frame's selected line changes): PgDn/PgUp and G/g alternate, so none
    // is pressed at the end of the list, where nothing would change.
    const moved = (before) => (f) => selectedLine(f) !== selectedLine(before);
    const move = async (kind, key) => record(keys[kind], keysCpu, await press(key, moved(term.last)));
    for (let i = 0; i < 20; i++) await move('j', 'j');
    for (let i = 0; i < 10; i++) await move('pgdn', i % 2 ? PGUP : PGDN);
    for (let i = 0; i < 4; i++) await move('G', i % 2 ? 'g' : 'G');
    for (const [k, marker] of [
      ['3', 'HOLDER'],
      ['4', 'CAPS'],
      ['2', 'AGENT_NAME'],
      ['1', 'BOUND'],
      ['3', 'HOLDER'],
      ['2', 'AGENT_NAME'],
    ])
      record(keys.view, keysCpu, await press(k, (f) => f.includes(marker)));

    // The filter, on the aliases view (every name every open session claims).
    record(keys.view, keysCpu, await press('3', (f) => f.includes('HOLDER')));
    await press('/');
    for (const ch of 'builder-12') record(filter, filterCpu, await press(ch));
    await press('\r');
    await press(ESC);
    await press('2', (f) => f.includes('AGENT_NAME'));
  }

  // Outside changes: the state of the bead under the cursor of the slots view, replaced by a marker. The other
  // writer is a process of its own (bench-writer.mjs): its parsed store and its text are not the console's memory.
  const writer = otherWriter(file, store.getState().ui.cursors.slots.key);
  await writer.loaded;
  let n = 0;
  const change = async () => {
    const marker = `zq${String(++n).padStart(4, '0')}`;
    // Written beside the store before the clock starts: it is the other writer's work, not the console's.
    await writer.write(marker);
    return { marker, write: () => renameSync(`${file}.tmp`, file) };
  };
  const outside = [];
  for (let i = 0; i < outsideReps; i++) {
    const c = await change();
    await settled();
    await quiet();
    await sleep(400);
    const from = frames.length;
    c.write();
    const t0 = performance.now();
    outside.push((await frameAfter(from, (f) => f.includes(c.marker))).t - t0);
  }

  // A plan landing while keys are pressed.
  const c = await change();
  writer.end();
  await settled();
  await quiet();
  await sleep(400);
  c.write();
  const written = performance.now();
  let landed = null;
  const waits = await keysUntil(term, () => {
    if (landed === null) {
      const hit = frames.find((f) => f.t >= written && f.text.includes(c.marker));
      if (hit) landed = hit.t - written;
    }
    if (landed === null && performance.now() - written > 120_000) throw new Error('the plan did not land within 120 s');
    return landed !== null && performance.now() - written > landed + 500;
  });

  instance.unmount();
  await live.stop();
  return { keys, keysCpu, filter, filterCpu, outside, planLands: { waits, landedMs: landed } };
}
