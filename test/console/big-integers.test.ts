// Integers beyond 2^53 (a Gas City `seq`, a bead's `priority`) through the console's plan worker: what it read
// crosses to the console's thread by structured clone, which keeps no class, so such a number used to arrive as a
// plain object and the console's reject and json export refused the file. Now they keep every digit, as the
// headless commands do: the same bytes as `export --format json`, in a store and in a city.
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Jobs } from '../../src/console/jobs.js';
import { approve, exportSnapshot, reject, reopen } from '../../src/console/review.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive, type Live } from '../../src/console/watch.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import { writeStoreDocument } from '../../src/store/formats/load-store.js';
import { exportJsonDocument } from '../../src/store/output/export.js';
import type { Source } from '../../src/store/types.js';
import { run } from '../e2e/cli-helpers.js';
import { built } from '../support/built.js';
import { tempDir, write } from '../support/files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DEMO = join(ROOT, 'fixtures', 'demo-city.json');
const TOKENS = join(ROOT, 'fixtures', 'tokens');
const WORKER = pathToFileURL(built('plan-worker.js'));
const NOW_ISO = '2026-11-24T09:00:00Z';
const NOW = new Date(NOW_ISO);
const BIG = '12345678901234567890';

/** What a test opened (the console's live reader, then its worker), closed in that order after it. */
const opened: { live: Live; jobs: Jobs }[] = [];
afterEach(async () => {
  for (const { live, jobs } of opened.splice(0)) {
    await live.stop();
    await jobs.close();
  }
});

/** A bead's priority in a city: a Go int, beyond 2^53 (int64's largest). */
const INT64_MAX = '9223372036854775807';
/** A city's seq: a Go int too (BIG is beyond 2^63, which Gas City's decoder refuses), beyond 2^53. */
const CITY_SEQ = '9007199254740993';

/** `text` with the first `"key": <integer>` made `big`. */
function withBig(text: string, key: string, big = BIG): string {
  const re = new RegExp(`("${key}":\\s*)-?[0-9]+`);
  expect(text).toMatch(re);
  return text.replace(re, `$1${big}`);
}

async function openConsole(source: Source) {
  const store = createAppStore({ source, rules: 'auto', operator: 'tester' });
  const jobs = createJobs({ worker: WORKER });
  expect(jobs.kind).toBe('worker');
  const live = startLive({ store, source, jobs, watch: false, patrolMs: 3_600_000, now: () => NOW });
  opened.push({ live, jobs });
  await live.ready;
  return { store, services: live.services };
}

const repairOf = (ctx: Awaited<ReturnType<typeof openConsole>>, id: string) => {
  const r = ctx.store.getState().current!.plan.repairs.find((x) => x.id === id);
  expect(r, id).toBeDefined();
  return r!;
};

/** What the status line says (a failed action's reason). */
const said = (ctx: Awaited<ReturnType<typeof openConsole>>) => ctx.store.getState().ui.message?.text;

describe('integers beyond 2^53 in the console (through the plan worker)', () => {
  it('a store: approve, reject, reopen and the json, csv and md exports work, every digit kept', async () => {
    const dir = tempDir();
    const path = write(join(dir, 's.json'), withBig(withBig(readFileSync(DEMO, 'utf8'), 'seq'), 'priority'));
    const ctx = await openConsole({ kind: 'store', path });

    const approved = await approve(ctx, [repairOf(ctx, 'restamp-slot:dc-f3c')]);
    expect(approved?.applied.map((r) => r.id)).toEqual(['restamp-slot:dc-f3c']);
    const alias = repairOf(ctx, 'clear-conflicting-alias:dc-f4d');
    expect(await reject(ctx, alias, 'why'), said(ctx)).toBe(true);
    expect(await reopen(ctx, alias), said(ctx)).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`"seq": ${BIG},`);
    expect(text).toContain(`"priority": ${BIG},`);
    expect(text).toMatch(/"decision": "rejected"[^]*"decision": "reopened"/);
    const audit = readFileSync(`${path}.audit.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { action: string }).action);
    expect(audit).toEqual(['approve', 'reject', 'reopen']);

    // Each export is the headless one's bytes (the same file, the same clock).
    for (const format of ['json', 'csv'] as const) {
      const file = await exportSnapshot(ctx, format);
      expect(file, ctx.store.getState().ui.message?.text).not.toBeNull();
      const headless = run(['export', '--store', path, '--format', format, '--now', NOW_ISO]);
      expect(headless.stderr).toBe('');
      expect(readFileSync(file!, 'utf8')).toBe(headless.stdout);
    }
    const md = await exportSnapshot(ctx, 'md');
    expect(md, ctx.store.getState().ui.message?.text).not.toBeNull();
    expect(readFileSync(md!, 'utf8')).toContain('# gc-tui report');
    const snapshot = readFileSync(join(dir, readFileSync(`${path}.audit.jsonl`, 'utf8').match(/s\.snapshot-[0-9TZ]+\.json/)![0]), 'utf8');
    expect(snapshot).toContain(`"seq": ${BIG},`);
    expect(snapshot).toContain(`"priority": ${BIG},`);
  });

  it('a city: reject, and the json export of what the worker read, are the headless bytes, its seq digit for digit', async () => {
    const dir = tempDir();
    copyFileSync(join(TOKENS, 'city.toml'), join(dir, 'city.toml'));
    write(join(dir, '.gc', 'site.toml'), readFileSync(join(TOKENS, '.gc', 'site.toml'), 'utf8'));
    const beads = write(
      join(dir, '.gc', 'beads.json'),
      withBig(withBig(readFileSync(join(TOKENS, 'beads.unsealed.json'), 'utf8'), 'seq', CITY_SEQ), 'priority', INT64_MAX),
    );
    const before = readFileSync(beads);
    const source: Source = { kind: 'city', dir };
    const ctx = await openConsole(source);
    expect(ctx.store.getState().current, JSON.stringify(ctx.store.getState().error)).not.toBeNull();
    const repair = ctx.store.getState().current!.plan.repairs[0];
    expect(repair).toBeDefined();
    expect(await reject(ctx, repair, 'why'), said(ctx)).toBe(true);
    expect(readFileSync(beads).equals(before)).toBe(true);

    // What exportSnapshot writes for a city (it writes into the current directory, which a test leaves alone).
    const { loaded, plan, rules } = await ctx.services.jobs.load(source, () => NOW);
    const out = join(tempDir(), 'city.snapshot.json');
    await writeStoreDocument(out, exportJsonDocument(loaded, plan, NOW, rules));
    const headless = run(['export', '--city', dir, '--format', 'json', '--now', NOW_ISO]);
    expect(headless.stderr).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(headless.stdout);
    expect(headless.stdout).toContain(`"seq": ${CITY_SEQ},`);
    expect(headless.stdout).toContain(`"priority": ${INT64_MAX},`);
  });
});
