// Refreshes through the plan worker that change, add and remove beads (a state, an alias claim that makes a conflict, a
// pool, a template, the file's order): the aliases, work and repairs views' rows, sorted, filtered and searched, are
// those a fresh launch on the same file shows after each; and a refresh that changed one bead's state makes only that
// bead's rows again, reads only their texts into the aliases view's search index and keeps the rest of it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test, vi } from 'vitest';
import { createJobs } from '../../src/console/worker/worker-client.js';
import { inProcessJobs } from '../../src/console/jobs.js';
import { createAppStore, snapshotOf, type Snapshot } from '../../src/console/state.js';
import type { Plan, State, WorkInfo } from '../../src/engine/types.js';
import { IndexMaker } from '../../src/ui/rows/filter.js';
import { derive } from '../../src/ui/rows/derive.js';
import { aliasesTable } from '../../src/ui/rows/aliases.js';
import { workTable } from '../../src/ui/rows/work.js';
import { repairsTable } from '../../src/ui/rows/repairs.js';
import { prepareSnapshot, warmViews } from '../../src/ui/views/prepare.js';
import type { Row } from '../../src/ui/rows/types.js';
import type { Source } from '../../src/store/types.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { patience } from '../support/wait.js';

const jobs = createJobs({ worker: pathToFileURL(built('plan-worker.js')) });
afterAll(() => jobs.close());

interface Modules {
  filterRows: typeof import('../../src/ui/rows/filter.js').filterRows;
  sortRows: typeof import('../../src/ui/rows/sort.js').sortRows;
  aliasesTable: typeof aliasesTable;
  workTable: typeof workTable;
  repairsTable: typeof repairsTable;
  derive: typeof derive;
}

const modules = async (): Promise<Modules> => ({
  filterRows: (await import('../../src/ui/rows/filter.js')).filterRows,
  sortRows: (await import('../../src/ui/rows/sort.js')).sortRows,
  aliasesTable: (await import('../../src/ui/rows/aliases.js')).aliasesTable,
  workTable: (await import('../../src/ui/rows/work.js')).workTable,
  repairsTable: (await import('../../src/ui/rows/repairs.js')).repairsTable,
  derive: (await import('../../src/ui/rows/derive.js')).derive,
});

/** What the view shows of some rows: each row's key, cells and tones as read. */
const shown = (rows: Row[]) => rows.map((r) => ({ key: r.key, cells: r.cells, ids: r.ids, tone: r.tone, cellTones: r.cellTones }));

/** The three views as shown: their rows, the aliases sorted by some columns, and each filtered by a few queries. */
function views(snap: Snapshot, m: Modules) {
  const d = m.derive(snap);
  const aliases = m.aliasesTable(d).rows;
  const work = m.workTable(d).rows;
  const repairs = m.repairsTable(d).rows;
  const out: unknown[] = [shown(aliases), shown(work), shown(repairs)];
  for (const column of [0, 2, 3, 4]) out.push(m.sortRows(aliases, { column, desc: column === 3 }).map((r) => r.key));
  for (const q of ['zz-changed', 'asleep', 'builder-1', 'claimed by', 'wanted', 'evil', 'aaa', 'backend/worker-2 alias', 'ops/'])
    out.push(m.filterRows(aliases, q).map((r) => r.key));
  out.push(m.filterRows(m.sortRows(aliases, { column: 2, desc: true }), 'frontend').map((r) => r.key));
  for (const q of ['orphan', 'gc-59', 'task 5']) out.push(m.filterRows(work, q).map((r) => r.key));
  for (const q of ['restamp', 'close', 'gc-1']) out.push(m.filterRows(repairs, q).map((r) => r.key));
  return out;
}

type Doc = {
  city: { agents: { max_active_sessions?: number | null }[]; named_sessions: { identity?: string; template: string }[] };
  beads: { id: string; status: string; title: string; metadata: Record<string, string> }[];
};

