// Issue 12, item 3: the audit log is tied to the commit. Lines are journaled before the rename and appended
// after it; a write killed in between leaves a pending record the next write settles; a torn last line never
// swallows the next entry; an append that fails after the commit reports the write as applied, not audited.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it, vi } from 'vitest';
import { appendAudit, readAudit, recoverPendingAudit, sha256Of, writePendingAudit } from '../../src/store/audit.js';
import { pendingAuditPath } from '../../src/store/fs/paths.js';
import { writeFileAtomic } from '../../src/store/fs/atomic-file.js';
import { withFileLock } from '../../src/store/fs/lock.js';
import { lockPathOf } from '../../src/store/fs/paths.js';
import { loadSource } from '../../src/store/source.js';
import type { AuditEntry, Source } from '../../src/store/types.js';
import { applyRepairsLocked, settlePendingAudit } from '../../src/store/write.js';
import { beadsJson, cityWithDrift, driftingBead, NOW, put, repairsOf, storeText, storeWithDrift, tmp } from './hardening-fixtures.js';
import { patience } from '../support/wait.js';

// Appends fail while `failAppends.left > 0` (a full disk after the commit, say).
const failAppends = vi.hoisted(() => ({ left: 0 }));
vi.mock('../../src/store/fs/append.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/store/fs/append.js')>();
  const { InputError } = await import('../../src/store/types.js');
  return {
    ...real,
    appendLines: (file: string, text: string, opts?: { like?: string }) => {
      if (failAppends.left > 0) {
        failAppends.left--;
        throw new InputError(file, null, 'cannot append: no space left on device');
      }
      return real.appendLines(file, text, opts);
    },
  };
});

function entry(repair: string, result: AuditEntry['result'] = 'applied'): AuditEntry {
  return {
    time: '2026-05-06T03:00:00Z',
    operator: 'op',
    action: 'apply',
    repair,
    kind: 'restamp-slot',
    beadId: 'mc-poison',
    changes: [],
    reason: 'r',
    note: '',
    result,
  };
}

function auditFile(source: Source): string {
  return source.kind === 'store' ? `${source.path}.audit.jsonl` : join(source.dir, '.gc', 'gc-tui', 'audit.jsonl');
}

describe('a torn last line', () => {
  it('is closed before the next append, so the new entries stay whole; readers skip it', async () => {
    const { source } = storeWithDrift();
    const torn = '{"time":"2026-05-06T02:59:00Z","operator":"killed","act';
    put(auditFile(source), `${JSON.stringify(entry('earlier'))}\n${torn}`);
    await applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' });
    const lines = readFileSync(auditFile(source), 'utf8').split('\n');
    expect(lines[1]).toBe(torn);
    expect(lines.slice(2, 4).map((l) => JSON.parse(l).result)).toEqual(['applied', 'applied']);
    expect(readAudit(source).map((e) => e.repair)).toEqual(['earlier', 'repair-alias:mc-poison', 'restamp-slot:mc-poison']);
  });

  it('an entry an older gc-tui glued onto a torn line is still read', () => {
    const { source } = storeWithDrift();
    put(auditFile(source), `{"time":"2026-05-06T02:59:00Z","oper${JSON.stringify(entry('glued'))}\n`);
    expect(readAudit(source).map((e) => e.repair)).toEqual(['glued']);
  });
});

