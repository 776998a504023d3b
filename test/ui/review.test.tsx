// The repair-review flow on a real store file: approve, reject with a reason, confirm (or cancel) a
// destructive approval, bulk-approve after typing the count, reopen, read-only refusal, the stale path,
// the card, the audit view and exports. Every write goes through the real store API.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { createAppStore } from '../../src/console/state.js';
import { MOVED_ON_DWELL_MS, scopeOf } from '../../src/ui/actions.js';
import type { Scope } from '../../src/ui/keymap.js';
import { startLive } from '../../src/console/watch.js';
import { NOW } from '../support/builders.js';
import { sampleOf } from '../../src/store/metrics-sample.js';
import { tempDir } from '../support/files.js';
import { holdLock } from '../support/locks.js';
import { until, waitFor } from '../support/wait.js';
import { endAfterEach } from '../support/teardown.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, footerHead, KEYS, lineOf, renderApp, waitForScope, type Harness } from './render.js';
import { onDisk, openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { SPELLED_CITY_TOML, spelledCityBeads, spelledStore } from '../support/spelled-beads.js';
import type { Source } from '../../src/store/types.js';
import type { UiState } from '../../src/console/ui-state.js';
import { footer, selected, status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

/** The frame's text with its lines joined by a blank: a sentence the status area wraps reads whole. */
const flat = (f: string) =>
  f
    .split('\n')
    .map((l) => l.trim())
    .join(' ');

async function open(opts: Parameters<typeof onDisk>[1] = {}) {
  ({ h, disk } = await openRepairs(demoState(), opts));
  return { h, disk };
}

const pick = (words: string) => pickRepair(h!, words);
/** The queue's rows in a frame. */
const queueRows = (f: string) => f.split('\n').filter((l) => /^[> ] (undecided|rejected|applied)/.test(l));

/**
 * `a` on the selected repair, and a second `a` typed the moment the console's state first satisfies `now` (which may
 * let time pass): the frame whose status line refuses the second one.
 */
async function doubleTap(now: (ui: UiState) => boolean): Promise<string> {
  let typed = false;
  const stop = disk!.store.subscribe((s) => {
    if (typed || !now(s.ui)) return;
    typed = true;
    h!.stdin.write('a');
  });
  await h!.press('a');
  const f = await h!.waitForFrame((x) => x.includes('the selection moved on to it after the last decision'), 'the refusal');
  stop();
  return f;
}

/** After `ms` on the console's clock, `a` on fe-poison's restamp (its alias repair approved before): it applies. */
async function approveRestampAfter(ms: number): Promise<void> {
  h!.pass(ms);
  await h!.press('a');
  await h!.waitForFrame((x) => status(x).includes('applied restamp-slot:fe-poison'), 'it applied');
  expect(disk!.audit().map((e) => e.repair)).toEqual(['repair-alias:fe-poison', 'restamp-slot:fe-poison']);
}

describe('deciding one repair', () => {
  test('approve: written through the locked write, audited, the row shows applied and the plan moves on', async () => {
    const { h, disk } = await open();
    await pick('restamp-slot fe-poison');
    await h.press('a');
    const f = await h.waitForFrame((x) => status(x).includes('applied restamp-slot:fe-poison'), 'applied');
    expect(selected(f)).toMatch(/^> applied/);
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('2');
    expect(disk.bead('fe-poison').updated_at).toBe('2026-05-06T02:13:00Z');
    const audit = disk.audit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      operator: 'tester',
      action: 'approve',
      repair: 'restamp-slot:fe-poison',
      result: 'applied',
      changes: [{ field: 'metadata.pool_slot', before: '3', after: '2' }],
    });
    // The header's repair count follows the new plan.
    expect(disk.store.getState().current!.plan.repairs.map((r) => r.id)).not.toContain('restamp-slot:fe-poison');
  });

  test('an a typed after an approval moved the selection on, before the next card was drawn, approves nothing; once drawn, a does', async () => {
    const { h, disk } = await open();
    await pick('fe-poison'); // its alias repair, then its restamp
    // The second `a` comes the moment the selection has moved on by itself, before any frame shows where to: typed on
    // the card of the repair just approved, it is not meant for the next one.
    let next: string | null = null;
    const f = await doubleTap((ui) => (ui.movedOnTo === null ? false : ((next = ui.movedOnTo), true)));
    expect(f.replace(/\s+/g, ' ')).toContain(
      'restamp-slot:fe-poison: the selection moved on to it after the last decision, before its card was on screen: nothing done; read its card, then decide',
    );
    expect(next).toBe('restamp-slot:fe-poison');
    expect(disk.audit().map((e) => e.repair)).toEqual(['repair-alias:fe-poison']);
    // Its card on screen now, and for long enough to have been read: `a` approves it.
    await h.waitForFrame((x) => selected(x).includes('restamp-slot') && !x.includes('APPLYING'), 'its card');
    await approveRestampAfter(MOVED_ON_DWELL_MS);
  });

  test('an a typed a moment after the moved-on card was drawn (a double tap) approves nothing, nor do its repeats; one after the card was read does', async () => {
    const { h, disk } = await open();
    await pick('fe-poison'); // its alias repair, then its restamp
    // The second `a` comes 30 ms after the frame that shows the next card: drawn, but never read.
    let f = await doubleTap((ui) => ui.movedOnShown !== null && (h.pass(30), true));
    expect(f.replace(/\s+/g, ' ')).toContain(
      'restamp-slot:fe-poison: the selection moved on to it after the last decision, its card on screen only 30 ms: nothing done; read its card, then decide',
    );
    expect(selected(f)).toContain('restamp-slot');
    // A key held down: each repeat comes within the moment after the one refused before it, and is refused too.
    // (The card has been on screen its moment by now, 410 ms.)
    h.pass(MOVED_ON_DWELL_MS - 20);
    await h.press('a');
    f = await h.waitForFrame((x) => x.includes('typed again 380 ms after the key refused before it'), 'the repeat refused');
    expect(f.replace(/\s+/g, ' ')).toContain(
      'restamp-slot:fe-poison: the selection moved on to it after the last decision, typed again 380 ms after the key refused before it: nothing done; read its card, then decide',
    );
    expect(disk.audit().map((e) => e.repair)).toEqual(['repair-alias:fe-poison']);
    // The card read (its moment on screen with no decision key passed): `a` approves it.
    await approveRestampAfter(MOVED_ON_DWELL_MS);
  });

  test('space and r wait out the moment of the moved-on card as a does: typed too soon they mark or open nothing', async () => {
    const { h, disk } = await open();
    await pick('fe-poison');
    await h.press('a');
    await until(() => disk.store.getState().ui.movedOnShown?.id === 'restamp-slot:fe-poison', 'the moved-on card drawn');
    for (const [key, at] of [
      [' ', 10],
      ['r', 20],
    ] as const) {
      h.pass(10);
      await h.press(key);
      await h.waitForFrame((x) => x.includes(`its card on screen only ${at} ms: nothing done`), `${key} refused`);
      expect(disk.store.getState().ui.marks.size).toBe(0);
      expect(scopeOf(disk.store.getState())).toBe('repairs');
    }
    // Read: space marks it.
    h.pass(MOVED_ON_DWELL_MS);
    await h.press(' ');
    await until(() => disk.store.getState().ui.marks.has('restamp-slot:fe-poison'), 'marked');
  });

  test('the footer does not offer a, r or space while the moved-on card waits out its moment, and offers them once it has', async () => {
    const { h, disk } = await open();
    await pick('fe-poison');
    await h.waitForFrame((x) => /a approve .*r reject/.test(footer(x)), 'the footer on a card picked by the operator');
    await h.press('a');
    await until(() => disk.store.getState().ui.movedOnShown?.id === 'restamp-slot:fe-poison', 'the moved-on card drawn');
    const f = await h.waitForFrame((x) => selected(x).includes('restamp-slot') && x.includes('~ metadata.pool_slot'), 'its card');
    expect(footer(f)).not.toMatch(/\ba approve|\br reject|space mark/);
    // What does not wait is offered (`s skip` is not: the filter shows no undecided repair below this one).
    expect(footer(f)).toContain('enter card');
    // Its moment passed on the console's clock: the decisions are offered again, and act.
    h.pass(MOVED_ON_DWELL_MS);
    await h.waitForFrame((x) => /a approve .*r reject/.test(footer(x)), 'the decisions offered again');
    await approveRestampAfter(0);
  });

  test('the moment a moved-on card waits holds only for decisions: j and k act at once, and a card the operator moved to himself takes a at once', async () => {
    const { h, disk } = await open();
    await pick('fe-poison');
    await h.press('a');
    await h.waitForFrame((x) => selected(x).includes('restamp-slot') && status(x).includes('applied repair-alias:fe-poison'), 'moved on');
    await until(() => disk.store.getState().ui.movedOnShown !== null, 'the moved-on card drawn');
    // No time passes on the console's clock: the moves are not held back, and the card they come back to is the operator's.
    await h.press('k');
    await h.waitForFrame((x) => selected(x).includes('repair-alias'), 'k moved up');
    await h.press('j');
    await h.waitForFrame((x) => selected(x).includes('restamp-slot') && x.includes('~ metadata.pool_slot'), 'j moved back');
    await approveRestampAfter(0);
  });

  test('a key that moves nothing (> sorts) typed between the two does not make the moved-on repair seen: the a after it approves nothing', async () => {
    const { h, disk } = await open();
    await pick('fe-poison');
    let typed = false;
    const stop = disk.store.subscribe((s) => {
      if (typed || s.ui.movedOnTo === null) return;
      typed = true;
      h.stdin.write('>');
      h.stdin.write('a');
    });
    await h.press('a');
    await h.waitForFrame((x) => x.includes('the selection moved on to it after the last decision'), 'the refusal');
    stop();
    expect(disk.audit().map((e) => e.repair)).toEqual(['repair-alias:fe-poison']);
  });

  test('a refresh that takes the moved-on repair away before its card is drawn: the a typed then acts on nothing in its place', async () => {
    const { h, disk } = await open();
    // be-evil's alias repair, then be-stale's rollback, then fe-dup's close (destructive: a asks to confirm).
    await h.press('j');
    await h.waitForFrame((x) => selected(x).includes('be-evil'), 'be-evil selected');
    let typed = false;
    const stop = disk.store.subscribe((s) => {
      if (typed || s.ui.movedOnTo === null || !s.current) return;
      typed = true;
      // be-stale came up meanwhile: its rollback leaves the plan, and the selection falls on the close below it.
      const state = s.current.state;
      const up = (m: Record<string, string>) => {
        const { pending_create_claim: _claim, pending_create_started_at: _at, ...rest } = m;
        return { ...rest, state: 'awake' };
      };
      const beads = state.beads.map((b) => (b.id === 'be-stale' ? { ...b, metadata: up(b.metadata ?? {}) } : b));
      const next = { ...state, beads };
      s.loaded(next, plan(next, NOW), NOW.getTime());
      h.stdin.write('a');
    });
    await h.press('a');
    const f = await h.waitForFrame((x) => x.includes('the selection moved on to it after the last decision'), 'the refusal');
    stop();
    expect(f.replace(/\s+/g, ' ')).toContain('close-duplicate:fe-dup: the selection moved on to it');
    expect(scopeOf(disk.store.getState())).toBe('repairs');
    expect(disk.audit().map((e) => e.repair)).toEqual(['repair-alias:be-evil']);
  });

  test('reject with a reason: recorded in decisions and the audit log, withheld, shown as rejected; o reopens it', async () => {
    const { h, disk } = await open();
    await pick('repair-alias be-evil');
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('Reject repair-alias:be-evil — reason'), 'the reason prompt');
    await h.press(...'alias kept on purpose', KEYS.enter);
    let f = await h.waitForFrame((x) => selected(x).startsWith('> rejected') && status(x).startsWith('rejected '), 'rejected');
    expect(status(f)).toMatch(/^rejected repair-alias:be-evil(\s|$)/);
    expect(f).toContain('REJECTED by tester at 2026-05-06T02:13:00Z: alias kept on purpose');
    const [d] = disk.decisions();
    expect(d).toMatchObject({
      repair: 'repair-alias:be-evil',
      decision: 'rejected',
      by: 'tester',
      at: '2026-05-06T02:13:00Z',
      reason: 'alias kept on purpose',
    });
    expect(d.changes[0]).toEqual({ field: 'metadata.alias', before: 'evil\u001b[2J\u001b]0;pwned\u0007', after: 'backend/worker-3' });
    expect(disk.audit()).toMatchObject([
      { action: 'reject', repair: 'repair-alias:be-evil', note: 'alias kept on purpose', result: 'recorded' },
    ]);
    // The bead itself is untouched, and the engine no longer proposes it.
    expect(disk.bead('be-evil').metadata!.alias).toBe('evil\u001b[2J\u001b]0;pwned\u0007');
    const p = disk.store.getState().current!.plan;
    expect(p.repairs.map((r) => r.id)).not.toContain('repair-alias:be-evil');
    expect(p.detail.rejected.map((r) => r.repair.id)).toEqual(['repair-alias:be-evil']);
    // The footer offers what the row allows: o, not a, r, s or space, on the rejected one.
    expect(footer(f)).toMatch(/\bo reopen\b/);
    expect(footer(f)).not.toMatch(/\ba approve\b|\br reject\b|\bs skip\b|space mark/);

    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('is rejected: o reopens it'), 'approve refused on a rejected row');
    await h.press('o');
    // The status line says what o did, and to which repair, as it does for a and r.
    f = await h.waitForFrame((x) => selected(x).startsWith('> undecided') && status(x).startsWith('reopened '), 'reopened');
    expect(status(f)).toMatch(/^reopened repair-alias:be-evil(\s|$)/);
    expect(f).toContain('UNDECIDED (reopened)');
    f = await h.waitForFrame((x) => footer(x).includes('a approve'), 'the decisions offered again');
    expect(footer(f)).not.toMatch(/\bo reopen\b/);
    expect(disk.decisions().map((x) => x.decision)).toEqual(['rejected', 'reopened']);
    expect(disk.audit().map((x) => x.action)).toEqual(['reject', 'reopen']);
    expect(disk.store.getState().current!.plan.repairs.map((r) => r.id)).toContain('repair-alias:be-evil');
  });

  test("a reject or reopen that waits for another writer's lock is stamped when it is written: the decision's at, the audit time, the card", async () => {
    let clock = NOW;
    ({ h, disk } = await open({ now: () => clock }));
    await pick('repair-alias be-evil');
    const later = async (key: string, minutes: number, done: (f: string) => boolean) => {
      // Another writer (Gas City's controller, another console) holds the lock when the key is pressed.
      const peer = await holdLock(`${disk!.file}.lock`);
      try {
        await h!.press(key);
        if (key === 'r') await h!.press(...'kept', KEYS.enter);
        await h!.waitForFrame((x) => /rejecting|reopening/.test(status(x)), 'waiting for the lock');
        clock = new Date(NOW.getTime() + minutes * 60_000);
      } finally {
        await peer.release();
      }
      return h!.waitForFrame(done, key);
    };
    const f = await later('r', 2, (x) => status(x).startsWith('rejected '));
    expect(f).toContain('REJECTED by tester at 2026-05-06T02:15:00Z: kept');
    await later('o', 5, (x) => status(x).startsWith('reopened '));
    expect(disk!.decisions().map((d) => [d.decision, d.at])).toEqual([
      ['rejected', '2026-05-06T02:15:00Z'],
      ['reopened', '2026-05-06T02:18:00Z'],
    ]);
    expect(disk!.audit().map((a) => [a.action, a.time])).toEqual([
      ['reject', '2026-05-06T02:15:00Z'],
      ['reopen', '2026-05-06T02:18:00Z'],
    ]);
  });

  test('reject without a reason; esc in the prompt cancels and records nothing', async () => {
    const { h, disk } = await open();
    await pick('repair-alias fe-poison');
    await h.press('r', ...'half', KEYS.esc);
    await h.waitForFrame((x) => status(x).includes('cancelled: nothing written'));
    expect(disk.decisions()).toEqual([]);
    await h.press('r', KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> rejected'));
    expect(disk.decisions()[0]).toMatchObject({ decision: 'rejected', reason: '' });
  });
});

