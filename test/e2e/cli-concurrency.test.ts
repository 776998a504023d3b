// Another writer holds Gas City's lock (util-linux flock, the same flock(2) Gas City's Go writer takes):
// apply must wait for it, then apply on top of what it wrote, and never overwrite its changes. The other writer
// lets go only once the CLI has opened the lock file (it is then waiting), never after a fixed time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { readJson, tempDir } from '../support/files.js';
import { hasOpen, holdLock, type Peer } from '../support/locks.js';
import { until } from '../support/wait.js';
import { copyInto, EXAMPLES, makeCity, startCli, type RunResult } from './cli-helpers.js';

type Doc = { beads: { id: string; metadata: Record<string, string>; title?: string }[] } & Record<string, unknown>;

/**
 * Run the CLI while `peer` holds `lockFile`: once the CLI has opened the lock file (so it is trying to take it)
 * and is still running, the peer lets go (replacing the file first, if it was asked to). Returns the CLI's result.
 */
async function applyWhileHeld(peer: Peer, lockFile: string, args: string[]): Promise<RunResult> {
  const cli = startCli(args);
  let exited = false;
  void cli.result.then(() => (exited = true));
  await until(() => exited || hasOpen(cli.child.pid!, lockFile), 'the CLI to open the lock file');
  expect(exited, 'the CLI finished while another writer held the lock').toBe(false);
  await peer.release();
  return cli.result;
}

describe('apply against a concurrent writer on a city', () => {
  it('waits for the lock, then applies on top of what the other writer wrote', async () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const peer = readJson<Doc>(beadsFile);
    // The other writer touches an unrelated bead and adds one.
    peer.beads.find((b) => b.id === 'work-1')!.title = 'changed by the controller';
    peer.beads.push({ id: 'gc-211', title: 'new from peer', metadata: { 'gc.kind': 'task' } });
    peer.seq = 211;
    const lock = join(dir, '.gc', 'beads.json.lock');
    const holder = await holdLock(lock, { target: beadsFile, text: JSON.stringify(peer, null, 2) });

    const r = await applyWhileHeld(holder, lock, ['apply', '--city', dir, '--all', '--now', NOW_ISO, '--by', 'ops']);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
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
    const lock = join(dir, '.gc', 'beads.json.lock');
    const holder = await holdLock(lock, { target: beadsFile, text: JSON.stringify(peer, null, 2) });

    const r = await applyWhileHeld(holder, lock, [
      'apply',
      '--city',
      dir,
      '--repair',
      'restamp-slot:mc-poison',
      '--now',
      NOW_ISO,
      '--by',
      'ops',
    ]);

    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^stale restamp-slot:mc-poison: metadata\.pool_slot is now "5" \(expected "4"\); not applied$/m);
    expect(readFileSync(beadsFile, 'utf8')).toBe(JSON.stringify(peer, null, 2));
    const audit = readFileSync(join(dir, '.gc', 'gc-tui', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ repair: 'restamp-slot:mc-poison', result: 'stale', operator: 'ops' });
  });

  it('gives up after GC_TUI_LOCK_TIMEOUT_MS with a clear message and exit 2, file untouched', async () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const bytes = readFileSync(beadsFile);
    // The other writer holds the lock until the CLI has given up.
    const holder = await holdLock(join(dir, '.gc', 'beads.json.lock'));
    const r = await startCli(['apply', '--city', dir, '--all', '--now', NOW_ISO], { env: { GC_TUI_LOCK_TIMEOUT_MS: '300' } }).result;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gc-tui: timed out waiting for lock on \S+\.gc\/beads\.json\.lock after 0\.3 s/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(beadsFile).equals(bytes)).toBe(true);
    expect(await holder.release()).toBe(0);
  });
});

describe('apply against a concurrent writer on a store file', () => {
  it('takes <store>.lock the same way and never overwrites the other change', async () => {
    const store = copyInto(tempDir(), join(EXAMPLES, 'pr2076-identity.store.json'), 'city.json');
    const peer = readJson<Doc>(store);
    peer.beads[0].metadata.alias = 'frontend/worker-3'; // someone fixed the alias by hand
    const holder = await holdLock(`${store}.lock`, { target: store, text: JSON.stringify(peer, null, 2) });
    const r = await applyWhileHeld(holder, `${store}.lock`, ['apply', '--store', store, '--all', '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^applied restamp-slot:mc-poison/m);
    expect(r.stdout).toMatch(
      /^stale repair-alias:mc-poison: metadata\.alias is now "frontend\/worker-3" \(expected "backend\/worker-4"\)/m,
    );
    const after = readJson<Doc>(store);
    expect(after.beads[0].metadata).toMatchObject({ alias: 'frontend/worker-3', pool_slot: '3' });
    expect(after.beads[0].metadata.alias_history).toBeUndefined();
  });

  it('without --now, updated_at and the audit time are when the write happened, not when apply started', async () => {
    const store = copyInto(tempDir(), join(EXAMPLES, 'pr2076-identity.store.json'), 'city.json');
    const holder = await holdLock(`${store}.lock`);
    const cli = startCli(['apply', '--store', store, '--repair', 'restamp-slot:mc-poison', '--by', 'ops']);
    let exited = false;
    void cli.result.then(() => (exited = true));
    await until(() => exited || hasOpen(cli.child.pid!, `${store}.lock`), 'the CLI to open the lock file');
    expect(exited, 'the CLI finished while another writer held the lock').toBe(false);
    // The lock is let go in a later second than apply started in: a time read at the start would be earlier.
    const released = Math.ceil(Date.now() / 1000) * 1000;
    await until(() => Date.now() >= released, 'the next second');
    await holder.release();
    const r = await cli.result;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = readJson<{ beads: { id: string; updated_at: string }[] }>(store);
    const written = after.beads.find((b) => b.id === 'mc-poison')!.updated_at;
    expect(Date.parse(written)).toBeGreaterThanOrEqual(released);
    const audit = readFileSync(`${store}.audit.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { time: string });
    expect(audit.map((a) => a.time)).toEqual([written]);
  });
});
