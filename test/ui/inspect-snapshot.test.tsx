// The inspect pane is a snapshot (issue 11): a refresh while it is open never changes what the operator is
// reading. When the bead under it changed, the pane says so and `R` reloads it; when it is gone, it says that.
import { afterEach, describe, expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { State } from '../../src/engine/types.js';
import type { AppStore } from '../../src/console/state.js';
import { NOW } from '../support/builders.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, SIZES, waitForView, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const NOTICE = 'changed since opened — R reloads';

/** A refresh of the console with `s` (as the live reader delivers one), planned at `at`. */
function refresh(store: AppStore, s: State, at = NOW): void {
  store.getState().loaded(s, plan(s, at), Date.now());
}

/** The demo with one bead's metadata changed. */
function withMetadata(id: string, key: string, value: string): State {
  const s = demoState();
  s.beads.find((b) => b.id === id)!.metadata![key] = value;
  return s;
}

async function slotsOf(app: Harness): Promise<string> {
  await app.press('2');
  await waitForView(app, 'slots');
  return app.store.getState().ui.cursors.slots.key!;
}

const flat = (f: string) => f.replace(/\s+/g, ' ');

/** The local wall-clock time `R` names (HH:MM:SS), and whether `t` lies between two such times (midnight between them too). */
const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);
const between = (t: string, lo: string, hi: string) => (lo <= hi ? lo <= t && t <= hi : t >= lo || t <= hi);

describe('R says what it re-read', () => {
  test('nothing changed: it says so, with the time the pane was taken', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 80, rows: 24 })));
    const bead = await slotsOf(app);
    const lo = clock(Date.now());
    await app.press('y');
    await app.waitForFrame((x) => x.includes(`bead ${bead}`), 'the raw bead');
    const hi = clock(Date.now());
    // A refresh that leaves this bead alone: R finds nothing new.
    const other = demoState().beads.find((b) => b.id !== bead && b.metadata)!.id;
    refresh(app.store, withMetadata(other, 'note', 'elsewhere'));
    await app.waitForFrame(() => app.store.getState().current!.state.beads.some((b) => b.metadata?.note === 'elsewhere'), 'refreshed');
    await app.press('R');
    const f = await app.waitForFrame((x) => x.includes('re-read:'), 'R answers');
    const taken = /re-read: nothing changed since (\d\d:\d\d:\d\d)/.exec(f)?.[1] ?? '';
    expect(between(taken, lo, hi), `${taken}: when the pane was opened, ${lo}–${hi}`).toBe(true);
    expectFits(f, 80, 24);
  });

  test('something changed: it says how many lines are new and gone, and the first of them', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 80, rows: 24 })));
    const bead = await slotsOf(app);
    const lo = clock(Date.now());
    await app.press('\r');
    await app.waitForFrame((x) => x.includes(`slots ${bead}`) && x.includes('esc closes'), 'the detail');
    const hi = clock(Date.now());
    refresh(app.store, withMetadata(bead, 'alias', 'renamed-meanwhile'));
    await app.waitForFrame((x) => x.includes(NOTICE), 'the notice');
    await app.press('R');
    const f = await app.waitForFrame((x) => x.includes('re-read:'), 'R answers');
    const said = /re-read: changed since (\d\d:\d\d:\d\d): 1 line new, 0 gone \(first new: [^)]*renamed-meanwhile/.exec(flat(f));
    expect(said, 'the lines R found changed').not.toBeNull();
    expect(between(said![1], lo, hi), `${said![1]}: when the pane was opened, ${lo}–${hi}`).toBe(true);
    expectFits(f, 80, 24);
    // Pressed again, nothing more changed, since the reload.
    await app.press('R');
    await app.waitForFrame((x) => x.includes('re-read: nothing changed since'), 'R again');
  });
});

