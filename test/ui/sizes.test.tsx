// 80×24 is a first-class size: at 80×24, 100×30, 120×40 and 200×50, every view, dialog and prompt fits the
// terminal, keeps the header's counts of repairs and findings, keeps the focused button and what is typed on
// screen, and tells distinct rows apart (names are cut in the middle, so their distinguishing tail shows).
import { afterEach, describe, expect, test } from 'vitest';
import { VIEW_IDS, type ViewId } from '../../src/console/ui-state.js';
import { contentWidths, fitColumns } from '../../src/ui/components/fit-columns.js';
import { figureLine } from '../../src/ui/components/Header.js';
import { viewModel } from '../../src/ui/views/registry.js';
import { cellsIn, truncateMiddle, wrapText } from '../../src/ui/text.js';
import { demoCity, demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, lineOf, renderApp, resizeTerminal, SIZES, waitForView, type Harness } from './render.js';
import { openRepairs, pickRepair } from './review-harness.js';
import { lines, status } from '../support/frame-lines.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const VIEWS = VIEW_IDS.map((view, i) => ({ view, key: String(i + 1) }));
/** Views of rows (the audit log's may repeat; the trend view is a chart: test/ui/trend.test.tsx). */
const OF_ROWS = (view: ViewId) => view !== 'audit' && view !== 'trend';

/** The frame fits the terminal and its header shows the plan's counts of repairs and findings. */
function fits(app: Harness, f: string, columns: number, rows: number, what: string): void {
  expectFits(f, columns, rows, what);
  const plan = app.store.getState().current!.plan;
  const m = /(?:repairs|rep) (\d+)(?: \+\d+(?: new)?)?\s+(?:findings|fnd) (\d+)/.exec(lines(f)[1] ?? '');
  expect(m, `${what} at ${columns}×${rows}: the counts\n${f}`).not.toBeNull();
  expect([Number(m![1]), Number(m![2])]).toEqual([plan.repairs.length, plan.findings.length]);
}

/** The table's row lines: from under the column titles to the first blank line or rule. */
function rowLines(f: string): string[] {
  const out: string[] = [];
  for (const l of lines(f).slice(4)) {
    if (l.trim() === '' || l.startsWith('─')) break;
    out.push(l);
  }
  return out;
}

/** Distinct rows look distinct, and each shows the tail of every name it holds (columns cut in the middle). */
function distinguishable(app: Harness, view: ViewId, f: string, columns: number, what: string): void {
  const shown = rowLines(f);
  expect(new Set(shown).size, `${what}: two rows look alike\n${f}`).toBe(shown.length);
  const vm = viewModel(app.store.getState(), view)!;
  const widths = fitColumns(vm.table.columns, columns - 2, contentWidths(vm.table.columns, vm.table.rows));
  shown.forEach((line, i) => {
    const row = vm.rows[i];
    vm.table.columns.forEach((c, j) => {
      const cell = row.cells[j] ?? '';
      if (c.cut !== 'middle' || widths[j] === 0 || cell === '') return;
      const tail = [...cell].slice(-3).join('');
      expect(line, `${what}: the tail of ${cell}\n${f}`).toContain(tail);
    });
  });
}

