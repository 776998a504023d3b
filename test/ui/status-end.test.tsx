// A refusal too long for the status area keeps its end: what was or was not done ("…; nothing approved"). Before, at
// 66 columns or fewer the message was cut at its end ("…or make the terminal tal…"). And the footer offers only what
// the keys do at this size: where the card under the queue shows part of the diff, a, r and space refuse, so the footer
// offers `enter card` (the way to the whole diff) in their place; where the diff shows whole, a approve again.
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test } from 'vitest';
import { endAfterEach } from '../support/teardown.js';
import { DEMO_LATER, demoCity, demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, resizeTerminal, waitForView, type Harness } from './render.js';
import { footer, lines } from '../support/frame-lines.js';

let h: Harness | null = null;
endAfterEach(() => [h]);

/** The status area: the lines between the card and the footer that hold the message. */
const said = (f: string) =>
  lines(f)
    .slice(0, -1)
    .filter((l) => /change of|dc-c1a is|not all on|nothing approved|screen:/.test(l))
    .join(' ');

/** The demo city as `--demo` opens it today, in the repairs view (its first repair, a stale create, selected). */
async function repairsAt(columns: number, rows: number): Promise<Harness> {
  const app = (h = renderApp(storeWith(demoCity(), { columns, rows, now: DEMO_LATER })));
  await app.press('6');
  await waitForView(app, 'repairs');
  return app;
}

describe('a refusal too long for its lines keeps its outcome', () => {
  for (const [columns, rows] of [
    [60, 15],
    [40, 10],
    [66, 8],
  ] as const)
    test(`at ${columns}×${rows}: a on a diff not all on screen ends "; nothing approved"`, async () => {
      const app = await repairsAt(columns, rows);
      await app.press('a');
      const f = await app.waitForFrame((x) => said(x).includes('nothing approved'), 'the refusal');
      expect(app.store.getState().ui.message?.text).toMatch(
        /^the change of rollback-stale-create:dc-c1a is not all on screen: .*; nothing approved$/,
      );
      expect(said(f)).toMatch(/; nothing approved$/);
      expect(said(f)).toContain('…');
      // Cut, it still says why: its diff is not on screen (it said only "the change of…; nothing approved").
      expect(said(f)).toMatch(/not all on screen/);
      // And its first words, as README says of a message cut in its middle (at 40×10 it began "…of rollback-…").
      expect(said(f)).toMatch(/^the change of/);
      if (columns === 40) expect(said(f)).toBe('the change of…is not all on screen…; nothing approved');
      expectFits(f, columns, rows, 'the refusal');
    });

  test('at 120×45 the same refusal shows whole, with no …', async () => {
    const app = await repairsAt(120, 45);
    resizeTerminal(app.stdout, 12, 120);
    await app.waitForFrame((x) => lines(x).length <= 11, 'resized');
    await app.press('a');
    const f = await app.waitForFrame((x) => said(x).includes('nothing approved'), 'the refusal');
    expect(said(f)).toBe(
      'the change of rollback-stale-create:dc-c1a is not all on screen: enter opens the full card, or make the terminal taller; nothing approved',
    );
  });
});

describe('the footer offers what the keys do at this size', () => {
  test('at 60×15 the card shows part of the diff: no a, r or space in the footer, enter card first; the full card shows it whole: a approve', async () => {
    const app = await repairsAt(60, 15);
    let f = await app.waitForFrame((x) => footer(x).startsWith('enter card'), 'the footer of the queue');
    expect(footer(f)).not.toMatch(/a approve|r reject|space mark/);
    expect(footer(f)).toMatch(/\? help/);
    // What the footer leaves out would refuse.
    await app.press('a');
    await app.waitForFrame((x) => said(x).includes('nothing approved'), 'a refused');
    // The full card has the room for the whole diff: a approves from there, and the footer says so.
    await app.press(KEYS.enter);
    f = await app.waitForFrame((x) => x.includes('Repair card') && footer(x).includes('a approve'), 'the full card');
    expect(footer(f)).toMatch(/^esc back {2}j\/↓ scroll {2}a approve/);
    // Back in the queue: the footer offers enter card again.
    await app.press(KEYS.esc);
    await app.waitForFrame((x) => !x.includes('Repair card') && footer(x).startsWith('enter card'), 'the queue again');
    // Taller, the card under the queue shows the whole diff: a approve is offered there.
    resizeTerminal(app.stdout, 30, 60);
    f = await app.waitForFrame((x) => footer(x).startsWith('a approve'), 'the footer at 60×30');
    expect(f).toContain('metadata.close_reason');
  });

  test('a move from a repair whose diff shows whole to one whose diff is cut: no frame offers a, r or space beside the cut card', async () => {
    // At 100×16 the alias repair's diff fits the card under the queue; the stale create's below it does not.
    const app = (h = renderApp(storeWith(demoState(), { columns: 100, rows: 16 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press('j');
    const selected = (f: string) => lines(f).find((l) => l.startsWith('>')) ?? '';
    await app.waitForFrame((x) => selected(x).includes('repair-alias') && footer(x).startsWith('a approve'), 'the alias repair, whole');
    const from = app.stdout.frames.length;
    await app.press('j');
    await app.waitForFrame(
      (x) => selected(x).includes('rollback-stale-create') && footer(x).startsWith('enter card'),
      'the stale create, cut',
    );
    expect(app.store.getState().ui.diffOnScreen).toBeNull();
    // Every frame drawn since the key, each as the terminal got it: the footer is the one of the card it shows.
    const drawn = app.stdout.frames.slice(from).map((x) => stripVTControlCharacters(x));
    const cut = drawn.filter((x) => selected(x).includes('rollback-stale-create'));
    expect(cut.length).toBeGreaterThan(0);
    for (const x of cut) expect(footer(x), x).not.toMatch(/a approve|r reject|space mark/);
  });

  test('at 40×10 the footer still has room for enter card', async () => {
    const app = await repairsAt(40, 10);
    const f = await app.waitForFrame((x) => footer(x).startsWith('enter card'), 'the footer');
    expect(footer(f)).toBe('enter card  tab view  ? help  q quit');
    expectFits(f, 40, 10);
  });
});
