// Marks (`space` in the repairs view) and `A` on the marked set, on a real store file: marked by repair id,
// shown with a ✓ that needs no colour, counted on the view bar, cleared by esc; `A` approves exactly the marked
// repairs after the typed count, and a refresh that changes or removes a marked repair drops its mark.
import { describe, expect, test } from 'vitest';
import { demoState } from './fixture.js';
import { expectFits, KEYS, renderApp, resizeTerminal, SIZES, waitForView, type Harness } from './render.js';
import { viewModel } from '../../src/ui/views/registry.js';
import { markedLines, markedScrollIn, markedWindow } from '../../src/ui/review/bulk.js';
import { onDisk, openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { waitFor } from '../support/wait.js';
import { work } from '../support/builders.js';
import { endAfterEach } from '../support/teardown.js';
import { lines, selected, status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

/** The view bar: the line with the visible range. */
const bar = (f: string) => lines(f).find((l) => / of \d/.test(l)) ?? '';
/** The queue rows carrying the mark in the gutter's second cell. */
const marked = (f: string) => lines(f).filter((l) => /^.✓(undecided|applied|stale|rejected)/.test(l));

async function open(opts: Parameters<typeof onDisk>[1] = {}) {
  ({ h, disk } = await openRepairs(demoState(), opts));
  return { h, disk };
}

/** Put the cursor on one repair with the filter, mark it with space, and clear the filter again (the mark stays). */
async function mark(words: string) {
  await pickRepair(h!, words);
  const before = h!.store.getState().ui.marks.size;
  await h!.press(' ');
  await h!.waitForFrame((f) => bar(f).includes(`${before + 1} marked`), `${words} marked`);
  await h!.press(KEYS.esc);
  await h!.waitForFrame((f) => !bar(f).includes('filter'), 'the filter cleared');
}

/** An outside write: live work wk-new assigned to `assignee`, then the console's refresh. */
async function workTo(disk: OnDisk, assignee: string) {
  disk.write((d) => {
    d.beads.push(work('wk-new', { route: 'backend/worker', assignee, status: 'in_progress' }));
  });
  await disk.live.refresh();
}

/** `1 enter` on the count prompt approves the orphan's release alone: the stale create stays open, unaudited. */
async function approvesOrphanAlone(h: Harness, disk: OnDisk) {
  await h.press('1', KEYS.enter);
  await h.waitForFrame((x) => status(x).includes('applied release-orphaned-work:wk-orphan'), 'the outcome');
  expect(disk.bead('be-stale').status).toBe('open');
  expect(disk.audit().map((a) => a.repair)).toEqual(['release-orphaned-work:wk-orphan']);
}

describe('marking repairs', () => {
  test('space marks the row under the cursor by id and moves down; the ✓ and the count show; esc clears', async () => {
    const { h } = await open();
    const first = selected(h.frame());
    await h.press(' ');
    let f = await h.waitForFrame((x) => bar(x).includes('1 marked'), 'one mark');
    expect(marked(f)).toHaveLength(1);
    const row = marked(f)[0];
    expect(row.slice(2)).toBe(first.slice(2));
    // The cursor moved on to the next row.
    expect(selected(f)).not.toBe(first);
    // A re-sort moves the row; the mark goes with it (by id, not by position).
    const id = h.store.getState().ui.marks.keys().next().value!;
    await h.press('>', '>', '>', '>', '>', 'I');
    f = await h.waitForFrame((x) => bar(x).includes('sort bead ↓'), 'sorted by BEAD, descending');
    expect(marked(f)).toHaveLength(1);
    expect(marked(f)[0]).toContain(id.split(':')[1]);
    expect(marked(f)[0].slice(2).trimEnd()).toBe(row.slice(2).trimEnd());
    // space again on the marked row unmarks it.
    await h.press('<', '<', '<', '<', '<');
    await h.waitForFrame((x) => !bar(x).includes('sort'), "the queue's own order");
    await h.press('g', ' ');
    f = await h.waitForFrame((x) => !bar(x).includes('marked'), 'unmarked');
    expect(marked(f)).toHaveLength(0);
    await h.press('g', ' ', ' ');
    await h.waitForFrame((x) => bar(x).includes('2 marked'), 'two marks');
    await h.press(KEYS.esc);
    f = await h.waitForFrame((x) => status(x).includes('2 marks cleared'), 'cleared');
    expect(marked(f)).toHaveLength(0);
    expect(bar(f)).not.toContain('marked');
  });

  test("esc in one bead's repairs goes back, as its bar says, and keeps the marks; the filter typed there goes first", async () => {
    const { h } = await open();
    await h.press(' ', ' ', ' ');
    await h.waitForFrame((x) => bar(x).includes('3 marked'), 'three marks');
    const marks = [...h.store.getState().ui.marks.keys()];
    await h.press(':', ...'slots frontend/worker', KEYS.enter);
    await h.waitForFrame((x) => bar(x).includes('pool frontend/worker'), 'the slots of frontend/worker');
    await h.press('/', ...'fe-poison', KEYS.enter);
    await h.waitForFrame((x) => selected(x).includes('fe-poison') && !x.includes('/fe-poison'), 'fe-poison');
    await h.press('r');
    let f = await h.waitForFrame((x) => bar(x).includes('only fe-poison (esc: back)'), 'its repairs');
    expect(bar(f)).toContain('3 marked');
    // A filter typed in the drill-down is the latest thing on its bar: esc clears it first.
    await h.press('/', ...'restamp', KEYS.enter);
    await h.waitForFrame((x) => bar(x).includes('restamp') && !x.includes('/restamp'), 'the filter in the drill-down');
    await h.press(KEYS.esc);
    f = await h.waitForFrame((x) => bar(x).includes('only fe-poison (esc: back)') && !bar(x).includes('restamp'), 'the filter cleared');
    expect(bar(f)).toContain('3 marked');
    await h.press(KEYS.esc);
    f = await h.waitForFrame((x) => bar(x).includes('pool frontend/worker'), 'back to the slot');
    expect(selected(f)).toContain('fe-poison');
    expect(status(f)).not.toContain('cleared');
    expect([...h.store.getState().ui.marks.keys()]).toEqual(marks);
    // In the whole queue, with no filter typed, esc clears them, every one of them on the rows it shows.
    await h.press('6');
    await h.waitForFrame((x) => bar(x).includes('3 marked') && marked(x).length === 3, 'the queue, its marks shown');
    await h.press(KEYS.esc);
    f = await h.waitForFrame((x) => status(x).includes('3 marks cleared'), 'cleared');
    expect(marked(f)).toHaveLength(0);
  });

  test('the footer says what A approves, and the card whether its repair is marked', async () => {
    const { h } = await open();
    const footer = (f: string) => lines(f).at(-1) ?? '';
    let f = h.frame();
    expect(footer(f)).toContain('A approve all');
    expect(f).not.toContain('MARKED');
    await pickRepair(h, 'restamp-slot fe-poison');
    await h.press(' ');
    f = await h.waitForFrame((x) => bar(x).includes('1 marked'), 'one mark');
    expect(footer(f)).toContain('A approve marked');
    expect(footer(f)).not.toContain('approve all');
    // Back on the marked one (space moved down): its card says so; another one's does not.
    await h.press('k');
    f = await h.waitForFrame((x) => x.includes('restamp-slot:fe-poison  R6'), 'its card');
    expect(f).toContain('UNDECIDED · ✓ MARKED for A — a approve');
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('Repair card'), 'the full card');
    expect(f).toContain('✓ MARKED for A');
    expect(lines(f).find((l) => l.startsWith(' Repair card')) ?? '').toContain('A approve marked');
    await h.press(KEYS.esc, KEYS.esc);
    await h.waitForFrame((x) => !bar(x).includes('filter'), 'the filter cleared');
    await h.press(KEYS.esc);
    f = await h.waitForFrame((x) => !bar(x).includes('marked'), 'the marks cleared');
    expect(footer(f)).toContain('A approve all');
    expect(f).not.toContain('MARKED');
  });

  test('A approves exactly the marked repairs after their count, the prompt naming them; the file shows only those', async () => {
    const { h, disk } = await open();
    await mark('restamp-slot fe-poison');
    await mark('wk-cross');
    await h.press('A');
    const prompt = await h.waitForFrame((x) => /Type 2 to approve/.test(x), 'the count prompt');
    const text = prompt.replace(/\s+/g, ' ');
    expect(text).toContain(
      'Type 2 to approve 2 marked repairs: 1 unassign work, 1 slot restamp (unassign-cross-template-work:wk-cross, restamp-slot:fe-poison)',
    );
    const before = disk.doc();
    await h.press('2', KEYS.enter);
    const f = await h.waitForFrame((x) => /\d+ applied, \d+ stale/.test(status(x)), 'the outcome');
    expect(status(f)).toContain('2 applied, 0 stale');
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('2');
    expect(disk.bead('wk-cross').assignee ?? '').toBe('');
    // Nothing else was written: every other bead is as it was.
    const others = (d: ReturnType<OnDisk['doc']>) =>
      d.beads.filter((b) => b.id !== 'fe-poison' && b.id !== 'wk-cross').map((b) => JSON.stringify(b));
    expect(others(disk.doc())).toEqual(others(before));
    const audit = disk.audit();
    expect(audit.map((a) => `${a.repair} ${a.result}`).sort()).toEqual([
      'restamp-slot:fe-poison applied',
      'unassign-cross-template-work:wk-cross applied',
    ]);
    expect(new Set(audit.map((a) => a.batch)).size).toBe(1);
    // Applied repairs leave the plan, and their marks with them.
    await h.waitForFrame((x) => !bar(x).includes('marked'), 'no marks left');
  });

  test('A under a filter that hides some marks says how many of them it hides (and approves them all the same)', async () => {
    const { h, disk } = await open();
    await mark('restamp-slot fe-poison');
    await mark('wk-cross');
    await pickRepair(h, 'wk-cross');
    await h.press('A');
    let text = (await h.waitForFrame((x) => /Type 2 to approve/.test(x), 'the count prompt')).replace(/\s+/g, ' ');
    expect(text).toContain(
      'Type 2 to approve 2 marked repairs: 1 unassign work, 1 slot restamp (unassign-cross-template-work:wk-cross, restamp-slot:fe-poison), 1 hidden by the filter',
    );
    // At 40×10 the shortest question still says it.
    resizeTerminal(h.stdout, 10, 40);
    const f = await h.waitForFrame((x) => /^Type 2:/.test(status(x)) && x.split('\n').length <= 9, 'the count prompt at 40×10');
    expectFits(f, 40, 10);
    text = f.replace(/\s+/g, ' ');
    expect(text).toMatch(/2 marked.*, 1 hidden( by the filter)?:/);
    resizeTerminal(h.stdout, 30, 100);
    await h.press('2', KEYS.enter);
    await h.waitForFrame((x) => /2 applied, 0 stale/.test(status(x)), 'both applied');
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('2');
  });

  test('at 30×9 and 30×8 the count prompt on marks shows its count and the hidden count uncut; where they cannot show, A and enter approve nothing', async () => {
    const { h, disk } = await open();
    await mark('restamp-slot fe-poison');
    await mark('wk-cross');
    await pickRepair(h, 'wk-cross');
    const why = (x: string) => x.replace(/\s+/g, ' ');
    const refusal = 'A: the count of 2 marked, 1 hidden, does not fit this terminal: make it wider; nothing approved';
    // 16 columns cannot show `Type 2, 1 hidden:`: A asks nothing there, and says why.
    resizeTerminal(h.stdout, 8, 16);
    await h.waitForFrame((x) => x.split('\n')[0].length <= 16 && x.split('\n').length <= 7, 'the queue at 16×8');
    await h.press('A');
    resizeTerminal(h.stdout, 12, 60);
    await h.waitForFrame((x) => why(x).includes(refusal), 'A refused, said');
    expect(h.store.getState().ui.mode).toBe('normal');
    // 30×9: no name fits beside the counts; the question says the counts alone, never cut before the hidden one.
    resizeTerminal(h.stdout, 9, 30);
    await h.waitForFrame((x) => x.split('\n').length <= 8 && !x.includes('Approve marked'), 'the queue at 30×9');
    await h.press('A');
    let f = await h.waitForFrame((x) => /^Type 2:/.test(status(x)), 'the count prompt at 30×9');
    expectFits(f, 30, 9);
    expect(lines(f).at(-3)).toMatch(/^2 marked, 1 hidden:\s*$/);
    expect(f).not.toContain('…:');
    // 30×8: one line for the prompt, which says both counts itself.
    resizeTerminal(h.stdout, 8, 30);
    f = await h.waitForFrame((x) => /^Type 2, 1 hidden:/.test(status(x)), 'the one-line count prompt at 30×8');
    expectFits(f, 30, 8);
    // Typed after it, the count still shows whole (what is typed scrolls in the room left).
    await h.press('2222222222');
    await h.waitForFrame((x) => /^Type 2, 1 hidden: 2+/.test(status(x)), 'the typed count beside it');
    for (let i = 0; i < 10; i++) await h.press(KEYS.backspace);
    // Narrowed to 16 columns while open: enter approves nothing, and says why.
    await h.press('2');
    resizeTerminal(h.stdout, 8, 16);
    await h.waitForFrame((x) => x.split('\n')[0].length <= 16 && !x.includes('marked, 1'), 'the prompt at 16 columns');
    await h.press(KEYS.enter);
    await h.waitForFrame(() => h.store.getState().ui.message?.text === refusal, 'enter refused');
    expect(disk.audit()).toEqual([]);
    expect(disk.bead('fe-poison').metadata!.pool_slot).not.toBe('2');
  });

  test('the count prompt on marks lists them above it, one line each (id, kind, bead, change, controls escaped), as many as the terminal holds', async () => {
    const { h } = await open({ rows: 40, columns: 140 });
    await mark('restamp-slot fe-poison');
    await mark('repair-alias be-evil');
    await mark('close-duplicate fe-dup');
    await h.press('A');
    let f = await h.waitForFrame(
      (x) => /^Type 3:|Type 3 to approve/.test(status(x)) && x.includes('Approve marked: 3 repairs'),
      'the pane',
    );
    expectFits(f, 140, 40, 'the marked pane');
    // The marks, in the order the prompt names them (the list's), each with what it changes on its one line.
    const ids = (/\(([^)]*)\)(?: \(esc cancels\))?:/.exec(f.replace(/\s+/g, ' '))?.[1] ?? '').split(', ');
    expect([...ids].sort()).toEqual(['close-duplicate:fe-dup', 'repair-alias:be-evil', 'restamp-slot:fe-poison']);
    const listed = lines(f)
      .filter((l) => / · bead /.test(l))
      .map((l) => l.trimEnd());
    expect(listed.map((l) => l.split(' · ')[0])).toEqual(ids);
    const line = (id: string) => listed.find((l) => l.startsWith(`${id} · `)) ?? '';
    expect(line('repair-alias:be-evil')).toMatch(
      /^repair-alias:be-evil · repair-alias · bead be-evil · 2 changes: ~ metadata\.alias: "evil\\e\[2J\\e\]0;pwned\\x07" → "backend\/worker-3"; \+ metadat…$/,
    );
    expect(line('restamp-slot:fe-poison')).toBe('restamp-slot:fe-poison · restamp-slot · bead fe-poison · ~ metadata.pool_slot: "3" → "2"');
    // Cut at the terminal's edge (140 columns), never past it.
    expect(line('close-duplicate:fe-dup')).toMatch(
      /^close-duplicate:fe-dup · close-duplicate · bead fe-dup · 2 changes: ~ status: "open" → "closed"; \+ metadata\.close_reason: "" → "dup.*…$/,
    );
    expect(f).not.toContain('\u001b]0;');
    // A terminal too short for all three: as many as fit, then how many more the count approves with them.
    resizeTerminal(h.stdout, 10, 40);
    f = await h.waitForFrame((x) => /^Type 3:/.test(status(x)) && lines(x).length <= 9, 'the pane at 40×10');
    expectFits(f, 40, 10, 'the marked pane at 40×10');
    const shown = lines(f).filter((l) => / · /.test(l) && ids.some((id) => l.startsWith(id.slice(0, 10))));
    const more = /^… and (\d+) more marked/.exec(lines(f).find((l) => l.startsWith('… and')) ?? '');
    expect(more, f).not.toBeNull();
    expect(shown.length + Number(more![1])).toBe(3);
    await h.press(KEYS.esc);
    f = await h.waitForFrame((x) => status(x).includes('cancelled: nothing written'), 'cancelled');
    expect(f).not.toContain('Approve marked');
  });

  test('a count prompt open on the marks follows them: a mark a refresh drops leaves its set, and what was typed is cleared', async () => {
    const { h, disk } = await open();
    await mark('restamp-slot fe-poison');
    await mark('wk-cross');
    await h.press('A', '2');
    await h.waitForFrame((x) => /Type 2 to approve 2 marked/.test(x) && /:\s2\s*$/.test(status(x)), 'the count typed');
    // fe-poison's restamp changes on disk: its mark goes, and with it its place in the prompt's set.
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await disk.live.refresh();
    const f = await h.waitForFrame((x) => /Type 1 to approve 1 marked/.test(x.replace(/\s+/g, ' ')), 'the prompt follows');
    expect(f.replace(/\s+/g, ' ')).toContain('(unassign-cross-template-work:wk-cross)');
    expect(status(f)).toMatch(/:\s*$/);
    await h.press('1', KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('applied unassign-cross-template-work:wk-cross'), 'the outcome');
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('7');
    expect(disk.audit().map((a) => a.repair)).toEqual(['unassign-cross-template-work:wk-cross']);
  });

  test('a mark whose repair a refresh changes or removes is dropped; with none left A is the filter’s again', async () => {
    const { h, disk } = await open();
    await mark('restamp-slot fe-poison');
    await mark('close-duplicate fe-dup');
    await mark('wk-orphan');
    // The stamped slot moves on (the restamp's diff changes) and the duplicate wakes up (never closed: gone).
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
      d.beads.find((b) => b.id === 'fe-dup')!.metadata!.state = 'active';
    });
    await disk.live.refresh();
    let f = await h.waitForFrame((x) => bar(x).includes('1 marked'), 'two marks dropped');
    expect(marked(f)).toHaveLength(1);
    expect(marked(f)[0]).toContain('wk-orphan');
    // The one whose diff changed is said (the one that left the plan goes without a word), and who changed the store.
    expect(h.store.getState().ui.message).toEqual({
      text: expect.stringMatching(
        /^1 marked repair changed \(restamp-slot:fe-poison\): mark dropped; read the new diff and mark again; changed on disk outside gc-tui \(no audit line names it\), the file last written at \S+Z$/,
      ),
      tone: 'error',
    });
    await h.press('A');
    f = await h.waitForFrame((x) => /Type 1 to approve/.test(x), 'the count prompt');
    expect(f.replace(/\s+/g, ' ')).toContain('Type 1 to approve 1 marked repair: 1 unassign work (release-orphaned-work:wk-orphan)');
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => status(x).includes('cancelled: nothing written'), 'cancelled');
    // The last mark's repair changes too: no mark is left, and A takes everything under the filter as before.
    disk.write((d) => {
      d.beads.find((b) => b.id === 'wk-orphan')!.status = 'closed';
    });
    await disk.live.refresh();
    await h.waitForFrame((x) => !bar(x).includes('marked'), 'no marks left');
    await h.press('A');
    f = await h.waitForFrame((x) => /Type \d+ to approve/.test(x), 'the count prompt');
    expect(f.replace(/\s+/g, ' ')).not.toContain('marked');
  });

  test('a marked destructive repair whose blast radius a refresh changes (live work assigned to the bead it closes) loses its mark, said with what changed', async () => {
    const { h, disk } = await open();
    await mark('rollback-stale-create be-stale');
    await mark('wk-orphan');
    // The rollback's diff stays the same; what approving it touches does not: it would now close a bead holding live work.
    await workTo(disk, 'be-stale');
    let f = await h.waitForFrame((x) => bar(x).includes('1 marked'), "the rollback's mark dropped");
    expect(marked(f)).toHaveLength(1);
    expect(marked(f)[0]).toContain('wk-orphan');
    expect(h.store.getState().ui.message).toEqual({
      text:
        "1 marked repair's blast radius changed (rollback-stale-create:be-stale: live work assigned to this bead: wk-new; no longer: " +
        'no live work is assigned to this bead): mark dropped; read the card and mark again',
      tone: 'error',
    });
    await h.press('A');
    f = await h.waitForFrame((x) => /Type 1 to approve/.test(x), 'the count prompt');
    expect(f.replace(/\s+/g, ' ')).toContain('Type 1 to approve 1 marked repair: 1 unassign work (release-orphaned-work:wk-orphan)');
    await approvesOrphanAlone(h, disk);
  });

  test('a count prompt open on the marks follows a blast radius change too: that repair leaves its set, what was typed is cleared', async () => {
    const { h, disk } = await open();
    await mark('rollback-stale-create be-stale');
    await mark('wk-orphan');
    await h.press('A', '2');
    await h.waitForFrame((x) => /Type 2 to approve 2 marked/.test(x) && /:\s2\s*$/.test(status(x)), 'the count typed');
    await workTo(disk, 'be-stale');
    const f = await h.waitForFrame((x) => /Type 1 to approve 1 marked/.test(x.replace(/\s+/g, ' ')), 'the prompt follows');
    expect(f.replace(/\s+/g, ' ')).toContain(
      '1 marked repair whose blast radius changed (rollback-stale-create:be-stale: live work assigned to this bead: wk-new;',
    );
    expect(status(f)).toMatch(/:\s*$/);
    await approvesOrphanAlone(h, disk);
  });

  test("a refresh that leaves a marked destructive repair's blast radius as it was keeps the mark", async () => {
    const { h, disk } = await open();
    await mark('rollback-stale-create be-stale');
    // Work assigned to another bead: nothing the rollback touches.
    await workTo(disk, 'gone-elsewhere');
    await h.waitForFrame(() => h.store.getState().current!.state.beads.some((b) => b.id === 'wk-new'), 'the refresh on screen');
    const f = await h.waitForFrame((x) => bar(x).includes('1 marked'), 'the mark kept');
    expect(marked(f)[0]).toContain('be-stale');
  });

  test('the prompt names the marks in the order the list shows them, and when not all fit, how many more it approves (80×24, 40×10)', async () => {
    const { h, disk } = await open({ rows: 40, columns: 140 });
    // Sorted by KIND: the list's order is not the queue's (by pool, then kind).
    await h.press('>', '>', '>');
    await h.waitForFrame((x) => bar(x).includes('sort kind ↑'), 'sorted by KIND');
    const order = () => viewModel(h.store.getState(), 'repairs')!.rows.map((r) => r.key);
    const listed = order();
    expect(listed).toHaveLength(7);
    await h.press('g');
    for (let i = 1; i <= listed.length; i++) {
      await h.press(' ');
      await h.waitForFrame((x) => bar(x).includes(`${i} marked`), `${i} marked`);
    }
    // The frame's rows are in that order (their KIND and BEAD cells).
    const rowOf = (l: string) => listed.findIndex((id) => id.split(':').every((cell) => l.includes(` ${cell} `)));
    expect(marked(h.frame()).map(rowOf)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const [columns, rows] of [
      [80, 24],
      [40, 10],
    ] as const) {
      resizeTerminal(h.stdout, rows, columns);
      await h.waitForFrame((x) => lines(x).every((l) => l.length <= columns) && lines(x).length === rows - 1, `${columns}×${rows}`);
      expect(order()).toEqual(listed);
      await h.press('A');
      const f = await h.waitForFrame((x) => /^Type 7:/.test(status(x)), `the count prompt at ${columns}×${rows}`);
      expectFits(f, columns, rows, 'the count prompt');
      // The prompt's lines (from its first, above the last, `Type 7:`), read as one text.
      const rowsOf = lines(f);
      const from = rowsOf.findIndex((l) => l.startsWith('Type 7 to approve'));
      const text = rowsOf.slice(from, -2).join(' ').replace(/\s+/g, ' ');
      const names = /^Type 7 to approve 7 marked repairs.* \((.*)\):$/.exec(text)?.[1].split(', ') ?? [];
      const more = /^… and (\d+) more$/.exec(names.at(-1) ?? '');
      const shown = more ? names.slice(0, -1) : names;
      expect(shown.length, text).toBeGreaterThan(0);
      expect(shown, text).toEqual(listed.slice(0, shown.length));
      expect(shown.length + Number(more?.[1] ?? 0), text).toBe(7);
      await h.press(KEYS.esc);
      await h.waitForFrame((x) => status(x).includes('cancelled: nothing written'), 'cancelled');
    }
    // At 80×24 not all seven fit: the count approves the seven, the named ones and the ones counted.
    resizeTerminal(h.stdout, 24, 80);
    await h.press('A');
    await h.waitForFrame((x) => /^Type 7:/.test(status(x)), 'the count prompt');
    await h.press('7', KEYS.enter);
    await h.waitForFrame((x) => /7 applied, 0 stale/.test(status(x)), 'the outcome');
    expect(
      disk
        .audit()
        .map((a) => a.repair)
        .sort(),
    ).toEqual([...listed].sort());
  });

  test('read-only: space marks nothing and says so', async () => {
    const { h } = await open({ readOnly: true });
    await h.press(' ');
    const f = await h.waitForFrame((x) => status(x).includes('read-only: mark is refused'), 'the refusal');
    expect(bar(f)).not.toContain('marked');
  });

  test.each(SIZES)('marks, their count and the marked prompt fit at %i×%i', async (columns, rows) => {
    const { h } = await open({ columns, rows });
    await h.press(' ', ' ', ' ');
    let f = await h.waitForFrame((x) => bar(x).includes('3 marked'), 'three marks');
    expectFits(f, columns, rows);
    expect(marked(f)).toHaveLength(3);
    await h.press('A');
    f = await h.waitForFrame((x) => status(x).includes('Type 3'), 'the count prompt');
    expectFits(f, columns, rows);
    await h.press('3');
    f = await h.waitForFrame((x) => /:\s3\s*$/.test(status(x)), 'what is typed');
    expectFits(f, columns, rows);
  });
});

