// The cursor and the `/` filter: cancelling a filter (esc while typing it), erasing it, or clearing one that matched
// nothing puts the cursor back on the row it was on before the filter was typed, by its key, in every view. Before,
// the cursor kept the place the filter left it at: `/zzz` esc in the repairs view put it on the first row, the card
// of another (destructive) repair under it.
import { describe, expect, test } from 'vitest';
import type { ViewId } from '../../src/console/ui-state.js';
import { endAfterEach } from '../support/teardown.js';
import { DEMO_LATER, demoCity, demoState, storeWith } from './fixture.js';
import { cursorLine, KEYS, renderApp, waitForView, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { selected, status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

/** The demo city as `--demo` opens it weeks after its stale creates began: they head the repairs queue. */
const demoConsole = () => storeWith(demoCity(), { rows: 45, columns: 120, now: DEMO_LATER });

/** The repairs view of the demo city, the cursor on unassign-cross-template-work:dc-w02 (`6`, `jjjjjj`). */
async function onDcW02(): Promise<Harness> {
  const app = (h = renderApp(demoConsole()));
  await app.press('6');
  const f = await app.waitForFrame((x) => x.includes('REASON') && selected(x).includes('rollback-stale-create'), 'the queue');
  expect(selected(f)).toContain('dc-c1a');
  await app.press(...'jjjjjj');
  await onIt(app, 'the row of dc-w02');
  return app;
}

/** The frame with unassign-cross-template-work:dc-w02 under the cursor and on the card, no prompt open. */
function onIt(app: Harness, what: string): Promise<string> {
  return app.waitForFrame(
    (x) =>
      /unassign-cross-template-work\s+R4\s+dc-w02/.test(selected(x)) &&
      x.includes('unassign-cross-template-work:dc-w02  R4') &&
      !x.includes('rollback-stale-create:dc-c1a') &&
      !/^\/\S*/m.test(status(x)),
    what,
  );
}

describe('the repairs view: the card stays on the repair the cursor was on', () => {
  test('a filter that matches nothing, cancelled with esc', async () => {
    const app = await onDcW02();
    await app.press('/', ...'zzz');
    await app.waitForFrame((x) => x.includes('No rows match "zzz"'), 'nothing matches');
    await app.press(KEYS.esc);
    const f = await onIt(app, 'back on dc-w02 after esc');
    expect(f).not.toContain('filter "');
  });

  test('a filter that matches nothing, kept with enter, then cleared with esc', async () => {
    const app = await onDcW02();
    await app.press('/', ...'zzz', KEYS.enter);
    await app.waitForFrame((x) => x.includes('No rows match "zzz"') && !status(x).startsWith('/'), 'kept, matching nothing');
    await app.press(KEYS.esc);
    await onIt(app, 'back on dc-w02 after enter and esc');
  });

  test('erased to nothing: on it again while still typing; enter then keeps it', async () => {
    const app = await onDcW02();
    await app.press('/', ...'zzz');
    await app.waitForFrame((x) => x.includes('No rows match "zzz"'), 'nothing matches');
    await app.press(KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await app.waitForFrame((x) => /unassign-cross-template-work\s+R4\s+dc-w02/.test(selected(x)) && status(x).startsWith('/'), 'erased');
    await app.press(KEYS.enter);
    await onIt(app, 'on dc-w02 after enter');
  });

  test('a filter that hides its row, cancelled: back on it, not on the row the filter showed at its place', async () => {
    const app = await onDcW02();
    await app.press('/', ...'restamp');
    await app.waitForFrame((x) => selected(x).includes('restamp-slot') && x.includes('filter "restamp"'), 'a restamp row');
    await app.press(KEYS.esc);
    await onIt(app, 'back on dc-w02');
  });

  test('a filter that hides its row, kept: the row picked from it stays picked once the filter is cleared', async () => {
    const app = await onDcW02();
    await app.press('/', ...'restamp dc-f3c', KEYS.enter);
    await app.waitForFrame((x) => selected(x).includes('restamp-slot') && !status(x).startsWith('/'), 'the restamp row');
    await app.press(KEYS.esc);
    const f = await app.waitForFrame((x) => !x.includes('filter "') && x.includes('dc-c1a'), 'the whole queue');
    expect(selected(f)).toMatch(/restamp-slot\s+R6\s+dc-f3c/);
    expect(f).toContain('restamp-slot:dc-f3c  R6');
  });
});

describe('every view: esc on a filter that matches nothing puts the cursor back on its row', () => {
  for (const [key, view] of [
    ['1', 'pools'],
    ['3', 'aliases'],
    ['4', 'templates'],
    ['5', 'work'],
    ['8', 'findings'],
    ['2', 'slots'],
  ] as const) {
    test(`${view}`, async () => {
      const app = (h = renderApp(demoConsole()));
      await app.press(key);
      await waitForView(app, view as ViewId);
      await app.press('j');
      await app.waitForFrame(
        (x) => selected(x) === cursorLine(app.store, view) && app.store.getState().ui.cursors[view].index === 1,
        'moved',
      );
      const was = cursorLine(app.store, view);
      await app.press('/', ...'zzz');
      await app.waitForFrame((x) => x.includes('No rows match "zzz"'), 'nothing matches');
      await app.press(KEYS.esc);
      const f = await app.waitForFrame((x) => !x.includes('filter "') && selected(x) !== '', 'the filter cancelled');
      expect(selected(f)).toBe(was);
    });
  }
});

describe('the row the cursor was on is gone when the filter is cleared', () => {
  test('the cursor takes its place, and the status line says where it went', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    const was = 'repair-alias:fe-poison';
    await pickRepair(h, 'repair-alias fe-poison');
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => !x.includes('filter "') && selected(x).includes('fe-poison') && x.includes(`${was}  R5`), 'on it');
    await h.press('/', ...'zzz');
    await h.waitForFrame((x) => x.includes('No rows match "zzz"'), 'nothing matches');
    // Another writer anchors the alias meanwhile: the repair leaves the plan.
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.alias = 'frontend/nux';
    });
    await disk.live.refresh();
    expect(disk.store.getState().current!.plan.repairs.map((r) => r.id)).not.toContain(was);
    await h.press(KEYS.esc);
    const f = await h.waitForFrame((x) => status(x).includes(`${was} is gone`), 'said');
    const now = h.store.getState().ui.cursors.repairs.key!;
    expect(status(f)).toContain(`${was} is gone: the cursor went to ${now}, at its place`);
    expect(f).toContain(`${now}  R`);
  });
});