describe('an append that fails after the commit', () => {
  it('reports the repairs as applied with a warning; the next write appends the lines first, exactly once', async () => {
    const dir = tmp();
    const file = put(
      join(dir, 's.json'),
      storeText([driftingBead('mc-poison'), driftingBead('mc-other', { agent_name: 'frontend/worker-5', pool_slot: '9', alias: 'x' })]),
    );
    const source: Source = { kind: 'store', path: file };
    const all = await repairsOf(source);
    const first = all.filter((r) => r.beadId === 'mc-poison');
    failAppends.left = 1;
    const result = await applyRepairsLocked(source, first, { now: NOW, by: 'op' });
    expect(failAppends.left).toBe(0);
    expect(result.applied.map((r) => r.id)).toEqual(['repair-alias:mc-poison', 'restamp-slot:mc-poison']);
    expect(result.auditWarning).toBe(
      `applied 2, not audited: ${file}.audit.jsonl: cannot append to the audit log: no space left on device; the lines wait in ${file}.audit.jsonl.pending and the next write appends them`,
    );
    expect(JSON.parse(readFileSync(file, 'utf8')).beads[0].metadata.alias).toBe('frontend/worker-3');
    expect(existsSync(pendingAuditPath(source))).toBe(true);
    // The record names the bytes renamed into place: how the next write knows the rename happened.
    expect(JSON.parse(readFileSync(pendingAuditPath(source), 'utf8')).after).toBe(sha256Of(readFileSync(file)));

    const rest = all.filter((r) => r.beadId === 'mc-other');
    const next = await applyRepairsLocked(source, rest, { now: NOW, by: 'op2' });
    expect(next.auditWarning).toBeUndefined();
    expect(readAudit(source).map((e) => [e.operator, e.repair])).toEqual([
      ['op', 'repair-alias:mc-poison'],
      ['op', 'restamp-slot:mc-poison'],
      ...rest.map((r) => ['op2', r.id]),
    ]);
    expect(existsSync(pendingAuditPath(source))).toBe(false);
  });

  it('a write whose repairs were all stale still returns them, with the warning', async () => {
    const { source, file } = storeWithDrift();
    const repairs = await repairsOf(source);
    await applyRepairsLocked(source, repairs, { now: NOW, by: 'op' });
    const bytes = readFileSync(file, 'utf8');
    failAppends.left = 1;
    const result = await applyRepairsLocked(source, repairs, { now: NOW, by: 'op' });
    expect(result.stale).toHaveLength(2);
    expect(result.auditWarning).toMatch(/^not audited: .*no space left on device$/);
    expect(readFileSync(file, 'utf8')).toBe(bytes);
    expect(existsSync(pendingAuditPath(source))).toBe(false);
  });

  it('a pending record whose lines still cannot be appended blocks the next write (nothing is lost)', async () => {
    const { source, file } = storeWithDrift();
    failAppends.left = 1;
    await applyRepairsLocked(source, (await repairsOf(source)).slice(0, 1), { now: NOW, by: 'op' });
    const bytes = readFileSync(file, 'utf8');
    failAppends.left = 1;
    await expect(applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' })).rejects.toThrow(
      `${file}.audit.jsonl.pending: holds the audit lines of an earlier write that could not be appended (${file}.audit.jsonl: cannot append to the audit log: no space left on device); fix the audit log, then write again`,
    );
    expect(readFileSync(file, 'utf8')).toBe(bytes);
    expect(await settlePendingAudit(source)).toBe('appended');
    expect(readAudit(source)).toHaveLength(1);
  });
});

describe('recoverPendingAudit: what a kill between the journal and the audit append left', () => {
  const lines = [entry('restamp-slot:mc-poison'), entry('repair-alias:mc-poison', 'stale')];

  it('the data file holds the new bytes: the lines are appended, once', () => {
    const { source, file } = storeWithDrift();
    const text = readFileSync(file, 'utf8');
    writePendingAudit(source, join(source.kind === 'store' ? tmp() : '', 'x'), text, lines);
    expect(recoverPendingAudit(source)).toBe('appended');
    expect(readAudit(source)).toEqual(lines);
    writePendingAudit(source, join(tmp(), 'x'), text, lines);
    expect(recoverPendingAudit(source)).toBe('already-logged');
    expect(readAudit(source)).toEqual(lines);
    expect(recoverPendingAudit(source)).toBe('none');
  });

  it('the temp file still holds the new bytes: the rename never happened, nothing is logged, the temp goes', () => {
    const { source, dir, file } = storeWithDrift();
    const next = storeText([driftingBead('mc-new')]);
    const temp = put(join(dir, `.s.json.${process.pid}.0123abcd.tmp`), next);
    writePendingAudit(source, temp, next, lines);
    expect(recoverPendingAudit(source)).toBe('not-committed');
    expect(readAudit(source)).toEqual([]);
    expect(existsSync(temp)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(storeText());
  });

  it('neither can be told (someone rewrote the file since): the lines are appended marked unverified', () => {
    const { source, city } = { source: cityWithDrift().source, city: true };
    expect(city).toBe(true);
    writePendingAudit(source, 'elsewhere', beadsJson([driftingBead('mc-other')]), lines);
    expect(recoverPendingAudit(source)).toBe('unverified');
    expect(readAudit(source)).toEqual(lines.map((l) => ({ ...l, recovered: 'unverified' })));
  });

  it('a planted record naming a file outside the data file’s temp names never removes that file', () => {
    const { source } = storeWithDrift();
    const outside = put(join(tmp(), 'keep.txt'), 'keep');
    writePendingAudit(source, outside, 'keep', lines);
    expect(recoverPendingAudit(source)).toBe('unverified');
    expect(readFileSync(outside, 'utf8')).toBe('keep');
  });

  it('a pending record gc-tui cannot read blocks writes with a message naming it', async () => {
    const { source } = storeWithDrift();
    writeFileSync(pendingAuditPath(source), 'garbage');
    await expect(applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' })).rejects.toThrow(
      `${pendingAuditPath(source)}: is not a pending audit record gc-tui can read; check the audit log against the data file, then remove it`,
    );
  });

  it('the record and the appended lines escape C1, DEL and bidi controls like everything gc-tui writes', () => {
    const { source, file } = storeWithDrift();
    const sneaky = { ...entry('r'), note: 'a\u009bb\u007fc\u202ed' };
    appendAudit(source, [sneaky]);
    writePendingAudit(source, join(tmp(), 'x'), 'nothing', [sneaky]);
    for (const f of [`${file}.audit.jsonl`, pendingAuditPath(source)]) {
      const raw = readFileSync(f, 'utf8');
      expect(raw).toContain('a\\u009bb\\u007fc\\u202ed');
      expect(raw).not.toMatch(/[\u007f-\u009f\u202e]/);
    }
    expect(readAudit(source)[0].note).toBe(sneaky.note);
  });

  it('lines written apart (ASCII, an arrow, a control, DEL) are found again by a recovery: nothing is logged twice', () => {
    const { source, file } = storeWithDrift();
    const mixed = [
      entry('plain'),
      { ...entry('arrow'), note: '"open" → "closed"' },
      { ...entry('ctl'), note: 'x\u007fy\u202ez' },
      entry('last'),
    ];
    appendAudit(source, mixed);
    const logged = readFileSync(`${file}.audit.jsonl`, 'utf8');
    expect(logged.split('\n')).toHaveLength(mixed.length + 1);
    writePendingAudit(source, join(tmp(), 'x'), readFileSync(file, 'utf8'), mixed);
    expect(recoverPendingAudit(source)).toBe('already-logged');
    expect(readFileSync(`${file}.audit.jsonl`, 'utf8')).toBe(logged);
    expect(readAudit(source).map((e) => e.note ?? null)).toEqual(mixed.map((e) => e.note ?? null));
  });
});

// ---------------------------------------------------------------- real kills

const KILLS = Number(process.env.GC_TUI_KILL_RUNS) > 0 ? Number(process.env.GC_TUI_KILL_RUNS) : 8;
/**
 * Each kill test's safety net grows with its runs: a run starts a CLI (about 0.3 s on a quiet machine, well over
 * that while the rest of the suite runs), so the per-test minute (vitest.config.ts) cut GC_TUI_KILL_RUNS=400 short.
 */
const KILL_TIMEOUT = patience(60_000 + KILLS * 1_000);
const CLI = inject('gcTuiCli');

/** Run `apply --all` on `source` and kill -9 it at the first sign of its write (`trigger`), or let it finish. */
async function applyAndKill(source: Source, dir: string, trigger: RegExp): Promise<void> {
  const input = source.kind === 'store' ? ['--store', source.path] : ['--city', source.dir];
  const child = spawn(process.execPath, [CLI, 'apply', '--all', ...input, '--now', '2026-05-06T03:00:00Z', '--by', 'killed'], {
    stdio: 'ignore',
  });
  const watchers = [dir, join(dir, '.gc'), join(dir, '.gc', 'gc-tui')]
    .filter((d) => existsSync(d))
    .map((d) =>
      watch(d, (_event, name) => {
        if (name !== null && trigger.test(String(name))) child.kill('SIGKILL');
      }),
    );
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const w of watchers) w.close();
}

