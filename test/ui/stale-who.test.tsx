// An approval refused as stale because another process changed the store says who did, when the audit log knows
// (a headless `gc-tui apply` writes its lines there), and when it does not, what is known: when the file was written.
import { describe, expect, test } from 'vitest';
import { demoState } from './fixture.js';
import { KEYS, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { run } from '../e2e/cli-helpers.js';
import { NOW_ISO } from '../support/builders.js';
import { endAfterEach } from '../support/teardown.js';
import { lines } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

/** The status area: a message that wraps takes the lines above the footer. */
const said = (f: string) => lines(f).slice(-4, -1).join(' ').replace(/\s+/g, ' ');

/** fe-poison's restamp on screen (`"3" → "2"`); the console does not re-read (no watcher). */
async function restampShown() {
  ({ h, disk } = await openRepairs(demoState(), { rows: 40, columns: 200 }));
  await pickRepair(h, 'restamp-slot fe-poison');
  await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'its diff');
  return { h, disk };
}

describe('a stale approval after an outside change', () => {
  test('names the operator, the time and the command of a headless apply that changed it', async () => {
    const { h, disk } = await restampShown();
    const done = run(['apply', '--store', disk.file, '--repair', 'restamp-slot:fe-poison', '--by', 'alice', '--now', NOW_ISO]);
    expect(done.code, done.stderr).toBe(0);
    await h.press('a');
    const f = await h.waitForFrame((x) => said(x).includes('stale, not applied: restamp-slot:fe-poison'), 'stale');
    expect(said(f)).toContain(
      `metadata.pool_slot is now "2" (expected "3"); changed on disk by alice at ${NOW_ISO} (gc-tui apply of restamp-slot:fe-poison)`,
    );
    expect(disk.bead('fe-poison').metadata!.pool_slot).toBe('2');
  });

  test('without an audit line for the bead, says it was changed outside gc-tui, and when the file was written', async () => {
    const { h, disk } = await restampShown();
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await h.press('a');
    const f = await h.waitForFrame((x) => said(x).includes('stale, not applied: restamp-slot:fe-poison'), 'stale');
    expect(said(f)).toMatch(
      /is now "7" \(expected "3"\); changed on disk outside gc-tui \(no audit line names it\), the file last written at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
    );
  });
});

describe('a stale refusal reads the audit log once', () => {
  /** How many times the console takes in the audit log (each read sets a new list) from now on. */
  function auditReads(h: Harness): () => number {
    let n = 0;
    const stop = h.store.subscribe((s, was) => {
      if (s.audit !== was.audit) n++;
    });
    return () => {
      stop();
      return n;
    };
  }

  test.each([
    ['an approval', ['a'], 'stale, not applied: restamp-slot:fe-poison'],
    ['a rejection', ['r', 'enter'], 'stale, not rejected: restamp-slot:fe-poison'],
  ])('of %s: who changed the store is said from that one read', async (_what, keys, stale) => {
    const { h, disk } = await restampShown();
    const done = run(['apply', '--store', disk.file, '--repair', 'restamp-slot:fe-poison', '--by', 'alice', '--now', NOW_ISO]);
    expect(done.code, done.stderr).toBe(0);
    const reads = auditReads(h);
    await h.press(...keys.map((k) => (k === 'enter' ? KEYS.enter : k)));
    const f = await h.waitForFrame((x) => said(x).includes(stale), 'stale');
    expect(said(f)).toContain(`changed on disk by alice at ${NOW_ISO} (gc-tui apply of restamp-slot:fe-poison)`);
    expect(reads()).toBe(1);
  });
});

describe('a refresh that drops a mark because another writer changed its diff', () => {
  test('says who changed the store: without an audit line for the bead, when the file was written', async () => {
    const { h, disk } = await restampShown();
    await h.press(' ');
    await h.waitForFrame((x) => x.includes('1 marked'), 'marked');
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await disk.live.refresh();
    const f = await h.waitForFrame(
      (x) => said(x).includes('mark dropped') && said(x).includes('last written'),
      'the mark dropped, and who',
    );
    expect(said(f)).toMatch(
      /1 marked repair changed \(restamp-slot:fe-poison\): mark dropped; read the new diff and mark again; changed on disk outside gc-tui \(no audit line names it\), the file last written at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
    );
  });
});

describe('a resume from pause that takes the plan held back', () => {
  /** fe-poison's slot written to 7 by a writer with no audit line while paused, read and held back, then `:resume`. */
  async function resumedAfterOutsideWrite(h: Harness, disk: OnDisk): Promise<void> {
    await h.press(':', ...'pause', KEYS.enter);
    await h.waitForFrame((x) => lines(x)[0].endsWith('[PAUSED]'), 'paused');
    const marked = h.store.getState().ui.marks.size;
    disk.write((d) => {
      d.beads.find((b) => b.id === 'fe-poison')!.metadata!.pool_slot = '7';
    });
    await disk.live.refresh();
    await h.waitForFrame(() => h.store.getState().pending !== null, 'the new plan held back');
    // Held back: the marks stay as they were until the resume.
    expect(h.store.getState().ui.marks.size).toBe(marked);
    await h.press(':', ...'resume', KEYS.enter);
    await h.waitForFrame((x) => !lines(x)[0].endsWith('[PAUSED]'), 'resumed');
  }
  const outside = String.raw`changed on disk outside gc-tui \(no audit line names it\), the file last written at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`;

  test('says who changed the store when it drops a mark, as a read that shows the plan does', async () => {
    const { h, disk } = await restampShown();
    await h.press(' ');
    await h.waitForFrame((x) => x.includes('1 marked'), 'marked');
    await resumedAfterOutsideWrite(h, disk);
    const f = await h.waitForFrame((x) => said(x).includes('mark dropped'), 'the mark dropped');
    expect(said(f)).toMatch(
      new RegExp(
        String.raw`1 marked repair changed \(restamp-slot:fe-poison\): mark dropped; read the new diff and mark again; ${outside}`,
      ),
    );
  });

  test("says who changed the store on the card's CHANGED line", async () => {
    const { h, disk } = await restampShown();
    await resumedAfterOutsideWrite(h, disk);
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('CHANGED since you opened it'), 'the card changed');
    expect(f.replace(/\s+/g, ' ')).toMatch(new RegExp(`CHANGED since you opened it: ${outside} — a acknowledges`));
  });
});
