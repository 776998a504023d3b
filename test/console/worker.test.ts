// The plan worker (the built dist/plan-worker.js, as the console runs it) does what the in-process path
// does: same reads, plans and locked writes; it takes the flock itself; results arrive whole through the
// chunked transfer; queued refreshes are superseded by the newest; a worker that cannot start falls back.
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { pack, PackMemo, unpack, unpackSync } from '../../src/console/worker/chunked-clone.js';
import { JsonNumberText } from '../../src/store/formats/json-text.js';
import { glanceOf, type Glance } from '../../src/console/glance.js';
import { inProcessJobs } from '../../src/console/jobs.js';
import { withFileLock } from '../../src/store/fs/lock.js';
import type { Source } from '../../src/store/types.js';
import type { Plan } from '../../src/engine/types.js';
import { createJobs, WorkerJobs } from '../../src/console/worker/worker-client.js';
import { channelFor } from '../../src/console/worker/channel.js';
import type { WorkerReply } from '../../src/console/worker/worker-protocol.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';

const WORKER = pathToFileURL(built('plan-worker.js'));
/** A plan as data: the console keeps the bead details it unpacks in a form of its own (bead-info-slim.ts), with the same JSON. */
const asData = (p: Plan): Plan => ({
  ...p,
  detail: {
    ...p.detail,
    beads: Object.fromEntries(
      Object.entries(p.detail.beads).map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as unknown]),
    ) as Plan['detail']['beads'],
  },
});

const DEMO = fileURLToPath(new URL('../../fixtures/demo-city.json', import.meta.url));
let dir = '';
beforeAll(() => {
  dir = tempDir('gc-tui-worker-');
});

/** A store file `name` of the test's own, and a way to write a generated store there as another writer does (a rename). */
function generatedStoreFile(name: string): { src: Source; write: (beads: number, seed: number) => void } {
  const file = join(dir, name);
  const write = (beads: number, seed: number) => {
    writeFileSync(`${file}.tmp`, JSON.stringify(generateStore({ beads, seed, order: 'created' })));
    renameSync(`${file}.tmp`, file);
  };
  return { src: { kind: 'store', path: file }, write };
}

let n = 0;
function copyOfDemo(): Source {
  const file = join(dir, `demo-${++n}.json`);
  copyFileSync(DEMO, file);
  return { kind: 'store', path: file };
}

describe('chunked clone', () => {
  test('big arrays and records, deep ones included, come back equal, in order, own keys only', async () => {
    const beads = Array.from({ length: 5003 }, (_, i) => ({ id: `b${i}`, metadata: { n: String(i) } }));
    const byId: Record<string, unknown> = {};
    for (const b of beads) byId[b.id] = { ok: b.id.length };
    Object.defineProperty(byId, '__proto__', { value: { evil: true }, enumerable: true, configurable: true, writable: true });
    const value = {
      state: { beads, city: { name: 'x' } },
      plan: { pools: [{ slots: beads.map((b) => b.id) }], detail: { beads: byId, ticks: Infinity }, none: undefined },
    };
    const { packed, transfer } = pack(value, 1000);
    expect(packed.pieces.map((p) => p.path.join('.'))).toEqual(['state.beads', 'plan.pools.0.slots', 'plan.detail.beads']);
    expect(transfer.length).toBe(1 + 6 + 6 + 6);
    const back = await unpack<typeof value>(packed);
    expect(back).toEqual(value);
    expect(Object.keys(back.plan.detail.beads)).toEqual(Object.keys(byId));
    expect(Object.getPrototypeOf(back.plan.detail.beads)).toBe(Object.prototype);
    expect(back.plan.detail.ticks).toBe(Infinity);
    expect(unpackSync(pack(value, 1000).packed)).toEqual(value);
  });
});

