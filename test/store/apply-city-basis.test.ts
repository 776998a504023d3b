// Headless `gc-tui apply --city` reads a city gc-tui writes itself (its `.gc/beads.json` alone) once: under Gas City's
// lock, beads bytes with the digest of that read and city.toml and the decisions as read are neither parsed nor planned
// again (write.ts keptCityBasis, as the console's approvals), and the bytes written are those a write reading the city
// afresh writes. Another writer's change between the read and the lock, or a time rule turning meanwhile, is judged
// afresh. The commands run in this process, so every plan and parse is counted.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as engine from '../../src/engine/index.js';
import * as jsonText from '../../src/store/formats/json-text.js';
import type * as lock from '../../src/store/fs/lock.js';
import { runApply, type ApplyCommandOptions } from '../../src/commands/apply.js';
import { readAudit } from '../../src/store/audit.js';
import { recordDecision } from '../../src/store/decisions.js';
import { loadSource } from '../../src/store/source.js';
import type { Source } from '../../src/store/types.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { formatZ } from '../../src/store/time.js';
import { NOW, NOW_ISO, sessionRecord } from '../support/builders.js';
import { countingParses } from '../support/counting.js';
import { tempDir, write } from '../support/files.js';

// Every plan made and every parse of a JSON text by the store's modules, counted. This file runs in a module graph of its
// own (vitest.config.ts ISOLATED).
vi.mock('../../src/engine/index.js', async (importOriginal) =>
  (await import('../support/counting.js')).countedEngine(await importOriginal()),
);
vi.mock('../../src/store/formats/json-text.js', async (importOriginal) =>
  (await import('../support/counting.js')).countedJsonText(await importOriginal()),
);
const plans = vi.mocked(engine.plan);
/** What another writer does while `apply` waits for the lock (it held the lock meanwhile): run once, by the next lock taken. */
const meanwhile = vi.hoisted(() => ({ run: null as (() => unknown) | null }));
vi.mock('../../src/store/fs/lock.js', async (importOriginal) => {
  const real = await importOriginal<typeof lock>();
  const withFileLock: typeof real.withFileLock = async (path, fn, opts) => {
    const other = meanwhile.run;
    meanwhile.run = null;
    await other?.();
    return real.withFileLock(path, fn, opts);
  };
  return { ...real, withFileLock };
});

/**
 * Counting from now (plans and parses): the number of texts parsed at least as long as the city's beads file is now (or
 * as `text`, the shorter one another writer will write).
 */
function counting(src: Source & { kind: 'city' }, text = readFileSync(beadsOf(src), 'utf8')): () => number {
  return countingParses(jsonText, text.length);
}

const CITY_TOML = '[workspace]\nname = "apply-city"\n\n[beads]\nprovider = "file"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 6\n';

/**
 * The city's beads: mc-1 and mc-3 asleep in pool slots other than their names say (restamp-slot proposes "2" and "3"),
 * mc-5 in its own; mc-4 being created since 02:08, a create that goes stale at 02:18 (an instant at which the plan changes).
 */
function cityBeads(): Record<string, unknown>[] {
  const asleep = (id: string, slot: string, name: string) =>
    sessionRecord(id, { template: 'worker', agent_name: name, alias: name, pool_slot: slot, state: 'asleep' });
  const creating = {
    template: 'worker',
    state: 'creating',
    pending_create_claim: 'true',
    pending_create_started_at: '2026-05-06T02:08:00Z',
  };
  return [
    asleep('mc-1', '4', 'worker-2'),
    asleep('mc-3', '5', 'worker-3'),
    sessionRecord('mc-4', creating),
    asleep('mc-5', '1', 'worker-1'),
  ];
}

function cityDir(): Source & { kind: 'city' } {
  const dir = tempDir('gc-tui-apply-city-');
  writeFileSync(join(dir, 'city.toml'), CITY_TOML);
  write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 9, beads: cityBeads() }, null, 2) + '\n');
  return { kind: 'city', dir };
}

const beadsOf = (src: { dir: string }) => join(src.dir, '.gc', 'beads.json');

