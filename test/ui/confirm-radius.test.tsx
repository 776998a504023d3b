// A destructive approval's confirmation says its blast radius CHANGED only when what the approval would touch changed
// (live work on the bead it closes, the slot it frees, the session that loses work): not when a refresh only proposes
// another repair for the same bead, which the card lists under the blast radius but the approval does not touch.
// Where saying its blast radius above its question took the rows of its diff, it is left out at that size, a refresh
// notwithstanding, and one that changes it still says CHANGED.
// On a terminal narrower than its two buttons (below 16 columns) both choices stay on screen, their labels cut, the
// focused one in brackets: it showed `[Cancel]` alone, and nothing said Approve was a tab away.
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { fitHints } from '../../src/ui/components/Footer.js';
import { hintsFor } from '../../src/ui/keymap.js';
import { work } from '../support/builders.js';
import { endAfterEach } from '../support/teardown.js';
import { demoState } from './fixture.js';
import { expectFits, KEYS, resizeTerminal, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

const footer = (f: string) => (f.split('\n').at(-1) ?? '').trimEnd();

describe('a confirmation and its blast radius', () => {
  test('another repair proposed for the same bead meanwhile is not a CHANGED blast radius: enter on Approve approves', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'rollback-stale-create be-stale');
    await h.press(KEYS.enter);
    let f = await h.waitForFrame((x) => x.includes('no live work is assigned to this bead'), 'the full card, its blast radius');
    expect(f).not.toContain('also proposed for this bead');
    await h.press('a', KEYS.tab);
    await h.waitForFrame(
      (x) => status(x).includes('Approve rollback-stale-create:be-stale?') && x.includes('[ Approve ]'),
      'Approve focused',
    );
    // A re-plan that proposes another repair for the same bead, the rollback's diff the same. (Today's engine gives a
    // bead it closes no other repair; the console must not count on it: the plan is given here as a later engine might.)
    const s = disk.store.getState();
    const plan = s.current!.plan;
    const rollback = plan.repairs.find((r) => r.id === 'rollback-stale-create:be-stale')!;
    const extra = {
      ...rollback,
      id: 'restamp-slot:be-stale',
      kind: 'restamp-slot' as const,
      reason: 'a later rule',
      changes: [{ field: 'metadata.pool_slot', before: '2', after: '3' }],
    };
    s.replanned({ ...plan, repairs: [...plan.repairs, extra] }, s.current!.plannedAt + 1);
    f = await h.waitForFrame((x) => x.includes('also proposed for this bead: restamp-slot'), 'the card lists it');
    expect(f).not.toContain('CHANGED');
    expect(status(f)).toMatch(/^Approve rollback-stale-create:be-stale\?.*\[ Approve \]/);
    await h.press(KEYS.enter);
    await h.waitForFrame(() => disk!.bead('be-stale').status === 'closed', 'the rollback written');
    expect(disk.audit().map((a) => `${a.repair} ${a.result}`)).toEqual(['rollback-stale-create:be-stale applied']);
  });
});

describe('a confirmation opened from the queue, its card not open', () => {
  /** The `n` lines above the status line (the question and its buttons), each trimmed, joined by a blank. */
  const above = (f: string, n: number) =>
    f
      .split('\n')
      .slice(-2 - n, -2)
      .map((l) => l.trim())
      .join(' ');

  test('says what approving touches (the blast radius) above its question, as its lines allow, the frame within the terminal', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'rollback-stale-create be-stale');
    await h.press('a');
    const said =
      'It closes bead be-stale: the create is abandoned; slot 2 is freed for the pool; no live work is assigned to this bead. This cannot be undone.';
    // The status area has up to 4 lines: the blast radius where it fits in the 3 above the question and leaves the card
    // under the queue the rows its diff needs (what enter approves), else the short form.
    const short = 'It closes bead be-stale; this cannot be undone.';
    for (const [rows, columns, n, text] of [
      [24, 80, 2, said],
      [30, 100, 2, said],
      [16, 60, 1, short],
      [24, 80, 2, said],
    ] as const) {
      resizeTerminal(h.stdout, rows, columns);
      const f = await h.waitForFrame(
        (x) => x.split('\n').length === rows - 1 && x.includes(`${text}\n`.slice(-12)) && status(x).startsWith('Approve'),
        `the confirmation at ${columns}×${rows}`,
      );
      expectFits(f, columns, rows, `the confirmation at ${columns}×${rows}`);
      expect(above(f, n), `at ${columns}×${rows}:\n${f}`).toBe(text);
      expect(status(f)).toMatch(/\[ ?Cancel ?\]/);
      // Its diff is on screen: enter on Approve would write it.
      expect(f).toContain('~ status: "open" → "closed"');
    }
    // Smaller, the card under the queue cannot show the diff at all: the confirmation says so, as before, every frame
    // within the terminal.
    for (const [rows, columns] of [
      [12, 40],
      [8, 80],
    ] as const) {
      resizeTerminal(h.stdout, rows, columns);
      const f = await h.waitForFrame(
        (x) => x.split('\n').length === rows - 1 && /Cancel ?\]/.test(status(x)),
        `the confirmation at ${columns}×${rows}`,
      );
      expectFits(f, columns, rows, `the confirmation at ${columns}×${rows}`);
      expect(f.split('\n').join(' ')).toMatch(/not on screen: enter writes/);
      expect(f).not.toContain('abandoned');
    }
    // Cancelled, nothing is written.
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => status(x).includes('cancelled: nothing written'), 'cancelled');
    expect(disk.audit()).toEqual([]);
  });
});