describe('keys typed ahead of the frame (a paste, a fast typist)', () => {
  /** How many repairs the plan proposes. */
  const repairCount = (hh: Harness) => hh.store.getState().current!.plan.repairs.length;

  test('"space space space" in one chunk marks three rows, each once its card has been drawn', async () => {
    const { h } = await open({ rows: 40, columns: 140 });
    expect(repairCount(h)).toBeGreaterThan(3);
    h.stdin.write('   ');
    const f = await h.waitForFrame((x) => bar(x).includes('3 marked'), 'three marks');
    expect(marked(f)).toHaveLength(3);
  });

  test('j then r in one chunk rejects the repair j moved to, and the reason typed after goes into its prompt', async () => {
    const { h, disk } = await open({ rows: 40, columns: 140 });
    const first = h.store.getState().ui.cursors.repairs.key;
    h.stdin.write('jr');
    const mode = () => h.store.getState().ui.mode;
    await waitFor(
      () => (typeof mode() === 'object' ? 'dialog' : String(mode())),
      (v) => v === 'dialog',
      'the reason prompt',
    );
    // The prompt is about the row j moved to, not the first one.
    const second = h.store.getState().ui.cursors.repairs.key;
    expect(second).not.toBe(first);
    expect((mode() as { kind: string; repair: { id: string } }).repair.id).toBe(second);
    h.stdin.write('stale');
    h.stdin.write(KEYS.enter);
    await waitFor(
      () => JSON.stringify(disk.decisions().map((d) => [d.repair, d.reason])),
      (v) => v === JSON.stringify([[second, 'stale']]),
      'the rejection with its reason',
    );
    // Nothing of the reason ran as keys: no export, no skip, no approval.
    expect(disk.audit().map((e) => e.action)).not.toContain('export');
    expect(disk.audit().filter((e) => e.action === 'apply')).toEqual([]);
    expect(h.store.getState().ui.view).toBe('repairs');
  });
});