describe.each(SIZES)('at %i×%i', (columns, rows) => {
  test('every view fits, keeps the counts, and tells its rows apart', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns, rows })));
    for (const { view, key } of VIEWS) {
      await app.press(key);
      const f = await waitForView(app, view);
      fits(app, f, columns, rows, `view ${view}`);
      if (OF_ROWS(view)) distinguishable(app, view, f, columns, `view ${view}`);
    }
    await app.press('?');
    fits(app, await app.waitForFrame((x) => x.includes('Keys (1–'), 'the help'), columns, rows, 'help');
    await app.press('?', '6', KEYS.enter);
    fits(app, await app.waitForFrame((x) => x.includes('Repair card'), 'the full card'), columns, rows, 'the full card');
  });

  test('the demo city: every view tells its rows apart', async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns, rows })));
    for (const { view, key } of VIEWS) {
      await app.press(key);
      const f = await waitForView(app, view);
      fits(app, f, columns, rows, `demo view ${view}`);
      if (OF_ROWS(view)) distinguishable(app, view, f, columns, `demo view ${view}`);
    }
  });

  test('the demo city: a stale pool_slot says both its value and the owned slot in FLAGS', async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns, rows })));
    await app.press(':', ...'slots frontend/worker', KEYS.enter);
    const f = await app.waitForFrame((x) => x.includes('pool frontend/worker') && x.includes('dc-f2b'), 'the slots of frontend/worker');
    // dc-f2b owns slot 2 (its agent_name) and its pool_slot says 5: `pool_slot 5…` said neither what against.
    expect(lineOf(f, 'dc-f2b')).toContain('pool_slot 5≠2');
    fits(app, f, columns, rows, 'the slots of frontend/worker');
    distinguishable(app, 'slots', f, columns, 'the slots of frontend/worker');
  });

  test('the destructive confirmation shows its question and the focused button', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns, rows })));
    await app.press('6', '/', ...'close-duplicate', KEYS.enter);
    await app.waitForFrame((x) => (lines(x).find((l) => l.startsWith('>')) ?? '').includes('fe-dup'), 'the row');
    await app.press('a');
    let f = await app.waitForFrame((x) => status(x).includes('[ Cancel ]'), 'Cancel focused');
    fits(app, f, columns, rows, 'the confirmation');
    expect(f).toContain('Approve close-duplicate:fe-dup?');
    expect(
      lines(f)
        .map((l) => l.trim())
        .join(' '),
    ).toContain(
      'It closes bead fe-dup: incumbent fe-ok keeps slot 1; nothing else moves; no live work is assigned to this bead. This cannot be undone.',
    );
    expect(status(f)).toMatch(/\[ Cancel \]\s+Approve/);
    await app.press(KEYS.tab);
    f = await app.waitForFrame((x) => status(x).includes('[ Approve ]'), 'Approve focused');
    fits(app, f, columns, rows, 'the confirmation');
    await app.press(KEYS.esc);
    await app.waitForFrame((x) => !x.includes('Approve ]'), 'cancelled');
  });

  test('the prompts keep what is typed in view', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns, rows })));
    await app.press('6');
    await waitForView(app, 'repairs');
    // Most of a long line is put in place at once (typing it key by key is slow); its end is typed.
    const long = 'a reason long enough to outrun any line of the status area '.repeat(4);
    await app.press('r');
    await app.waitForFrame((x) => x.includes('— reason'), 'the reason prompt');
    const { mode } = app.store.getState().ui;
    if (typeof mode === 'object' && mode.kind === 'reason') app.store.getState().patchUi({ mode: { ...mode, text: long } });
    await app.press(...'END42');
    let f = await app.waitForFrame((x) => status(x).includes('END42'), 'the typed reason');
    fits(app, f, columns, rows, 'the reason prompt');
    expect(f).toMatch(/Reject \S+ — reason/);
    await app.press(KEYS.esc);
    const total = app.store.getState().current!.plan.repairs.length;
    await app.press('A', ...String(total));
    f = await app.waitForFrame((x) => status(x).endsWith(`${total}`) || status(x).includes(`: ${total}`), 'the count prompt');
    fits(app, f, columns, rows, 'the count prompt');
    expect(f).toContain(`Type ${total}`);
    expect(f.replace(/\s+/g, ' ')).toContain(`these ${total} repairs`);
    await app.press(KEYS.esc);
    await app.press('e');
    f = await app.waitForFrame((x) => status(x).includes('[ md ]'), 'the export choice');
    fits(app, f, columns, rows, 'the export choice');
    await app.press(KEYS.esc);
    await app.press('/');
    await app.waitForFrame((x) => status(x).startsWith('/'), 'the filter prompt');
    const ui = app.store.getState().ui;
    app.store.getState().patchUi({ filters: { ...ui.filters, [ui.view]: 'x'.repeat(columns) } });
    await app.press(...'END43');
    f = await app.waitForFrame((x) => status(x).includes('END43'), 'the typed filter');
    fits(app, f, columns, rows, 'the filter prompt');
    await app.press(KEYS.esc, ':');
    await app.waitForFrame((x) => status(x).startsWith(':'), 'the command prompt');
    app.store.getState().patchUi({ command: 'y'.repeat(columns) });
    await app.press(...'END44');
    f = await app.waitForFrame((x) => status(x).includes('END44'), 'the typed command');
    fits(app, f, columns, rows, 'the command prompt');
  });
});

