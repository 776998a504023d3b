// Another writer holds Gas City's lock (util-linux flock, the same flock(2) Gas City's Go writer takes):
// apply must wait for it, then apply on top of what it wrote, and never overwrite its changes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, copyInto, EXAMPLES, makeCity, NOW, readJson, runAsync, tempDir, write } from './cli-helpers.js';

afterAll(cleanupTempDirs);

type Doc = { beads: { id: string; metadata: Record<string, string>; title?: string }[] } & Record<string, unknown>;

/**
 * Hold `lockFile` with /usr/bin/flock for `holdS` seconds, then (still holding it) replace `target` with
 * `replacement` the way Gas City does (tmp + rename). Resolves once the lock is held; `done` when released.
 */
async function holdLock(lockFile: string, holdS: number, target?: string, replacement?: string): Promise<{ done: Promise<number | null> }> {
  const dir = tempDir('gc-tui-peer-');
  const started = join(dir, 'started');
  let script = `touch '${started}'; sleep ${holdS}`;
  if (target && replacement !== undefined) {
    const next = write(join(dir, 'next.json'), replacement);
    script += `; cp '${next}' '${target}.peer.tmp' && mv '${target}.peer.tmp' '${target}'`;
  }
  const child = spawn('flock', [lockFile, '-c', script], { stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  for (let i = 0; i < 200 && !existsSync(started); i++) await sleep(10);
  if (!existsSync(started)) throw new Error('flock did not take the lock');
  return { done };
}

describe('apply against a concurrent writer on a city', () => {
  it('waits for the lock, then applies on top of what the other writer wrote', async () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const peer = readJson<Doc>(beadsFile);
    // The other writer touches an unrelated bead and adds one.
    peer.beads.find((b) => b.id === 'work-1')!.title = 'changed by the controller';
    peer.beads.push({ id: 'gc-211', title: 'new from peer', metadata: { 'gc.kind': 'task' } });
    peer.seq = 211;
    const holder = await holdLock(join(dir, '.gc', 'beads.json.lock'), 2, beadsFile, JSON.stringify(peer, null, 2));

    const t0 = Date.now();
    const r = await runAsync(['apply', '--city', dir, '--all', '--now', NOW, '--by', 'ops']);
    const waited = Date.now() - t0;
    await holder.done;

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(waited).toBeGreaterThan(1000);
    const after = readJson<Doc>(beadsFile);
    expect(after.seq).toBe(211);
    expect(after.beads.find((b) => b.id === 'work-1')!.title).toBe('changed by the controller');
    expect(after.beads.find((b) => b.id === 'gc-211')).toBeDefined();
    expect(after.beads[0].metadata).toMatchObject({ alias: 'frontend/worker-3', pool_slot: '3' });
  });

  it('reports a repair whose bead changed meanwhile as stale, applies nothing over it, exits 1', async () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const peer = readJson<Doc>(beadsFile);
    // The controller itself re-stamps the slot while we wait.
    peer.beads[0].metadata.pool_slot = '5';
    const holder = await holdLock(join(dir, '.gc', 'beads.json.lock'), 2, beadsFile, JSON.stringify(peer, null, 2));

    const r = await runAsync(['apply', '--city', dir, '--repair', 'restamp-slot:mc-poison', '--now', NOW, '--by', 'ops']);
    await holder.done;

    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^stale restamp-slot:mc-poison: metadata\.pool_slot is now "5" \(expected "4"\); not applied$/m);
    expect(readFileSync(beadsFile, 'utf8')).toBe(JSON.stringify(peer, null, 2));
    const audit = readFileSync(join(dir, '.gc', 'gc-tui', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ repair: 'restamp-slot:mc-poison', result: 'stale', operator: 'ops' });
  });

  it('gives up after GC_TUI_LOCK_TIMEOUT_MS with a clear message and exit 2, file untouched', async () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const bytes = readFileSync(beadsFile);
    const holder = await holdLock(join(dir, '.gc', 'beads.json.lock'), 1.2);
    const r = await runAsync(['apply', '--city', dir, '--all', '--now', NOW], { env: { GC_TUI_LOCK_TIMEOUT_MS: '300' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gc-tui: timed out waiting for lock on \S+\.gc\/beads\.json\.lock after 0\.3 s/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(beadsFile).equals(bytes)).toBe(true);
    await holder.done;
  });
});

describe('apply against a concurrent writer on a store file', () => {
  it('takes <store>.lock the same way and never overwrites the other change', async () => {
    const store = copyInto(tempDir(), join(EXAMPLES, 'pr2076-identity.store.json'), 'city.json');
    const peer = readJson<Doc>(store);
    peer.beads[0].metadata.alias = 'frontend/worker-3'; // someone fixed the alias by hand
    const holder = await holdLock(`${store}.lock`, 2, store, JSON.stringify(peer, null, 2));
    const r = await runAsync(['apply', '--store', store, '--all', '--now', NOW]);
    await holder.done;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^applied restamp-slot:mc-poison/m);
    expect(r.stdout).toMatch(/^stale repair-alias:mc-poison: metadata\.alias is now "frontend\/worker-3" \(expected "backend\/worker-4"\)/m);
    const after = readJson<Doc>(store);
    expect(after.beads[0].metadata).toMatchObject({ alias: 'frontend/worker-3', pool_slot: '3' });
    expect(after.beads[0].metadata.alias_history).toBeUndefined();
  });
});