async function killLoop(source: Source, dir: string, reset: () => void, runs: number): Promise<void> {
  const triggers = [/\.pending\.[0-9]+\.[0-9a-f]+\.tmp$/, /\.pending$/, /^(s\.json|beads\.json)$/, /audit\.jsonl$/, /\.tmp$/];
  let commits = 0;
  for (let i = 0; i < runs; i++) {
    await applyAndKill(source, dir, triggers[i % triggers.length]);
    // The next run: settle under the lock, then check the invariants.
    await settlePendingAudit(source);
    const loaded = await loadSource(source); // 0 partial files: it parses and validates
    if (loaded.state.beads[0].metadata!.alias === 'frontend/worker-3') commits++;
    const applied = readAudit(source).filter((e) => e.result === 'applied');
    expect(applied).toHaveLength(2 * commits); // 0 commits without their audit lines, none twice
    expect(applied.every((e) => (e as AuditEntry & { recovered?: string }).recovered === undefined)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]); // 0 temp files left after the next run
    // Put the drift back under the same lock, as any writer would.
    await withFileLock(lockPathOf(source), async () => reset());
  }
}

describe(`apply killed with SIGKILL at points of its write (${KILLS} runs each; GC_TUI_KILL_RUNS for more)`, () => {
  it(
    'store: every commit has its audit lines after the next run, no partial file, no temp file left',
    async () => {
      const { source, dir, file } = storeWithDrift();
      await killLoop(source, dir, () => writeFileAtomic(file, storeText()), KILLS);
    },
    KILL_TIMEOUT,
  );

  it(
    'city: the same',
    async () => {
      const { source, dir, beads } = cityWithDrift();
      await killLoop(source, dir, () => writeFileAtomic(beads, beadsJson(), { tmp: `${beads}.tmp` }), KILLS);
      expect(readdirSync(join(dir, '.gc')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    },
    KILL_TIMEOUT,
  );

  it('a settled input with nothing pending stays as it is', async () => {
    const { source } = storeWithDrift();
    expect(await settlePendingAudit(source)).toBe('none');
    expect(sha256Of(readFileSync((source as { path: string }).path))).toBe(sha256Of(storeText()));
  });
});