describe('a status message at 40 columns', () => {
  for (const rows of [10, 9])
    test(`at 40×${rows} a message too long for a line takes a second one from the list, and the frame still fits`, async () => {
      const app = (h = renderApp(storeWith(demoState(), { columns: 40, rows })));
      await waitForView(app, 'pools');
      await app.press(':', ...'frobnicate the whole city', KEYS.enter);
      // Its end names what to do: it must be on screen, whole, above the footer.
      const f = await app.waitForFrame((x) => x.includes('(try :help)'), 'the whole message');
      expectFits(f, 40, rows);
      const at = lines(f).findIndex((l) => l.includes('unknown command'));
      expect(lines(f)[at + 1]).toContain('(try :help)');
      expect(`${lines(f)[at]} ${lines(f)[at + 1]}`).not.toContain('…');
      // The list keeps its cursor row.
      expect(f).toMatch(/^> /m);
    });
});

describe('narrow, a list keeps the columns that say which row is which', () => {
  /** The list's column titles and row lines once the repairs view shows at `columns`. */
  async function repairsAt(columns: number): Promise<{ titles: string[]; rows: string[]; f: string }> {
    const app = (h = renderApp(storeWith(demoState(), { columns, rows: 24 })));
    await app.press('6');
    const f = await waitForView(app, 'repairs');
    expectFits(f, columns, 24, `the repairs at ${columns} columns`);
    return { titles: lines(f)[3].trim().split(/\s+/), rows: rowLines(f), f };
  }

  test('at 40 columns each row keeps its STATUS, KIND and BEAD (cut with … to fit), not its POOL', async () => {
    const { titles, rows, f } = await repairsAt(40);
    expect(titles).toEqual(['STATUS', 'KIND', 'BEAD']);
    const plan = h!.store.getState().current!.plan;
    expect(rows).toHaveLength(plan.repairs.length);
    for (const line of rows) {
      const r = plan.repairs.find((x) => line.includes(x.beadId) && line.includes(x.kind.slice(0, 10)));
      expect(r, `a row names its kind and bead\n${f}`).toBeDefined();
    }
    // release-orphaned-work does not fit beside wk-orphan: the kind is cut, the bead shows whole.
    expect(f).toMatch(/^> undecided release-orphaned-… +wk-orphan$/m);
  });

  test("the findings at 40 columns keep each row's KIND and SUBJECT, not its TEMPLATE or MESSAGE", async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns: 40, rows: 24 })));
    await app.press('8');
    const f = await waitForView(app, 'findings');
    expectFits(f, 40, 24, 'the findings at 40 columns');
    expect(lines(f)[3].trim().split(/\s+/)).toEqual(['SEVERITY', 'KIND', 'SUBJECT']);
    const findings = app.store.getState().current!.plan.findings;
    const rows = rowLines(f);
    expect(rows).toHaveLength(findings.length);
    for (const line of rows) {
      const found = findings.find((x) => line.includes(x.kind.slice(0, 10)) && line.includes((x.beadId ?? x.workId ?? '–').slice(-3)));
      expect(found, `a row names its kind and subject\n${f}`).toBeDefined();
    }
  });

  test('at 60 columns POOL comes back beside them; RULE and REASON wait for more room', async () => {
    const { titles, f } = await repairsAt(60);
    expect(titles).toEqual(['STATUS', 'POOL', 'KIND', 'BEAD']);
    expect(f).toMatch(/^> undecided backend\/worker +release-orphaned-work +wk-orphan$/m);
  });
});

