// The console follows one rule edition per read (--rules, default auto), shows it, and approves under it:
// a 2026-08 repair is re-checked under 2026-08 in the write, in this thread and in the plan worker.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Jobs } from '../../src/console/jobs.js';
import { inProcessJobs } from '../../src/console/jobs.js';
import { approve } from '../../src/console/review.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive, type Live } from '../../src/console/watch.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import type { RulesChoice } from '../../src/store/rules.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { copyFileSync, readFileSync } from 'node:fs';

const EDITIONS = resolve(import.meta.dirname, '../../fixtures/editions');
const NOW = new Date('2026-08-20T12:00:00Z');
const WORKER = pathToFileURL(built('plan-worker.js'));

let live: Live | null = null;
let jobs: Jobs | null = null;
afterEach(async () => {
  await live?.stop();
  await jobs?.close();
  live = null;
  jobs = null;
});

async function open(fixture: string, rules: RulesChoice, where: 'in-process' | 'worker') {
  const path = join(tempDir(), 's.json');
  copyFileSync(join(EDITIONS, fixture), path);
  const source = { kind: 'store' as const, path };
  const store = createAppStore({ source, rules, operator: 'tester' });
  jobs = where === 'worker' ? createJobs({ worker: WORKER }) : inProcessJobs();
  live = startLive({ store, source, jobs, watch: false, patrolMs: 3_600_000, now: () => NOW });
  await live.ready;
  return { store, services: live.services, path };
}

describe('the console and rule editions', () => {
  it.each(['in-process', 'worker'] as const)('%s: --rules 2026-08 plans, shows and approves under 2026-08', async (where) => {
    const ctx = await open('singleton-canonical.json', '2026-08', where);
    const current = ctx.store.getState().current!;
    expect(current.rules).toEqual({ edition: '2026-08', why: 'chosen with --rules 2026-08' });
    const repair = current.plan.repairs.find((r) => r.id === 'canonical-identity:c1');
    expect(repair).toBeDefined();
    const result = await approve(ctx, [repair!]);
    expect(result?.applied.map((r) => r.id)).toEqual(['canonical-identity:c1']);
    expect(result?.stale).toEqual([]);
    // What the console shows after its own write still follows 2026-08: the repair is gone, not re-proposed.
    const after = ctx.store.getState().current!;
    expect(after.rules?.edition).toBe('2026-08');
    expect(after.plan.repairs.map((r) => r.id)).not.toContain('canonical-identity:c1');
  });

  it('a duplicate session_name close (2026-08) is approved and written like any close: the bead closed as duplicate, audited', async () => {
    const ctx = await open('duplicate-session-name.json', '2026-08', 'in-process');
    const repair = ctx.store.getState().current!.plan.repairs.find((r) => r.id === 'close-duplicate-session-name:d2')!;
    const result = await approve(ctx, [repair]);
    expect(result?.applied.map((r) => r.id)).toEqual(['close-duplicate-session-name:d2']);
    const file = JSON.parse(readFileSync(ctx.path, 'utf8')) as {
      beads: { id: string; status: string; metadata: Record<string, string> }[];
    };
    const d2 = file.beads.find((b) => b.id === 'd2')!;
    expect([d2.status, d2.metadata.state, d2.metadata.close_reason]).toEqual(['closed', 'duplicate', 'duplicate']);
    const audit = readFileSync(`${ctx.path}.audit.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { repair: string; result: string });
    expect(audit.map((a) => [a.repair, a.result])).toEqual([['close-duplicate-session-name:d2', 'applied']]);
    expect(ctx.store.getState().current!.plan.repairs.map((r) => r.id)).toEqual(['close-duplicate-session-name:m1']);
  });

  it('auto: the edition the input shows, and why', async () => {
    const ctx = await open('start-pending.json', 'auto', 'in-process');
    const rules = ctx.store.getState().current!.rules!;
    expect(rules.edition).toBe('2026-08');
    expect(rules.why).toContain('start-pending');
  });

  it('auto without a marker: 2026-05, and its plan has no 2026-08 repair', async () => {
    const ctx = await open('singleton-canonical.json', 'auto', 'in-process');
    const current = ctx.store.getState().current!;
    expect(current.rules?.edition).toBe('2026-05');
    expect(current.plan.repairs.map((r) => r.kind)).not.toContain('canonical-identity');
  });
});