test(
  'after refreshes that change, add and remove beads, the aliases, work and repairs views are a fresh launch’s',
  async () => {
    const dir = tempDir('gc-tui-views-refresh-');
    const file = join(dir, 'store.json');
    const doc = generateStore({ beads: 6000, seed: 7, order: 'created' }) as Doc;
    writeFileSync(file, JSON.stringify(doc));
    const source: Source = { kind: 'store', path: file };
    const store = createAppStore();
    const read = async (): Promise<Snapshot> => {
      const r = await jobs.load(source, () => NOW);
      const snap = snapshotOf(r.loaded.state as State, r.plan as Plan, NOW.getTime());
      // As the console makes a read ready, then its other views while it idles.
      await prepareSnapshot(snap, store.getState());
      await warmViews(
        snap,
        () => true,
        () => store.getState(),
      );
      return snap;
    };
    const launched = async () => {
      // A fresh launch on the same file: its own modules (no table of an earlier read), its own read.
      vi.resetModules();
      const fresh = await modules();
      const l = await inProcessJobs().load(source, () => NOW);
      return views(snapshotOf(l.loaded.state, l.plan, NOW.getTime()), fresh);
    };
    const ours = await modules();
    const tables = (snap: Snapshot) => ({ aliases: aliasesTable(derive(snap)).rows });
    const sessions = doc.beads.filter((b) => b.metadata.alias && b.status === 'open');
    const bead = (n: number) => sessions[n];

    let snap = await read();
    expect(views(snap, ours)).toEqual(await launched());

    // One bead's state: only its rows are made again, only their texts read into the index, the rest of it kept.
    const before = tables(snap);
    const changed = bead(10);
    changed.metadata = { ...changed.metadata, state: 'zz-changed' };
    writeFileSync(file, JSON.stringify(doc));
    const add = vi.spyOn(IndexMaker.prototype, 'add');
    const copy = vi.spyOn(IndexMaker.prototype, 'copy');
    snap = await read();
    const after = tables(snap);
    // The rows made anew: their cells made, their texts read into the index; the others' taken from the last table.
    const added = new Set(add.mock.calls.map(([text]) => text));
    const made = after.aliases.filter((r) => added.has(r.search));
    expect(made.length).toBeGreaterThan(0);
    // The changed bead's rows, and a name nobody holds (a row without a bead is made each time).
    expect(new Set(made.map((r) => r.ids[0] ?? 'nobody'))).toEqual(new Set([changed.id, 'nobody']));
    // The aliases index and the slots view's (its pool's row) read the new rows' texts; whole chunks of 1 024 rows
    // are kept, and only the entries of the chunks that hold a new row are copied.
    const slotRows = 1;
    expect(add).toHaveBeenCalledTimes(made.length + slotRows);
    expect(copy.mock.calls.length).toBeLessThan(2 * 2 * 1024);
    add.mockRestore();
    copy.mockRestore();
    expect(after.aliases.length).toBe(before.aliases.length);
    expect(views(snap, ours)).toEqual(await launched());

    // An alias claim that makes a conflict: another bead's alias, whose unchanged bead's rows now say so.
    const taken = bead(20).metadata.alias;
    bead(30).metadata = { ...bead(30).metadata, alias: taken };
    // And a name that sorts first: every row after it moves.
    bead(40).metadata = { ...bead(40).metadata, alias: 'aaa-renamed' };
    writeFileSync(file, JSON.stringify(doc));
    snap = await read();
    const contested = tables(snap).aliases.filter((r) => r.cells[0] === taken);
    expect(contested.map((r) => r.cells[4])).toContain('claimed by 2 beads');
    expect(views(snap, ours)).toEqual(await launched());

    // Beads added (one wanting a held name) and removed.
    doc.beads.push({
      ...bead(50),
      id: 'zz-added',
      metadata: { ...bead(50).metadata, alias: 'zzz-added', session_name: 's-zz-added', pool_alias_conflict: taken },
    });
    doc.beads.splice(doc.beads.indexOf(bead(60)), 1);
    doc.beads.splice(doc.beads.indexOf(bead(5)), 1);
    writeFileSync(file, JSON.stringify(doc));
    snap = await read();
    expect(views(snap, ours)).toEqual(await launched());

    // A bead moved to another pool, a pool's size and a named session (a template's), and a closed work bead.
    bead(70).metadata = { ...bead(70).metadata, template: 'ops/polecat' };
    doc.city.agents[2].max_active_sessions = 50;
    doc.city.named_sessions.push({ identity: bead(80).metadata.alias, template: 'mayor' });
    const task = doc.beads.find((b) => b.id.startsWith('gc-') && b.status === 'in_progress')!;
    task.status = 'closed';
    writeFileSync(file, JSON.stringify(doc));
    snap = await read();
    expect(views(snap, ours)).toEqual(await launched());

    // The file's order: every bead as it was, the named identity's first holder and the wanters' order may move.
    doc.beads.reverse();
    writeFileSync(file, JSON.stringify(doc));
    snap = await read();
    expect(views(snap, ours)).toEqual(await launched());
    // Eight reads of 6 000 beads, each shown and made again as a launch makes it: 12–40 s on this machine alone, past
    // vitest's 60 s beside another test file at a load of 9 or more.
  },
  patience(180_000),
);

