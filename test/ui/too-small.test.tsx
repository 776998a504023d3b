// The "terminal too small" line hides the whole console: while it shows, no key but the quit keys and ctrl-z acts,
// so nothing is approved, marked or typed into a dialog the operator cannot see; grown back, the console is as it
// was, and a dialog still open is drawn again before a key answers it. On a real store file, with real keys.
import { describe, expect, test } from 'vitest';
import { demoState } from './fixture.js';
import { KEYS, resizeTerminal, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { endAfterEach } from '../support/teardown.js';
import { waitFor } from '../support/wait.js';
import { suspendUnavailable } from '../../src/ui/suspend.js';
import { status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

/** What the too-small screen says, in the words its width allows, wrapped over the lines there are (layout.ts). */
const TOO_SMALL = /^((gc-tui: )?(terminal )?too small( \(\d+×\d+\))?; )?q quits$/;
/** The frame is the too-small text and nothing else (no message, no dialog). */
const onlyTooSmall = (f: string) =>
  TOO_SMALL.test(
    f
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .join(' '),
  );

async function open() {
  ({ h, disk } = await openRepairs(demoState(), { rows: 40, columns: 120 }));
  return { h, disk };
}

async function shrink(h: Harness, rows: number, columns: number): Promise<void> {
  resizeTerminal(h.stdout, rows, columns);
  await h.waitForFrame(onlyTooSmall, `the too-small line at ${columns}×${rows}`);
}

/**
 * Type `keys` on the too-small line, then ctrl-z, which acts there (with no job control it only records that suspend
 * is not available): keys act in order, so once it has, every key before it has had its turn.
 */
async function typeBlind(h: Harness, ...keys: string[]): Promise<void> {
  h.store.getState().setMessage(null);
  await h.press(...keys, '\u001a');
  await waitFor(
    () => h.store.getState().ui.message?.text ?? '',
    (t) => t === suspendUnavailable(),
    'ctrl-z after the keys',
  );
}

describe('a terminal too small for the console', () => {
  test('a, tab, enter on a destructive repair the operator cannot see approve nothing, and say nothing', async () => {
    const { h, disk } = await open();
    const before = disk.raw();
    await pickRepair(h, 'close-duplicate fe-dup');
    await h.waitForFrame((f) => f.includes('~ status: "open" → "closed"'), 'its diff on the card');
    await shrink(h, 7, 120);
    await typeBlind(h, 'a', KEYS.tab, KEYS.enter, 'j', '/', 'x', KEYS.esc);
    // Every key was taken (no key waits for a frame while the line shows): still the line alone.
    expect(onlyTooSmall(h.frame()), h.frame()).toBe(true);
    const s = h.store.getState();
    expect(s.ui.mode).toBe('normal');
    expect(s.ui.review).toEqual({});
    expect(s.ui.filters.repairs).toBe('close-duplicate fe-dup');
    resizeTerminal(h.stdout, 40, 120);
    const f = await h.waitForFrame((x) => x.includes('~ status: "open" → "closed"'), 'the card again');
    expect(f.split('\n').find((l) => l.startsWith('>'))).toContain('fe-dup');
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);
  });

  test('space and A with its count at 20×5 mark and approve nothing', async () => {
    const { h, disk } = await open();
    const before = disk.raw();
    await shrink(h, 5, 20);
    await typeBlind(h, ' ', ' ', 'A', '1', KEYS.enter);
    expect(onlyTooSmall(h.frame()), h.frame()).toBe(true);
    expect(h.store.getState().ui.marks.size).toBe(0);
    expect(h.store.getState().ui.mode).toBe('normal');
    expect(h.store.getState().ui.review).toEqual({});
    resizeTerminal(h.stdout, 40, 120);
    await h.waitForFrame((x) => x.includes('REASON') && !x.includes('marked'), 'the queue again, nothing marked');
    expect(disk.raw()).toBe(before);
  });

  test('a confirmation open as it became too small is not answered blind; grown back it shows, focus kept, then enter answers', async () => {
    const { h, disk } = await open();
    const before = disk.raw();
    await pickRepair(h, 'close-duplicate fe-dup');
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('Approve close-duplicate:fe-dup?'), 'the confirmation');
    await h.press(KEYS.tab);
    await h.waitForFrame((x) => x.includes('[ Approve ]'), 'focus on Approve');
    await shrink(h, 7, 120);
    await typeBlind(h, KEYS.enter, KEYS.esc, KEYS.tab);
    expect(onlyTooSmall(h.frame()), h.frame()).toBe(true);
    expect(h.store.getState().ui.mode).toMatchObject({ kind: 'confirm', focus: 'approve' });
    expect(disk.raw()).toBe(before);
    // Enter typed the moment the terminal grows: it waits for the frame that shows the dialog again.
    const drawn = h.stdout.frames.length;
    resizeTerminal(h.stdout, 40, 120);
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('applied close-duplicate:fe-dup'), 'applied');
    const after = h.stdout.frames.slice(drawn);
    const asked = after.findIndex((x) => x.includes('Approve close-duplicate:fe-dup?') && x.includes('[ Approve ]'));
    const applied = after.findIndex((x) => x.includes('applying close-duplicate:fe-dup') || x.includes('applied close-duplicate:fe-dup'));
    expect(asked, 'the dialog drawn again').toBeGreaterThanOrEqual(0);
    expect(asked, 'before it was answered').toBeLessThan(applied);
    expect(disk.bead('fe-dup').status).toBe('closed');
  });

  test('q quits from the too-small line, whatever it hides', async () => {
    const { h } = await open();
    await h.press('/', 'q');
    await h.waitForFrame((x) => x.includes('/q'), 'the filter prompt');
    await shrink(h, 6, 80);
    await h.press('q');
    await h.exited;
  });
});
