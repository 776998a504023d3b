// "Approve exactly what you saw": the card follows a repair id from the first frame, marks a diff that a
// refresh changed (the first `a` only acknowledges it, a second approves), stays on a repair that left the
// plan until the operator moves (or that a refresh hid behind the filter: before, the next row took its place on the
// card and `a` approved that one), and a bulk approval applies the set that was listed when `A` was pressed.
// Everything runs on a real store file; outside writers change it behind the console's back.
import { describe, expect, test } from 'vitest';
import { pooled, work } from '../support/builders.js';
import { endAfterEach } from '../support/teardown.js';
import { demoState } from './fixture.js';
import { viewModel } from '../../src/ui/views/registry.js';
import { idOfSelection } from '../../src/ui/inspect.js';
import { expectFits, KEYS, renderApp, resizeTerminal, type Harness } from './render.js';
import { onDisk, openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { run } from '../e2e/cli-helpers.js';
import { selected, status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

async function open(opts: Parameters<typeof onDisk>[1] = {}) {
  ({ h, disk } = await openRepairs(demoState(), opts));
  return { h, disk };
}

/** Change the file from outside and have the console re-read it (its watcher is off in these tests). */
async function outside(d: OnDisk, mutate: Parameters<OnDisk['write']>[0]) {
  d.write(mutate);
  await d.live.refresh();
}

const pick = (words: string) => pickRepair(h!, words);

/** `a` on the card shown, then Approve focused in the confirmation of repair `id`. */
async function confirmFocused(id: string) {
  await h!.press('a', KEYS.tab);
  await h!.waitForFrame((x) => status(x).includes(`Approve ${id}?`) && x.includes('[ Approve ]'), 'Approve focused');
}

describe('the card follows the repair id', () => {
  test('from the first frame: a repair inserted above the cursor never changes the open card, and a approves the one shown', async () => {
    const { h, disk } = await open();
    // No key moved the cursor: the first row's card is open.
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('Repair card') && x.includes('release-orphaned-work:wk-orphan'), 'the first card');
    // An asleep duplicate of backend/worker slot 1 appears: its close-duplicate sorts above the open card's row.
    await outside(disk, (d) => {
      d.beads.push(
        pooled(
          'be-dup2',
          'backend/worker',
          { agent_name: 'backend/worker-1', alias: '', pool_slot: '1', state: 'asleep' },
          { created_at: '2026-05-06T02:09:00Z' },
        ),
      );
    });
    expect(disk.store.getState().current!.plan.repairs.map((r) => r.id)).toContain('close-duplicate:be-dup2');
    let f = await h.waitForFrame((x) => x.includes('Repair card'), 'the card after the refresh');
    expect(f).toContain('release-orphaned-work:wk-orphan');
    expect(f).not.toContain('close-duplicate:be-dup2');
    // Back in the queue the cursor is still on it, one row lower.
    await h.press(KEYS.esc);
    f = await h.waitForFrame((x) => x.includes('REASON'), 'the queue');
    expect(selected(f)).toContain('wk-orphan');
    // a asks about the repair on the card (a destructive one asks first), not the one inserted above it.
    await h.press('a');
    f = await h.waitForFrame((x) => status(x).startsWith('Approve '), 'the confirmation');
    expect(status(f)).toContain('Approve release-orphaned-work:wk-orphan?');
  });

  test('a repair that leaves the plan stays on its card, marked gone; a writes nothing; the next move goes on', async () => {
    const { h, disk } = await open();
    await pick('restamp-slot fe-poison');
    await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'the diff');
    // Someone restamps the bead to its owned slot: the repair is no longer proposed.
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '2';
    });
    await h.press(KEYS.esc); // clear the filter: the list shows every repair again
    let f = await h.waitForFrame((x) => x.includes('GONE: the plan no longer proposes it'), 'the gone card');
    expect(f).toContain('restamp-slot:fe-poison');
    expect(f).toContain('What you saw (not applied):');
    expect(selected(f)).toBe(''); // no other row pretends to be the selected one
    const before = disk.raw();
    await h.press('a');
    f = await h.waitForFrame((x) => status(x).includes('no longer proposed'), 'the refusal');
    expect(status(f)).toContain('restamp-slot:fe-poison is no longer proposed: nothing to approve');
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);
    await h.press('j');
    f = await h.waitForFrame((x) => !x.includes('GONE:') && selected(x) !== '', 'the next repair');
    expect(f).not.toContain('restamp-slot:fe-poison');
  });

  test('a repair another gc-tui applied after the card showed it: the gone card says who applied it and when', async () => {
    const { h, disk } = await open();
    await pick('restamp-slot fe-poison');
    await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'the diff');
    // A second operator applies it with the headless apply, which writes the audit log this console reads.
    const done = run(['apply', '--store', disk.file, '--repair', 'restamp-slot:fe-poison', '--yes', '--by', 'bo']);
    expect(done.code, done.stderr).toBe(0);
    const entry = disk.audit().find((e) => e.repair === 'restamp-slot:fe-poison')!;
    await disk.live.refresh();
    await h.press(KEYS.esc);
    const f = await h.waitForFrame((x) => x.includes('GONE: the plan no longer proposes it'), 'the gone card');
    expect(f.replace(/\s+/g, ' ')).toContain(`GONE: the plan no longer proposes it (applied by bo at ${entry.time} (gc-tui apply))`);
    expect(f).toContain('What you saw (not applied from here):');
    expect(f).not.toContain('someone fixed it');
  });

  test('a filter typed on a gone card moves the cursor to a row it shows, whose card a then decides', async () => {
    const { h, disk } = await open();
    await pick('repair-alias fe-poison');
    await h.waitForFrame((x) => x.includes('~ metadata.alias: "backend/worker-4" → "frontend/nux"'), 'the diff');
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => !x.includes('filter "') && selected(x).includes('fe-poison'), 'the queue, on it');
    // Someone anchors the alias: the repair leaves the plan, its card stays, marked.
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.alias = 'frontend/nux';
    });
    await h.waitForFrame((x) => x.includes('GONE: the plan no longer proposes it') && selected(x) === '', 'the gone card');
    await h.press('/', ...'restamp', KEYS.enter);
    const f = await h.waitForFrame((x) => selected(x).includes('restamp-slot') && !x.includes('/restamp'), 'a row of the filter selected');
    expect(f).not.toContain('GONE:');
    const [, bead] = /restamp-slot\s+R\d\s+(\S+)/.exec(selected(f))!;
    expect(f).toContain(`restamp-slot:${bead}  R6`);
    const before = disk.raw();
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes(`applied restamp-slot:${bead}`), 'the selected row applied');
    expect(disk.raw()).not.toBe(before);
  });
});

