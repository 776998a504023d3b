// The pools' slot entries come from the plan worker as places (console/worker/slot-places.ts) and are made from the
// console's own beads when read. What they say (the entries an export lists, the pools and slots views' rows, the
// pools a refresh marks changed) is what the plan made on this thread says, for a store whose sessions are not where
// the plain order would put them: work and closed sessions among them, a holder without alias or state, a refused
// duplicate, a bead `__proto__`, a pool with no holder and one of more entries than a slice.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { glanceOf } from '../../src/console/glance.js';
import { inProcessJobs, type LoadResult } from '../../src/console/jobs.js';
import { diffSnapshots } from '../../src/console/state.js';
import { derive } from '../../src/ui/rows/derive.js';
import { poolsTable } from '../../src/ui/rows/pools.js';
import { slotsTable } from '../../src/ui/rows/slots.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import type { Bead, Plan, State } from '../../src/engine/types.js';
import { NOW, pooled, work } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { writeStoreFile } from '../ui/review-harness.js';

const WORKER = pathToFileURL(built('plan-worker.js'));
const jobs = createJobs({ worker: WORKER });
const local = inProcessJobs();
afterAll(() => jobs.close());

const worker = (n: number) =>
  pooled(`w-${String(n).padStart(4, '0')}`, 'backend/worker', {
    agent_name: `backend/worker-${n}`,
    alias: `backend/worker-${n}`,
    pool_slot: String(n),
  });

function city(): State {
  const beads: Bead[] = [work('t-0001', { route: 'backend/worker' })];
  for (let n = 1; n <= 1100; n++) {
    beads.push(worker(n));
    if (n % 97 === 0) beads.push(work(`t-${n}`), { ...worker(5000 + n), status: 'closed' });
  }
  // A holder with neither alias nor state, a second bead stamped with slot 5 (refused: the first holds it).
  const bare = worker(1101);
  delete bare.metadata!.alias;
  delete bare.metadata!.state;
  const dup = pooled('w-dup', 'backend/worker', { agent_name: 'backend/worker-5', alias: 'backend/worker-5', pool_slot: '5' });
  const web = (id: string, n: number, alias: string) =>
    pooled(id, 'frontend/web', { agent_name: `frontend/web-${n}`, alias, pool_slot: String(n), state: 'active' });
  beads.push(bare, dup, web('__proto__', 1, 'frontend/web-1'), web('f-2', 2, 'someone-else'), work('t-last'));
  const agents = [
    { name: 'worker', dir: 'backend' },
    { name: 'web', dir: 'frontend' },
    { name: 'idle', dir: 'ops' },
  ];
  return { city: { workspace: { name: 'places-city', max_active_sessions: null }, agents }, beads };
}

/** Both reads of `file`: through the plan worker and on this thread. */
async function loadBoth(file: string): Promise<[LoadResult, LoadResult]> {
  const source = { kind: 'store' as const, path: file };
  return [await jobs.load(source, () => NOW), await local.load(source, () => NOW)];
}

const poolsText = (p: Plan) => JSON.stringify(p.pools);
const held = (r: LoadResult) => glanceOf(r.loaded.state, r.plan, 0).pools.map((p) => `${p.template} ${p.held}`);
const snap = (r: LoadResult) => ({ state: r.loaded.state, plan: r.plan, loadedAt: 0, plannedAt: 0 });
/** The cells of the pools view's rows and of each pool's slots view. */
const viewCells = (r: LoadResult) => {
  const d = derive(snap(r));
  return [poolsTable(d), ...d.poolNames.map((t) => slotsTable(d, t))].map((t) => t.rows.map((row) => row.cells));
};

it('the slot entries, their counts and the pools a refresh marks changed are those of the plan made here', async () => {
  expect(jobs.kind).toBe('worker');
  const file = join(tempDir(), 'city.json');
  const s = city();
  writeStoreFile(file, s);
  const [w, l] = await loadBoth(file);
  expect(viewCells(w)).toEqual(viewCells(l));
  expect(held(w)).toEqual(held(l));
  expect(held(w)).toEqual(['backend/worker 1101', 'frontend/web 2', 'ops/idle 0']);
  expect(poolsText(w.plan)).toBe(poolsText(l.plan));
  expect(w.plan.pools[0].slots[1100]).toEqual({ slot: 1101, beadId: 'w-1101', alias: '', state: '' });
  // A re-plan of the state the worker holds, sent by reference.
  expect(poolsText(await jobs.plan(w.loaded.state, NOW))).toBe(poolsText(l.plan));

  // One holder's alias, and a work bead, change on disk: only the worker pool's entries differ.
  const at = s.beads.findIndex((b) => b.id === 'w-0500');
  s.beads[at] = { ...s.beads[at], metadata: { ...s.beads[at].metadata, alias: 'backend/renamed' } };
  s.beads[0] = { ...s.beads[0], title: 'retitled' };
  writeStoreFile(file, s);
  const [w2, l2] = await loadBoth(file);
  expect(poolsText(w2.plan)).toBe(poolsText(l2.plan));
  expect(viewCells(w2)).toEqual(viewCells(l2));
  const marked = (a: LoadResult, b: LoadResult) => [...diffSnapshots(snap(a), snap(b))].sort();
  expect(marked(w, w2)).toEqual(marked(l, l2));
  expect(marked(w, w2)).toContain('backend/worker');
  expect(marked(w, w2)).not.toContain('frontend/web');
  expect(marked(w, w2)).toContain('w-0500');
  // Nothing changed: nothing marked.
  const [w3] = await loadBoth(file);
  expect(marked(w2, w3)).toEqual([]);
});
