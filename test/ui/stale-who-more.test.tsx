// Every place that tells the operator their marks or cards went stale after a refresh says who changed the store, as
// the dropped-mark note does (stale-who.test.tsx): the count prompt on marks, the bulk pane's GONE / CHANGED lines and a
// card's CHANGED line; with several writers since, the newest and how many others.
import { describe, expect, test } from 'vitest';
import { demoState } from './fixture.js';
import { KEYS, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { run } from '../e2e/cli-helpers.js';
import { NOW_ISO } from '../support/builders.js';
import { endAfterEach } from '../support/teardown.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

/** The frame as one line of words (a message or pane line folded over several lines reads whole). */
const words = (f: string) => f.replace(/\s+/g, ' ');
const LATER_ISO = '2026-05-06T02:14:00Z';

/** A headless `gc-tui apply` of one repair on the console's store file, by `who` at `at`. */
function applied(on: OnDisk, repair: string, who: string, at = NOW_ISO): void {
  const done = run(['apply', '--store', on.file, '--repair', repair, '--by', who, '--now', at]);
  expect(done.code, done.stderr).toBe(0);
}

const byLine = (who: string, at: string, repair: string) => `changed on disk by ${who} at ${at} (gc-tui apply of ${repair})`;

/** `repairs` (kind and bead, as pickRepair finds them) marked one by one, then `A`: the count prompt open on them. */
async function countPromptOn(h: Harness, repairs: readonly string[]): Promise<void> {
  for (const repair of repairs) {
    const marked = h.store.getState().ui.marks.size;
    await pickRepair(h, repair);
    await h.press(' ');
    await h.waitForFrame(() => h.store.getState().ui.marks.size === marked + 1, `${repair} marked`);
    await h.press(KEYS.esc);
  }
  await h.press('A');
  await h.waitForFrame((x) => words(x).includes(`Type ${repairs.length} to approve`), 'the count prompt');
}

describe('who changed the store, where a refresh leaves marks or cards stale', () => {
  // The message above a prompt has one line: wide enough for all of it.
  test('the count prompt on marks: the newest writer, and how many others', async () => {
    ({ h, disk } = await openRepairs(demoState(), { rows: 40, columns: 320 }));
    await countPromptOn(h, ['restamp-slot fe-poison', 'close-duplicate fe-dup', 'release-orphaned-work wk-orphan']);
    applied(disk, 'restamp-slot:fe-poison', 'alice');
    applied(disk, 'close-duplicate:fe-dup', 'bob', LATER_ISO);
    await disk.live.refresh();
    const f = await h.waitForFrame((x) => words(x).includes('type 1 to approve the rest'), 'two left out');
    expect(words(f)).toMatch(/2 marked repairs changed or left the plan \([^)]*\): left out; type 1 to approve the rest; /);
    expect(words(f)).toContain(`; ${byLine('bob', LATER_ISO, 'close-duplicate:fe-dup')} (+1 other write since, by alice)`);
  });

  // At a common width the note above the count prompt takes two lines: what happened at its start, and who changed the
  // store at its end (one line cut off who); the prompt below still says what to type.
  test('the count prompt on marks at 120 columns: the note says what happened and who changed the store', async () => {
    ({ h, disk } = await openRepairs(demoState(), { rows: 40, columns: 120 }));
    await countPromptOn(h, ['restamp-slot fe-poison', 'close-duplicate fe-dup']);
    applied(disk, 'close-duplicate:fe-dup', 'bob', LATER_ISO);
    await disk.live.refresh();
    const f = await h.waitForFrame((x) => words(x).includes('Type 1 to approve'), 'one left out');
    expect(words(f)).toContain('1 marked repair changed or left the plan (close-duplicate:fe-dup): left out');
    expect(words(f)).toContain(byLine('bob', LATER_ISO, 'close-duplicate:fe-dup'));
    expect(f.split('\n').length).toBeLessThanOrEqual(40);
  });

  const outsideTime = String.raw`changed on disk outside gc-tui \(no audit line names it\), the file last written at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`;
  const escaped = (text: string) => text.replace(/[()]/g, '\\$&');

  test.each([
    [
      'GONE line names the headless apply that took the repair away',
      (on: OnDisk) => applied(on, 'restamp-slot:fe-poison', 'alice'),
      `GONE, left out: restamp-slot:fe-poison is no longer proposed \\(${escaped(byLine('alice', NOW_ISO, 'restamp-slot:fe-poison'))}\\); listed`,
      escaped(byLine('alice', NOW_ISO, 'restamp-slot:fe-poison')),
    ],
    [
      "CHANGED line says a writer with no audit line, and the file's time",
      (on: OnDisk) =>
        on.write((d) => {
          d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
        }),
      `CHANGED, left out: restamp-slot:fe-poison \\(${outsideTime}\\) — listed`,
      outsideTime,
    ],
  ])("the bulk pane's %s", async (_what, write, line, who) => {
    ({ h, disk } = await openRepairs(demoState(), { rows: 40, columns: 320 }));
    await h.press('/', ...'frontend', KEYS.enter);
    await h.waitForFrame((x) => !x.includes('/frontend'), 'the frontend repairs');
    await h.press('A');
    await h.waitForFrame((x) => words(x).includes('Type 4 to approve these 4 repairs'), 'the pane');
    write(disk);
    await disk.live.refresh();
    const f = await h.waitForFrame((x) => words(x).includes('left out: restamp-slot:fe-poison'), 'the repair left out');
    expect(words(f)).toMatch(new RegExp(line));
    expect(words(f)).toMatch(new RegExp(`1 listed repair changed or left the plan \\(restamp-slot:fe-poison\\): left out; .*; ${who}`));
  });

  test("a card's CHANGED line: a writer with no audit line leaves the file's time", async () => {
    ({ h, disk } = await openRepairs(demoState(), { rows: 40, columns: 200 }));
    await pickRepair(h, 'restamp-slot fe-poison');
    await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'the diff as opened');
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await disk.live.refresh();
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('CHANGED since you opened it'), 'the card changed');
    expect(words(f)).toMatch(new RegExp(`CHANGED since you opened it: ${outsideTime} — a acknowledges`));
  });
});
