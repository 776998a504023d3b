// A city gc-tui has never written to has no `.gc/gc-tui/`: the first decision (and audit line) makes it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/engine/types.js';
import { appendAudit, readAudit } from '../../src/store/audit.js';
import { decisionLockPath, recordDecision } from '../../src/store/decisions.js';
import { inProcessJobs } from '../../src/console/jobs.js';
import { withFileLock } from '../../src/store/fs/lock.js';
import type { Source } from '../../src/store/types.js';
import { NOW, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const REJECT: Decision = {
  repair: 'restamp-slot:mc-1',
  decision: 'rejected',
  changes: [{ field: 'metadata.pool_slot', before: '4', after: '2' }],
  by: 'alice',
  at: '2026-05-06T02:13:00Z',
  reason: 'ask first',
};

/** A city with city.toml and (optionally) .gc/beads.json, and no .gc/gc-tui. */
function freshCity(withBeads: boolean): { source: Source; dir: string } {
  const dir = tempDir();
  write(join(dir, 'city.toml'), '[[agent]]\nname = "worker"\nmax_active_sessions = 5\n');
  if (withBeads) {
    const beads = [
      sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' }),
    ];
    write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 1, beads }, null, 2));
  }
  return { source: { kind: 'city', dir }, dir };
}

describe('rejecting in a fresh city (no .gc/gc-tui yet)', () => {
  it("the console's path (lock decisionLockPath, then record) creates .gc/gc-tui and records the decision", async () => {
    const { source, dir } = freshCity(true);
    expect(existsSync(join(dir, '.gc', 'gc-tui'))).toBe(false);
    const done = await inProcessJobs().decide(source, REJECT, null, () => NOW);
    expect(done.decisions).toEqual([REJECT]);
    expect(JSON.parse(readFileSync(join(dir, '.gc', 'gc-tui', 'decisions.json'), 'utf8'))).toEqual([REJECT]);
    appendAudit(source, [
      {
        time: REJECT.at!,
        operator: 'alice',
        action: 'reject',
        repair: REJECT.repair,
        kind: 'restamp-slot',
        beadId: 'mc-1',
        changes: REJECT.changes,
        reason: '',
        note: 'ask first',
        result: 'recorded',
      },
    ]);
    expect(readAudit(source).map((l) => [l.action, l.result])).toEqual([['reject', 'recorded']]);
  });

  it('recordDecision works in a city without even a .gc directory, and never touches beads.json', async () => {
    const { source, dir } = freshCity(false);
    await recordDecision(source, REJECT);
    expect(existsSync(join(dir, '.gc', 'beads.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, '.gc', 'gc-tui', 'decisions.json'), 'utf8'))).toEqual([REJECT]);
  });

  it('the lock a caller takes first can be opened at once', async () => {
    const { source } = freshCity(true);
    expect(await withFileLock(decisionLockPath(source), async () => 'held')).toBe('held');
  });

  it('a city directory that does not exist is not created: a clear error instead', () => {
    const dir = join(tempDir(), 'missing-city');
    expect(() => decisionLockPath({ kind: 'city', dir })).toThrow(/missing-city\/\.gc: cannot create the directory/);
    expect(existsSync(dir)).toBe(false);
  });
});