describe('R on the raw JSON names the members that changed, not the commas that moved', () => {
  /** `y` on the first slot, at 80×24, then a refresh with `change` made to its bead's metadata, then R. */
  async function reloaded(change: (metadata: Record<string, string>) => Record<string, string>): Promise<string> {
    const app = (h = renderApp(storeWith(demoState(), { columns: 80, rows: 24 })));
    const bead = await slotsOf(app);
    await app.press('y');
    await app.waitForFrame((x) => x.includes(`bead ${bead}`), 'the raw bead');
    const s = demoState();
    const b = s.beads.find((x) => x.id === bead)!;
    b.metadata = change({ ...b.metadata! });
    refresh(app.store, s);
    await app.waitForFrame((x) => x.includes(NOTICE), 'the notice');
    await app.press('R');
    const f = await app.waitForFrame((x) => x.includes('re-read:'), 'R answers');
    expectFits(f, 80, 24);
    return flat(f);
  }

  test('a member added after the last: one line new, though the one before it gained a comma', async () => {
    const f = await reloaded((m) => ({ ...m, note: 'written meanwhile' }));
    expect(f).toMatch(/re-read: changed since \d\d:\d\d:\d\d: 1 line new, 0 gone \(first new: "note": "written meanwhile"\)/);
  });

  test('the last member removed: one line gone, though the one before it lost its comma', async () => {
    const f = await reloaded((m) => {
      const keys = Object.keys(m);
      const rest = { ...m };
      delete rest[keys[keys.length - 1]];
      return rest;
    });
    expect(f).toMatch(/re-read: changed since \d\d:\d\d:\d\d: 0 lines new, 1 gone \(first gone: "[a-z_]+": "[^"]*"\)/);
  });

  test('a member moved from the middle to the end: the same lines in another order, not "not in what this pane shows"', async () => {
    const f = await reloaded((m) => {
      const [first, ...others] = Object.keys(m);
      return { ...Object.fromEntries(others.map((k) => [k, m[k]])), [first]: m[first] };
    });
    expect(f).toMatch(/re-read: changed since \d\d:\d\d:\d\d: the same lines, in another order/);
  });
});

describe('R on a detail whose bead did not change', () => {
  /** The pane `enter` opens on `bead`, reached in the slots of `pool` with `moves`. */
  async function detailOf(app: Harness, pool: string, bead: string, moves: string[] = []): Promise<string> {
    await app.press(':', ...`slots ${pool}`, KEYS.enter, ...moves);
    await app.waitForFrame((x) => new RegExp(`^> .*${bead}`, 'm').test(x), `${bead} selected`);
    await app.press(KEYS.enter);
    return app.waitForFrame((x) => x.includes(`slots ${bead} (1–`) && x.includes('esc closes'), `the pane of ${bead}`);
  }

  test('another bead changed what it shows: the pane says so, and R names the line, not "nothing changed"', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 80, rows: 24 })));
    expect(await detailOf(app, 'backend/worker', 'be-one')).toContain('live work: wk-cross');
    // The work is closed: be-one's own bead is as it was, its detail has no live work any more.
    const s = demoState();
    s.beads.find((b) => b.id === 'wk-cross')!.status = 'closed';
    refresh(app.store, s);
    let f = await app.waitForFrame((x) => x.includes(NOTICE), 'the notice');
    expect(f).toContain('live work: wk-cross');
    await app.press('R');
    f = await app.waitForFrame((x) => x.includes('re-read:'), 'R answers');
    expect(flat(f)).toMatch(/re-read: changed since \d\d:\d\d:\d\d: 0 lines new, 1 gone \(first gone: live work: wk-cross\)/);
    expect(f).not.toContain('live work: wk-cross');
    expect(f).not.toContain(NOTICE);
    expectFits(f, 80, 24);
  });

  test('only the ages moved with the clock: no notice, and R says nothing changed but the ages', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 80, rows: 24 })));
    const age = (f: string) => /\((\d+ min) ago/.exec(flat(f))?.[1];
    const was = age(await detailOf(app, 'backend/worker', 'be-stale', ['j']));
    expect(was, 'the stale create says its age').toBeDefined();
    // The same data planned five minutes later: the create is five minutes older.
    const before = app.store.getState().current;
    refresh(app.store, demoState(), new Date(NOW.getTime() + 5 * 60_000));
    await app.waitForFrame(() => app.store.getState().current !== before, 'refreshed');
    expect(app.frame()).not.toContain(NOTICE);
    await app.press('R');
    const f = await app.waitForFrame((x) => x.includes('re-read:'), 'R answers');
    expect(flat(f)).toMatch(/re-read: nothing changed since \d\d:\d\d:\d\d \(ages brought up to date\)/);
    expect(age(f)).not.toBe(was);
  });

  test('the bead changed where the pane does not show it: R says so, not "0 lines new, 0 gone"', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 80, rows: 24 })));
    await detailOf(app, 'backend/worker', 'be-one');
    refresh(app.store, withMetadata('be-one', 'note', 'not in the detail'));
    await app.waitForFrame((x) => x.includes(NOTICE), 'the notice');
    await app.press('R');
    const f = await app.waitForFrame((x) => x.includes('re-read:'), 'R answers');
    expect(flat(f)).toMatch(/re-read: changed since \d\d:\d\d:\d\d, not in what this pane shows \(y shows all of it\)/);
  });
});

