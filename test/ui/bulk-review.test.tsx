// `A` with nothing marked, on a real store file: the review pane lists every repair it would approve with its diff
// (destructive groups first), the count approves nothing until every line has been on screen, and then exactly the
// listed repairs, each with the diff shown (the store file and the audit log say so). A refresh that changes a listed
// repair leaves it out and the count follows; a terminal too short for one diff refuses `A`; no frame is too big.
import { describe, expect, test } from 'vitest';
import type { Bead, Change, Repair } from '../../src/engine/types.js';
import { diffLine } from '../../src/ui/review/card.js';
import { paneLines, readInFrame } from '../../src/ui/review/bulk.js';
import { endAfterEach } from '../support/teardown.js';
import { waitFor } from '../support/wait.js';
import { dialogOf } from '../../src/console/ui-state.js';
import { pooled, work } from '../support/builders.js';
import { demoCity, demoState } from './fixture.js';
import { expectFits, KEYS, resizeTerminal, type Harness } from './render.js';
import { openRepairs, type OnDisk } from './review-harness.js';
import { lines, status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

/** Another writer sets bead `id`'s pool_slot on disk, and the console reads the file again. */
async function setPoolSlot(on: OnDisk, id: string, v: string): Promise<void> {
  on.write((d) => {
    d.beads.find((b) => b.id === id)!.metadata!.pool_slot = v;
  });
  await on.live.refresh();
}
/** The line above the footer: the count prompt's last line (what is typed). */
/** The frame as one line of words (a prompt or message wrapped over several lines reads whole). */
const words = (f: string) => f.replace(/\s+/g, ' ');
/** The pane's prompt still asks to read on. */
const unread = (f: string) => words(f).includes('scroll to the end to approve (');

/**
 * The demo city and a pool of `n` more sessions, each stamped with a slot its identity does not own: `n` restamps more,
 * so the pane takes more than two pages at 120×40 too (the first page and the last one, `G`, leave a middle unread).
 */
function bigCity(n = 40) {
  const s = demoCity();
  s.city.agents.push({ name: 'kimi' });
  for (let i = 1; i <= n; i++)
    s.beads.push(pooled(`kimi-b${i}`, 'kimi', { agent_name: `kimi-${i}`, alias: `kimi-${i}`, pool_slot: String(i + 50) }));
  return s;
}
/** The pane's title: its range of lines. */
const range = (f: string) => /\((\d+)–(\d+) of (\d+)\)/.exec(lines(f)[2] ?? '');

/** A change's field on a bead as written, as a repair's `after` reads it (absent is ""). */
function valueOf(b: Bead, field: string): string {
  if (field === 'status') return b.status ?? '';
  if (field === 'assignee') return b.assignee ?? '';
  return b.metadata?.[field.replace(/^metadata\./, '')] ?? '';
}

const diffTexts = (r: Repair) => r.changes.map((c: Change) => diffLine(c).text.trim());

/** The open pane's dialog state (null once it closed). */
const bulkOf = (app: Harness) => {
  const d = dialogOf(app.store.getState().ui.mode);
  return d?.kind === 'bulk' ? d : null;
};

/** The page on screen in `f`: wait until each of its lines counts as read (they count once they stayed a moment). */
async function readPage(app: Harness, f: string, columns: number): Promise<void> {
  const r = range(f)!;
  const [from, to] = [Number(r[1]) - 1, Number(r[2])];
  await waitFor(
    () => {
      const d = bulkOf(app);
      if (!d) return 'closed';
      const keys = paneLines(d, columns)
        .lines.slice(from, to)
        .flatMap((l) => (l.key ? [l.key] : []));
      return keys.every((k) => d.seen.has(k)) ? 'read' : 'unread';
    },
    (v) => v !== 'unread',
    'the page read',
  );
}

/** Page through the open pane to its end with space, each frame checked against the terminal: every line seen. */
async function readToTheEnd(app: Harness, columns: number, rows: number): Promise<string[]> {
  const seen: string[] = [];
  let f = app.frame();
  for (let page = 0; page < 50; page++) {
    expectFits(f, columns, rows, 'the review pane');
    seen.push(...lines(f).slice(3));
    const r = range(f)!;
    await readPage(app, f, columns);
    if (r[2] === r[3]) break;
    await app.press(' ');
    f = await app.waitForFrame((x) => range(x) !== null && range(x)![1] !== r[1], 'the next page');
  }
  return seen;
}

describe('A with nothing marked: the review pane', () => {
  for (const [columns, rows] of [
    [120, 40],
    [80, 24],
  ] as const)
    test(`at ${columns}×${rows}: every diff listed, destructive first; the count waits for the end, then approves exactly those`, async () => {
      ({ h, disk } = await openRepairs(bigCity(), { columns, rows }));
      const app = h;
      const listed = disk.store.getState().current!.plan.repairs;
      const n = listed.length;
      expect(n).toBeGreaterThan(8);
      const before = disk.raw();
      await app.press('A');
      let f = await app.waitForFrame((x) => range(x) !== null && words(x).includes(`Type ${n}`), 'the review pane');
      expectFits(f, columns, rows, 'the review pane');
      // The destructive groups come first, and say so.
      expect(lines(f)[3]).toMatch(/^DESTRUCTIVE — \d+ close beads?: each closes its bead; this cannot be undone/);
      expect(unread(f)).toBe(true);
      // The count typed before the end approves nothing, says so, and stays typed; `G` alone skips the middle.
      await app.press('G', ...String(n), KEYS.enter);
      f = await app.waitForFrame((x) => x.includes('scroll to the end to approve:'), 'the refusal');
      expectFits(f, columns, rows, 'the refusal');
      expect(status(f)).toMatch(new RegExp(`Type ${n}.* ${n}$`));
      expect(disk.raw()).toBe(before);
      expect(disk.audit()).toEqual([]);
      // Read from the top to the end: every listed repair and each line of its diff was on screen.
      await app.press('g');
      await app.waitForFrame((x) => range(x)?.[1] === '1', 'the top');
      const seen = (await readToTheEnd(app, columns, rows)).join('\n');
      for (const r of listed) {
        expect(seen, r.id).toContain(r.id);
        for (const d of diffTexts(r)) expect(seen.replace(/\s+/g, ' '), `${r.id}: ${d}`).toContain(d);
      }
      f = await app.waitForFrame((x) => !unread(x) && status(x).startsWith(`Type ${n} to approve these ${n} repairs`), 'read to the end');
      expectFits(f, columns, rows, 'the pane read');
      await app.press(KEYS.enter);
      f = await app.waitForFrame((x) => /\d+ applied, \d+ stale/.test(x), 'the outcome');
      expect(f).toContain(`${n} applied, 0 stale`);
      // On disk: each listed repair's changes, and one audit line each, with the changes shown, in one batch.
      for (const r of listed)
        for (const c of r.changes) expect(valueOf(disk.bead(r.beadId), c.field), `${r.id} ${c.field}`).toBe(c.after ?? '');
      const audit = disk.audit();
      expect(audit.map((a) => a.repair).sort()).toEqual(listed.map((r) => r.id).sort());
      for (const a of audit) {
        expect(a.result).toBe('applied');
        expect(a.changes).toEqual(listed.find((r) => r.id === a.repair)!.changes);
      }
      expect(new Set(audit.map((a) => a.batch)).size).toBe(1);
    });

  for (const [columns, rows] of [
    [120, 40],
    [80, 24],
  ] as const)
    test(`at ${columns}×${rows}: each destructive repair is listed with its blast radius, as its card gives it, folded to the width and read with its diff`, async () => {
      ({ h, disk } = await openRepairs(demoState(), { columns, rows }));
      const app = h;
      await app.press('A');
      await app.waitForFrame((x) => range(x) !== null, 'the review pane');
      const d = bulkOf(app)!;
      const destructive = d.repairs.filter((r) => d.radius.has(r.id));
      expect(destructive.length).toBeGreaterThan(2);
      const seen = words((await readToTheEnd(app, columns, rows)).join('\n'));
      // The stale create: its diff, then what the close frees and that no live work is on it.
      expect(seen).toContain(
        '+ metadata.close_reason: "" → "failed-create" • blast radius: the create is abandoned; slot 2 is freed for the pool; no live work is assigned to this bead',
      );
      for (const r of destructive) expect(seen, r.id).toContain(`• blast radius: ${d.radius.get(r.id)!.join('; ')}`);
      // None of the others: a restamp closes nothing. Each radius is among the lines the count waits for.
      const pane = paneLines(d, columns);
      expect(pane.lines.filter((l) => l.text.trim().startsWith('• blast radius')).length).toBe(destructive.length);
      for (const r of destructive)
        expect(
          pane.blocks.get(r.id)!.some((k) => k.includes('blast radius')),
          r.id,
        ).toBe(true);
    });

  test('a refresh that changes what a listed destructive repair touches (live work assigned to the bead it closes, the same diff): left out, said, and the count approves the rest only', async () => {
    ({ h, disk } = await openRepairs(demoState(), { columns: 120, rows: 40 }));
    const app = h;
    await app.press('A');
    await app.waitForFrame((x) => range(x) !== null, 'the review pane');
    const listed = bulkOf(app)!.repairs;
    const n = listed.length;
    expect(listed.map((r) => r.id)).toContain('rollback-stale-create:be-stale');
    await app.press(...String(n));
    // Another writer assigns live work to the stale create the pane would close: its diff stays the same.
    disk.write((d) => {
      d.beads.push(work('wk-new', { route: 'backend/worker', assignee: 'be-stale', status: 'in_progress' }));
    });
    await disk.live.refresh();
    let f = await app.waitForFrame((x) => words(x).includes("1 listed repair's blast radius changed"), 'named');
    // The status line names it and what changed (cut to its line on screen; whole in the console's state).
    expect(app.store.getState().ui.message).toEqual({
      text:
        "1 listed repair's blast radius changed (rollback-stale-create:be-stale: live work assigned to this bead: wk-new; no longer: " +
        `no live work is assigned to this bead): left out; type ${n - 1} to approve the rest`,
      tone: 'error',
    });
    expect(words(f)).toContain(`Type ${n - 1} to approve these ${n - 1} repairs (1 whose blast radius changed since listed, left out)`);
    // What was typed is gone: the old count cannot approve the new set.
    expect(status(f).trimEnd()).toMatch(/:$/);
    // Shown so in the pane, its diff as listed (read to the end: the count waits for that anyway).
    const seen = words((await readToTheEnd(app, 120, 40)).join('\n'));
    expect(seen).toContain('BLAST RADIUS CHANGED, left out: rollback-stale-create:be-stale — now live work assigned to this bead: wk-new;');
    // What it touched as listed stays on screen beside it.
    expect(seen).toContain(
      '+ metadata.close_reason: "" → "failed-create" • blast radius as listed: the create is abandoned; slot 2 is freed for the pool; no live work is assigned to this bead',
    );
    await app.press(...String(n - 1));
    await app.waitForFrame((x) => status(x).endsWith(` ${n - 1}`), 'typed');
    await app.press(KEYS.enter);
    f = await app.waitForFrame((x) => /\d+ applied, \d+ stale/.test(x), 'the outcome');
    expect(f).toContain(`${n - 1} applied, 0 stale`);
    // The stale create stays open, its work with it; every other listed repair is applied.
    expect(disk.bead('be-stale').status).toBe('open');
    expect(
      disk
        .audit()
        .map((a) => a.repair)
        .sort(),
    ).toEqual(
      listed
        .map((r) => r.id)
        .filter((id) => id !== 'rollback-stale-create:be-stale')
        .sort(),
    );
  });

  test('a refresh that changes a listed diff: marked CHANGED, left out, the count drops and what was typed is cleared', async () => {
    ({ h, disk } = await openRepairs(demoCity(), { columns: 80, rows: 24 }));
    const app = h;
    const n = disk.store.getState().current!.plan.repairs.length;
    await app.press('A');
    await app.waitForFrame((x) => range(x) !== null, 'the review pane');
    await readToTheEnd(app, 80, 24);
    await app.press(...String(n));
    await app.waitForFrame((x) => status(x).startsWith(`Type ${n} to approve these ${n} repairs`) && status(x).endsWith(` ${n}`), 'typed');
    // Someone changes the slot of a bead whose restamp is listed (its diff now says "7" → …).
    const restamp = disk.store.getState().current!.plan.repairs.find((r) => r.kind === 'restamp-slot')!;
    await setPoolSlot(disk, restamp.beadId, '97');
    let f = await app.waitForFrame((x) => words(x).includes(`1 listed repair changed or left the plan (${restamp.id})`), 'named');
    expectFits(f, 80, 24, 'the changed pane');
    expect(words(f)).toContain(`Type ${n - 1} to approve these ${n - 1} repairs (1 changed or gone since listed, left out)`);
    // Its group's heading, read before and now counting one fewer, is still read: nothing asks to scroll back to it.
    expect(unread(f)).toBe(false);
    // What was typed is gone: the old count cannot approve the new set.
    expect(status(f).trimEnd()).toMatch(/:$/);
    // The pane shows it marked (at the end of its group): G, then up until it is on screen.
    await app.press('G');
    for (let i = 0; i < 60 && !app.frame().includes(`CHANGED, left out: ${restamp.id}`); i++) {
      const at = range(app.frame())![1];
      await app.press('k');
      await app.waitForFrame((x) => range(x)![1] !== at, 'a line up');
    }
    f = app.frame();
    expect(f).toContain(`CHANGED, left out: ${restamp.id}`);
    expect(f).toContain('"97"');
    // Its group's heading counts what is approved and says how many are left out (it counted the one left out).
    const restamps = disk.store.getState().current!.plan.repairs.filter((r) => r.kind === 'restamp-slot').length;
    const heading = `${restamps - 1} slot restamp${restamps - 1 === 1 ? '' : 's'} (1 left out)`;
    const shown = () => lines(app.frame()).some((l) => l.trim() === heading);
    for (let i = 0; i < 60 && !shown() && range(app.frame())![1] !== '1'; i++) {
      const at = range(app.frame())![1];
      await app.press('k');
      await app.waitForFrame((x) => range(x)![1] !== at, 'a line up');
    }
    expect(lines(app.frame()).map((l) => l.trim())).toContain(heading);
    await app.press(...String(n - 1), KEYS.enter);
    f = await app.waitForFrame((x) => /\d+ applied, \d+ stale/.test(x), 'the outcome');
    expect(f).toContain(`${n - 1} applied, 0 stale`);
    expect(disk.bead(restamp.beadId).metadata!.pool_slot).toBe('97');
    expect(disk.audit().map((a) => a.repair)).not.toContain(restamp.id);
    expect(disk.audit()).toHaveLength(n - 1);
  });

  test('a heading read before stays read when "(1 left out)" folds it onto one more line', async () => {
    // One more piece of work on a session of another template: "DESTRUCTIVE — 3 unassign work: each takes its work from
    // the session it is assigned to" fits a line of 90; with one left out, "2 unassign work (1 left out): …" takes two.
    const city = demoCity();
    const w02 = city.beads.find((b) => b.id === 'dc-w02')!;
    city.beads.push({ ...structuredClone(w02), id: 'dc-wx2', title: 'more work' });
    ({ h, disk } = await openRepairs(city, { columns: 90, rows: 24 }));
    const app = h;
    const n = disk.store.getState().current!.plan.repairs.length;
    const heading = (d: ReturnType<typeof bulkOf>) => paneLines(d!, 90).lines.filter((l) => l.key?.startsWith('heading unassign'));
    await app.press('A');
    await app.waitForFrame((x) => range(x) !== null, 'the review pane');
    expect(heading(bulkOf(app))).toHaveLength(1);
    await readToTheEnd(app, 90, 24);
    // Someone hands dc-wx2 to another frontend session: its unassign is listed no more, its heading off screen above.
    disk.write((d) => {
      d.beads.find((b) => b.id === 'dc-wx2')!.assignee = 'frontend/worker-5';
    });
    await disk.live.refresh();
    const f = await app.waitForFrame((x) => words(x).includes(`Type ${n - 1} to approve`), 'left out');
    expectFits(f, 90, 24, 'the changed pane');
    expect(
      heading(bulkOf(app))
        .map((l) => l.text)
        .join(' '),
    ).toMatch(/DESTRUCTIVE — \d+ unassign work \(1 left out\)/);
    expect(heading(bulkOf(app))).toHaveLength(2);
    expect(unread(f)).toBe(false);
    await app.press(...String(n - 1), KEYS.enter);
    await app.waitForFrame((x) => /\d+ applied, \d+ stale/.test(x), 'the outcome');
    expect(disk.audit()).toHaveLength(n - 1);
    expect(disk.bead('dc-wx2').assignee).toBe('frontend/worker-5');
  });

  test('a listed diff a refresh changes and a later one changes back: in again as listed, shown once, its count asked anew', async () => {
    ({ h, disk } = await openRepairs(demoCity(), { columns: 80, rows: 24 }));
    const app = h;
    const n = disk.store.getState().current!.plan.repairs.length;
    const restamp = disk.store.getState().current!.plan.repairs.find((r) => r.kind === 'restamp-slot')!;
    const slot = disk.bead(restamp.beadId).metadata!.pool_slot;
    await app.press('A');
    await app.waitForFrame((x) => range(x) !== null, 'the review pane');
    await readToTheEnd(app, 80, 24);
    const setSlot = (v: string) => setPoolSlot(disk!, restamp.beadId, v);
    await setSlot('97');
    await app.waitForFrame((x) => words(x).includes(`Type ${n - 1} to approve these ${n - 1} repairs (1 changed or gone`), 'left out');
    await app.press(...String(n - 1));
    await app.waitForFrame(
      (x) =>
        status(x)
          .trimEnd()
          .endsWith(`: ${n - 1}`),
      'the smaller count typed',
    );
    // Changed back: the plan proposes exactly the diff the pane listed, whose lines were read. It is back in, the count
    // asked for is the whole set again, and what was typed for the smaller one is cleared.
    await setSlot(slot);
    let f = await app.waitForFrame((x) => words(x).includes(`${restamp.id}: proposed as listed again, back in; type ${n}`), 'back in');
    expectFits(f, 80, 24, 'the pane, back in');
    // Nothing typed, and nothing left out: the whole set, read.
    expect(status(f).trimEnd()).toBe(`Type ${n} to approve these ${n} repairs (esc cancels):`);
    expect(unread(f)).toBe(false);
    // Listed once, as it was: no CHANGED block showing the same diff twice.
    const all = paneLines(bulkOf(app)!, 80).lines.map((l) => l.text);
    expect(all.join('\n')).not.toContain('CHANGED, left out');
    expect(all.filter((t) => t.includes(diffTexts(restamp)[0]))).toHaveLength(1);
    await app.press(...String(n), KEYS.enter);
    f = await app.waitForFrame((x) => /\d+ applied, \d+ stale/.test(x), 'the outcome');
    expect(f).toContain(`${n} applied, 0 stale`);
    expect(disk.audit().find((a) => a.repair === restamp.id)).toMatchObject({ result: 'applied', changes: restamp.changes });
  });

  test('one back in whose listed lines were never on screen counts only once they have been', async () => {
    ({ h, disk } = await openRepairs(demoCity(), { columns: 80, rows: 24 }));
    const app = h;
    const n = disk.store.getState().current!.plan.repairs.length;
    // The last restamp: listed at the end, off the first page.
    const restamp = disk.store.getState().current!.plan.repairs.findLast((r) => r.kind === 'restamp-slot')!;
    const slot = disk.bead(restamp.beadId).metadata!.pool_slot;
    const setSlot = (v: string) => setPoolSlot(disk!, restamp.beadId, v);
    await app.press('A');
    await app.waitForFrame((x) => range(x) !== null, 'the review pane');
    // Out before its lines were read; the rest read to the end (it shows there as CHANGED, its listed diff dimmed).
    await setSlot('97');
    await app.waitForFrame((x) => words(x).includes(`(${restamp.id}): left out`), 'left out');
    await readToTheEnd(app, 80, 24);
    await app.press('g');
    await app.waitForFrame((x) => range(x)?.[1] === '1', 'the top');
    await setSlot(slot);
    let f = await app.waitForFrame((x) => words(x).includes(`${restamp.id}: proposed as listed again, back in`), 'back in');
    // In the count again, but not read: the count approves nothing until its lines have been on screen.
    expect(words(f)).toContain(`scroll to the end to approve (1 of ${n} not yet on screen); Type ${n}`);
    const before = disk.raw();
    await app.press(...String(n), KEYS.enter);
    await app.waitForFrame((x) => x.includes('scroll to the end to approve:'), 'the refusal');
    expect(disk.raw()).toBe(before);
    await app.press('G');
    f = await app.waitForFrame((x) => !unread(x) && x.includes(restamp.id), 'its lines read');
    expect(words(f)).toContain(`Type ${n} to approve these ${n} repairs`);
    await app.press(KEYS.enter);
    f = await app.waitForFrame((x) => /\d+ applied, \d+ stale/.test(x), 'the outcome');
    expect(f).toContain(`${n} applied, 0 stale`);
  });

  test('a page down while a message takes a line of the pane: the next page starts at the line after the last one shown', async () => {
    ({ h, disk } = await openRepairs(bigCity(), { columns: 80, rows: 24 }));
    const app = h;
    await app.press('A');
    await app.waitForFrame((x) => range(x) !== null, 'the review pane');
    // enter before the end: refused, said above the prompt, on a line the pane gives up.
    await app.press(KEYS.enter);
    const f = await app.waitForFrame((x) => x.includes('scroll to the end to approve:') && range(x) !== null, 'the refusal');
    const shown = range(f)!;
    expect(shown[1]).toBe('1');
    await app.press(' ');
    const next = await app.waitForFrame((x) => range(x) !== null && range(x)![1] !== '1', 'the next page');
    // It went with the move, and the page began right after the last line on screen (it skipped one, never drawn).
    expect(next).not.toContain('scroll to the end to approve:');
    expect(Number(range(next)![1])).toBe(Number(shown[2]) + 1);
  });

  test('at 40×12 the pane cannot show a whole diff: A refuses, says why, and approves nothing', async () => {
    ({ h, disk } = await openRepairs(demoCity(), { columns: 120, rows: 40 }));
    const app = h;
    const before = disk.raw();
    resizeTerminal(app.stdout, 12, 40);
    await app.waitForFrame((x) => lines(x).length <= 11 && lines(x).every((l) => l.length <= 40), '40×12');
    await app.press('A');
    const f = await app.waitForFrame((x) => words(x).includes('make the terminal taller'), 'the refusal');
    expectFits(f, 40, 12, 'the refusal');
    expect(words(f)).toMatch(/A: a repair needs \d+ lines, \d+ fit: make the terminal taller; nothing approved/);
    expect(app.store.getState().ui.mode).toBe('normal');
    await app.press(...'14', KEYS.enter);
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);
  });

  test('pages a burst of keys passed over never count as read: the terminal may never have drawn them', async () => {
    ({ h, disk } = await openRepairs(bigCity(120), { columns: 80, rows: 24 }));
    const app = h;
    const before = disk.raw();
    const n = disk.store.getState().current!.plan.repairs.length;
    await app.press('A');
    let f = await app.waitForFrame((x) => range(x) !== null, 'the review pane');
    const total = Number(range(f)![3]);
    // Space to the end in one burst (Ink draws at most 60 frames a second and drops those in between).
    await app.press(...Array.from({ length: Math.ceil(total / 10) }, () => ' '));
    f = await app.waitForFrame((x) => range(x)?.[2] === range(x)?.[3], 'the last page');
    await readPage(app, f, 80);
    await app.press(...String(n), KEYS.enter);
    f = await app.waitForFrame((x) => x.includes('scroll to the end to approve:'), 'the refusal');
    expect(words(f)).toMatch(/scroll to the end to approve \(\d+ of \d+ not yet on screen\)/);
    expect(disk.raw()).toBe(before);
    expect(disk.audit()).toEqual([]);
  });

  /** The demo at 120×40, `A`'s pane read to its end: the app, the file's bytes before, the count to type. */
  async function paneRead() {
    ({ h, disk } = await openRepairs(demoCity(), { columns: 120, rows: 40 }));
    const app = h;
    const before = disk.raw();
    const n = disk.store.getState().current!.plan.repairs.length;
    await app.press('A');
    await app.waitForFrame((x) => range(x) !== null, 'the review pane');
    await readToTheEnd(app, 120, 40);
    return { app, files: disk, before, n };
  }

  test('a mistyped count approves nothing and keeps the pane, read as it was: the right count then approves', async () => {
    const { app, files, before, n } = await paneRead();
    await app.press(...`0${n}`, KEYS.enter);
    let f = await app.waitForFrame((x) => words(x).includes(`typed "0${n}", not ${n}: nothing approved; type ${n}`), 'the refusal');
    expect(range(f)).not.toBeNull();
    expect(words(f)).not.toContain('scroll to the end to approve (');
    expect(files.raw()).toBe(before);
    await app.press(...String(n), KEYS.enter);
    f = await app.waitForFrame((x) => /\d+ applied, \d+ stale/.test(x), 'the outcome');
    expect(f).toContain(`${n} applied, 0 stale`);
  });

  test('one repair under the filter: the count asks for "this repair"', async () => {
    ({ h, disk } = await openRepairs(demoCity(), { columns: 120, rows: 40 }));
    const app = h;
    const repairs = disk.store.getState().current!.plan.repairs;
    const one = repairs.find((r) => repairs.filter((o) => o.beadId === r.beadId && o.kind === r.kind).length === 1)!;
    await app.press('/', ...`${one.kind} ${one.beadId}`, KEYS.enter);
    await app.waitForFrame((x) => x.includes(`filter "${one.kind} ${one.beadId}"`), 'the filter');
    await app.press('A');
    const f = await app.waitForFrame((x) => words(x).includes('Type 1 to approve this repair'), 'the count prompt');
    expect(words(f)).not.toContain('these 1 repair');
  });

  test('the footer offers the scroll keys only while the pane holds more than it shows', async () => {
    ({ h, disk } = await openRepairs(demoCity(), { columns: 120, rows: 40 }));
    const app = h;
    const footer = (f: string) => lines(f).at(-1) ?? '';
    // Every listed line on screen: nothing to scroll to.
    await app.press('/', ...'restamp-slot', KEYS.enter);
    await app.waitForFrame((x) => x.includes('filter "restamp-slot"'), 'the filter');
    await app.press('A');
    let f = await app.waitForFrame((x) => range(x) !== null && words(x).includes('Type 2 to approve'), 'the pane of two');
    expect(range(f)![2]).toBe(range(f)![3]);
    expect(footer(f).trim()).toBe('enter approve  esc cancel');
    // More lines than the pane: j/↓ and PgDn/space are offered.
    await app.press(KEYS.esc, KEYS.esc);
    await app.waitForFrame((x) => range(x) === null && !x.includes('filter "'), 'the whole queue');
    resizeTerminal(app.stdout, 20, 120);
    await app.press('A');
    f = await app.waitForFrame((x) => range(x) !== null, 'the long pane');
    expect(Number(range(f)![3])).toBeGreaterThan(Number(range(f)![2]));
    expect(footer(f)).toContain('j/↓ scroll  PgDn/space page');
  });

  test('esc leaves without approving', async () => {
    const { app, files, before, n } = await paneRead();
    await app.press(...String(n), KEYS.esc);
    await app.waitForFrame((x) => x.includes('cancelled: nothing approved') && range(x) === null, 'cancelled');
    await app.press(KEYS.enter);
    expect(files.raw()).toBe(before);
    expect(files.audit()).toEqual([]);
  });
});

describe('what a frame of the pane lets count as read', () => {
  const blocks = new Map([
    [
      'restamp-slot:a',
      [
        'heading slot\u00000\u0000h',
        'restamp-slot:a\u00000\u0000id',
        ...Array.from({ length: 9 }, (_, i) => `restamp-slot:a\u0000${i + 1}\u0000d`),
      ],
    ],
    ['restamp-slot:b', ['heading slot\u00000\u0000h', 'restamp-slot:b\u00000\u0000id', 'restamp-slot:b\u00001\u0000d']],
  ]);
  const all = new Set([...blocks.values()].flat());
  test("a repair's lines count as shown when the pane can hold them all; the pieces of one taller than the pane never do", () => {
    expect(new Set(readInFrame(blocks, all, 12))).toEqual(all);
    // A pane of 5 lines (a terminal shrunk after A opened it): a's 10 lines are never on screen whole.
    const read = readInFrame(blocks, all, 5);
    expect(read.filter((k) => k.startsWith('restamp-slot:a'))).toEqual([]);
    expect(read).toContain('restamp-slot:b\u00001\u0000d');
    expect(read).toContain('heading slot\u00000\u0000h');
  });
});