describe('the destructive confirmation shrunk to 40 columns', () => {
  test('at 40×9 it says its diff is not on screen; at 40×8, one line, it says why enter writes nothing, and enter writes nothing', async () => {
    const { h: app, disk } = await openRepairs(demoState());
    h = app;
    try {
      await pickRepair(app, 'close-duplicate fe-dup');
      const before = disk.raw();
      await app.press('a');
      await app.waitForFrame((x) => status(x).includes('[ Cancel ]'), 'the confirmation');
      resizeTerminal(app.stdout, 9, 40);
      // Two lines, and the card under the queue too short for the diff: the line above says enter writes nothing (it
      // said "This cannot be undone." over a card that showed none of the diff).
      let f = await app.waitForFrame((x) => lines(x).includes('Not on screen: enter writes nothing.'), 'the warning at 40×9');
      expect(f).not.toMatch(/cannot be undone/i);
      expectFits(f, 40, 9, 'the confirmation at 40×9');
      expect(status(f)).toMatch(/^Approve \S+\? \[Cancel\] Approve$/);
      // One line (the card has no room: enter would write nothing): it says so beside the buttons (it said only
      // "Approve clo…e:fe-dup?", the warning dropped and nothing said of why enter did nothing).
      resizeTerminal(app.stdout, 8, 40);
      f = await app.waitForFrame((x) => status(x).startsWith('Not on screen, refused: '), 'the confirmation at 40×8');
      expectFits(f, 40, 8, 'the confirmation at 40×8');
      expect(status(f)).toBe('Not on screen, refused: [Cancel] Approve');
      await app.press(KEYS.tab);
      f = await app.waitForFrame((x) => status(x) === 'Not on screen, refused: Cancel [Approve]', 'Approve focused');
      await app.press(KEYS.enter);
      // Cut to its line, the refusal keeps why (not on screen) and what it did not do.
      f = await app.waitForFrame((x) => app.store.getState().ui.mode === 'normal' && status(x).includes('nothing written'), 'refused');
      expect(status(f)).toMatch(/not all on screen…; nothing written$/);
      expect(app.store.getState().ui.message?.text).toMatch(
        /^the change of close-duplicate:fe-dup is not all on screen: .*nothing written$/,
      );
      expect(disk.raw()).toBe(before);
      expect(disk.audit()).toEqual([]);
    } finally {
      await disk.close();
    }
  });
});

describe('the header at 80 columns', () => {
  test('the badges keep their place before the path does', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 80, rows: 24, readOnly: true })));
    await app.waitForFrame((x) => x.includes('[READ-ONLY]'), 'the read-only badge');
    app.store.getState().setPaused(true);
    const s = app.store.getState().current!;
    // An update (a bead changed on disk) waits: a read of just what is on screen would not.
    const beads = s.state.beads.map((b, i) => (i === 0 ? { ...b, status: b.status === 'open' ? 'closed' : 'open' } : b));
    app.store.getState().loaded({ ...s.state, beads }, s.plan, s.loadedAt);
    const f = await app.waitForFrame((x) => lines(x)[0].includes('[PAUSED'), 'the paused badge');
    fits(app, f, 80, 24, 'paused, read-only');
    expect(lines(f)[0]).toMatch(/^gc-tui ui-city .*read .* ago \[READ-ONLY\] \[PAUSED · updates waiting\]$|\[RO\] \[PAUSED\+\]$/);
  });
});

describe('the header on a narrow terminal', () => {
  test('keeps the read-only marker: the rule edition, then the name give way first', async () => {
    const store = storeWith(demoState(), { columns: 45, rows: 24, readOnly: true });
    store.setState((s) => ({ current: { ...s.current!, rules: { edition: '2026-05', why: 'test' } } }));
    const app = (h = renderApp(store));
    let f = await app.waitForFrame((x) => lines(x)[0].includes(' ago'), 'the header');
    fits(app, f, 45, 24, 'read-only at 45 columns');
    expect(lines(f)[0]).toMatch(/^gc-tui ui-city read .+ \[RO\]$/);
    // Paused too: both marks stay whole.
    app.store.getState().setPaused(true);
    f = await app.waitForFrame((x) => lines(x)[0].includes('[PAUSED]'), 'the paused badge');
    expect(lines(f)[0]).toMatch(/ \[RO\] \[PAUSED\]$/);
    // Wide enough, the edition is back.
    resizeTerminal(app.stdout, 24, 80);
    f = await app.waitForFrame((x) => lines(x)[0].includes('rules 2026-05'), 'the edition at 80 columns');
    expect(lines(f)[0]).toMatch(/\[RO\] \[PAUSED\]$|\[READ-ONLY\] \[PAUSED\]$/);
  });
});