/** A copy of the city as it is now: what a write reading it afresh starts from. */
function copyCity(src: { dir: string }): Source & { kind: 'city' } {
  const dir = join(tempDir('gc-tui-apply-city-'), 'city');
  cpSync(src.dir, dir, { recursive: true });
  return { kind: 'city', dir };
}

/** Another writer sets `slot` on bead `id` of the city's beads file (rewritten whole, as Gas City does). */
function otherWriter(src: { dir: string }, id: string, slot: string): void {
  const doc = JSON.parse(readFileSync(beadsOf(src), 'utf8'));
  doc.beads.find((b: { id: string }) => b.id === id).metadata.pool_slot = slot;
  writeFileSync(beadsOf(src), JSON.stringify(doc, null, 2) + '\n');
}

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

/** `gc-tui --city DIR apply --yes ...opts`, in this process; its exit code and stdout. */
async function apply(src: { dir: string }, opts: ApplyCommandOptions): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await runApply({ city: src.dir, by: 'op' }, { yes: true, ...opts }), out };
  } finally {
    spy.mockRestore();
  }
}

/**
 * What a write reading `control` (a copy of the city as the lock found it) afresh writes at `now`, with the repairs the
 * command asked for (its audit lines' ids, of a plan of `asked` at `planned`) and the command's batch id: its beads
 * bytes and audit lines must be the command's.
 */
async function expectFreshWrite(src: { dir: string }, control: Source & { kind: 'city' }, asked: Source, planned: Date, now: Date) {
  const audit = readAudit(src as Source);
  const ids = new Set(audit.map((e) => e.repair));
  const repairs = engine.plan((await loadSource(asked)).state, planned).repairs.filter((r) => ids.has(r.id));
  expect(repairs.map((r) => r.id).sort()).toEqual([...ids].sort());
  await applyRepairsLocked(control, repairs, { now, by: 'op', note: '', batch: audit[0].batch, edition: '2026-05' });
  expect(readFileSync(beadsOf(src)).equals(readFileSync(beadsOf(control)))).toBe(true);
  expect(readAudit(src as Source)).toEqual(readAudit(control));
}

/**
 * `apply` without --now (exit 0) on a new city, read at NOW and written `minutes` later (the operator's answer, another
 * writer's hold of the lock): the plans and parses it made, and the check that it wrote what a fresh write at its time writes.
 */
async function applyLater(minutes: number, opts: ApplyCommandOptions) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  const src = cityDir();
  const asked = copyCity(src);
  const control = copyCity(src);
  const wholeParses = counting(src);
  meanwhile.run = () => vi.setSystemTime(at(minutes));
  expect((await apply(src, opts)).code).toBe(0);
  const counted = { plans: plans.mock.calls.length, wholeParses: wholeParses() };
  return { src, counted, freshWrite: () => expectFreshWrite(src, control, asked, NOW, at(minutes)) };
}

afterEach(() => {
  meanwhile.run = null;
  vi.useRealTimers();
});

describe('apply --city on a city unchanged between its read and the lock', () => {
  test('--all parses the beads file once and plans once, and writes what a write reading the city afresh writes', async () => {
    const src = cityDir();
    const asked = copyCity(src);
    const control = copyCity(src);
    const wholeParses = counting(src);
    const { code, out } = await apply(src, { all: true, now: NOW_ISO });
    expect(code).toBe(0);
    expect(out).toMatch(/^2 applied, 0 stale/m);
    expect(plans).toHaveBeenCalledTimes(1);
    expect(wholeParses()).toBe(1);
    expect(JSON.parse(readFileSync(beadsOf(src), 'utf8')).beads[0].metadata.pool_slot).toBe('2');
    await expectFreshWrite(src, control, asked, NOW, NOW);
  });

  test('--repair ID, without --now: the clock read under the lock, before any time rule turns, needs no second plan', async () => {
    // The operator's wait or another writer's lock: 4 minutes, and mc-4's create goes stale only at 02:18.
    const { src, counted, freshWrite } = await applyLater(4, { repair: ['restamp-slot:mc-1'] });
    expect(counted).toEqual({ plans: 1, wholeParses: 1 });
    expect(readAudit(src).map((e) => [e.repair, e.time])).toEqual([['restamp-slot:mc-1', formatZ(at(4))]]);
    await freshWrite();
  });
});

