// Drift over time: the console records a sample per refresh that changes the figures (not while idle, not in
// read-only), the header draws each count's sparkline in the room its figures leave, and the trend view plots
// the history, earlier runs apart from this one, at every test size.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { recordTrend } from '../../src/console/trend.js';
import { createAppStore, type AppStore } from '../../src/console/state.js';
import { plan } from '../../src/engine/index.js';
import { sampleOf, type MetricsSample } from '../../src/store/metrics-sample.js';
import type { Source } from '../../src/store/types.js';
import { trendLines } from '../../src/ui/trend/chart.js';
import { NOW } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, SIZES, waitForView, type Harness } from './render.js';
import { lines } from '../support/frame-lines.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const text = (l: { text: string }[]) => l.map((p) => p.text).join('');

/** Samples `i` minutes after NOW, the repairs given, the findings and kinds of the demo plan. */
function samples(repairs: number[], session: string, from = 0): MetricsSample[] {
  const p = plan(demoState(), NOW);
  return repairs.map((r, i) => ({ ...sampleOf(p, new Date(NOW.getTime() + (from + i) * 60_000), session, 0), repairs: r }));
}

const EARLIER = samples([2, 4, 9, 12, 15], 'earlier1');
const THIS_RUN = samples([15, 30, 43, 20, 8, 3], 'thisrun1', 5);

function storeWithTrend(columns: number, rows: number): AppStore {
  const store = storeWith(demoState(), { columns, rows });
  store.getState().setTrend({ samples: [...EARLIER, ...THIS_RUN], session: 'thisrun1' });
  return store;
}