describe('destructive repairs ask first, with Cancel focused', () => {
  test('enter on the default cancels; y is no shortcut; tab then enter approves', async () => {
    const { h, disk } = await open();
    const before = disk.raw();
    await pick('close-duplicate fe-dup');
    await h.press('a');
    const f = await h.waitForFrame((x) => status(x).includes('Approve close-duplicate:fe-dup?'), 'the confirmation');
    // What it touches besides (its blast radius: the card is not open) goes above the question, as room allows.
    expect(flat(f)).toContain(
      'It closes bead fe-dup: incumbent fe-ok keeps slot 1; nothing else moves; no live work is assigned to this bead. This cannot be undone.',
    );
    expect(status(f)).toMatch(/\[ Cancel \]\s+Approve/);
    expect(footer(f)).toMatch(/^enter choose .*tab\/→ focus .*esc cancel/);
    await h.press('y');
    await h.waitForFrame((x) => x.includes('[ Cancel ]'));
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('cancelled: nothing written'), 'enter cancels');
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);

    await h.press('a');
    await h.waitForFrame((x) => x.includes('[ Cancel ]'));
    await h.press(KEYS.tab);
    await h.waitForFrame((x) => x.includes('[ Approve ]'), 'focus on Approve');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('applied close-duplicate:fe-dup'), 'applied');
    const bead = disk.bead('fe-dup');
    expect(bead.status).toBe('closed');
    expect(bead.metadata!.close_reason).toBe('duplicate-slot');
    expect(disk.audit()).toMatchObject([{ action: 'approve', repair: 'close-duplicate:fe-dup', result: 'applied' }]);
  });

  test('esc and ←/→ work too; cancelling writes nothing', async () => {
    const { h, disk } = await open();
    const before = disk.raw();
    await pick('release-orphaned-work wk-orphan');
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('[ Cancel ]') && flat(x).includes('It unassigns work wk-orphan: '));
    await h.press('\u001b[C');
    await h.waitForFrame((x) => x.includes('[ Approve ]'));
    await h.press('\u001b[D');
    await h.waitForFrame((x) => x.includes('[ Cancel ]'));
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => status(x).includes('cancelled: nothing written'));
    expect(disk.raw()).toBe(before);
    expect(existsSync(`${disk.file}.audit.jsonl`)).toBe(false);
  });
});

