// The store API the console calls: locked compare-and-set writes, the audit log, decisions, the lock itself.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { readAudit } from '../../src/store/audit.js';
import { recordDecision } from '../../src/store/decisions.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { withFileLock } from '../../src/store/fs/lock.js';
import type { Source } from '../../src/store/types.js';
import { applyRepairsLocked, checkDecision } from '../../src/store/write.js';
import { NOW, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { holdLock } from '../support/locks.js';
import { spelledStore } from '../support/spelled-beads.js';

function store(beads: unknown[]): Source {
  const path = write(
    join(tempDir(), 'city.json'),
    JSON.stringify(
      {
        schema: 'gc-tui/1',
        city: { agents: [{ name: 'worker', max_active_sessions: 5 }] },
        beads,
        decisions: [],
        custom: { keep: [1, 2] },
      },
      null,
      2,
    ),
  );
  return { kind: 'store', path };
}

describe('applyRepairsLocked', () => {
  it('applies what still holds and returns the state as written', async () => {
    const src = store([
      sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' }),
    ]);
    const loaded = await loadStore((src as { path: string }).path);
    const p = plan(loaded.state, NOW);
    expect(p.repairs.map((r) => r.id)).toEqual(['restamp-slot:mc-1']);
    const result = await applyRepairsLocked(src, p.repairs, { now: NOW, by: 'alice', note: 'n' });
    expect(result.applied.map((r) => r.id)).toEqual(['restamp-slot:mc-1']);
    expect(result.stale).toEqual([]);
    expect(result.state.beads[0].metadata!.pool_slot).toBe('2');
    const onDisk = JSON.parse(readFileSync((src as { path: string }).path, 'utf8'));
    expect(onDisk.custom).toEqual({ keep: [1, 2] });
    expect(onDisk.beads[0].updated_at).toBe('2026-05-06T02:13:00Z');
    expect(readAudit(src).map((e) => [e.action, e.repair, e.operator, e.note, e.result])).toEqual([
      ['apply', 'restamp-slot:mc-1', 'alice', 'n', 'applied'],
    ]);
  });

  it('refuses a repair the fresh plan no longer proposes, even when its befores still hold', async () => {
    // mc-1 wants alias worker-2 (available when planned); meanwhile a manual session took that alias.
    const beads = [sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'old', pool_slot: '2', state: 'asleep' })];
    const src = store(beads);
    const path = (src as { path: string }).path;
    const p = plan((await loadStore(path)).state, NOW);
    const repair = p.repairs.find((r) => r.kind === 'repair-alias')!;
    expect(repair).toBeDefined();
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    doc.beads.push({
      ...sessionRecord('mc-m', { template: 'worker', alias: 'worker-2', state: 'active', session_origin: 'manual' }),
      metadata: { template: 'worker', alias: 'worker-2', state: 'active', session_origin: 'manual' },
    });
    writeFileSync(path, JSON.stringify(doc, null, 2));
    const bytes = readFileSync(path);

    const result = await applyRepairsLocked(src, [repair], { now: NOW, by: 'alice' });
    expect(result.applied).toEqual([]);
    expect(result.stale).toHaveLength(1);
    expect(result.stale[0].why).toMatch(/no longer proposes|re-planned/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(readAudit(src).map((e) => e.result)).toEqual(['stale']);
  });

  it('reports a vanished bead as stale', async () => {
    const src = store([
      sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' }),
    ]);
    const path = (src as { path: string }).path;
    const p = plan((await loadStore(path)).state, NOW);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    doc.beads = [];
    writeFileSync(path, JSON.stringify(doc));
    const result = await applyRepairsLocked(src, p.repairs, { now: NOW, by: 'x' });
    expect(result.stale.map((s) => [s.repair.id, s.why])).toEqual([['restamp-slot:mc-1', 'bead mc-1 no longer exists']]);
  });
});

describe('checkDecision', () => {
  /** A store whose mc-1 is stamped `slot` (its identity names slot 2: restamp-slot:mc-1 proposes `slot` → "2"). */
  const stamped = (slot: string) =>
    sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: slot, state: 'asleep' });

  it('finds a decision stale when what it was judged against no longer holds on disk, and reads nothing else into it', async () => {
    const src = store([stamped('4')]);
    const path = (src as { path: string }).path;
    const [r] = plan((await loadStore(path)).state, NOW).repairs;
    expect(r.changes).toEqual([{ field: 'metadata.pool_slot', before: '4', after: '2' }]);
    const reject = { repair: r.id, decision: 'rejected' as const, changes: r.changes, by: 'op', reason: 'looks fine' };
    expect(checkDecision(src, reject, NOW).stale).toBeNull();

    // Someone restamps it to 6 meanwhile (an atomic rewrite): the rejection of "4" → "2" is judged on a view that is gone.
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    doc.beads[0].metadata.pool_slot = '6';
    writeFileSync(path, JSON.stringify(doc, null, 2));
    const before = readFileSync(path, 'utf8');
    const check = checkDecision(src, reject, NOW);
    expect(check.stale).toMatchObject({ why: 'metadata.pool_slot is now "6" (expected "4")', actual: '6' });
    expect(check.stale!.replanned!.changes).toEqual([{ field: 'metadata.pool_slot', before: '6', after: '2' }]);
    expect(check.plan!.repairs.map((x) => x.changes[0].before)).toEqual(['6']);
    // A reopen of a rejection of "4" → "2" is stale the same way; nothing is written by a check.
    expect(checkDecision(src, { ...reject, decision: 'reopened' }, NOW).stale?.why).toBe('metadata.pool_slot is now "6" (expected "4")');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('finds a reopen current while the rejection it undoes still withholds the same changes', async () => {
    const src = store([stamped('4')]);
    const path = (src as { path: string }).path;
    const [r] = plan((await loadStore(path)).state, NOW).repairs;
    await recordDecision(src, { repair: r.id, decision: 'rejected', changes: r.changes, by: 'op', at: '2026-05-06T02:13:00Z' });
    expect(plan((await loadStore(path)).state, NOW).repairs).toEqual([]);
    expect(checkDecision(src, { repair: r.id, decision: 'reopened', changes: r.changes }, NOW).stale).toBeNull();
    // A bead that is gone: stale, said so.
    expect(checkDecision(store([]), { repair: r.id, decision: 'rejected', changes: r.changes }, NOW).stale?.why).toBe(
      'bead mc-1 no longer exists',
    );
  });
});