describe('y and enter are snapshots', () => {
  for (const [columns, rows] of SIZES)
    test(`y at ${columns}×${rows}: a refresh that changes the bead leaves the JSON as opened and says so; R reloads`, async () => {
      const app = (h = renderApp(storeWith(demoState(), { columns, rows })));
      const bead = await slotsOf(app);
      await app.press('y');
      let f = await app.waitForFrame((x) => x.includes(`bead ${bead}`) && x.includes('"issue_type": "session"'), 'the raw bead');
      expect(f).not.toContain(NOTICE);

      // A refresh that leaves the bead alone changes nothing on the pane.
      const other = demoState().beads.find((b) => b.id !== bead && b.metadata)!.id;
      refresh(app.store, withMetadata(other, 'note', 'elsewhere'));
      await app.waitForFrame(() => app.store.getState().current!.state.beads.some((b) => b.metadata?.note === 'elsewhere'), 'refreshed');
      expect(app.frame()).not.toContain(NOTICE);

      refresh(app.store, withMetadata(bead, 'note', 'written meanwhile'));
      f = await app.waitForFrame((x) => x.includes(NOTICE), 'the notice');
      expect(f).not.toContain('written meanwhile');
      expect(f).toContain(`bead ${bead}`);
      expectFits(f, columns, rows);
      await app.press('R');
      f = await app.waitForFrame((x) => !x.includes(NOTICE), 'reloaded');
      expectFits(f, columns, rows);
      // The new field is somewhere in the JSON: page down to it.
      for (let i = 0; i < 10 && !f.includes('"note": "written meanwhile"'); i++) {
        const was = f;
        await app.press(KEYS.pgdn);
        f = await app.waitForFrame((x) => x !== was || x.includes('"note"'), 'the next page');
      }
      expect(f).toContain('"note": "written meanwhile"');
    });

  test('enter on a slot: the detail stays as opened; a bead that left the data says so, and R keeps what was opened', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 80, rows: 24 })));
    const bead = await slotsOf(app);
    await app.press('\r');
    const opened = await app.waitForFrame((x) => x.includes(`slots ${bead}`) && x.includes('esc closes'), 'the detail');
    const body = (f: string) => f.split('\n').slice(3, -2).join('\n');
    refresh(app.store, withMetadata(bead, 'alias', 'renamed-meanwhile'));
    let f = await app.waitForFrame((x) => x.includes(NOTICE), 'the notice');
    expect(f).not.toContain('renamed-meanwhile');
    expect(body(f)).toContain(body(opened).split('\n')[0]);
    await app.press('R');
    await app.waitForFrame((x) => x.includes('renamed-meanwhile') && !x.includes(NOTICE), 'reloaded');

    const gone = demoState();
    gone.beads = gone.beads.filter((b) => b.id !== bead);
    refresh(app.store, gone);
    f = await app.waitForFrame((x) => x.includes('gone since opened'), 'gone');
    expect(f).toContain('renamed-meanwhile');
    expectFits(f, 80, 24);
    await app.press('R');
    f = await app.waitForFrame((x) => x.includes('nothing to reload'), 'R says why');
    expect(f).toContain('renamed-meanwhile');
  });
});