describe('bulk approval', () => {
  test('A asks for the count shown under the filter; a wrong count is refused; the right one approves them all', async () => {
    const { h, disk } = await open();
    const before = disk.raw();
    const total = disk.store.getState().current!.plan.repairs.length;
    await h.press('A');
    // The review pane lists them all on one page here: read at once.
    await h.waitForFrame((x) => status(x).startsWith(`Type ${total} to approve these ${total} repairs`), 'the count prompt');
    await h.press(String(total - 1), KEYS.enter);
    // Refused, and the pane stays open as read (the message above its prompt): esc leaves it.
    await h.waitForFrame((x) => x.replace(/\s+/g, ' ').includes(`not ${total}: nothing approved`), 'refused');
    expect(disk.raw()).toBe(before);
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => !x.includes('Approve all:'), 'the pane closed');

    // Under a filter, only the rows shown count.
    await h.press('/', ...'frontend/worker', KEYS.enter);
    const shown = disk.store.getState().current!.plan.repairs.filter((r) => r.template === 'frontend/worker').length;
    await h.press('A');
    await h.waitForFrame((x) => status(x).startsWith(`Type ${shown} to approve these ${shown} repairs`));
    await h.press(...String(shown), KEYS.enter);
    const f = await h.waitForFrame((x) => status(x).includes(`${shown} applied, 0 stale`), 'bulk applied');
    expect(disk.audit().filter((a) => a.result === 'applied')).toHaveLength(shown);
    expect(disk.store.getState().current!.plan.repairs.filter((r) => r.template === 'frontend/worker')).toEqual([]);
    expect(f.split('\n').filter((l) => /^[> ] applied/.test(l))).toHaveLength(shown);
    expect(disk.bead('wk-cross').assignee).toBe('');
    expect(disk.bead('be-stale').status).toBe('open');
  });
});

describe('read-only', () => {
  test("an md snapshot's trend is this run's figures, kept in memory: the history file never got them", async () => {
    const { h, disk } = await open({ readOnly: true });
    const now = h.store.getState().current!;
    h.store.getState().setTrend({ samples: [sampleOf(now.plan, NOW, 'run1', 0)], session: 'run1' });
    await h.press('e', KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('exported md snapshot to'), 'md export');
    const md = readFileSync(join(disk.dir, readdirSync(disk.dir).find((n) => n.endsWith('.md'))!), 'utf8');
    expect(md).not.toContain('No metrics history yet');
    expect(md).toContain('1 console run');
  });

  test('the decision keys are absent from the footer and help, and pressing them writes nothing', async () => {
    const { h, disk } = await open({ readOnly: true });
    const before = disk.raw();
    let f = h.frame();
    expect(footer(f)).not.toMatch(/approve|reject|reopen|mark/);
    expect(footer(f)).toMatch(/^s skip {2}n next {2}enter card/);
    for (const k of ['a', 'r', 'A', 'o', ' ']) {
      await h.press('k', k);
      f = await h.waitForFrame((x) => status(x).startsWith('read-only:'), `refusal of ${k}`);
      expect(status(f)).toContain('refused (started with --read-only)');
    }
    expect(h.store.getState().ui.mode).toBe('normal');
    await h.press('?');
    f = await h.waitForFrame((x) => x.includes('Keys ('));
    expect(f).not.toContain('Approve the selected repair');
    expect(f).not.toContain('Reject the selected repair');
    expect(disk.raw()).toBe(before);
    expect(existsSync(`${disk.file}.audit.jsonl`)).toBe(false);
  });

  test('s leaves the repair undecided and moves on, writing nothing; the help says what space does here: mark, refused', async () => {
    const { h, disk } = await open({ readOnly: true, rows: 200 });
    const before = disk.raw();
    const first = selected(h.frame());
    await h.press('s');
    let f = await h.waitForFrame((x) => status(x).endsWith('left undecided'), 'skipped');
    expect(selected(f)).not.toBe(first);
    expect(selected(f)).toMatch(/^> undecided/);
    expect(f).toContain('read-only: decisions are refused · s skip');
    await h.press('?');
    f = await h.waitForFrame((x) => x.includes('Keys ('), 'the help');
    const text = f.replace(/\s+/g, ' ');
    expect(text).toMatch(/Repairs view \(review\) s Leave the selected repair undecided/);
    expect(text).toMatch(
      /space Mark or unmark the selected undecided repair.*Refused in --read-only, and space does not pause here either \(:pause does\)/,
    );
    // Opened here, help lists this view's keys first, as they act here: space marks, and is not listed as pausing.
    expect(text).not.toContain('space Pause / resume live updates');
    expect(text).toContain('Read-only: approve, reject, approve all, mark and reopen are off (--read-only).');
    expect(disk.raw()).toBe(before);
    expect(existsSync(`${disk.file}.audit.jsonl`)).toBe(false);
  });
});