describe('a mark needs the whole diff on screen, as a does', () => {
  test('a card too short for the diff refuses space and marks nothing', async () => {
    disk = await onDisk(demoState(), { rows: 15, columns: 60 });
    const app = (h = renderApp(disk.store, { services: disk.live.services }));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press(' ');
    const text = () => app.store.getState().ui.message?.text ?? '';
    await waitFor(
      text,
      (v) => /is not all on screen: enter opens the full card, or make the terminal taller; not marked$/.test(v),
      'the refusal',
    );
    expect(app.store.getState().ui.marks.size).toBe(0);
  });
});

describe('the list of the marked repairs above their count', () => {
  /** Every repair of the demo queue marked (space marks and moves down), then `A` on a terminal of `rows`×`columns`. */
  async function allMarkedThenA(rows: number, columns: number): Promise<{ h: Harness; total: number }> {
    const { h } = await open({ rows: 40, columns: 140 });
    const total = h.store.getState().current!.plan.repairs.length;
    for (let n = 1; n <= total; n++) {
      await h.press(' ');
      await h.waitForFrame((f) => bar(f).includes(`${n} marked`), `${n} marked`);
    }
    resizeTerminal(h.stdout, rows, columns);
    await h.waitForFrame((f) => lines(f).length <= rows - 1, 'resized');
    await h.press('A');
    await h.waitForFrame((f) => /Type \d+/.test(f), 'the count prompt');
    return { h, total };
  }
  const listed = (f: string) =>
    lines(f)
      .filter((l) => / · bead /.test(l))
      .map((l) => l.split(' · ')[0]);
  const footer = (f: string) => lines(f).at(-1) ?? '';

  test('more marked than rows: ↓ and PgDn scroll it, lines say how many more above and below, the footer offers them', async () => {
    const { h, total } = await allMarkedThenA(12, 100);
    let f = h.frame();
    expectFits(f, 100, 12, 'the marked pane at 100×12');
    const first = listed(f);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(total);
    expect(f).toContain(`… and ${total - first.length} more marked, approved with them (↓/PgDn lists them)`);
    expect(lines(f).find((l) => l.includes('Approve marked'))).toContain(`(1–${first.length} of ${total})`);
    expect(footer(f)).toMatch(/↓ scroll.*PgDn page/);
    // Page by page to the end: every marked repair is listed once, the lines above and below counting the rest.
    const seen = new Set(first);
    for (let page = 0; page < total && /more marked, approved with them/.test(f); page++) {
      const before = h.frame();
      await h.press(KEYS.pgdn);
      f = await h.waitForFrame((x) => x !== before && /more marked above/.test(x), 'the next page');
      expectFits(f, 100, 12, 'a page of the marked pane');
      const now = listed(f);
      const above = Number(/… (\d+) more marked above \(↑\/PgUp shows them\)/.exec(f)?.[1]);
      expect(above).toBe(total - now.length - Number(/… and (\d+) more marked/.exec(f)?.[1] ?? 0));
      for (const id of now) seen.add(id);
    }
    expect(seen.size).toBe(total);
    expect(f).not.toContain('more marked, approved with them');
    // ↑ goes back one; the count is typed as ever (the arrows do not type).
    await h.press(KEYS.up, ...String(total));
    f = await h.waitForFrame((x) => new RegExp(`: ${total}\\s*$`).test(status(x)), 'the count typed');
    expect(status(f)).toMatch(new RegExp(`Type ${total}`));
  });

  test('on short terminals (8 to 16 rows, 40 to 100 columns) a pane of one repair and its more line scrolls too, ↓ through every one', async () => {
    const { h, total } = await allMarkedThenA(40, 140);
    // The order they are listed in, all of them fitting.
    const ids = lines(h.frame())
      .filter((l) => / · bead /.test(l))
      .map((l) => l.split(' · ')[0]);
    expect(ids).toHaveLength(total);
    // A repair's line, cut at the width or not (at 40 columns `· bead` is cut off).
    const listed = (f: string) =>
      lines(f).flatMap((l) => ids.filter((id) => l.startsWith(`${id} ·`) || (l.endsWith('…') && id.startsWith(l.slice(0, -1).trimEnd()))));
    let small = 0;
    for (const columns of [40, 60, 100])
      for (const rows of [8, 9, 10, 11, 12, 13, 14, 15, 16]) {
        const size = `${columns}×${rows}`;
        resizeTerminal(h.stdout, rows, columns);
        // The frame of this size: within it, its footer last, the count prompt's typed line above it.
        const settled = (x: string) =>
          lines(x).length <= rows && lines(x).every((l) => l.length <= columns) && /^enter ok/.test(footer(x)) && /^Type 7/.test(status(x));
        let f = await h.waitForFrame(settled, `the pane at ${size}`);
        expectFits(f, columns, rows, `the marked pane at ${size}`);
        if (listed(f).length === 0) continue;
        // Back to the first one (↑ from wherever the last size left it), then ↓ one at a time to the last.
        for (let i = 0; i < total && listed(f)[0] !== ids[0]; i++) {
          const before = listed(f)[0];
          await h.press(KEYS.up);
          f = await h.waitForFrame((x) => listed(x)[0] !== before && settled(x), `↑ at ${size}`);
        }
        const seen = new Set(listed(f));
        if (seen.size < total) expect(footer(f), `the footer at ${size}`).toMatch(/↓ scroll/);
        // A pane of 2 lines (8 to 11 rows): one repair, and a line under it.
        if (listed(f).length === 1) small++;
        while (seen.size < total) {
          const before = listed(f)[0];
          await h.press(KEYS.down);
          f = await h.waitForFrame((x) => listed(x)[0] !== before && settled(x), `↓ at ${size} (${seen.size} of ${total} seen)`);
          expectFits(f, columns, rows, `a line down the marked pane at ${size}`);
          for (const id of listed(f)) seen.add(id);
          // What it does not list is said: on a line of its own, or, a pane of one line, in its title.
          const said = f.match(/(\d+) more (marked )?above|(\d+) below|and (\d+) more marked|\b(\d+)(–\d+)? of (\d+)\b/g) ?? [];
          expect(said.length, `how many more, at ${size}:\n${f}`).toBeGreaterThan(0);
        }
        expect([...seen].sort()).toEqual([...ids].sort());
      }
    // Some of these sizes list one repair (the case that did not scroll: one repair and "6 more" for good).
    expect(small).toBeGreaterThan(0);
  });

  test('the list keeps its place by the repair it starts with: a mark a refresh drops above it does not scroll it', async () => {
    const { h } = await allMarkedThenA(12, 100);
    let f = h.frame();
    // Down to the page that starts with fe-dup's close.
    for (let i = 0; i < 8 && listed(f)[0] !== 'close-duplicate:fe-dup'; i++) {
      const before = f;
      await h.press(KEYS.down);
      f = await h.waitForFrame((x) => x !== before, 'scrolled');
    }
    expect(listed(f)[0]).toBe('close-duplicate:fe-dup');
    const above = Number(/… (\d+) more marked above/.exec(f)?.[1]);
    // be-evil's alias repair, listed above it, changes on disk: its mark goes, and the list still starts with fe-dup.
    disk!.write((d) => {
      d.beads.find((b) => b.id === 'be-evil')!.metadata!.alias = 'other';
    });
    await disk!.live.refresh();
    f = await h.waitForFrame((x) => x.includes(`… ${above - 1} more marked above`), 'the mark dropped');
    expect(listed(f)[0]).toBe('close-duplicate:fe-dup');
  });

  test('all of them fitting: no scroll keys offered; at 30 columns the title line says its count whole', async () => {
    const { h, total } = await allMarkedThenA(40, 140);
    let f = h.frame();
    expect(listed(f)).toHaveLength(total);
    expect(footer(f)).not.toMatch(/scroll|PgDn/);
    resizeTerminal(h.stdout, 40, 30);
    f = await h.waitForFrame((x) => lines(x)[0].length <= 30 && /marked/.test(x), 'the pane at 30 columns');
    expectFits(f, 30, 40, 'the marked pane at 30 columns');
    const title = lines(f).find((l) => /\bmarked\b/.test(l) && !/ · /.test(l)) ?? '';
    expect(title.trim()).toBe(`Approve ${total} marked: type ${total}`);
  });
});

