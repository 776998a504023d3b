// The card's status line names its keys from the keymap, as the footer does: a key or a label renamed in the registry
// is renamed on the card too (it once said `a approve · r reject · s skip` in words of its own).
import { describe, expect, test } from 'vitest';
import { installKeymap, rebound } from '../../src/ui/keymap.js';
import { cardWindow } from '../../src/ui/review/card.js';
import { notOnScreenText } from '../../src/ui/review/selection.js';
import { REVIEW_STATUS } from '../../src/ui/review/status.js';
import { endAfterEach } from '../support/teardown.js';
import { demoState } from './fixture.js';
import { lineOf, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { footer } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

// The keys are renamed in a registry of the test's own (rebound: new rows, the shipped ones untouched), installed for
// the console it renders (renderApp's keymap) or for the test (installKeymap); test/support/keymap-reset.ts puts the
// shipped one back after each test, so nothing renamed here reaches another test or file.
describe("the card's status line", () => {
  test('says the keys and labels the keymap gives the decisions, as the footer does', async () => {
    const keymap = rebound([
      { scope: 'repairs', action: 'approve', keys: ['x'], hint: 'allow' },
      { scope: 'repairs', action: 'skip', keys: ['S'], hint: 'pass' },
    ]);
    ({ h, disk } = await openRepairs(demoState(), { columns: 140, keymap }));
    await pickRepair(h, 'fe-poison');
    const f = await h.waitForFrame((x) => /^x allow/.test(footer(x)) && x.includes('UNDECIDED'), 'the renamed keys');
    expect(lineOf(f, 'UNDECIDED')).toContain('UNDECIDED — x allow · r reject · S pass');
    expect(lineOf(f, 'UNDECIDED')).not.toMatch(/a approve|s skip/);
  });

  test('and the sentences that name a key (a refusal, the more-lines note, the off-screen diff) read it from the keymap', () => {
    installKeymap(
      rebound([
        { scope: 'repairs', action: 'reopen', keys: ['O'] },
        { scope: 'repairs', action: 'open-card', keys: ['v'] },
        { scope: 'card', action: 'card-down', keys: ['J', 'down'] },
        { scope: 'card', action: 'card-up', keys: ['K', 'up'] },
      ]),
    );
    expect(REVIEW_STATUS.rejected.refusal?.('r:1')).toBe('r:1 is rejected: O reopens it');
    const lines = Array.from({ length: 10 }, (_, i) => ({ text: `line ${i}` }));
    expect(cardWindow(lines, 4, 0, true, 40).body.at(-1)?.text).toBe('… 7 more line(s) — J/K scroll');
    expect(cardWindow(lines, 4, 0, false, 40).body.at(-1)?.text).toBe('… 7 more line(s) — v shows the full card');
    expect(notOnScreenText('r:1', true, 'nothing approved')).toContain('J/K scroll through it');
    expect(notOnScreenText('r:1', false, 'nothing approved')).toContain('v opens the full card');
  });
});