describe('stale path', () => {
  /** The repair `words` finds, shown (`diff`), approved once fe-poison's `key` is `value` on disk (the console has not re-read). */
  async function approveChanged(words: string, diff: string, key: string, value: string) {
    const { h, disk } = await open();
    await pick(words);
    await h.waitForFrame((x) => x.includes(diff));
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata![key] = value;
    });
    await h.press('a');
    return { h, disk };
  }

  test('a repair a fresh plan now proposes otherwise: the card says re-planned once, then what to do', async () => {
    // Its before still holds on disk, but the bead is another slot's now: a fresh plan wants another alias.
    const { h } = await approveChanged(
      'repair-alias fe-poison',
      '~ metadata.alias: "backend/worker-4" → "frontend/nux"',
      'agent_name',
      'frontend/slit',
    );
    await h.waitForFrame((x) => x.includes('stale, not applied: repair-alias:fe-poison'), 'stale');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('Judged before (not applied):'), 'the full card');
    const card = f.slice(f.indexOf('STALE:'), f.indexOf('Judged before')).replace(/\s+/g, ' ');
    expect(card).toMatch(
      /not applied: a fresh plan now proposes metadata\.alias "backend\/worker-4" → "frontend\/slit", not .*; re-planned: review the new diff below/,
    );
    expect(card.match(/re-planned/g)).toHaveLength(1);
  });

  test('a bead changed on disk after the plan: not applied, the card says why, the new plan is shown', async () => {
    // Someone (the controller) restamps the bead meanwhile; the console has not re-read.
    const { h, disk } = await approveChanged('restamp-slot fe-poison', '~ metadata.pool_slot: "3" → "2"', 'pool_slot', '7');
    let f = await h.waitForFrame((x) => flat(x).includes('stale, not applied: restamp-slot:fe-poison'), 'stale');
    expect(flat(f)).toContain('metadata.pool_slot is now "7" (expected "3")');
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('7');
    // The re-planned repair is shown again with its new diff, marked stale, undecided.
    expect(selected(f)).toMatch(/^> stale/);
    expect(f).toContain('~ metadata.pool_slot: "7" → "2"');
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('Judged before (not applied):'), 'the full card');
    expect(f).toMatch(/STALE: stale at 02:13:00Z, not applied: metadata\.pool_slot is now "7"/);
    expect(f).toContain('re-planned: review the new diff below and decide again');
    const lines = f.split('\n');
    const judged = lines.findIndex((l) => l.includes('Judged before'));
    expect(lines[judged + 1]).toContain('~ metadata.pool_slot: "3" → "2"');
    expect(f).toMatch(/Now proposed:\n\s+~ metadata\.pool_slot: "7" → "2"/);
    expect(disk.audit()).toMatchObject([{ action: 'approve', repair: 'restamp-slot:fe-poison', result: 'stale' }]);
    // Approving the new diff now works.
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('applied restamp-slot:fe-poison'));
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('2');
  });
});

describe('a decision made on an out-of-date view', () => {
  /** fe-poison's restamp (`"3" → "2"` on screen), then its pool_slot rewritten on disk to "7" (the console has not re-read). */
  async function shownThenChanged() {
    const { h, disk } = await open();
    await pick('restamp-slot fe-poison');
    await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'its diff');
    const change = () =>
      disk.write((d) => {
        d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
      });
    return { h, disk, change };
  }

  test('a rejection records nothing, says it is stale and why, keeps the reason and audits it as stale', async () => {
    const { h, disk, change } = await shownThenChanged();
    change();
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('Reject restamp-slot:fe-poison — reason'), 'the reason prompt');
    await h.press(...'looks fine', KEYS.enter);
    let f = await h.waitForFrame((x) => flat(x).includes('stale, not rejected: restamp-slot:fe-poison'), 'stale');
    expect(flat(f)).toContain('metadata.pool_slot is now "7" (expected "3")');
    expect(disk.store.getState().ui.message?.text).toMatch(/; reason kept for the next r on it$/);
    expect(disk.decisions()).toEqual([]);
    expect(disk.audit()).toMatchObject([
      {
        action: 'reject',
        repair: 'restamp-slot:fe-poison',
        result: 'stale',
        note: 'looks fine',
        changes: [{ field: 'metadata.pool_slot', before: '3', after: '2' }],
      },
    ]);
    // What is on disk is shown at once: the re-planned diff, beside what was judged.
    expect(selected(f)).toMatch(/^> stale/);
    expect(f).toContain('~ metadata.pool_slot: "7" → "2"');
    expect(f).not.toContain('REJECTED by');
    // What was judged is labelled as a decision not recorded (before: "not applied", an approval's words).
    expect(f).toContain('Judged before (not recorded):');
    expect(f).not.toContain('(not applied)');
    // The next r brings the reason back; enter records the rejection of the diff now shown.
    await h.press('r');
    f = await h.waitForFrame((x) => status(x).includes('Reject restamp-slot:fe-poison — reason'), 'the prompt again');
    expect(status(f)).toContain('looks fine');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => status(x).startsWith('rejected restamp-slot:fe-poison'), 'rejected');
    expect(disk.decisions()).toMatchObject([
      { repair: 'restamp-slot:fe-poison', decision: 'rejected', reason: 'looks fine', changes: [{ before: '7', after: '2' }] },
    ]);
    expect(disk.audit().map((a) => a.result)).toEqual(['stale', 'recorded']);
  });

  test('a reopen of a rejection whose facts changed on disk records nothing and is audited as stale', async () => {
    const { h, disk, change } = await shownThenChanged();
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('Reject restamp-slot:fe-poison — reason'), 'the reason prompt');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> rejected'), 'rejected');
    change();
    await h.press('o');
    const f = await h.waitForFrame((x) => flat(x).includes('stale, not reopened: restamp-slot:fe-poison'), 'stale');
    expect(flat(f)).toContain('metadata.pool_slot is now "7" (expected "3")');
    expect(disk.decisions().map((d) => d.decision)).toEqual(['rejected']);
    expect(disk.audit()).toMatchObject([
      { action: 'reject', result: 'recorded' },
      { action: 'reopen', repair: 'restamp-slot:fe-poison', result: 'stale', changes: [{ before: '3', after: '2' }] },
    ]);
    // The rejection withholds nothing now: the new diff is proposed.
    expect(f).toContain('~ metadata.pool_slot: "7" → "2"');
    expect(f).toContain('Judged before (not recorded):');
  });
});

/**
 * be-four's clear-conflicting-alias on the card, planned at NOW (be-four wants backend/worker-4, held by fe-poison's
 * alias: with a wrong alias of its own it gets a clear); the console's clock is `clock.now`, moved by the test.
 */
async function clearOnCard(clock: { now: Date }): Promise<{ h: Harness; disk: OnDisk }> {
  const state = demoState();
  state.beads.find((b) => b.id === 'be-four')!.metadata!.alias = 'fw-old';
  ({ h, disk } = await openRepairs(state, { now: () => clock.now }));
  await pick('clear-conflicting-alias be-four');
  await h.waitForFrame((x) => /pool_alias_conflict_at: .* → "2026-05-06T02:13:00Z"/.test(x), 'the conflict time');
  return { h, disk };
}

describe('an approval that waits for the lock', () => {
  test("updated_at, the audit line's time and the card say when it was written, not when a was pressed; the conflict time on the card is written as shown", async () => {
    const clock = { now: NOW };
    const { h, disk } = await clearOnCard(clock);
    // Another writer (Gas City's controller) holds the store's lock when a is pressed, for as long as it likes.
    const peer = await holdLock(`${disk.file}.lock`);
    try {
      await h.press('a');
      await h.waitForFrame((x) => status(x).includes('applying clear-conflicting-alias:be-four'), 'waiting for the lock');
      expect(disk.audit()).toEqual([]);
      clock.now = new Date(NOW.getTime() + 90_000);
    } finally {
      await peer.release();
    }
    const f = await h.waitForFrame((x) => status(x).includes('applied clear-conflicting-alias:be-four'), 'applied');
    const released = '2026-05-06T02:14:30Z';
    const bead = disk.bead('be-four');
    expect(bead.updated_at).toBe(released);
    expect(bead.metadata!.alias).toBe('');
    // The time the card showed is the one written (the diff approved is the diff seen).
    expect(bead.metadata!.pool_alias_conflict_at).toBe('2026-05-06T02:13:00Z');
    const audit = disk.audit();
    expect(audit).toMatchObject([{ repair: 'clear-conflicting-alias:be-four', result: 'applied', time: released }]);
    expect(audit[0].written).toBeUndefined();
    await h.press(KEYS.enter);
    expect(await h.waitForFrame((x) => x.includes('applied by tester at'), 'the full card')).toContain(`applied by tester at ${released}`);
    expect(f).not.toContain('02:13:00Z, not applied');
  });
});