/** restamp-slot:fe-poison on the full card, its diff seen, then changed from outside: the frame marking it CHANGED. */
async function openChanged(h: Harness, disk: OnDisk): Promise<string> {
  await pick('restamp-slot fe-poison');
  await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'the diff as opened');
  await outside(disk, (d) => {
    d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
  });
  await h.press(KEYS.enter);
  return h.waitForFrame((x) => x.includes('CHANGED since you opened it'), 'the changed mark');
}

/** restamp-slot:fe-poison's diff on screen, then `r` and `text` typed into its reject prompt. */
async function typeReason(h: Harness, text: string): Promise<void> {
  await pick('restamp-slot fe-poison');
  await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'the diff as opened');
  await h.press('r', ...text);
  await h.waitForFrame((x) => status(x).trimEnd().endsWith(`— reason (optional, enter records): ${text}`), 'the typed reason');
}

describe('the seen version', () => {
  test('a refresh that changes the open diff is marked; the first a writes nothing, the second applies the new version', async () => {
    const { h, disk } = await open();
    let f = await openChanged(h, disk);
    let lines = f.split('\n');
    const opened = lines.findIndex((l) => l.includes('You opened (not applied):'));
    expect(lines[opened + 1]).toContain('~ metadata.pool_slot: "3" → "2"');
    expect(f).toMatch(/Now proposed:\n\s+~ metadata\.pool_slot: "7" → "2"/);
    const bytes = disk.raw();
    await h.press('a');
    f = await h.waitForFrame((x) => status(x).includes('acknowledged the new diff of restamp-slot:fe-poison'), 'the acknowledgement');
    expect(disk.raw()).toBe(bytes);
    expect(disk.audit()).toEqual([]);
    expect(f).not.toContain('CHANGED since you opened it');
    await h.press('a');
    f = await h.waitForFrame((x) => status(x).includes('applied restamp-slot:fe-poison'), 'applied');
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('2');
    expect(disk.audit()).toMatchObject([
      { repair: 'restamp-slot:fe-poison', result: 'applied', changes: [{ field: 'metadata.pool_slot', before: '7', after: '2' }] },
    ]);
    lines = f.split('\n');
    expect(lines.some((l) => l.includes('APPLIED'))).toBe(true);
  });

  test('r and a reason typed ahead on a changed diff: r only acknowledges, and the reason never runs as keys (its a would approve)', async () => {
    const { h, disk } = await open();
    await openChanged(h, disk);
    const bytes = disk.raw();
    await h.press('ralready ok\r');
    const f = await h.waitForFrame((x) => status(x).includes('keys typed after it ignored'), 'the keys after r dropped');
    expect(status(f)).toContain('acknowledged the new diff of restamp-slot:fe-poison');
    expect(disk.raw()).toBe(bytes);
    expect(disk.audit()).toEqual([]);
    expect(disk.decisions()).toEqual([]);
  });

  test('a reason typed while a refresh changes the diff: the prompt says so, enter records nothing and keeps the reason; r brings it back', async () => {
    const { h, disk } = await open();
    await typeReason(h, 'slot 3 on purpose');
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    // The prompt stays open with what was typed, and says the diff it asks about changed: before enter, not after.
    let f = await h.waitForFrame((x) => status(x).includes('Reject restamp-slot:fe-poison — its diff CHANGED'), 'the prompt marked');
    expect(status(f)).toContain('CHANGED, see the card; enter records nothing and keeps the reason: slot 3 on purpose');
    expect(f).toMatch(/Now proposed:\n\s+~ metadata\.pool_slot: "7" → "2"/);
    const bytes = disk.raw();
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => status(x).includes('nothing recorded'), 'enter records nothing');
    expect(status(f)).toBe(
      'the diff of restamp-slot:fe-poison changed while you typed (see the card): nothing recorded; reason kept for the next r on it',
    );
    expect(disk.raw()).toBe(bytes);
    expect(disk.decisions()).toEqual([]);
    expect(disk.audit()).toEqual([]);
    // r acknowledges the new diff (as for a); the next r opens the prompt with the reason, the caret at its end.
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('acknowledged the new diff of restamp-slot:fe-poison'), 'the acknowledgement');
    await h.press('r');
    await h.waitForFrame((x) => status(x).endsWith('— reason (optional, enter records): slot 3 on purpose'), 'the reason back');
    await h.press(...', still', KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> rejected'), 'rejected');
    expect(disk.decisions()).toMatchObject([
      {
        repair: 'restamp-slot:fe-poison',
        decision: 'rejected',
        reason: 'slot 3 on purpose, still',
        changes: [{ before: '7', after: '2' }],
      },
    ]);
  });

  test('at 80×24, a reason typed while its repair leaves the plan: the prompt says so before enter, which records nothing', async () => {
    const { h, disk } = await open({ columns: 80, rows: 24 });
    await typeReason(h, 'not now');
    // Someone restamps the bead: the repair is no longer proposed.
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '2';
    });
    let f = await h.waitForFrame((x) => status(x).trimEnd() === 'GONE: not now', 'the prompt marked');
    expectFits(f, 80, 24);
    expect(f.replace(/\s+/g, ' ')).toContain(
      'Reject restamp-slot:fe-poison — no longer proposed; enter records nothing and keeps the reason:',
    );
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => status(x).includes('for the next r on it'), 'enter records nothing');
    expect(f.replace(/\s+/g, ' ')).toContain(
      'restamp-slot:fe-poison is no longer proposed: nothing recorded; reason kept for the next r on it',
    );
    expect(disk.decisions()).toEqual([]);
  });

  test('a reason enter cannot record (the diff cut off the screen by a resize) is kept, and r on that repair brings it back', async () => {
    const { h, disk } = await open();
    await typeReason(h, 'later');
    // 40×10 leaves the card under the queue no room for the diff.
    resizeTerminal(h.stdout, 10, 40);
    await h.waitForFrame((x) => x.split('\n').length === 9, 'the small terminal');
    await h.press(KEYS.enter);
    // Over the two lines above the footer, even at 40×10: cut in its middle, why (not all on screen), what was not done
    // and what was kept whole.
    await h.waitForFrame(
      (x) => x.split('\n').slice(-3, -1).join(' ') === '…not all on screen…; nothing recorded; reason kept for the next r on it',
      'enter records nothing',
    );
    expect(disk.decisions()).toEqual([]);
    // Back at full size the whole message reads (over the two lines above the footer).
    resizeTerminal(h.stdout, 40, 140);
    const f = await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'the diff on screen again');
    expect(f.split('\n').slice(-3, -1).join(' ').replace(/\s+/g, ' ')).toBe(
      'the change of restamp-slot:fe-poison is not all on screen: enter opens the full card, or make the terminal taller; nothing recorded; reason kept for the next r on it',
    );
    await h.press('r');
    await h.waitForFrame((x) => status(x).endsWith('(optional, enter records): later'), 'the reason back');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> rejected'), 'rejected');
    expect(disk.decisions()).toMatchObject([{ repair: 'restamp-slot:fe-poison', reason: 'later' }]);
  });

  test('a clear-conflicting-alias whose alias changed from outside is marked, and acknowledging it writes nothing', async () => {
    const state = demoState();
    // be-four wants backend/worker-4, held by fe-poison's alias: with a wrong alias of its own it gets a clear.
    state.beads.find((b) => b.id === 'be-four')!.metadata!.alias = 'fw-old';
    disk = await onDisk(state);
    h = renderApp(disk.store, { services: disk.live.services });
    await h.press('6');
    await h.waitForFrame((f) => f.includes('REASON'), 'the repairs view');
    await pick('clear-conflicting-alias be-four');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('- metadata.alias: "fw-old" → ""'), 'the clear as opened');
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'be-four')!.metadata!.alias = 'fw-other';
    });
    const f = await h.waitForFrame((x) => x.includes('CHANGED since you opened it'), 'the changed mark');
    expect(f).toContain('- metadata.alias: "fw-other" → ""');
    const bytes = disk.raw();
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('acknowledged'), 'acknowledged');
    expect(disk.raw()).toBe(bytes);
    // Cleared from outside: nothing left to clear, the card says so.
    await outside(disk, (d) => {
      delete d.beads.find((b) => b.id === 'be-four')!.metadata!.alias;
    });
    const gone = await h.waitForFrame((x) => x.includes('GONE:'), 'the clear is gone (nothing to clear)');
    expect(gone).toContain('What you saw (not applied):');
  });

  test('an absent alias and an empty one read the same on a card: "" in the bead line and in the diff', async () => {
    const state = demoState();
    state.beads.push(pooled('fe-absent', 'frontend/worker', { agent_name: 'frontend/slit', pool_slot: '3' }));
    state.beads.find((b) => b.id === 'fe-ok')!.metadata!.alias = '';
    delete state.beads.find((b) => b.id === 'fe-absent')!.metadata!.alias;
    disk = await onDisk(state);
    h = renderApp(disk.store, { services: disk.live.services });
    await h.press('6');
    await h.waitForFrame((f) => f.includes('REASON'), 'the repairs view');
    for (const [id, identity] of [
      ['fe-absent', 'frontend/slit'],
      ['fe-ok', 'frontend/furiosa'],
    ] as const) {
      await pick(`repair-alias ${id}`);
      await h.press(KEYS.enter);
      const f = await h.waitForFrame((x) => x.includes('Repair card') && x.includes(`repair-alias:${id}`), `the card of ${id}`);
      expect(f).toContain(`alias "" · agent_name "${identity}"`);
      expect(f).toContain(`+ metadata.alias: "" → "${identity}"`);
      expect(f).not.toContain('(absent)');
      await h.press(KEYS.esc, KEYS.esc);
      await h.waitForFrame((x) => x.includes('enter: full card') && !x.includes('/repair-alias'), 'the queue, unfiltered');
    }
  });

  test('a destructive approval whose repair changes while the confirmation is open writes nothing', async () => {
    const { h, disk } = await open();
    await pick('close-duplicate fe-dup');
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('Approve close-duplicate:fe-dup?'), 'the confirmation');
    // The duplicate wakes up: a live duplicate is never closed.
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'fe-dup')!.metadata!.state = 'active';
    });
    // The confirmation says so at once, before enter.
    const f = await h.waitForFrame((x) => status(x).includes('no longer proposed'), 'the confirmation marked');
    expect(status(f)).toMatch(/^Approve close-duplicate:fe-dup — no longer proposed: enter writes nothing\./);
    const bytes = disk.raw();
    await h.press(KEYS.tab, KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('close-duplicate:fe-dup is no longer proposed: nothing written'), 'the refusal');
    expect(disk.raw()).toBe(bytes);
    expect(disk.bead('fe-dup').status).toBe('open');
  });

  test('a confirmation whose diff a refresh changes says CHANGED at once, focus kept; enter then writes nothing', async () => {
    const { h, disk } = await open();
    await pick('release-orphaned-work wk-orphan');
    await h.waitForFrame((x) => x.includes('- assignee: "gone-session" → ""'), 'its diff');
    await confirmFocused('release-orphaned-work:wk-orphan');
    // Another session name is recorded as its assignee: still orphaned, another diff.
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'wk-orphan')!.assignee = 'gone-elsewhere';
    });
    const f = await h.waitForFrame((x) => status(x).includes('CHANGED'), 'the confirmation marked');
    expect(status(f)).toMatch(/^Approve release-orphaned-work:wk-orphan — its diff CHANGED, see the card: enter writes nothing\./);
    expect(status(f)).toContain('[ Approve ]');
    const bytes = disk.raw();
    await h.press(KEYS.enter);
    await h.waitForFrame(
      (x) => status(x).includes('the diff of release-orphaned-work:wk-orphan changed while you chose (see the card): nothing written'),
      'the refusal',
    );
    expect(disk.raw()).toBe(bytes);
    expect(disk.audit()).toEqual([]);
  });

  test('a confirmation whose blast radius a refresh changes (live work assigned meanwhile) says CHANGED with what; enter only acknowledges, then approves', async () => {
    const { h, disk } = await open();
    await pick('rollback-stale-create be-stale');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('no live work is assigned to this bead'), 'the full card, its blast radius');
    await confirmFocused('rollback-stale-create:be-stale');
    // Live work gets assigned to the stale create by an outside write: the same diff, another picture.
    await outside(disk, (d) => {
      d.beads.push(work('wk-new', { route: 'backend/worker', assignee: 'be-stale', status: 'in_progress' }));
    });
    let f = await h.waitForFrame((x) => x.includes('blast radius CHANGED'), 'the confirmation marked');
    const text = f.replace(/\s+/g, ' ');
    expect(text).toContain(
      'now live work assigned to this bead: wk-new; no longer: no live work is assigned to this bead; enter only acknowledges it, writes nothing.',
    );
    expect(status(f)).toMatch(/^Approve rollback-stale-create:be-stale — its blast radius CHANGED: +Cancel +\[ Approve \]/);
    // On a terminal 8 rows tall (one line for it) it still says so, and both buttons stay.
    resizeTerminal(h.stdout, 8, 60);
    f = await h.waitForFrame((x) => x.split('\n').length <= 7 && status(x).includes('CHANGED'), 'the one-line confirmation');
    expectFits(f, 60, 8);
    expect(status(f)).toMatch(/^Radius CHANGED: enter acknowledges: +Cancel +\[ ?Approve ?\]/);
    resizeTerminal(h.stdout, 40, 140);
    await h.waitForFrame((x) => x.includes('no longer: no live work'), 'the full size again');
    const bytes = disk.raw();
    // enter acknowledges: nothing written, the confirmation stays on the new picture with Cancel focused.
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('acknowledged the new blast radius'), 'the acknowledgement');
    expect(status(f)).toMatch(/^Approve rollback-stale-create:be-stale\? .*\[ Cancel \]/);
    expect(f).toContain('live work assigned to this bead: wk-new');
    expect(disk.raw()).toBe(bytes);
    expect(disk.audit()).toEqual([]);
    // Now it approves, on the picture it shows.
    await h.press(KEYS.tab, KEYS.enter);
    await h.waitForFrame(() => disk.bead('be-stale').status === 'closed', 'the rollback written');
    expect(disk.audit().map((a) => `${a.repair} ${a.result}`)).toEqual(['rollback-stale-create:be-stale applied']);
  });

  test('read-only: the card offers no decision keys', async () => {
    const { h } = await open({ readOnly: true });
    await pick('restamp-slot fe-poison');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('Repair card'), 'the card');
    expect(f).toContain('read-only: decisions are refused');
    expect(f).not.toMatch(/a approve/);
    expect(f).not.toMatch(/r reject/);
  });
});

