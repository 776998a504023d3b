// A refresh through the plan worker that changed one bead: the slots view's rows, sorted, filtered and searched, are
// those a fresh launch on the same file shows, and only the changed bead's row is made and read again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test, vi } from 'vitest';
import { createJobs } from '../../src/console/worker/worker-client.js';
import { inProcessJobs } from '../../src/console/jobs.js';
import { createAppStore, snapshotOf, type Snapshot } from '../../src/console/state.js';
import type { Plan, State } from '../../src/engine/types.js';
import { IndexMaker } from '../../src/ui/rows/filter.js';
import { derive } from '../../src/ui/rows/derive.js';
import { slotsTable } from '../../src/ui/rows/slots.js';
import { prepareSnapshot } from '../../src/ui/views/prepare.js';
import type { Row } from '../../src/ui/rows/types.js';
import type { Source } from '../../src/store/types.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';

const jobs = createJobs({ worker: pathToFileURL(built('plan-worker.js')) });
afterAll(() => jobs.close());

/** What the view shows of some rows: each row's key, cells and tones as read. */
const shown = (rows: Row[]) => rows.map((r) => ({ key: r.key, cells: r.cells, tone: r.tone, cellTones: r.cellTones, child: r.child }));

/** The slots view of the first pool as shown: its rows, sorted by each column, and filtered by a few queries. */
async function views(
  snap: Snapshot,
  m: {
    filterRows: typeof import('../../src/ui/rows/filter.js').filterRows;
    sortRows: typeof import('../../src/ui/rows/sort.js').sortRows;
    table: typeof slotsTable;
    derive: typeof derive;
  },
) {
  const d = m.derive(snap);
  const pool = d.poolNames[0];
  const { rows } = m.table(d, pool);
  const out: unknown[] = [shown(rows)];
  for (const column of [0, 1, 5, 6]) out.push(shown(m.sortRows(rows, { column, desc: column === 5 }).slice(0, 300)).map((r) => r.key));
  for (const q of ['zz-changed', 'asleep', 'builder-1', 'dup', 'w 1']) out.push(shown(m.filterRows(rows, q)));
  out.push(shown(m.filterRows(m.sortRows(rows, { column: 1, desc: true }), 'active')));
  return out;
}

test('one bead changed: the refreshed slots rows are a fresh launch’s, and only its row is read again', async () => {
  const dir = tempDir('gc-tui-slots-refresh-');
  const file = join(dir, 'store.json');
  const doc = generateStore({ beads: 6000, seed: 11, order: 'created' }) as { beads: { id: string; metadata: Record<string, string> }[] };
  writeFileSync(file, JSON.stringify(doc));
  const source: Source = { kind: 'store', path: file };
  const store = createAppStore();
  store.getState().patchUi({ view: 'slots' });
  const read = async (): Promise<Snapshot> => {
    const r = await jobs.load(source, () => NOW);
    return snapshotOf(r.loaded.state as State, r.plan as Plan, NOW.getTime());
  };
  const first = await read();
  await prepareSnapshot(first, store.getState());
  const pool = derive(first).poolNames[0];
  const before = slotsTable(derive(first), pool).rows;
  // The bead under the cursor of a launch: the first row of the first pool.
  const changed = doc.beads.find((b) => b.id === before[0].key)!;
  changed.metadata = { ...changed.metadata, state: 'zz-changed' };
  writeFileSync(file, JSON.stringify(doc));

  const add = vi.spyOn(IndexMaker.prototype, 'add');
  const next = await read();
  await prepareSnapshot(next, store.getState());
  const after = slotsTable(derive(next), pool).rows;
  // Only the changed bead's row is made anew (its cells made, its text read into the search index); the others' are
  // taken from the last table.
  const added = new Set(add.mock.calls.map(([text]) => text));
  expect(after.filter((r) => added.has(r.search)).map((r) => r.key)).toEqual([changed.id]);
  expect(add).toHaveBeenCalledTimes(1);
  add.mockRestore();
  expect(after[0].cells.join(' ')).toContain('zz-changed');
  const refreshed = await views(next, {
    filterRows: (await import('../../src/ui/rows/filter.js')).filterRows,
    sortRows: (await import('../../src/ui/rows/sort.js')).sortRows,
    table: slotsTable,
    derive,
  });

  // A fresh launch on the same file: its own modules (no table of an earlier read), its own read.
  vi.resetModules();
  const fresh = {
    filterRows: (await import('../../src/ui/rows/filter.js')).filterRows,
    sortRows: (await import('../../src/ui/rows/sort.js')).sortRows,
    table: (await import('../../src/ui/rows/slots.js')).slotsTable,
    derive: (await import('../../src/ui/rows/derive.js')).derive,
  };
  const l = await inProcessJobs().load(source, () => NOW);
  const launched = await views(snapshotOf(l.loaded.state, l.plan, NOW.getTime()), fresh);
  expect(refreshed).toEqual(launched);
});