describe('numbers kept as their text (a seq or a priority beyond 2^53)', () => {
  test('come back as JsonNumberText, in the head, in plain and memo slices, in records; the value sent is not changed', async () => {
    const big = (i: number) => new JsonNumberText(`1234567890123456789${i % 10}`);
    const beads = Array.from({ length: 2500 }, (_, i) => ({ id: `b${i}`, priority: i % 1000 === 7 ? big(i) : 2, deep: [{ n: big(i) }] }));
    const byId: Record<string, unknown> = {};
    for (const b of beads) byId[b.id] = { id: b.id, p: b.priority };
    const value = { loaded: { state: { beads }, extra: { seq: big(0), text: { text: '12' } } }, plan: { detail: { beads: byId } } };
    const memo = new PackMemo();
    const peer = new PackMemo();
    for (const [sent, back] of [
      [value, unpackSync<typeof value>(pack(value, 1000).packed)],
      [value, await unpack<typeof value>(pack(value, 1000, memo).packed, peer)],
      // Again against the memos: unchanged entries travel as references to the receiver's revived ones.
      [value, await unpack<typeof value>(pack(value, 1000, memo).packed, peer)],
    ] as const) {
      // toStrictEqual compares classes too (toEqual would take a plain { text } for a JsonNumberText, and back).
      expect(back).toStrictEqual(sent);
      expect(back.loaded.extra.seq).toBeInstanceOf(JsonNumberText);
      expect(back.loaded.extra.text).not.toBeInstanceOf(JsonNumberText); // a parsed object shaped like one stays an object
      expect(back.loaded.extra.text).toStrictEqual({ text: '12' });
      expect(back.loaded.state.beads[7].priority).toBeInstanceOf(JsonNumberText);
      expect(back.loaded.state.beads[2007].deep[0].n).toStrictEqual(new JsonNumberText('12345678901234567897'));
      expect((back.plan.detail.beads.b1007 as { p: unknown }).p).toBeInstanceOf(JsonNumberText);
    }
    expect(value.loaded.extra.seq).toBeInstanceOf(JsonNumberText);
    expect(beads[7].priority).toBeInstanceOf(JsonNumberText);
  });
});