describe('bulk approval', () => {
  test('the pane lists the set A was pressed on; a refresh that changes one leaves it out, and the count drops; one batch', async () => {
    const { h, disk } = await open();
    await h.press('/', ...'frontend', KEYS.enter);
    await h.waitForFrame((x) => !x.includes('/frontend') && selected(x).includes('frontend'), 'the frontend repairs');
    await h.press('A');
    const pane = await h.waitForFrame((x) => /^Type 4 to approve these 4 repairs/.test(status(x)), 'the pane, read');
    expect(pane).toContain('DESTRUCTIVE — 1 close bead: each closes its bead; this cannot be undone');
    expect(pane).toContain('restamp-slot:fe-poison · frontend/worker');
    expect(pane).toContain('~ metadata.pool_slot: "3" → "2"');
    // Meanwhile: one listed repair changes, and a new frontend repair appears.
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
      d.beads.push(pooled('fe-new', 'frontend/worker', { agent_name: 'frontend/slit', alias: 'frontend/slit', pool_slot: '9' }));
    });
    expect(disk.store.getState().current!.plan.repairs.map((r) => r.id)).toContain('restamp-slot:fe-new');
    const f = await h.waitForFrame((x) => x.includes('CHANGED, left out: restamp-slot:fe-poison'), 'the change marked');
    expect(status(f)).toContain('Type 3 to approve these 3 repairs (1 changed or gone since listed, left out; 1 new since, not listed)');
    expect(f).toContain('now proposed (esc, then A, lists it again):');
    expect(f).toContain('~ metadata.pool_slot: "7" → "2"');
    expect(f).not.toContain('fe-new');
    await h.press('3', KEYS.enter);
    const done = await h.waitForFrame((x) => /\d+ applied, \d+ stale/.test(status(x)), 'the bulk outcome');
    expect(status(done)).toContain('3 applied, 0 stale');
    // The new repair was never listed: not applied. The changed one was left out.
    expect(disk.bead('fe-new').metadata!.pool_slot).toBe('9');
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('7');
    const audit = disk.audit();
    expect(audit.map((a) => `${a.repair} ${a.result}`).sort()).toEqual([
      'close-duplicate:fe-dup applied',
      'repair-alias:fe-poison applied',
      'unassign-cross-template-work:wk-cross applied',
    ]);
    const batches = new Set(audit.map((a) => a.batch));
    expect(batches.size).toBe(1);
    expect([...batches][0]).toMatch(/\S{8,}/);
  });
});