/** `now`, each item that equals `was`'s of the same id made `was`'s object. */
function same<T extends { id: string }>(was: readonly T[], now: readonly T[]): T[] {
  const byId = new Map(was.map((x) => [x.id, x]));
  return now.map((x) => {
    const w = byId.get(x.id);
    return w && JSON.stringify(w) === JSON.stringify(x) ? w : x;
  });
}

/**
 * `next`'s beads, work items and repairs that equal `prev`'s of the same id made `prev`'s objects: what the plan worker's
 * memo does for lists of more than 2 000 (chunked-clone.ts), which the work and repairs of a store small enough for a
 * test are not.
 */
function asMemoHandsBack(prev: { state: State; plan: Plan }, next: { state: State; plan: Plan }): { state: State; plan: Plan } {
  return {
    state: { ...next.state, beads: same(prev.state.beads, next.state.beads) },
    plan: {
      ...next.plan,
      repairs: same(prev.plan.repairs, next.plan.repairs),
      detail: { ...next.plan.detail, work: same(prev.plan.detail.work, next.plan.detail.work) },
    },
  };
}

test('a refresh that hands back its unchanged work items and repairs: the work and repairs rows of those are kept, the rest a fresh launch’s', async () => {
  const doc = generateStore({ beads: 6000, seed: 3, order: 'created' }) as Doc;
  const dir = tempDir('gc-tui-views-kept-');
  const file = join(dir, 'store.json');
  const source: Source = { kind: 'store', path: file };
  const load = async () => {
    writeFileSync(file, JSON.stringify(doc));
    const l = await inProcessJobs().load(source, () => NOW);
    return { state: l.loaded.state, plan: l.plan };
  };
  const first = await load();
  const d1 = derive(snapshotOf(first.state, first.plan, NOW.getTime()));
  const work1 = workTable(d1).rows;
  const repairs1 = repairsTable(d1).rows;

  // A work bead's title (its item the same, its row's TITLE not) and a session's state changed: their repairs change,
  // the rest are handed back.
  const worked = first.plan.detail.work.find((w) => w.problem !== null)!;
  doc.beads.find((b) => b.id === worked.id)!.title = 'zz-retitled';
  const repaired = first.plan.repairs[0];
  const bead = doc.beads.find((b) => b.id === repaired.beadId)!;
  bead.metadata = { ...bead.metadata, state: 'zz-changed' };
  const second = await load();
  const { state: state2, plan: plan2 } = asMemoHandsBack(first, second);
  const snap2 = snapshotOf(state2, plan2, NOW.getTime());
  const d2 = derive(snap2);
  const work2 = workTable(d2).rows;
  const repairs2 = repairsTable(d2).rows;
  const kept = (rows: Row[], was: Row[]) => rows.filter((r) => was.includes(r)).length;
  const handedBack = (list: readonly object[], was: readonly object[]) => list.filter((x) => was.includes(x)).length;
  // Every row of a handed-back item whose bead is the same is the last table's; the others are made.
  expect(kept(work2, work1)).toBeGreaterThan(0);
  const problems = (work: readonly WorkInfo[]) => work.filter((w) => w.problem !== null);
  const newItems = problems(plan2.detail.work).length - handedBack(problems(plan2.detail.work), first.plan.detail.work);
  // The new items' rows, and the row of the work bead whose title changed (its item the same).
  expect(work2.length - kept(work2, work1)).toBe(newItems + 1);
  expect(kept(repairs2, repairs1)).toBeGreaterThan(0);
  expect(repairs2.length - kept(repairs2, repairs1)).toBe(repairs2.length - handedBack(plan2.repairs, first.plan.repairs));

  vi.resetModules();
  const fresh = await modules();
  const shownFresh = (p: Plan) => {
    const d = fresh.derive(snapshotOf(second.state, p, NOW.getTime()));
    return [shown(fresh.workTable(d).rows), shown(fresh.repairsTable(d).rows)];
  };
  expect(work2.find((r) => r.key === worked.id)?.cells).toContain('zz-retitled');
  expect([shown(work2), shown(repairs2)]).toEqual(shownFresh(second.plan));
});