describe('recordDecision', () => {
  const d = {
    repair: 'restamp-slot:mc-1',
    decision: 'rejected' as const,
    changes: [],
    by: 'alice',
    at: '2026-05-06T02:13:00Z',
    reason: 'not now',
  };

  it('appends to a store file’s decisions array, keeping everything else', async () => {
    const src = store([]);
    await recordDecision(src, d);
    await recordDecision(src, { ...d, decision: 'approved' });
    const doc = JSON.parse(readFileSync((src as { path: string }).path, 'utf8'));
    expect(doc.decisions.map((x: { decision: string }) => x.decision)).toEqual(['rejected', 'approved']);
    expect(doc.custom).toEqual({ keep: [1, 2] });
  });

  it('keeps the store file’s layout: a compact file stays compact, a CRLF one with a byte order mark keeps both', async () => {
    const src = store([]);
    const file = (src as { path: string }).path;
    writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))));
    await recordDecision(src, { repair: 'r:1', decision: 'rejected', changes: [] });
    expect(readFileSync(file, 'utf8')).not.toContain('\n');
    writeFileSync(file, '\uFEFF' + JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), null, '\t').replace(/\n/g, '\r\n') + '\r\n');
    await recordDecision(src, { repair: 'r:2', decision: 'rejected', changes: [] });
    const after = readFileSync(file, 'utf8');
    expect(after.charCodeAt(0)).toBe(0xfeff);
    expect(after).toContain('\r\n\t"decisions": [');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(JSON.parse(after.slice(1)).decisions.map((x: { repair: string }) => x.repair)).toEqual(['r:1', 'r:2']);
  });

  it('writes only the decisions: every other byte of the store as read, numbers spelled as they were (1.0, 1e2, -0, 0.123…)', async () => {
    const file = write(join(tempDir(), 'city.json'), spelledStore('4', '2026-05-06T02:00:00Z'));
    await recordDecision({ kind: 'store', path: file }, d);
    const one = `{"repair":"restamp-slot:mc-1","decision":"rejected","changes":[],"by":"alice","at":"2026-05-06T02:13:00Z","reason":"not now"}`;
    const first = spelledStore('4', '2026-05-06T02:00:00Z').replace('"decisions": []', `"decisions": [${one}]`);
    expect(readFileSync(file, 'utf8')).toBe(first);
    // The next one is appended after it, spaced as the array is.
    await recordDecision({ kind: 'store', path: file }, { ...d, decision: 'reopened', reason: '' });
    expect(readFileSync(file, 'utf8')).toBe(
      first.replace(`${one}]`, `${one},${one.replace('"rejected"', '"reopened"').replace('"not now"', '""')}]`),
    );
  });

  it('keeps the store file’s mode (a 0600 store stays 0600; 0666 is not cut by the umask)', async () => {
    for (const mode of [0o600, 0o666]) {
      const src = store([]);
      const file = (src as { path: string }).path;
      chmodSync(file, mode);
      await recordDecision(src, { repair: 'r:1', decision: 'rejected', changes: [] });
      expect(statSync(file).mode & 0o777).toBe(mode);
    }
  });

  it('keeps a city’s decisions in .gc/gc-tui/decisions.json, read back by loadCity', async () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), '[beads]\nprovider = "file"\n\n[[agent]]\nname = "w"\n');
    await recordDecision({ kind: 'city', dir }, { repair: 'r:1', decision: 'approved', changes: [] });
    expect(existsSync(join(dir, '.gc', 'beads.json'))).toBe(false);
    expect((await loadCity(dir)).state.decisions).toEqual([{ repair: 'r:1', decision: 'approved', changes: [] }]);
  });
});

describe('withFileLock', () => {
  it('holds a real flock(2): util-linux flock cannot take it meanwhile', async () => {
    const lock = join(tempDir(), 'beads.json.lock');
    const held = await withFileLock(lock, async () => spawnSync('flock', ['-n', lock, 'true']).status);
    expect(held).toBe(1);
    expect(spawnSync('flock', ['-n', lock, 'true']).status).toBe(0);
  });

  it('times out with a clear message while someone else holds it', async () => {
    const lock = join(tempDir(), 'x.lock');
    writeFileSync(lock, '');
    const peer = await holdLock(lock);
    await expect(withFileLock(lock, async () => 1, { timeoutMs: 200 })).rejects.toThrow(
      `timed out waiting for lock on ${lock} after 0.2 s`,
    );
    expect(await peer.release()).toBe(0);
    // Once the peer lets go, the same call goes through.
    expect(await withFileLock(lock, async () => 1, { timeoutMs: 200 })).toBe(1);
  });
});