/** The frontend pool's repairs under the filter, the cursor on fe-poison's restamp with its card drawn. */
async function frontendRestamp(h: Harness): Promise<void> {
  await h.press('/', ...'frontend', KEYS.enter);
  let f = await h.waitForFrame((x) => !x.includes('/frontend') && selected(x).includes('frontend'), 'the frontend repairs');
  for (let i = 0; i < 8 && !selected(f).includes('restamp-slot'); i++) {
    await h.press('j');
    f = await h.waitForFrame((x) => selected(x) !== selected(f), 'the next row');
  }
  await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'its card');
}

describe('A without marks', () => {
  test('leaves out the selected repair whose diff changed since its card showed it, and says so', async () => {
    const { h, disk } = await open();
    await frontendRestamp(h);
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await h.waitForFrame((x) => x.includes('CHANGED since you opened it'), 'the changed mark');
    await h.press('A');
    const f = await h.waitForFrame((x) => /^Type \d+ to approve/.test(status(x)), 'the count prompt');
    expect(status(f)).toContain('Type 3 to approve these 3 repairs (1 changed since shown on its card, left out)');
    expect(f).not.toContain('restamp-slot:fe-poison');
    await h.press('3', KEYS.enter);
    await h.waitForFrame((x) => /\d+ applied/.test(status(x)), 'the bulk outcome');
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('7');
    expect(disk.audit().map((a) => a.repair)).not.toContain('restamp-slot:fe-poison');
    expect(disk.audit()).toHaveLength(3);
  });

  test('leaves out a repair whose diff changed after its card showed it, though the cursor moved on', async () => {
    const { h, disk } = await open();
    await frontendRestamp(h);
    await h.press('k');
    await h.waitForFrame((x) => !selected(x).includes('restamp-slot'), 'another card');
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await h.press('A');
    const f = await h.waitForFrame((x) => /^Type \d+ to approve/.test(status(x)), 'the count prompt');
    expect(status(f)).toContain('Type 3 to approve these 3 repairs (1 changed since shown on its card, left out)');
  });
});

