// The console's writes in the plan worker's queue: a write waiting behind a refresh or a re-plan holds no lock
// (Gas City's controller must not be blocked by gc-tui waiting on its own reads), takes it when its turn
// comes, and goes ahead of reads still waiting.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { acquireFileLock } from '../../src/store/fs/lock.js';
import type { Source } from '../../src/store/types.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';

const WORKER = pathToFileURL(built('plan-worker.js'));

/** Each job run in the plan worker and on the console's own thread (the fallback). */
const BOTH_SIDES = [
  ['in the worker', () => createJobs({ worker: WORKER })],
  ['on this thread', () => createJobs({ worker: false })],
] as const;
const DEMO = fileURLToPath(new URL('../../fixtures/demo-city.json', import.meta.url));
let dir = '';
let big: Source;
beforeAll(() => {
  dir = tempDir('gc-tui-write-queue-');
  const file = join(dir, 'big.json');
  writeFileSync(file, JSON.stringify(generateStore({ beads: 20_000, seed: 5 })));
  big = { kind: 'store', path: file };
});

let n = 0;
function copyOfDemo(): Source & { kind: 'store' } {
  const file = join(dir, `demo-${++n}.json`);
  copyFileSync(DEMO, file);
  return { kind: 'store', path: file };
}

/** Whether someone holds the flock on `lockPath` now (a second open file description cannot take it). */
async function isLocked(lockPath: string): Promise<boolean> {
  try {
    const release = await acquireFileLock(lockPath, { timeoutMs: 0 });
    release();
    return false;
  } catch {
    return true;
  }
}

describe('writes in the worker queue', () => {
  test('an approval queued behind a refresh does not hold the lock while it waits, and is applied after', async () => {
    const jobs = createJobs({ worker: WORKER });
    try {
      const src = copyOfDemo();
      const { plan } = await jobs.load(src, () => NOW);
      const refresh = jobs.load(big, () => NOW); // seconds of work at volume: the write waits behind it
      const write = jobs.apply(src, [plan.repairs[0]], { now: () => NOW, by: 'tester', timeoutMs: 5000 });
      await new Promise((r) => setImmediate(r));
      expect(await isLocked(`${src.path}.lock`)).toBe(false);
      const [, w] = await Promise.all([refresh, write]);
      expect(w.result.applied.map((r) => r.id)).toEqual([plan.repairs[0].id]);
      expect(await isLocked(`${src.path}.lock`)).toBe(false);
    } finally {
      await jobs.close();
    }
  });

  test('a rejection queued behind a refresh does not hold the decisions lock while it waits', async () => {
    const jobs = createJobs({ worker: WORKER });
    try {
      const src = copyOfDemo();
      const { plan, loaded } = await jobs.load(src, () => NOW);
      const r = plan.repairs[0];
      const refresh = jobs.load(big, () => NOW);
      const decision = {
        repair: r.id,
        decision: 'rejected' as const,
        changes: r.changes,
        by: 'tester',
        at: '2026-05-06T02:13:00Z',
        reason: 'no',
      };
      const decide = jobs.decide(src, decision, loaded.state, () => NOW);
      await new Promise((r) => setImmediate(r));
      expect(await isLocked(`${src.path}.lock`)).toBe(false);
      const [, d] = await Promise.all([refresh, decide]);
      expect(d.decisions.map((x) => x.repair)).toEqual([r.id]);
    } finally {
      await jobs.close();
    }
  });

  test.each(BOTH_SIDES)("%s, a decision that waits for another writer's lock is stamped when it gets it", async (_, make) => {
    const jobs = make();
    try {
      const src = copyOfDemo();
      const { plan, loaded } = await jobs.load(src, () => NOW);
      const r = plan.repairs[0];
      let clock = NOW;
      const release = await acquireFileLock(`${src.path}.lock`);
      let decide;
      try {
        decide = jobs.decide(src, { repair: r.id, decision: 'rejected', changes: r.changes, by: 'tester' }, loaded.state, () => clock);
        await new Promise((r) => setImmediate(r));
        clock = new Date(NOW.getTime() + 90_000); // the other writer takes its time
      } finally {
        release();
      }
      const d = await decide;
      expect(d.at).toBe(clock.getTime());
      const doc = JSON.parse(readFileSync(src.path, 'utf8')) as { decisions: { at?: string }[] };
      expect(doc.decisions.map((x) => x.at)).toEqual(['2026-05-06T02:14:30Z']);
    } finally {
      await jobs.close();
    }
  });

  test('a write goes ahead of reads still waiting, not of the one running', async () => {
    const jobs = createJobs({ worker: WORKER });
    try {
      const src = copyOfDemo();
      const { plan } = await jobs.load(src, () => NOW);
      const order: string[] = [];
      const running = jobs.load(big, () => NOW).then(() => order.push('running read'));
      const waiting = jobs.load(big, () => NOW).then(() => order.push('waiting read'));
      const write = jobs.apply(src, [plan.repairs[0]], { now: () => NOW, by: 'tester' }).then(() => order.push('write'));
      await Promise.all([running, waiting, write]);
      expect(order).toEqual(['running read', 'write', 'waiting read']);
    } finally {
      await jobs.close();
    }
  });

  test.each(BOTH_SIDES)(
    "%s, a write that waits for another writer's lock is stamped when it gets it: updated_at and the audit time",
    async (_, make) => {
      const jobs = make();
      try {
        const src = copyOfDemo();
        const { plan } = await jobs.load(src, () => NOW);
        const repair = plan.repairs[0];
        let clock = NOW;
        const release = await acquireFileLock(`${src.path}.lock`);
        let write;
        try {
          write = jobs.apply(src, [repair], { now: () => clock, by: 'tester', timeoutMs: 10_000 });
          await new Promise((r) => setImmediate(r));
          clock = new Date(NOW.getTime() + 90_000); // the other writer takes its time
        } finally {
          release();
        }
        const w = await write;
        const at = '2026-05-06T02:14:30Z';
        expect(w.at).toBe(clock.getTime());
        const doc = JSON.parse(readFileSync(src.path, 'utf8')) as { beads: { id: string; updated_at?: string }[] };
        expect(doc.beads.find((b) => b.id === repair.beadId)!.updated_at).toBe(at);
        const audit = readFileSync(`${src.path}.audit.jsonl`, 'utf8').trim().split('\n');
        expect(audit.map((l) => (JSON.parse(l) as { time: string }).time)).toEqual([at]);
      } finally {
        await jobs.close();
      }
    },
  );

  test('a write that cannot get its lock fails alone; the queue goes on', async () => {
    const jobs = createJobs({ worker: WORKER });
    try {
      const src = copyOfDemo();
      const { plan } = await jobs.load(src, () => NOW);
      const release = await acquireFileLock(`${src.path}.lock`);
      try {
        const refresh = jobs.load(big, () => NOW);
        const write = jobs.apply(src, [plan.repairs[0]], { now: () => NOW, by: 'tester', timeoutMs: 100 });
        const after = jobs.load(src, () => NOW);
        await expect(write).rejects.toThrow(/timed out waiting for lock/);
        await refresh;
        expect((await after).plan.repairs[0].id).toBe(plan.repairs[0].id); // nothing was written
      } finally {
        release();
      }
    } finally {
      await jobs.close();
    }
  });
});
