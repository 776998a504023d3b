// `q` with repairs marked asks before the marks are lost (they are this session's only); `n`/esc keeps them, `y`
// quits, and ^C never asks. On a real store file, with real keys and frames.
import { describe, expect, test } from 'vitest';
import { demoState } from './fixture.js';
import { expectFits, KEYS, resizeTerminal, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { within } from '../support/wait.js';
import { endAfterEach } from '../support/teardown.js';
import { footer, lines } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

const bar = (f: string) => lines(f).find((l) => / of \d/.test(l)) ?? '';

/** The repairs view with `n` repairs marked (space marks the row and moves down). */
async function marked(n: number) {
  ({ h, disk } = await openRepairs(demoState()));
  for (let i = 1; i <= n; i++) {
    await h.press(' ');
    await h.waitForFrame((x) => bar(x).includes(`${i} marked`), `${i} marked`);
  }
  return { h, disk };
}

/** Whether the console is still mounted a frame after: `exited` has not settled. */
async function stillRunning(h: Harness): Promise<boolean> {
  let gone = false;
  void h.exited.then(() => (gone = true));
  await h.waitForFrame(() => true, 'a frame');
  return !gone;
}

describe('q with repairs marked', () => {
  test('asks first; n and esc keep the marks and say so, y quits', async () => {
    const { h } = await marked(2);
    const marks = [...h.store.getState().ui.marks.keys()];
    await h.press('q');
    let f = await h.waitForFrame((x) => x.includes('2 marked repairs not approved — quit anyway? y/n'), 'the question');
    expect(footer(f)).toMatch(/^y\/\^C quit {2}n\/esc stay/);
    await h.press('n');
    f = await h.waitForFrame((x) => x.includes('not quit: 2 marks kept'), 'kept');
    expect(await stillRunning(h)).toBe(true);
    expect([...h.store.getState().ui.marks.keys()]).toEqual(marks);
    expect(bar(f)).toContain('2 marked');
    // :quit asks as q does; esc stays too.
    await h.press(':', ...'quit', KEYS.enter);
    await h.waitForFrame((x) => x.includes('quit anyway? y/n'), 'the question of :quit');
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => x.includes('not quit: 2 marks kept'), 'kept again');
    expect(await stillRunning(h)).toBe(true);
    await h.press('q');
    await h.waitForFrame((x) => x.includes('quit anyway? y/n'), 'asked again');
    await h.press('y');
    await within(h.exited, 20_000, 'the console to exit on y');
  });

  test('one mark says so in the singular; on a narrow terminal the question wraps without saying it twice', async () => {
    const { h } = await marked(1);
    resizeTerminal(h.stdout, 40, 40);
    await h.press('q');
    const f = await h.waitForFrame((x) => x.includes('quit anyway? y/n'), 'the question');
    expectFits(f, 40, 40);
    expect(f).toContain('1 marked repair not approved');
    expect(f.match(/quit anyway/g)).toHaveLength(1);
  });

  test('a refresh that drops marks while it asks: the question says what a quit drops now, and goes when none is left', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    for (const [i, words] of ['restamp-slot fe-poison', 'wk-orphan'].entries()) {
      await pickRepair(h, words);
      await h.press(' ');
      await h.waitForFrame((x) => bar(x).includes(`${i + 1} marked`), `${words} marked`);
      await h.press(KEYS.esc);
      await h.waitForFrame((x) => !bar(x).includes('filter'), 'the filter cleared');
    }
    await h.press('q');
    await h.waitForFrame((x) => x.includes('2 marked repairs not approved — quit anyway? y/n'), 'the question');
    // fe-poison's restamp changes on disk: its mark goes, and the question counts what is left.
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await disk.live.refresh();
    let f = await h.waitForFrame((x) => x.includes('1 marked repair not approved — quit anyway? y/n'), 'the question follows');
    expect(f).not.toContain('2 marked repairs not approved');
    // The last mark's repair leaves the plan: nothing would be lost, so nothing is asked.
    disk.write((d) => {
      d.beads.find((b) => b.id === 'wk-orphan')!.status = 'closed';
    });
    await disk.live.refresh();
    f = await h.waitForFrame((x) => !x.includes('quit anyway?') && !bar(x).includes('marked'), 'the question gone');
    expect(footer(f)).not.toMatch(/stay/);
    expect(await stillRunning(h)).toBe(true);
    await h.press('q');
    await within(h.exited, 20_000, 'the console to exit on q, nothing marked');
  });

  test('^C quits at once, marks and all', async () => {
    const { h } = await marked(1);
    await h.press('\u0003');
    await within(h.exited, 20_000, 'the console to exit on ^C');
  });

  test('with nothing marked, q quits at once', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await h.press('q');
    await within(h.exited, 20_000, 'the console to exit on q');
  });
});
