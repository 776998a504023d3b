#!/usr/bin/env node
/* global process, console, URL, setImmediate, setTimeout */
// Console timings on generated stores (needs `npm run build`). Timing lives here, never in tests.
//   npm run bench            (1 000 and 100 000 beads)
//   node scripts/bench.mjs 5000 100000
// Reports per size: load+plan, first frame, a keystroke (j), PgDn, G, a filter keystroke, a view
// switch, the tallest frame; and the 100k/1k ratio of the keystroke costs (windowing: ~1 expected).
import { rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStore } from './gen-store.mjs';

// As the console runs (src/ui/run.tsx): React's production build, chosen when React first loads.
process.env.NODE_ENV ??= 'production';
const { createElement } = await import('react');
const { render } = await import('ink-testing-library');

const dist = new URL('../dist/', import.meta.url);
const { loadStore } = await import(new URL('store/load-store.js', dist));
const { plan } = await import(new URL('engine/index.js', dist));
const { createAppStore } = await import(new URL('store/app-store.js', dist));
const { App } = await import(new URL('ui/App.js', dist));

const ROWS = 40;
const COLS = 120;
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(1_000, 100_000);

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const now = () => process.hrtime.bigint();

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
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'gc-tui-bench-'));
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
  const track = (x) => { tallest = Math.max(tallest, x.f.split('\n').length); return x.t; };
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
  rmSync(dir, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  results.push({ beads: n, load: tLoad, plan: tPlan, firstFrame: tFirst, slotsFirst: tSlotsFirst, j: median(tJ), pgdn: tPg, G: tG, filterKey: tFilter, aliasesFirst: tAliasesFirst, viewBack: tBack, tallest });
}

const fmt = (v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : String(v));
const keys = Object.keys(results[0]);
console.log(`terminal ${COLS}×${ROWS} (frames must be ≤ ${ROWS - 1} lines); times in ms`);
console.log(keys.join('\t'));
for (const r of results) console.log(keys.map((k) => fmt(r[k])).join('\t'));
if (results.length >= 2) {
  const a = results[0];
  const b = results[results.length - 1];
  const ratio = (k) => (b[k] / Math.max(a[k], 0.01)).toFixed(2);
  console.log(`ratios ${b.beads}/${a.beads} beads (${(b.beads / a.beads).toFixed(0)}× data): j ${ratio('j')}×, PgDn ${ratio('pgdn')}×, G ${ratio('G')}×, view switch back ${ratio('viewBack')}×, plan ${ratio('plan')}×`);
}
const bad = results.filter((r) => r.tallest > ROWS - 1);
if (bad.length) {
  console.error(`FAIL: a frame taller than the terminal (${bad.map((r) => `${r.beads}: ${r.tallest}`).join(', ')})`);
  process.exit(1);
}