describe('the selected repair hidden by the filter after a refresh', () => {
  test('keeps its card, marked; a and space decide nothing; a move goes on in the list', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    // The backend pool's repairs, and fe-poison's alias repair: its alias is backend/worker-4.
    await h.press('/', ...'backend', KEYS.enter);
    let f = await h.waitForFrame((x) => x.includes('filter "backend"') && !x.includes('/backend'), 'filtered');
    for (let i = 0; i < 8 && !selected(f).includes('fe-poison'); i++) {
      await h.press('j');
      f = await h.waitForFrame((x) => selected(x) !== selected(f), 'the next row');
    }
    f = await h.waitForFrame((x) => selected(x).includes('repair-alias') && x.includes('repair-alias:fe-poison  R5'), 'its card');
    // Someone renames fe-poison's alias: its repair stays proposed, but no longer says "backend".
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.alias = 'frontend/scratch';
    });
    const before = disk.raw();
    await disk.live.refresh();
    f = await h.waitForFrame((x) => x.includes('HIDDEN'), 'the card marked hidden');
    expect(f).toContain('repair-alias:fe-poison  R5');
    expect(selected(f)).toBe(''); // no row of the list is the cursor's: the card's row is not in it
    expect(f).toContain('You opened (not applied):');
    await h.press('a');
    f = await h.waitForFrame((x) => status(x).includes('no longer matches the filter'), 'a refused');
    expect(status(f)).toContain('repair-alias:fe-poison no longer matches the filter: nothing to approve');
    await h.press(' ');
    await h.waitForFrame((x) => status(x).includes('is not in the list'), 'space refused');
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);
    expect(h.store.getState().ui.marks.size).toBe(0);
    // y and c act on the card's repair too, not on the row at its place.
    expect(idOfSelection(h.store.getState())).toBe('fe-poison');
    await h.press('y');
    await h.waitForFrame((x) => x.includes('bead fe-poison'), 'the raw bead of the card');
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => x.includes('HIDDEN'), 'back to the card');
    // A move goes on from where it was, to a row of the list, whose own card it shows: n (the next undecided) to the
    // row that took its place, not past it.
    const vm = viewModel(h.store.getState(), 'repairs')!;
    const took = vm.rows[vm.index].key;
    await h.press('n');
    f = await h.waitForFrame((x) => selected(x) !== '' && !x.includes('HIDDEN'), 'moved on');
    expect(h.store.getState().ui.cursors.repairs.key).toBe(took);
    const [, kind, bead] = /^> \S+\s+\S+\s+(\S+)\s+R\d\s+(\S+)/.exec(selected(f))!;
    expect(f).toContain(`${kind}:${bead}  R`);
    expect(f).not.toContain('repair-alias:fe-poison  R5');
  });

  test('a filter the operator types that hides the selected row moves the cursor to a row it shows, as before', async () => {
    ({ h, disk } = await openRepairs(demoState()));
    await h.waitForFrame((x) => x.includes('UNDECIDED'), 'a card seen');
    // In one read, as a fast typist or tmux sends it: no frame comes between the keys.
    await h.press('/fe-dup\r');
    const f = await h.waitForFrame((x) => selected(x).includes('fe-dup') && !x.includes('/fe-dup'), 'the only row');
    expect(f).not.toContain('HIDDEN');
    expect(f).toContain('close-duplicate:fe-dup');
  });
});