describe('apply --city on a city changed between its read and the lock', () => {
  beforeEach(() => vi.clearAllMocks());

  test('another writer changed a bead: the beads file is parsed and planned again, the repair on it is stale, the rest written as afresh', async () => {
    const src = cityDir();
    const asked = copyCity(src);
    const wholeParses = counting(src);
    meanwhile.run = () => otherWriter(src, 'mc-1', '3');
    const { code, out } = await apply(src, { all: true, now: NOW_ISO });
    expect(code).toBe(1);
    expect(out).toMatch(/^stale restamp-slot:mc-1: metadata\.pool_slot is now "3" \(expected "4"\); not applied$/m);
    expect(plans).toHaveBeenCalledTimes(2);
    expect(wholeParses()).toBe(2);
    const control = copyCity(asked);
    otherWriter(control, 'mc-1', '3');
    await expectFreshWrite(src, control, asked, NOW, NOW);
  });

  test('another writer rewrote the beads file with the same beads in another layout: read afresh, and the new layout kept', async () => {
    const src = cityDir();
    const asked = copyCity(src);
    const compact = JSON.stringify(JSON.parse(readFileSync(beadsOf(src), 'utf8')));
    const wholeParses = counting(src, compact);
    meanwhile.run = () => writeFileSync(beadsOf(src), compact);
    expect((await apply(src, { all: true, now: NOW_ISO })).code).toBe(0);
    expect(plans).toHaveBeenCalledTimes(2);
    expect(wholeParses()).toBe(2);
    expect(readFileSync(beadsOf(src), 'utf8')).not.toContain('\n');
    const control = copyCity(asked);
    writeFileSync(beadsOf(control), JSON.stringify(JSON.parse(readFileSync(beadsOf(control), 'utf8'))));
    await expectFreshWrite(src, control, asked, NOW, NOW);
  });

  test('another operator rejected a repair (decisions.json): judged afresh, that repair not written', async () => {
    const src = cityDir();
    const asked = copyCity(src);
    const rejected = { repair: 'restamp-slot:mc-1', decision: 'rejected' as const, by: 'other', at: formatZ(at(-1)) };
    const r = engine.plan((await loadSource(src)).state, NOW).repairs.find((x) => x.id === rejected.repair)!;
    const control = copyCity(src);
    const wholeParses = counting(src);
    meanwhile.run = async () => {
      await recordDecision(src, { ...rejected, changes: r.changes });
      await recordDecision(control, { ...rejected, changes: r.changes });
    };
    const { code, out } = await apply(src, { all: true, now: NOW_ISO });
    expect(code).toBe(1);
    expect(out).toMatch(
      /^stale restamp-slot:mc-1: rejected by other at \S+ since it was planned: withheld while its changes stay the same; not applied$/m,
    );
    expect(plans).toHaveBeenCalledTimes(2);
    expect(wholeParses()).toBe(2);
    expect(JSON.parse(readFileSync(beadsOf(src), 'utf8')).beads[0].metadata.pool_slot).toBe('4');
    await expectFreshWrite(src, control, asked, NOW, NOW);
  });

  test('city.toml changed: judged by the new configuration, nothing of the old one written', async () => {
    const src = cityDir();
    const before = readFileSync(beadsOf(src));
    const wholeParses = counting(src);
    // The pool is renamed: nothing of it is proposed for worker beads any more.
    meanwhile.run = () => writeFileSync(join(src.dir, 'city.toml'), CITY_TOML.replace('name = "worker"', 'name = "builder"'));
    const { code, out } = await apply(src, { all: true, now: NOW_ISO });
    expect(code).toBe(1);
    expect(out).toMatch(/^0 applied, 2 stale/m);
    expect(plans).toHaveBeenCalledTimes(2);
    expect(wholeParses()).toBe(2);
    expect(readFileSync(beadsOf(src)).equals(before)).toBe(true);
  });

  test('a time rule turned while it waited (mc-4’s create went stale at 02:18): planned again, not parsed again', async () => {
    const { counted, freshWrite } = await applyLater(6, { all: true });
    expect(counted).toEqual({ plans: 2, wholeParses: 1 });
    await freshWrite();
  });
});