describe('a conflict time across refreshes', () => {
  /** be-four's clear on screen at NOW; the clock then moves on and another writer changes an unrelated bead. */
  async function clearShownThenRefreshed(key: 'single' | 'mark') {
    const clock = { now: NOW };
    const { h } = await clearOnCard(clock);
    if (key === 'mark') {
      await h.press(' ');
      await h.waitForFrame((x) => x.includes('MARKED'), 'marked');
    }
    clock.now = new Date(NOW.getTime() + 60_000);
    disk!.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await disk!.live.refresh();
    // The refresh planned at 02:14:00: it is on screen once fe-poison's restamp says "7".
    await until(
      () => disk!.store.getState().current!.state.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot === '7',
      'the refresh',
    );
    return h.waitForFrame((x) => /pool_alias_conflict_at: .* → "/.test(x), 'the card after the refresh');
  }

  test('the card keeps the time it showed (the clear is the same repair), and a writes that time', async () => {
    const f = await clearShownThenRefreshed('single');
    expect(f).toMatch(/pool_alias_conflict_at: .* → "2026-05-06T02:13:00Z"/);
    expect(f).not.toContain('CHANGED');
    await h!.press('a');
    await h!.waitForFrame((x) => status(x).includes('applied clear-conflicting-alias:be-four'), 'applied');
    expect(disk!.bead('be-four').metadata!.pool_alias_conflict_at).toBe('2026-05-06T02:13:00Z');
    expect(disk!.audit()[0].changes.find((c) => c.field === 'metadata.pool_alias_conflict_at')?.after).toBe('2026-05-06T02:13:00Z');
  });

  test('a marked clear keeps its time on the card, and A writes that time', async () => {
    const f = await clearShownThenRefreshed('mark');
    expect(f).toMatch(/pool_alias_conflict_at: .* → "2026-05-06T02:13:00Z"/);
    expect(f).toContain('MARKED');
    await h!.press('A');
    await h!.waitForFrame((x) => /type 1\b/i.test(status(x)), 'the count prompt');
    await h!.press('1', KEYS.enter);
    await until(() => disk!.audit().length === 1, 'the audit line');
    expect(disk!.bead('be-four').metadata!.pool_alias_conflict_at).toBe('2026-05-06T02:13:00Z');
  });
});

describe('failed path', () => {
  test('a write that fails (the input is gone) says why on the card and in the status line, and is audited as failed', async () => {
    const { h, disk } = await open();
    await pick('restamp-slot fe-poison');
    rmSync(disk.file);
    await h.press('a');
    const f = await h.waitForFrame((x) => status(x).includes('approve restamp-slot:fe-poison failed:'), 'failed');
    expect(status(f)).toContain(disk.file);
    expect(selected(f)).toMatch(/^> failed/);
    expect(f).toMatch(/FAILED: failed: .*city\.json/);
    // The error is in `why`; `note` is the operator's (none here).
    expect(disk.audit()).toMatchObject([{ action: 'approve', repair: 'restamp-slot:fe-poison', result: 'failed', note: '' }]);
    expect(disk.audit()[0].why).toContain(disk.file);
  });

  test('a rejection that cannot be recorded (the input is gone) keeps the reason and is audited as failed', async () => {
    const { h, disk } = await open();
    await pick('restamp-slot fe-poison');
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('Reject restamp-slot:fe-poison — reason'), 'the reason prompt');
    await h.press(...'slot 3 is right');
    rmSync(disk.file);
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => x.includes('reject restamp-slot:fe-poison failed, nothing recorded:'), 'failed');
    expect(disk.store.getState().ui.message?.text).toMatch(/; reason kept for the next r on it$/);
    const audit = disk.audit();
    expect(audit).toMatchObject([{ action: 'reject', repair: 'restamp-slot:fe-poison', result: 'failed', note: 'slot 3 is right' }]);
    expect(audit[0].why).toContain(disk.file);
  });
});

describe('stepping and the card', () => {
  test('n/p jump between undecided repairs, s skips, enter opens the full card and esc goes back', async () => {
    const { h, disk } = await open();
    const rows = () => queueRows(h.frame());
    await h.waitForFrame(() => rows().length > 3);
    // Reject the second row: n from the first skips over it.
    await h.press('j', 'r', KEYS.enter);
    await h.waitForFrame((x) => x.split('\n').some((l) => l.startsWith('  rejected')));
    await h.press('g');
    await h.waitForFrame((x) => selected(x) === rows()[0]);
    await h.press('n');
    let f = await h.waitForFrame((x) => selected(x) === rows()[2], 'n skips the rejected row');
    await h.press('p');
    f = await h.waitForFrame((x) => selected(x) === rows()[0], 'p back over it');
    await h.press('s');
    f = await h.waitForFrame((x) => selected(x) === rows()[2] && status(x).includes('left undecided'), 's');
    expect(disk.decisions()).toHaveLength(1);

    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('Repair card — esc back'), 'full card');
    expect(f).toContain('Blast radius:');
    expect(f).toMatch(/Undo: (yes|no) — /);
    expect(f.split('\n').length).toBeLessThanOrEqual(39);
    // On the card j/k scroll it (issue 11): n steps to the next card.
    await h.press('n');
    await h.waitForFrame((x) => x.includes('Repair card') && x !== f, 'n steps to the next card');
    await h.press(KEYS.esc);
    await h.waitForFrame((x) => x.includes('REASON') && !x.includes('Repair card'), 'esc back');
  });

  test('the card of a duplicate close names the incumbent, the evidence, the blast radius and that it cannot be undone', async () => {
    const { h } = await open();
    await pick('close-duplicate fe-dup');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('Blast radius:'));
    expect(f).toContain('close-duplicate:fe-dup  R3 one bead per slot, never retag  · pool frontend/worker  · destructive');
    expect(f).toMatch(/refused duplicate of slot 1: fe-ok is the incumbent/);
    expect(f).toContain('~ status: "open" → "closed"');
    expect(f).toContain('+ metadata.close_reason: "" → "duplicate-slot"');
    expect(f).toContain('incumbent fe-ok keeps slot 1; nothing else moves');
    expect(f).toContain('Undo: no — the bead is closed');
  });

  test('the card of an alias repair names the slot evidence, the freed and claimed names and that it can be undone', async () => {
    const { h } = await open();
    await pick('repair-alias fe-poison');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('Blast radius:'));
    // The reason says the slot (`owned slot 2 of frontend/…`), the evidence says how R2 chose it.
    expect(f).toMatch(/owned slot 2 of /);
    expect(f).toContain('Why that slot (R2): ');
    expect(f).toContain('~ metadata.alias: "backend/worker-4" → "frontend/nux"');
    expect(f).toContain('+ metadata.alias_history: "" → "backend/worker-4"');
    expect(f).toMatch(/frees the name "backend\/worker-4" \(wanted by be-four/);
    expect(f).toContain('claims the name "frontend/nux" for fe-poison');
    expect(f).toContain('Undo: yes — by a reverse edit');
  });
});