describe('the plan worker', () => {
  test('runs from the build: load, plan, apply and decide match the in-process results', async () => {
    const jobs = createJobs({ worker: WORKER });
    const local = inProcessJobs();
    try {
      expect(jobs.kind).toBe('worker');
      const a = copyOfDemo();
      const b = copyOfDemo();
      const w = await jobs.load(a, () => NOW);
      const l = await local.load(b, () => NOW);
      expect((jobs as WorkerJobs).usingWorker).toBe(true);
      expect(w.plan).toEqual(l.plan);
      expect(w.loaded.state).toEqual(l.loaded.state);
      expect(w.at).toBe(NOW.getTime());
      expect(await jobs.plan(w.loaded.state, NOW)).toEqual(l.plan);

      const repair = l.plan.repairs[0];
      const wa = await jobs.apply(a, [repair], { now: () => NOW, by: 'tester', action: 'approve' });
      const la = await local.apply(b, [repair], { now: () => NOW, by: 'tester', action: 'approve' });
      expect(wa).toEqual(la);
      expect(wa.result.applied.map((r) => r.id)).toEqual([repair.id]);
      // The same bytes on disk, the same audit line.
      const pa = (a as { path: string }).path;
      const pb = (b as { path: string }).path;
      expect(readFileSync(pa, 'utf8')).toBe(readFileSync(pb, 'utf8'));
      expect(readFileSync(`${pa}.audit.jsonl`, 'utf8')).toBe(readFileSync(`${pb}.audit.jsonl`, 'utf8'));

      // A decision on the state the worker just wrote (sent by reference, not by value).
      const r2 = wa.plan.repairs[0];
      const decision = {
        repair: r2.id,
        decision: 'rejected' as const,
        changes: r2.changes,
        by: 'tester',
        at: '2026-05-06T02:13:00Z',
        reason: 'no',
      };
      const wd = await jobs.decide(a, decision, wa.result.state, () => NOW);
      const ld = await local.decide(b, decision, la.result.state, () => NOW);
      expect(wd).toEqual(ld);
      expect(wd.plan!.repairs.some((r) => r.id === r2.id)).toBe(false);
      expect(readFileSync(pa, 'utf8')).toBe(readFileSync(pb, 'utf8'));
    } finally {
      await jobs.close();
    }
  });

  test('a decision judged on a view the store has moved on from: nothing recorded, the store as read comes back', async () => {
    const jobs = createJobs({ worker: WORKER });
    const local = inProcessJobs();
    try {
      const [a, b] = [copyOfDemo(), copyOfDemo()];
      const w = await jobs.load(a, () => NOW);
      const r = w.plan.repairs.find((x) => x.id === 'restamp-slot:dc-f3c')!;
      expect(r.changes).toEqual([{ field: 'metadata.pool_slot', before: '4', after: '3' }]);
      // Rewritten atomically with dc-f3c stamped 6, after the rejection's view was planned.
      for (const src of [a, b]) {
        const path = (src as { path: string }).path;
        const doc = JSON.parse(readFileSync(path, 'utf8'));
        doc.beads.find((x: { id: string }) => x.id === 'dc-f3c').metadata.pool_slot = '6';
        writeFileSync(`${path}.tmp`, JSON.stringify(doc, null, 2));
        renameSync(`${path}.tmp`, path);
      }
      const before = readFileSync((a as { path: string }).path, 'utf8');
      const decision = { repair: r.id, decision: 'rejected' as const, changes: r.changes, by: 'tester', reason: 'looks fine' };
      const wd = await jobs.decide(a, decision, w.loaded.state, () => NOW);
      const ld = await local.decide(b, decision, w.loaded.state, () => NOW);
      expect(wd).toEqual(ld);
      expect(wd.stale).toMatchObject({ why: 'metadata.pool_slot is now "6" (expected "4")' });
      expect(readFileSync((a as { path: string }).path, 'utf8')).toBe(before);
      expect(wd.decisions).toEqual([]);
      expect(wd.state!.beads.find((x) => x.id === 'dc-f3c')!.metadata!.pool_slot).toBe('6');
      expect(wd.plan!.repairs.find((x) => x.id === r.id)!.changes).toEqual([{ field: 'metadata.pool_slot', before: '6', after: '3' }]);
    } finally {
      await jobs.close();
    }
  });

  test("a first read's first look comes ahead of its result, and both are the in-process ones", async () => {
    const jobs = createJobs({ worker: WORKER });
    try {
      const big = join(dir, 'glance.json');
      writeFileSync(big, JSON.stringify(generateStore({ beads: 12_000, seed: 5 })));
      const src: Source = { kind: 'store', path: big };
      const looks: Glance[] = [];
      const order: string[] = [];
      const w = await jobs.load(src, () => NOW, { glance: (g) => order.push('glance') && looks.push(g) });
      order.push('result');
      const l = await inProcessJobs().load(src, () => NOW);
      expect(order).toEqual(['glance', 'result']);
      expect(looks).toEqual([glanceOf(l.loaded.state, l.plan, l.at, l.rules)]);
      expect(looks[0].beads).toBe(12_000);
      expect(asData(w.plan)).toEqual(asData(l.plan));
      expect(w.loaded.state).toEqual(l.loaded.state);
      // The next read of the same console (its memo now holds the first) still comes whole.
      expect(asData((await jobs.load(src, () => NOW)).plan)).toEqual(asData(l.plan));
    } finally {
      await jobs.close();
    }
  });

  test("each plan's arrays are freed once its reply is packed: a refresh of another store and a re-plan come as in-process", async () => {
    // Stores big enough that every column of the session table is freed (lent-arrays.ts: from 4 KiB), the second with
    // other beads at other places, so that nothing of the first plan's columns can pass for the second's.
    const { src, write } = generatedStoreFile('freed.json');
    const jobs = createJobs({ worker: WORKER });
    try {
      write(6000, 21);
      const w1 = await jobs.load(src, () => NOW);
      expect(asData(w1.plan)).toEqual(asData((await inProcessJobs().load(src, () => NOW)).plan));
      write(5000, 22);
      const w2 = await jobs.load(src, () => NOW);
      const l2 = await inProcessJobs().load(src, () => NOW);
      expect(w2.loaded.state.beads).toHaveLength(5000);
      expect(asData(w2.plan)).toEqual(asData(l2.plan));
      // The patrol's re-plan of the state the worker keeps, an hour on.
      const later = new Date(NOW.getTime() + 3_600_000);
      expect(asData(await jobs.plan(w2.loaded.state, later))).toEqual(asData(await inProcessJobs().plan(l2.loaded.state, later)));
    } finally {
      await jobs.close();
    }
  });

  test('keeps its two newest states: a re-plan of an older one comes from that state sent whole, as in-process', async () => {
    // Three reads of one store, each with other beads; the worker keeps the states of the last two by id
    // (plan-worker-body.ts KEEP), and answers a request naming the first `missing`: the console then sends it whole.
    const { src, write } = generatedStoreFile('kept-states.json');
    const url = new URL(`${WORKER.href}?kept-states`); // a worker of this test's own: no other test's states in it
    const jobs = createJobs({ worker: url });
    const missing: number[] = [];
    channelFor(url).worker!.on('message', (m: WorkerReply) => {
      if ('ok' in m && !m.ok && 'missing' in m) missing.push(m.id);
    });
    try {
      const read = async (beads: number, seed: number) => {
        write(beads, seed);
        const w = await jobs.load(src, () => NOW);
        const l = await inProcessJobs().load(src, () => NOW);
        expect(w.loaded.state.beads).toHaveLength(beads);
        return { w: w.loaded.state, l: l.loaded.state };
      };
      const first = await read(1200, 41);
      const second = await read(1100, 42);
      const third = await read(1000, 43);
      const later = new Date(NOW.getTime() + 3_600_000);
      const replan = async (s: typeof first) =>
        expect(asData(await jobs.plan(s.w, later))).toEqual(asData(await inProcessJobs().plan(s.l, later)));
      // The newest two by their ids, the first sent whole after the worker said it no longer has it.
      await replan(third);
      await replan(second);
      expect(missing).toEqual([]);
      await replan(first);
      expect(missing).toHaveLength(1);
    } finally {
      await jobs.close();
    }
  });

  test('takes the flock in the worker: a lock held elsewhere times out the write, nothing written', async () => {
    const jobs = createJobs({ worker: WORKER });
    try {
      const src = copyOfDemo();
      const file = (src as { path: string }).path;
      const { plan } = await jobs.load(src, () => NOW);
      const before = readFileSync(file, 'utf8');
      await withFileLock(`${file}.lock`, async () => {
        await expect(jobs.apply(src, [plan.repairs[0]], { now: () => NOW, by: 'tester', timeoutMs: 200 })).rejects.toThrow(
          /timed out waiting for lock/,
        );
      });
      expect(readFileSync(file, 'utf8')).toBe(before);
      // Released: the same write goes through now.
      const ok = await jobs.apply(src, [plan.repairs[0]], { now: () => NOW, by: 'tester', timeoutMs: 2000 });
      expect(ok.result.applied).toHaveLength(1);
    } finally {
      await jobs.close();
    }
  });

  test('a bad input reports the same error as in-process', async () => {
    const jobs = createJobs({ worker: WORKER });
    try {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{"schema": "gc-tui/1", "beads": [');
      const src: Source = { kind: 'store', path: file };
      const local = await inProcessJobs()
        .load(src, () => NOW)
        .catch((e: Error) => e.message);
      await expect(jobs.load(src, () => NOW)).rejects.toThrow(local as string);
    } finally {
      await jobs.close();
    }
  });

  test('refreshes waiting behind other work are superseded by the newest: one read, both callers served', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify(generateStore({ beads: 20_000, seed: 3 })));
    const jobs = createJobs({ worker: WORKER });
    try {
      const src: Source = { kind: 'store', path: big };
      const stages: string[] = [];
      const first = jobs.load(src, () => NOW, { latest: true });
      // These wait behind the first; the second replaces the first of them.
      const a = jobs.load(src, () => NOW, { latest: true, progress: (s) => stages.push(`a:${s}`) });
      const b = jobs.load(src, () => NOW, { latest: true, progress: (s) => stages.push(`b:${s}`) });
      const [, ra, rb] = await Promise.all([first, a, b]);
      expect(ra).toBe(rb);
      expect(stages.filter((s) => s.startsWith('a:'))).toEqual([]);
      // 'receiving' only when unpacking outlasts SAY_RECEIVING_AFTER_MS (a loaded machine may take that long).
      expect([
        ['b:reading', 'b:planning'],
        ['b:reading', 'b:planning', 'b:receiving'],
      ]).toContainEqual(stages);
      expect(ra.loaded.state.beads).toHaveLength(20_000);
    } finally {
      await jobs.close();
    }
  });

  test('a worker that cannot start: the work runs in this thread, same results', async () => {
    const jobs = createJobs({ worker: new URL('./no-such-worker.js', WORKER) });
    try {
      const src = copyOfDemo();
      const r = await jobs.load(src, () => NOW);
      expect((jobs as WorkerJobs).usingWorker).toBe(false);
      expect(r.plan).toEqual((await inProcessJobs().load(src, () => NOW)).plan);
    } finally {
      await jobs.close();
    }
  });

  test('from TypeScript sources (no worker entry beside them) the default is this thread', () => {
    expect(createJobs().kind).toBe('in-process');
    expect(createJobs({ worker: false }).kind).toBe('in-process');
  });
});