describe('the helpers behind the fit', () => {
  test('a name cut in the middle keeps its tail', () => {
    expect(truncateMiddle('backend/builder-1', 14)).toBe('backen…ilder-1');
    expect(truncateMiddle('backend/builder-1', 17)).toBe('backend/builder-1');
    expect(truncateMiddle('abc', 1)).toBe('…');
  });

  test('ids take their real width; low-value columns go first', () => {
    const cols = [
      { title: 'ID', width: 32, cut: 'middle' as const },
      { title: 'NAME', flex: 2, min: 8, cut: 'middle' as const },
      { title: 'RULE', width: 4, drop: 1 },
      { title: 'REASON', flex: 3, min: 20 },
    ];
    // 6-character ids: the id column is 6 wide, not 32.
    expect(fitColumns(cols, 80, [6, 17, 4, 60])).toEqual([6, 17, 4, 50]);
    // Too narrow for every minimum: RULE goes, not REASON at the right.
    expect(fitColumns(cols, 36, [6, 17, 4, 60])).toEqual([6, 8, 0, 20]);
  });

  test('before a column of the most value is dropped, the columns with a `least` width are cut toward it', () => {
    const cols = [
      { title: 'STATUS', width: 9 },
      { title: 'KIND', flex: 4, min: 21, least: 12 },
      { title: 'BEAD', width: 32, cut: 'middle' as const, least: 6 },
      { title: 'REASON', flex: 4, min: 24 },
    ];
    // REASON (rightmost) goes; KIND gives up the 3 cells BEAD needs, the widest first.
    expect(fitColumns(cols, 38, [9, 21, 9, 60])).toEqual([9, 18, 9, 0]);
    // Cut evenly once KIND is down to BEAD's width above its least.
    expect(fitColumns(cols, 30, [9, 21, 9, 60])).toEqual([9, 12, 7, 0]);
    // Not enough even at their least: a column goes, then the rest fit.
    expect(fitColumns(cols, 24, [9, 21, 9, 60])).toEqual([9, 14, 0, 0]);
  });

  test('one very long name gets 40 cells before the flags get theirs: the other columns are not starved', () => {
    // The slots view's flex columns: ALIAS and AGENT_NAME (names, cut in the middle) and FLAGS.
    const cols = [
      { title: 'ALIAS', flex: 2, min: 8, cut: 'middle' as const },
      { title: 'AGENT_NAME', flex: 2, min: 8, cut: 'middle' as const },
      { title: 'FLAGS', flex: 3, min: 8 },
    ];
    // One agent_name of 300 characters (content capped at 80), flags of 45.
    const [alias, agent, flags] = fitColumns(cols, 118, [16, 80, 45]);
    expect(flags).toBe(45);
    expect(alias).toBe(16);
    expect(agent).toBe(118 - 2 - 16 - 45);
    // Names that fit are given whole first, as before.
    expect(fitColumns(cols, 80, [16, 30, 45])).toEqual([16, 30, 32]);
  });

  test('a column with `first` cells gets them after each name has its floor, before the names are whole', () => {
    const cols = [
      { title: 'ALIAS', flex: 2, min: 8, cut: 'middle' as const },
      { title: 'AGENT_NAME', flex: 2, min: 8, cut: 'middle' as const },
      { title: 'FLAGS', flex: 3, min: 8 },
    ];
    // Without it, the names are whole and FLAGS has what is left.
    expect(fitColumns(cols, 47, [17, 18, 80])).toEqual([17, 18, 10]);
    const first = [cols[0], cols[1], { ...cols[2], first: 16 }];
    expect(fitColumns(first, 47, [17, 18, 80])).toEqual([15, 14, 16]);
    // Narrower, the names keep 12 cells (AGENT_NAME's title whole) and FLAGS has the rest.
    expect(fitColumns(first, 36, [17, 18, 80])).toEqual([12, 12, 10]);
    // Never more than its content.
    expect(fitColumns(first, 47, [17, 18, 9])).toEqual([17, 18, 10]);
  });

  /** The header's figures line at `w` columns, as text. */
  const figureText = (metrics: Parameters<typeof figureLine>[0], repairs: number, findings: number, w: number) => {
    const l = figureLine(metrics, repairs, findings, w);
    return [...l.figures, ...l.counts].map((s) => s.text).join('');
  };

  test('the header shortens its figures before it cuts them, and keeps the counts', () => {
    const metrics = {
      mismatched_aliases: 4,
      alias_conflicts: 3,
      duplicate_slots: 2,
      cross_template_assignments: 1,
      orphaned_work: 1,
      out_of_bounds_identities: 1,
      stale_creates: 7,
      deferred_rollbacks: 2,
      unresolved_templates: 0,
    };
    const text = (w: number) => figureText(metrics, 15, 123_456, w);
    expect(text(200)).toContain('mismatched 4  conflicts 3');
    expect(text(200)).toContain('unresolved 0');
    expect(text(200)).toContain('repairs 15  findings 123 456');
    expect(text(80)).toBe('mis 4 con 3 dup 2 xt 1 orp 1 oob 1 stl 7 def 2 │ repairs 15 findings 123 456');
    expect(text(60)).toMatch(/stl 7 def 2 │ rep 15 fnd 123k$/);
  });

  test('with every figure 0 and too narrow to list them, the header line is the counts alone, no bar before them', () => {
    const keys = ['mismatched_aliases', 'alias_conflicts', 'duplicate_slots', 'cross_template_assignments', 'orphaned_work'];
    const more = ['out_of_bounds_identities', 'stale_creates', 'deferred_rollbacks', 'unresolved_templates'];
    const zero = Object.fromEntries([...keys, ...more].map((k) => [k, 0])) as unknown as Parameters<typeof figureLine>[0];
    expect(figureText(zero, 6, 0, 200)).toMatch(/^mismatched 0 .* │ repairs 6 {2}findings 0$/);
    expect(figureText(zero, 6, 0, 100)).toBe('repairs 6  findings 0');
    expect(figureText(zero, 6, 0, 40)).toBe('repairs 6  findings 0');
  });

  test('a column title too wide for its column is its short form or cut at the end, never in the middle', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 200, rows: 30 })));
    await app.press('5');
    const seen = new Set<string>();
    for (let columns = 200; columns >= 60; columns -= 4) {
      resizeTerminal(app.stdout, 30, columns);
      const f = await app.waitForFrame((x) => lines(x).every((l) => cellsIn(l) <= columns) && /^\s+WORK\s/m.test(x), `${columns} columns`);
      const title = lines(f).find((l) => /^\s+WORK\s/.test(l))!;
      // A cut title keeps its start: no "…" between the letters of one word.
      expect(title, `${columns} columns`).not.toMatch(/\w…\w/);
      // The title after SESSION's.
      const t = /\bSESSION (SESSION TEMPLATE|\S+)/.exec(title)?.[1];
      if (t && t !== 'STATUS') seen.add(t);
    }
    // Whole where there is room, its short form beside SESSION where there is not.
    expect([...seen].sort()).toEqual(['SESSION TEMPLATE', 'TEMPLATE']);
  });

  test("a sorted column's short title carries the sort arrow too", async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 200, rows: 30 })));
    await app.press('5');
    await app.waitForFrame((x) => /^\s+WORK\s/m.test(x), 'the work view');
    for (let i = 0; i < 10 && !/sort session template/.test(app.frame()); i++) {
      const before = app.frame();
      await app.press('>');
      await app.waitForFrame((x) => x !== before, 'the sort moved');
    }
    await app.waitForFrame((x) => /sort session template ↑/.test(x), 'sorted by session template');
    const seen = new Set<string>();
    for (let columns = 200; columns >= 60; columns -= 4) {
      resizeTerminal(app.stdout, 30, columns);
      const f = await app.waitForFrame((x) => lines(x).every((l) => cellsIn(l) <= columns) && /^\s+WORK\s/m.test(x), `${columns} columns`);
      const t = /\bSESSION (SESSION TEMPLATE\S*|\S+)/.exec(lines(f).find((l) => /^\s+WORK\s/.test(l))!)?.[1];
      if (t && !t.startsWith('STATUS')) seen.add(t);
    }
    expect([...seen].sort()).toEqual(['SESSION TEMPLATE↑', 'TEMPLATE↑']);
  });

  test('wrapping splits at blanks and marks what is left over', () => {
    expect(wrapText('It closes bead fe-dup; this cannot be undone.', 20)).toEqual(['It closes bead', 'fe-dup; this cannot', 'be undone.']);
    expect(wrapText('one two three four', 9, 1)).toEqual(['one two …']);
  });
});