describe('the keys offered say what they do now', () => {
  test('the full card of an applied repair offers no decision in its title bar; paused, the footer offers resume', async () => {
    const { h } = await open();
    await pick('restamp-slot fe-poison');
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('applied restamp-slot'), 'applied');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes(' Repair card'), 'the full card');
    const title = f.split('\n').find((l) => l.includes(' Repair card')) ?? '';
    expect(title).toContain('esc back');
    expect(title).not.toMatch(/a approve|r reject|s skip/);
    await h.press(KEYS.esc, KEYS.esc, '1', ' ');
    const p = await h.waitForFrame((x) => x.includes('[PAUSED'), 'paused');
    expect(footer(p)).toMatch(/space resume/);
    await h.press(' ');
    const r = await h.waitForFrame((x) => !x.includes('[PAUSED'), 'resumed');
    expect(footer(r)).toMatch(/space pause/);
  });

  test('once the last undecided repair shown is decided, neither the footer nor the full card offers A, which approves nothing', async () => {
    const { h } = await open();
    await pick('restamp-slot fe-poison');
    let f = await h.waitForFrame((x) => footer(x).includes('A approve all'), 'A offered on the one undecided repair shown');
    expect(f).toMatch(/1–1 of 1/);
    await h.press('a');
    // It stayed in the footer: A then only said there was nothing to approve.
    f = await h.waitForFrame((x) => status(x).includes('applied restamp-slot'), 'applied');
    expect(footer(f)).not.toContain('approve all');
    expect(footer(f)).toMatch(/\? help/);
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes(' Repair card'), 'the full card');
    expect(f.split('\n').find((l) => l.includes(' Repair card'))).not.toContain('approve all');
    await h.press('A');
    await h.waitForFrame((x) => status(x).includes('no undecided repair shown: nothing to approve'), 'A pressed anyway');
    // The filter cleared, the other undecided repairs are shown: A is offered again.
    await h.press(KEYS.esc, KEYS.esc);
    await h.waitForFrame((x) => !x.includes('/restamp') && footer(x).includes('A approve all'), 'A offered again');
  });
});

describe('n when no undecided repair is below', () => {
  test('on the last undecided repair neither the footer nor the full card offers n next, which goes nowhere; above it, it does', async () => {
    const { h } = await open();
    const rows = () => queueRows(h.frame());
    await h.waitForFrame(() => rows().length > 3);
    await h.press('G');
    let f = await h.waitForFrame((x) => selected(x) === rows().at(-1) && selected(x).startsWith('> undecided'), 'the last row');
    expect(footer(f)).not.toMatch(/\bn next\b/);
    expect(footer(f)).toMatch(/a approve/);
    await h.press('n');
    await h.waitForFrame((x) => status(x).includes('no undecided repair below this one'), 'n pressed anyway');
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes(' Repair card'), 'the full card');
    expect(f.split('\n').find((l) => l.includes(' Repair card'))).not.toMatch(/\bn next\b/);
    await h.press(KEYS.esc, 'k');
    await h.waitForFrame((x) => selected(x) === rows().at(-2) && !x.includes(' Repair card'), 'one row up');
    await h.waitForFrame((x) => /\bn next\b/.test(footer(x)), 'n offered above the last undecided repair');
    // Deciding the last one, the cursor goes back to the one above: no undecided repair is below it now.
    await h.press('j', 'r', KEYS.enter);
    f = await h.waitForFrame((x) => status(x).startsWith('rejected ') && selected(x).startsWith('> undecided'), 'the last rejected');
    expect(selected(f)).toBe(
      rows()
        .filter((l) => /^[> ] undecided/.test(l))
        .at(-1),
    );
    expect(footer(f)).not.toMatch(/\bn next\b/);
  });
});

describe('s when no undecided repair is below', () => {
  test('on the last undecided repair neither the footer, the card under the queue, nor the full card offers s skip, which goes nowhere; above it, they do', async () => {
    const { h } = await open();
    const rows = () => queueRows(h.frame());
    /** The card's status line (under the queue, or full height): `UNDECIDED — a approve · r reject · s skip`. */
    const cardStatus = (f: string) => f.split('\n').find((l) => l.startsWith('UNDECIDED')) ?? '';
    await h.waitForFrame(() => rows().length > 3);
    await h.press('G');
    let f = await h.waitForFrame(
      (x) => selected(x) === rows().at(-1) && selected(x).startsWith('> undecided') && cardStatus(x) !== '',
      'the last row',
    );
    expect(footer(f)).not.toMatch(/\bs skip\b/);
    expect(cardStatus(f)).toMatch(/^UNDECIDED — a approve.* · r reject$/);
    await h.press('s');
    await h.waitForFrame((x) => status(x).includes('left undecided; no undecided repair below it'), 's pressed anyway');
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => x.includes(' Repair card'), 'the full card');
    expect(f.split('\n').find((l) => l.includes(' Repair card'))).not.toMatch(/\bs skip\b/);
    expect(cardStatus(f)).not.toMatch(/\bs skip\b/);
    expect(footer(f)).not.toMatch(/\bs skip\b/);
    await h.press(KEYS.esc, 'k');
    f = await h.waitForFrame((x) => selected(x) === rows().at(-2) && /\bs skip\b/.test(footer(x)), 's offered one row up');
    expect(cardStatus(f)).toMatch(/ · s skip$/);
    await h.press('s');
    await h.waitForFrame((x) => selected(x) === rows().at(-1) && status(x).endsWith('left undecided'), 'skipped to the last');
  });
});

describe('with no repair to decide on', () => {
  test('a filter that matches none: the footer offers no decision, and each key says there is none', async () => {
    const { h } = await open();
    await h.press('/', ...'no-such-repair', KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('No rows match'), 'the empty queue');
    expect(footer(f)).not.toMatch(/\ba approve\b|\br reject\b|space mark|\bo reopen\b/);
    expect(footer(f)).toMatch(/\? help/);
    // One answer for every key on the selected row: there is none.
    for (const key of ['a', ' ', 'o']) {
      await h.press(key);
      await h.waitForFrame(
        (x) => status(x).includes('no row selected: the filter "no-such-repair" matches none'),
        `the answer to ${JSON.stringify(key)}`,
      );
      h.store.getState().setMessage(null);
      await h.waitForFrame((x) => !status(x).includes('no row selected'), 'the answer cleared');
    }
  });
});

describe('audit view and export', () => {
  test('view 7 lists the decisions newest first, with the / filter; e writes a snapshot, E the rows of the view', async () => {
    const { h, disk } = await open();
    await pick('restamp-slot fe-poison');
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('applied restamp-slot'));
    await h.press(KEYS.esc, KEYS.esc);
    await pick('repair-alias be-evil');
    await h.press('r', ...'no', KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> rejected'));

    await h.press('7');
    let f = await h.waitForFrame((x) => x.includes('OPERATOR') && x.includes('reject'), 'the audit view');
    const lines = f.split('\n');
    const reject = lines.findIndex((l) => /reject\s+recorded\s+repair-alias:be-evil/.test(l));
    const approve = lines.findIndex((l) => /approve\s+applied\s+restamp-slot:fe-poison/.test(l));
    expect(reject).toBeGreaterThan(0);
    expect(approve).toBeGreaterThan(reject);
    expect(lineOf(f, 'repair-alias:be-evil')).toContain('tester');
    await h.press('/', ...'approve', KEYS.enter);
    f = await h.waitForFrame((x) => x.includes('filter "approve"'));
    expect(f).not.toMatch(/reject\s+recorded/);
    await h.press(KEYS.esc);

    await h.press('e');
    f = await h.waitForFrame((x) => status(x).includes('Export a snapshot as:'));
    expect(status(f)).toMatch(/\[ md \]/);
    await h.press(KEYS.enter);
    f = await h.waitForFrame((x) => status(x).includes('exported md snapshot to'), 'md export');
    const md = readdirSync(disk.dir).find((n) => n.endsWith('.md'))!;
    expect(status(f)).toContain(join(disk.dir, 'city.snapshot-'));
    expect(readFileSync(join(disk.dir, md), 'utf8')).toMatch(/^# gc-tui report: ui-city/);

    await h.press('e', KEYS.tab, KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('exported json snapshot'), 'json export');
    const json = readdirSync(disk.dir).find((n) => /snapshot-.*\.json$/.test(n))!;
    const doc = JSON.parse(readFileSync(join(disk.dir, json), 'utf8'));
    expect(doc.schema).toBe('gc-tui/1');
    expect(doc.plan.metrics).toBeDefined();
    expect(doc.decisions).toHaveLength(1);

    await h.press('6', 'E', KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('exported 1 row of the repairs view (csv)'), 'view export');
    const csv = readdirSync(disk.dir).find((n) => n.includes('.repairs-') && n.endsWith('.csv'))!;
    const text = readFileSync(join(disk.dir, csv), 'utf8').trim().split('\n');
    expect(text[0]).toBe('ID,STATUS,MARKED,POOL,KIND,RULE,BEAD,CHANGES,REASON,DECISION');
    // The filter of the repairs view is still "repair-alias be-evil": one row.
    expect(text).toHaveLength(2);
    expect(text[1]).toMatch(/^repair-alias:be-evil,rejected,,backend\/worker,repair-alias,R5,be-evil,/);
    expect(disk.audit().filter((a) => a.action === 'export')).toHaveLength(3);
  });
});

describe('c on a decided repair', () => {
  test('copies its bead, as on an undecided one (a rejected repair is no longer in the plan)', async () => {
    const { h, disk } = await open();
    const copied: string[] = [];
    disk.live.services.copy = (t) => copied.push(t);
    await pick('repair-alias be-evil');
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('Reject repair-alias:be-evil — reason'), 'the reason prompt');
    await h.press(KEYS.enter);
    await h.waitForFrame((x) => selected(x).startsWith('> rejected'), 'rejected');
    expect(disk.store.getState().current!.plan.repairs.map((r) => r.id)).not.toContain('repair-alias:be-evil');
    await h.press('c');
    await h.waitForFrame(() => copied.length === 1, 'the copy');
    expect(copied).toEqual(['be-evil']);
  });
});

