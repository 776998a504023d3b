// The card the selection moved on to by itself after a decision: while its decisions wait out their moment
// (MOVED_ON_DWELL_MS), nothing on screen offers them, the card no more than the footer; once it has passed, all do.
import { describe, expect, test } from 'vitest';
import { MOVED_ON_DWELL_MS } from '../../src/ui/actions.js';
import { until } from '../support/wait.js';
import { endAfterEach } from '../support/teardown.js';
import { demoState } from './fixture.js';
import { KEYS, lineOf, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { footer } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

const OFFERS = /\ba approve|\br reject|space mark|\bo reopen/;

/** fe-poison's alias repair approved (full card or not): the selection moves on to its restamp by itself. */
async function approveMovingOn(full: boolean, columns = 140): Promise<Harness> {
  ({ h, disk } = await openRepairs(demoState(), { columns }));
  await pickRepair(h, 'fe-poison');
  if (full) {
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('esc back') && x.includes('repair-alias:fe-poison'), 'the full card');
  }
  await h.press('a');
  await until(() => disk!.store.getState().ui.movedOnShown?.id === 'restamp-slot:fe-poison', 'the moved-on card drawn');
  return h;
}

describe('a card the selection moved on to by itself', () => {
  test('its status line does not offer a or r until its moment has passed, as the footer', async () => {
    const h = await approveMovingOn(false);
    const f = await h.waitForFrame((x) => x.includes('restamp-slot:fe-poison  ') && x.includes('~ metadata.pool_slot'), 'its card');
    const line = lineOf(f, 'UNDECIDED');
    expect(line).not.toMatch(OFFERS);
    // The last undecided repair the filter shows: `s skip` would go nowhere, so it is not offered either.
    expect(line.trimEnd()).toMatch(/UNDECIDED — read it first$/);
    expect(footer(f)).not.toMatch(OFFERS);
    h.pass(MOVED_ON_DWELL_MS);
    const g = await h.waitForFrame((x) => /a approve .*r reject/.test(footer(x)), 'the decisions offered again');
    expect(lineOf(g, 'UNDECIDED').trimEnd()).toMatch(/a approve · r reject$/);
  });

  test("the full card's title bar and status line do not offer a or r until its moment has passed", async () => {
    const h = await approveMovingOn(true);
    const f = await h.waitForFrame((x) => x.includes('restamp-slot:fe-poison  ') && x.includes('~ metadata.pool_slot'), 'its card');
    const title = lineOf(f, 'esc back');
    expect(title).toContain('Repair card');
    expect(title).not.toMatch(OFFERS);
    expect(lineOf(f, 'UNDECIDED')).not.toMatch(OFFERS);
    expect(footer(f)).not.toMatch(OFFERS);
    h.pass(MOVED_ON_DWELL_MS);
    const g = await h.waitForFrame((x) => /a approve/.test(lineOf(x, 'esc back')), 'the title bar offers them again');
    expect(lineOf(g, 'esc back')).toMatch(/a approve · r reject/);
    expect(lineOf(g, 'UNDECIDED').trimEnd()).toMatch(/a approve · r reject$/);
  });
});