describe('a confirmation whose blast radius took the rows of its diff', () => {
  test('leaves it out at that size across a refresh (kept by repair id, in the state), and a refresh that changes it says CHANGED', async () => {
    const id = 'rollback-stale-create:be-stale';
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'rollback-stale-create be-stale');
    await h.press('a');
    await h.waitForFrame((x) => status(x).startsWith(`Approve ${id}?`), 'the confirmation');
    resizeTerminal(h.stdout, 16, 60);
    const short = 'It closes bead be-stale; this cannot be undone.';
    const folded = (x: string) => x.split('\n').length === 15 && x.includes(short) && x.includes('~ status: "open" → "closed"');
    await h.waitForFrame(folded, 'the short form, the diff on screen');
    expect(h.store.getState().ui.radiusFolded).toEqual({ [id]: '16×60' });
    // A refresh that brings every repair anew, this one the same: still left out, its diff still on screen.
    await disk.live.refresh();
    expect(h.store.getState().ui.radiusFolded).toEqual({ [id]: '16×60' });
    await h.waitForFrame(folded, 'the short form after the refresh');
    // Live work assigned to the bead by an outside write: the same diff, another blast radius.
    disk.write((d) => {
      d.beads.push(work('wk-new', { route: 'backend/worker', assignee: 'be-stale', status: 'in_progress' }));
    });
    await disk.live.refresh();
    const f = await h.waitForFrame((x) => status(x).includes('CHANGED'), 'the confirmation marked');
    expectFits(f, 60, 16, 'the changed confirmation at 60×16');
    expect(f.replace(/\s+/g, ' ')).toContain('now live work assigned to this bead: wk-new');
    const bytes = disk.raw();
    await h.press(KEYS.tab, KEYS.enter);
    await h.waitForFrame((x) => x.includes('acknowledged the new blast radius'), 'enter only acknowledges');
    expect(disk.raw()).toBe(bytes);
    expect(disk.audit()).toEqual([]);
  });
});

describe("a narrow confirmation's footer", () => {
  test('hints tab wherever the footer has room for its keys, on its one line', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'close-duplicate fe-dup');
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('[ Cancel ]'), 'the confirmation');
    // From the widest form down: labels while they fit, then tab's keys alone, then no labels, then tab's first key.
    for (const [columns, want] of [
      [40, 'enter choose  tab/→ focus  esc cancel'],
      [30, 'enter choose  tab/→ focus'],
      [20, 'enter choose  tab/→'],
      [12, 'enter  tab/→'],
      [10, 'enter  tab'],
    ] as const) {
      resizeTerminal(h.stdout, 20, columns);
      // A frame of this width (the widest footer is the same on the frame before the resize).
      const f = await h.waitForFrame(
        (x) => footer(x) === want && x.split('\n').every((l) => stringWidth(l) <= columns),
        `the footer at ${columns} columns`,
      );
      expectFits(f, columns, 20, `the confirmation at ${columns} columns`);
    }
    await h.press(KEYS.tab);
    await h.waitForFrame((x) => /\[A/.test(status(x)), 'tab moved the focus to Approve');
  });
});

describe('a confirmation narrower than its buttons', () => {
  test("where tab's keys do not fit beside enter, its first key does", () => {
    const line = (columns: number) =>
      fitHints(hintsFor('confirm'), columns)
        .map((x) => (x.hint === '' ? x.keys : `${x.keys} ${x.hint}`))
        .join('  ');
    expect(line(12)).toBe('enter  tab/→');
    expect(line(11)).toBe('enter  tab');
    expect(line(10)).toBe('enter  tab');
    // Narrower still, tab's keys alone (the footer said nothing there).
    expect(line(9)).toBe('tab/→');
    expect(line(4)).toBe('');
  });

  test("the export choice's footer keeps the key that moves its focus as it narrows, as the confirmation's does", () => {
    const line = (columns: number) =>
      fitHints(hintsFor('choice'), columns)
        .map((x) => (x.hint === '' ? x.keys : `${x.keys} ${x.hint}`))
        .join('  ');
    for (const columns of [30, 24, 20, 16, 12, 10]) {
      expect(line(columns), `${columns} columns`).toMatch(/tab/);
      expect(line(columns).length, `${columns} columns`).toBeLessThanOrEqual(columns);
    }
  });

  test('at 12 and 5 columns both choices show, and tab moves the brackets; esc writes nothing', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await pickRepair(h, 'close-duplicate fe-dup');
    const before = disk.raw();
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('[ Cancel ]'), 'the confirmation');
    resizeTerminal(h.stdout, 20, 12);
    let f = await h.waitForFrame((x) => status(x).trimEnd() === '[Can…] Appr…', 'both at 12 columns');
    expectFits(f, 12, 20, 'the confirmation at 12 columns');
    // The footer says how to reach the other button, not `enter choose` alone: the labels give way to tab's keys.
    expect(footer(f)).toBe('enter  tab/→');
    await h.press(KEYS.tab);
    await h.waitForFrame((x) => status(x).trimEnd() === 'Can… [Appr…]', 'Approve focused at 12 columns');
    resizeTerminal(h.stdout, 20, 5);
    f = await h.waitForFrame((x) => status(x).trimEnd() === 'C [A]', 'both at 5 columns');
    expectFits(f, 5, 20, 'the confirmation at 5 columns');
    await h.press(KEYS.esc);
    await h.waitForFrame(() => h!.store.getState().ui.mode === 'normal', 'cancelled');
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);
  });
});