describe('an export while the input cannot be read', () => {
  test('e exports what is on screen and says, in the file and on the status line, that it is the last good read', async () => {
    const { h, disk } = await open();
    writeFileSync(disk.file, '{"schema": "gc-tui/1", "beads": [');
    await disk.live.refresh();
    await h.waitForFrame((x) => x.includes('showing the last good read'), 'the read error');

    await h.press('e', KEYS.enter);
    await h.waitForFrame((x) => x.includes('exported md snapshot of the last good read'), 'the md export');
    // The status line's whole text (the frame cuts it at the terminal's width).
    expect(disk.store.getState().ui.message?.text).toMatch(/: the input cannot be read now: .*city\.json: line 1, column 34/);
    const md = readdirSync(disk.dir).find((n) => n.endsWith('.md'))!;
    const report = readFileSync(join(disk.dir, md), 'utf8');
    expect(report).toMatch(
      /^- \*\*Input unreadable at this time\*\* \(.*city\.json.*\): this report is of the last good read, at \d{4}-\d\d-\d\dT/m,
    );

    await h.press('e', KEYS.tab, KEYS.enter);
    await h.waitForFrame((x) => x.includes('exported json snapshot of the last good read'), 'the json export');
    const json = readdirSync(disk.dir).find((n) => /snapshot-.*\.json$/.test(n))!;
    const doc = JSON.parse(readFileSync(join(disk.dir, json), 'utf8')) as { snapshot: Record<string, string> };
    expect(doc.snapshot.last_good_read).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(doc.snapshot.input_error).toContain('city.json');
  });
});