describe("the marked pane's window at every height that lists one", () => {
  const repairs = demoState()
    .beads.slice(0, 5)
    .map((b, i) => ({ id: `r${i}:${b.id}`, kind: 'repair-alias', beadId: b.id, changes: [] }) as never);
  test('2 lines: one repair and one line for the rest; 1 line: the repair alone; both scroll from the first to the last', () => {
    for (const room of [1, 2]) {
      for (let want = 0; want < 5; want++) {
        const { lines: shown, window } = markedLines(repairs, 60, room, want);
        expect(window).toEqual({ top: want, shown: 1, above: want, below: 4 - want });
        expect(shown).toHaveLength(room);
        expect(shown[0].text.startsWith(`r${want}:`)).toBe(true);
      }
      expect(markedScrollIn(5, room)).toBe(true);
    }
    expect(markedLines(repairs, 80, 2, 2).lines[1].text).toBe('… 2 more above, 2 below, approved with them (↑/↓ scroll)');
    expect(markedLines(repairs, 80, 2, 0).lines[1].text).toBe('… and 4 more marked, approved with them (↓/PgDn lists them)');
    expect(markedLines(repairs, 80, 2, 4).lines[1].text).toBe('… 4 more marked above (↑/PgUp shows them)');
    expect(markedWindow(5, 0)).toEqual({ top: 0, shown: 0, above: 0, below: 5 });
  });
});