describe('the console records the figures', () => {
  function live(readOnly = false): { store: AppStore; source: Source; file: string } {
    const path = write(join(tempDir(), 'city.json'), '{}\n');
    const store = createAppStore({ source: { kind: 'store', path }, readOnly });
    return { store, source: { kind: 'store', path }, file: `${path}.metrics.jsonl` };
  }

  test('one line per plan whose figures changed; the same figures again add nothing', () => {
    const { store, source, file } = live();
    const stop = recordTrend(store, source, { session: 'run-a' });
    const state = demoState();
    const p = plan(state, NOW);
    store.getState().loaded(state, p, NOW.getTime());
    store.getState().loaded(state, plan(state, NOW), NOW.getTime() + 1000);
    store.getState().replanned(plan(state, NOW), NOW.getTime() + 2000);
    const fewer = { ...state, beads: state.beads.filter((b) => b.id !== 'fe-dup') };
    store.getState().loaded(fewer, plan(fewer, NOW), NOW.getTime() + 3000);
    stop();
    const written = readFileSync(file, 'utf8').trim().split('\n');
    expect(written).toHaveLength(2);
    expect(store.getState().trend.samples.map((s) => s.repairs)).toEqual([p.repairs.length, plan(fewer, NOW).repairs.length]);
    expect(JSON.parse(written[1])).toMatchObject({ session: 'run-a', time: '2026-05-06T02:13:03Z' });
    // The run started with its first sample, and says so whatever a filter or the cap later leaves of its samples.
    expect(store.getState().trend.since).toBe(JSON.parse(written[0]).time);
  });

  test('approvals add a sample with the plan of what they wrote, not one each as they land', () => {
    const { store, source, file } = live();
    const stop = recordTrend(store, source, { session: 'run-c' });
    const state = demoState();
    store.getState().loaded(state, plan(state, NOW), NOW.getTime());
    const p = store.getState().current!.plan;
    for (const r of p.repairs.slice(0, 3)) store.getState().setOutcome(r.id, { result: 'applied', text: '', repair: r, at: NOW.getTime() });
    expect(store.getState().trend.samples).toHaveLength(1);
    store.getState().adopt(state, plan(state, NOW), NOW.getTime() + 5000);
    stop();
    expect(store.getState().trend.samples.map((s) => s.decided.applied)).toEqual([0, 3]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  test('a later run starts from what earlier runs left, and read-only writes nothing', () => {
    const { store, source, file } = live(true);
    write(file, EARLIER.map((s) => JSON.stringify(s)).join('\n') + '\nnot a sample\n');
    const stop = recordTrend(store, source, { session: 'run-b' });
    const state = demoState();
    store.getState().loaded(state, plan(state, NOW), NOW.getTime());
    stop();
    expect(store.getState().trend).toMatchObject({ skipped: 1, session: 'run-b', error: null });
    expect(store.getState().trend.samples.map((s) => s.session)).toEqual([...EARLIER.map(() => 'earlier1'), 'run-b']);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(EARLIER.length + 1);
    const none = live(true);
    recordTrend(none.store, none.source)();
    expect(existsSync(none.file)).toBe(false);
  });
});

describe('the trend chart', () => {
  test('plots repairs with its axis labels, last value, and the runs marked apart', () => {
    const out = trendLines({ samples: [...EARLIER, ...THIS_RUN], session: 'thisrun1', skipped: 0, error: null, readOnly: false }, 40, 30);
    const t = out.map(text);
    expect(t[0]).toBe('11 samples, 2 console runs (times UTC) · this run since 05-06 02:18: solid axis · earlier runs: dotted');
    expect(t[1]).toBe('repairs last 3  min 2  max 43  first 2');
    const plotRows = t.slice(2, 2 + 8);
    // 11 samples in the 36 columns left of the axis: three columns each, the plot as wide as they fill.
    expect(plotRows[0]).toBe(`43 ┤${' '.repeat(21)}███${' '.repeat(9)}`);
    expect(plotRows[7]).toBe(' 0 ┤▃▃▃▆▆▆████████████████████████▄▄▄');
    expect(plotRows[6]).toBe('   │      ▅▅▅██████████████████▄▄▄   ');
    // The run's start marked once, under the first column of its first sample.
    expect(t[10]).toBe(`   └${'┄'.repeat(15)}┴${'─'.repeat(17)}`);
    // The last time ends under the plot's last column.
    expect(t[11]).toBe('    05-06 02:13           05-06 02:23');
  });

  test('a few samples fill the plot; times within one minute are told apart to the second; a narrow axis drops the date', () => {
    const p = plan(demoState(), NOW);
    const secondsApart = [3, 5].map((r, i) => ({ ...sampleOf(p, new Date(NOW.getTime() + i * 4000), 'run', 0), repairs: r }));
    const t = trendLines({ samples: secondsApart, session: 'run', skipped: 0, error: null, readOnly: false }, 30, 14).map(text);
    expect(t[1]).toBe('repairs last 5  min 3  max 5  first 3');
    expect(t[2]).toBe(`5 ┤${'▂'.repeat(13)}${'█'.repeat(13)}`);
    expect(t[4]).toBe(`  └${'─'.repeat(26)}`);
    expect(t[5]).toBe('   02:13:00          02:13:04');
    const wide = trendLines({ samples: secondsApart, session: 'run', skipped: 0, error: null, readOnly: false }, 60, 14).map(text);
    expect(wide[5]).toBe(`   05-06 02:13:00${' '.repeat(28)}05-06 02:13:04`);
    // The plots' rows, axes and times fit (the titles and summary are cut by the pane, truncate-end).
    const drawn = (lines: string[]) => lines.filter((l) => /[┤│└]/.test(l) || /^ {2,}\d/.test(l));
    for (const line of drawn(t)) expect(line.length).toBeLessThanOrEqual(30);
    for (const line of drawn(wide)) expect(line.length).toBeLessThanOrEqual(60);
  });

  test('says there is nothing yet, and why the history is not kept', () => {
    const t = trendLines({ samples: [], session: 'x', skipped: 0, error: 'is a symbolic link', readOnly: false }, 80, 10).map(text);
    expect(t).toEqual([
      'No samples yet: the figures are recorded on every refresh that changes them.',
      'history not kept: is a symbolic link',
    ]);
  });
});

describe.each(SIZES)('at %i×%i', (columns, rows) => {
  test('the header keeps its counts and draws their sparklines only in the room left; the trend view fits', async () => {
    const app = (h = renderApp(storeWithTrend(columns, rows)));
    let f = await app.waitForFrame((x) => lines(x)[1]?.includes('findings') || lines(x)[1]?.includes('fnd'), 'the figures');
    expectFits(f, columns, rows, 'the header');
    const p = app.store.getState().current!.plan;
    const figures = lines(f)[1];
    expect(figures).toMatch(new RegExp(`(repairs|rep) ${p.repairs.length}\\b`));
    expect(figures).toMatch(new RegExp(`(findings|fnd) ${p.findings.length}\\b`));
    // The last samples of each count, scaled to their highest, after the count when the figures leave room.
    if (columns === 200) expect(figures).toContain(`repairs ${p.repairs.length} ▂▂▂▃▃▃▆█▄▂▂  findings ${p.findings.length} ███████████`);
    if (columns === 100) expect(figures).toContain(`repairs ${p.repairs.length} █▄▂▂  findings ${p.findings.length} ████`);
    if (columns === 80) expect(figures).not.toMatch(/[▁-█]/);
    await app.press('9');
    f = await waitForView(app, 'trend');
    expect(f).toContain('11 samples, 2 console runs');
    expectFits(f, columns, rows, 'the trend view');
    expect(f).toContain('repairs last 3  min 2  max 43  first 2');
    expect(f).toMatch(/└┄+┴─+/);
  });
});

describe('"this run since" is when this console run started', () => {
  test('a filter picks the samples drawn, not that time', async () => {
    const app = (h = renderApp(storeWithTrend(120, 30)));
    await app.press('9');
    let f = await waitForView(app, 'trend');
    expect(f).toContain('this run since 05-06 02:18: solid axis');
    // Only this run's fourth sample matches: the chart draws it alone, and the run still started at 02:18.
    await app.press('/', ...'02:21', KEYS.enter);
    f = await app.waitForFrame((x) => x.includes('filter "02:21"'), 'the filter applied');
    expect(f).toContain('1 sample, 1 console run');
    expect(f).toContain('this run since 05-06 02:18: solid axis');
  });

  test('nor does the cap on the samples kept: the run started before its oldest sample still drawn', async () => {
    const store = storeWithTrend(120, 30);
    // As recordTrend leaves it once this run's first samples left the picture (MAX_TREND_SAMPLES).
    store.getState().setTrend({ samples: THIS_RUN.slice(2), since: '2026-05-06T02:14:00Z' });
    const app = (h = renderApp(store));
    await app.press('9');
    const f = await waitForView(app, 'trend');
    expect(f).toContain('4 samples, 1 console run');
    expect(f).toContain('this run since 05-06 02:14: solid axis');
  });
});

/** The help's every page from `f` (its first), as the operator pages through it with PgDn: their frames joined. */
async function helpPages(app: Harness, f: string): Promise<string> {
  const range = (x: string) => /Keys \((\d+)–(\d+) of (\d+)\)/.exec(x)?.slice(1).map(Number) ?? [];
  let help = f;
  for (;;) {
    const [first, last, total] = range(f);
    if (last === total) return help;
    await app.press(KEYS.pgdn);
    f = await app.waitForFrame((x) => range(x)[0] > first, 'the next help page');
    help += `\n${f}`;
  }
}

describe('the trend view offers only what works on a chart', () => {
  test('its footer has no move or sort; its filter picks the samples the chart plots; its help lists only what works there', async () => {
    const app = (h = renderApp(storeWithTrend(120, 30)));
    await app.press('9');
    let f = await waitForView(app, 'trend');
    const footer = lines(f).at(-1)!;
    expect(footer).toContain('/ filter');
    expect(footer).not.toContain('move');
    expect(footer).not.toContain('sort');
    // A key it does not offer does nothing there: no sort on the bar, no message.
    await app.press('>', 'j', '/', ...'earlier1', KEYS.enter);
    f = await app.waitForFrame((x) => x.includes('filter "earlier1"'), 'the filter applied');
    expect(app.store.getState().ui.sorts.trend).toBeNull();
    // The chart plots the earlier run's 5 samples alone, as `E` would export them.
    expect(f).toContain('5 samples, 1 console run');
    expect(f).toContain('repairs last 15  min 2  max 15  first 2');
    await app.press(KEYS.esc, '/', ...'nomatch', KEYS.enter);
    await app.waitForFrame((x) => x.includes('No samples match "nomatch" (esc clears).'), 'nothing matches');
    await app.press(KEYS.esc, '?');
    f = await app.waitForFrame((x) => x.includes('Keys ('), 'help');
    const help = await helpPages(app, f);
    expect(help).toContain('Everywhere');
    expect(help).toContain('Filter the rows of this view');
    for (const gone of ['Move down one row', 'Sort by the next column', 'Show the raw bead', 'Copy the id', 'not in the trend view'])
      expect(help, gone).not.toContain(gone);
    // Opened from another view, the help lists them, and says they do not work in the trend view.
    await app.press(KEYS.esc, '1', '?');
    f = await helpPages(app, await app.waitForFrame((x) => x.includes('Keys ('), 'help from the pools view'));
    expect(f).toContain('Move down one row (not in the trend view: a chart)');
    expect(f.replace(/\s+/g, ' ')).toMatch(/Show the raw bead .*\(not in the trend view: a chart\)/);
    expect(f).toContain('Copy the id');
  });
});