describe('a decision while paused', () => {
  test('shows what the pause held back marked *, not as if it had always been there, and resuming keeps the marks', async () => {
    const { h, disk } = await open();
    await pick('restamp-slot fe-poison');
    await h.waitForFrame((x) => x.includes('restamp-slot:fe-poison  R6'), 'its card');
    await h.press(':', ...'pause', KEYS.enter);
    await h.waitForFrame((x) => x.includes('[PAUSED]'), 'paused');
    await outside(disk, (d) => {
      d.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'active';
    });
    await h.waitForFrame((x) => x.includes('[PAUSED · updates waiting]'), 'held back');
    await h.press('a');
    await h.waitForFrame((x) => selected(x).startsWith('> applied'), 'applied');
    // The names of every bead: be-evil's row shows the held-back change, marked; the approved bead's is the operator's own.
    await h.press('3');
    const line = (f: string, id: string) => f.split('\n').find((l) => l.includes(id) && l.includes('alias')) ?? '';
    let f = await h.waitForFrame((x) => x.includes('HOLDER') && line(x, 'be-evil') !== '', 'the aliases view');
    expect(f).toContain('PAUSED');
    expect(line(f, 'be-evil')).toMatch(/^\*.*active/);
    expect(line(f, 'fe-poison')).toMatch(/^[ >]/);
    await h.press(':', ...'resume', KEYS.enter);
    f = await h.waitForFrame((x) => !x.includes('PAUSED') && line(x, 'be-evil') !== '', 'resumed');
    expect(line(f, 'be-evil')).toMatch(/^\*/);
  });

  test("with no other writer marks nothing: what the approval itself brings about (its pool's figures) is not news", async () => {
    const { h } = await open();
    await pick('close-duplicate fe-dup');
    await h.waitForFrame((x) => x.includes('close-duplicate:fe-dup  R3'), 'its card');
    await h.press(':', ...'pause', KEYS.enter);
    await h.waitForFrame((x) => x.includes('[PAUSED]'), 'paused');
    await h.press('a');
    await h.waitForFrame((x) => /Approve close-duplicate:fe-dup\?/.test(x), 'the confirmation');
    await h.press(KEYS.tab, KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> applied'), 'applied');
    expect([...h.store.getState().ui.changed]).toEqual([]);
    await h.press('1');
    const f = await h.waitForFrame((x) => x.includes('frontend/worker') && !x.includes('REASON'), 'the pools view');
    expect(f.split('\n').filter((l) => l.startsWith('*'))).toEqual([]);
  });
});