describe('an outcome longer than the status line', () => {
  test('an export to a long path wraps over two lines: the whole file name is on screen, the frame keeps its height', async () => {
    const d = (disk = await onDisk(demoState(), { columns: 60, rows: 20 }));
    const app = (h = renderApp(d.store, { services: d.live.services }));
    await app.waitForFrame((x) => x.includes('TEMPLATE'), 'the pools view');
    await app.press('e');
    await app.waitForFrame((x) => x.includes('Export a snapshot as:'));
    await app.press(KEYS.enter);
    const name = await waitFor(
      () => readdirSync(d.dir).find((n) => n.endsWith('.md')) ?? '',
      (n) => n !== '',
      'the snapshot written',
    );
    const file = join(d.dir, name);
    const text = `exported md snapshot to ${file}`;
    expect(text.length).toBeGreaterThan(60);
    const f = await app.waitForFrame((x) => x.includes('.md'), 'the outcome');
    expectFits(f, 60, 20);
    const rows = f.split('\n');
    // Over the two lines above the footer (a path longer than the line is broken inside it): every character.
    expect(`${rows.at(-3)}${rows.at(-2)}`.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });
});

describe('a Gas City city directory', () => {
  /** A small city on disk: one session bead whose pool_slot is stale, and orphaned work; its directory. */
  function tinyCity(): string {
    const cityDir = tempDir('gc-tui-review-city-');
    writeFileSync(
      join(cityDir, 'city.toml'),
      '[workspace]\nname = "tiny"\n\n[[agent]]\nname = "worker"\ndir = "frontend"\nmax_active_sessions = 5\n',
    );
    mkdirSync(join(cityDir, '.gc'));
    const beads = [
      {
        id: 'tc-1',
        status: 'open',
        issue_type: 'session',
        metadata: {
          template: 'frontend/worker',
          pool_managed: 'true',
          agent_name: 'frontend/worker-2',
          alias: 'frontend/worker-2',
          pool_slot: '4',
          state: 'asleep',
        },
      },
      { id: 'tc-w', status: 'in_progress', issue_type: 'task', assignee: 'nobody-here', metadata: { 'gc.routed_to': 'frontend/worker' } },
    ];
    writeFileSync(
      join(cityDir, '.gc', 'beads.json'),
      JSON.stringify({ seq: 9, beads, deps: [{ from: 'tc-w', to: 'tc-1' }], fences: { x: 1 } }, null, 2),
    );
    return cityDir;
  }

  /** The console on the city at `cityDir`, on screen (h), its operator city-op. */
  async function consoleOn(cityDir: string, readOnly = false) {
    const store = createAppStore({ operator: 'city-op', viewport: { rows: 40, columns: 140 }, readOnly });
    const live = startLive({ store, source: { kind: 'city', dir: cityDir }, watch: false, patrolMs: 3_600_000, now: () => NOW });
    await live.ready;
    const app = (h = renderApp(store, { services: live.services }));
    return { live, app };
  }

  test('approve writes .gc/beads.json (other keys kept); reject goes to .gc/gc-tui/decisions.json; both to .gc/gc-tui/audit.jsonl', async () => {
    const cityDir = tinyCity();
    const { live, app } = await consoleOn(cityDir);
    await app.press('6');
    await app.waitForFrame((f) => f.includes('restamp-slot'));
    await pick('restamp-slot tc-1');
    await app.press('a');
    await app.waitForFrame((f) => status(f).includes('applied restamp-slot:tc-1'));
    await app.press(KEYS.esc, KEYS.esc);
    await pick('release-orphaned-work tc-w');
    await app.press('r', ...'ask the owner', KEYS.enter);
    await app.waitForFrame((f) => selected(f).startsWith('> rejected'));
    const file = JSON.parse(readFileSync(join(cityDir, '.gc', 'beads.json'), 'utf8'));
    expect(file.seq).toBe(9);
    expect(file.deps).toEqual([{ from: 'tc-w', to: 'tc-1' }]);
    expect(file.fences).toEqual({ x: 1 });
    expect(file.beads[0].metadata.pool_slot).toBe('2');
    expect(file.beads[1].assignee).toBe('nobody-here');
    const decisions = JSON.parse(readFileSync(join(cityDir, '.gc', 'gc-tui', 'decisions.json'), 'utf8'));
    expect(decisions).toMatchObject([
      { repair: 'release-orphaned-work:tc-w', decision: 'rejected', by: 'city-op', reason: 'ask the owner' },
    ]);
    const audit = readFileSync(join(cityDir, '.gc', 'gc-tui', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.map((a: { action: string; result: string }) => `${a.action}:${a.result}`)).toEqual(['approve:applied', 'reject:recorded']);
    await live.stop();
  });

  test("e and E export into the city's .gc/gc-tui/, beside its audit log: never into the city directory (Gas City's) nor the current directory", async () => {
    const cityDir = tinyCity();
    const inCwd = () => readdirSync(process.cwd()).filter((n) => n.startsWith(`${basename(cityDir)}.`));
    const cwdBefore = inCwd();
    const { live, app } = await consoleOn(cityDir);
    try {
      await app.waitForFrame((f) => f.includes('HEALTH'), 'the console');
      const own = join(cityDir, '.gc', 'gc-tui');
      await app.press('e', KEYS.enter);
      let f = await app.waitForFrame((x) => status(x).includes('exported md snapshot to'), 'the md export');
      expect(status(f)).toContain(join(own, `${basename(cityDir)}.snapshot-`));
      await app.press('6', 'E', KEYS.enter);
      // The message wraps over two lines: its path is the second.
      f = await app.waitForFrame((x) => x.includes('of the repairs view (csv) to'), 'the view export');
      expect(f).toContain(join(own, `${basename(cityDir)}.repairs-`));
      expect(readdirSync(own).filter((n) => /\.(snapshot|repairs)-.*\.(md|csv)$/.test(n))).toHaveLength(2);
      expect(readFileSync(join(own, readdirSync(own).find((n) => n.endsWith('.md'))!), 'utf8')).toMatch(/^# gc-tui report: tiny/);
      // The city directory holds what Gas City put there, and the current directory nothing new.
      expect(readdirSync(cityDir).sort()).toEqual(['.gc', 'city.toml']);
      expect(inCwd()).toEqual(cwdBefore);
    } finally {
      await live.stop();
    }
  });

  test("with --read-only, e still exports into the city's .gc/gc-tui/, made for it, and nothing else is written there", async () => {
    // --read-only protects the city's beads, its decisions and its audit log; a report saved to disk is none of those.
    const cityDir = tinyCity();
    const beads = readFileSync(join(cityDir, '.gc', 'beads.json'), 'utf8');
    const { live, app } = await consoleOn(cityDir, true);
    try {
      await app.waitForFrame((f) => f.includes('HEALTH'), 'the console');
      const own = join(cityDir, '.gc', 'gc-tui');
      expect(existsSync(own)).toBe(false);
      await app.press('e', KEYS.enter);
      const f = await app.waitForFrame((x) => status(x).includes('exported md snapshot to'), 'the md export');
      expect(status(f)).toContain(join(own, `${basename(cityDir)}.snapshot-`));
      expect(readdirSync(own)).toEqual([expect.stringMatching(/\.snapshot-\d{8}T\d{6}Z\.md$/)]);
      expect(readFileSync(join(cityDir, '.gc', 'beads.json'), 'utf8')).toBe(beads);
    } finally {
      await live.stop();
    }
  });
});

describe('an approval keeps the text of what it does not change', () => {
  // Numbers spelled as JSON.parse would not write them, in the approved bead and around it (spelled-beads.ts).
  async function approveSlot(source: Source): Promise<void> {
    const store = createAppStore({ operator: 'tester', viewport: { rows: 40, columns: 140 } });
    const live = startLive({ store, source, watch: false, patrolMs: 3_600_000, now: () => NOW });
    await live.ready;
    h = renderApp(store, { services: live.services });
    await h.press('6');
    await h.waitForFrame((f) => f.includes('restamp-slot'), 'the repairs view');
    await pick('restamp-slot mc-1');
    await h.press('a');
    await h.waitForFrame((f) => status(f).includes('applied restamp-slot:mc-1'), 'applied');
    await live.stop();
  }

  test("a sealed city: the slot, updated_at and the bead's revision change in .gc/beads.json, every other byte is as it was", async () => {
    const dir = tempDir('gc-tui-review-spelled-');
    writeFileSync(join(dir, 'city.toml'), SPELLED_CITY_TOML);
    mkdirSync(join(dir, '.gc'));
    writeFileSync(join(dir, '.gc', 'beads.json'), spelledCityBeads('4', '2026-05-06T02:00:00Z', '3'));
    await approveSlot({ kind: 'city', dir });
    expect(readFileSync(join(dir, '.gc', 'beads.json'), 'utf8')).toBe(spelledCityBeads('3', '2026-05-06T02:13:00Z', '4'));
  });

  test('a store file: the same', async () => {
    const file = join(tempDir('gc-tui-review-spelled-'), 'city.json');
    writeFileSync(file, spelledStore('4', '2026-05-06T02:00:00Z'));
    await approveSlot({ kind: 'store', path: file });
    expect(readFileSync(file, 'utf8')).toBe(spelledStore('3', '2026-05-06T02:13:00Z'));
  });
});

describe('terminal hygiene of the review flow', () => {
  test.each([
    [8, 40],
    [12, 60],
    [20, 80],
    [40, 120],
  ])('the card, the dialogs and the audit view fit a %i×%i terminal', async (rows, columns) => {
    h = renderApp(storeWith(demoState(), { rows, columns }));
    const fits = (f: string) => f.split('\n').length <= rows - 1 && Math.max(...f.split('\n').map((l) => [...l].length)) <= columns;
    // Each step lands in a different key scope (view, card, prompt, dialog), so the footer tells its own frame
    // from the previous one; the store says which scope that is.
    const steps: [string[], Scope][] = [
      [['6'], 'repairs'],
      [[KEYS.enter], 'card'],
      [['/', ...'close-duplicate'], 'prompt'],
      [[KEYS.enter], 'card'],
      [['a'], 'confirm'],
      [[KEYS.esc], 'card'],
      [['A'], 'bulk'],
      [[KEYS.esc], 'card'],
      [['r'], 'input'],
      [[KEYS.esc], 'card'],
      [['e'], 'choice'],
      [[KEYS.esc], 'card'],
      [[KEYS.esc], 'repairs'],
      [['7'], 'audit'],
    ];
    let before = '';
    let refused = false;
    for (const [keys, scope] of steps) {
      // A card too short for the whole diff refuses `a` and `r` (nothing to confirm or type, so no esc back either).
      if (refused && keys[0] === KEYS.esc && scope === 'card') {
        refused = false;
        continue;
      }
      await h.press(...keys);
      // A decision key acts once the frame without the message it clears is drawn: its dialog, or its refusal.
      if (keys[0] === 'a' || keys[0] === 'r')
        await waitFor(
          () => `${scopeOf(h!.store.getState())} ${h!.store.getState().ui.message?.text ?? ''}`,
          (v) => !v.startsWith('card ') || v.includes('not all on screen'),
          `the answer to ${keys[0]}`,
        );
      // A pane too short for one repair's diff refuses `A` the same way.
      if (keys[0] === 'A' && scopeOf(h.store.getState()) === 'card') {
        expect(h.store.getState().ui.message?.text).toMatch(
          /^A: a repair needs \d+ lines, \d+ fit: make the terminal taller; nothing approved$/,
        );
        refused = true;
        continue;
      }
      if ((keys[0] === 'a' || keys[0] === 'r') && scopeOf(h.store.getState()) === 'card') {
        expect(h.store.getState().ui.message?.text).toMatch(
          /^the change of close-duplicate:\S+ is not all on screen: .*nothing (approved|rejected)$/,
        );
        expect(h.store.getState().ui.diffOnScreen).toBeNull();
        refused = true;
        continue;
      }
      expect(scopeOf(h.store.getState()), `after ${JSON.stringify(keys)}`).toBe(scope);
      expect(footerHead(h.store), `the footer of ${scope} is not the previous step's`).not.toBe(before);
      before = footerHead(h.store);
      const f = await waitForScope(h);
      expect(fits(f), `after ${JSON.stringify(keys)}:\n${f}`).toBe(true);
    }
  });

  test('hostile strings stay inert on the card', async () => {
    h = renderApp(storeWith(demoState(), { rows: 40, columns: 160 }));
    await h.press('6', '/', ...'repair-alias be-evil', KEYS.enter, KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('Blast radius'));
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(f).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(f).toContain('~ metadata.alias: "evil\\e[2J\\e]0;pwned\\x07" → "backend/worker-3"');
  });
});
