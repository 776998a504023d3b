// Issue 12, item 4: run as root, gc-tui leaves every file it rewrites or creates owned as what it replaces or
// sits in, so the city's owner is not locked out; lock files are opened read-only, so a lock file someone else
// made is still usable. The root paths need root (CI runs as root); elsewhere they are skipped.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { recordDecision } from '../../src/store/decisions.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { cityWithDrift, CITY_TOML, NOW, put, repairsOf, storeWithDrift, tmp } from './hardening-fixtures.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const hasSetpriv = isRoot && spawnSync('setpriv', ['--version']).status === 0;

function owner(path: string): [number, number, string] {
  const st = statSync(path);
  return [st.uid, st.gid, (st.mode & 0o7777).toString(8)];
}

/** chown every path to nobody, with the given mode. */
function giveAway(mode: number, ...paths: string[]): void {
  for (const p of paths) {
    chownSync(p, NOBODY, NOBODY);
    chmodSync(p, mode);
  }
}

describe.skipIf(!isRoot)('run as root', () => {
  it('a city keeps its owner: beads.json keeps owner and mode; the new lock, .gc/gc-tui, audit log and decisions take them', async () => {
    const { source, dir, beads } = cityWithDrift();
    giveAway(0o755, dir);
    giveAway(0o750, join(dir, '.gc'));
    giveAway(0o640, beads);
    const result = await applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'root' });
    expect(result.applied).toHaveLength(2);
    expect(owner(beads)).toEqual([NOBODY, NOBODY, '640']);
    expect(owner(join(dir, '.gc', 'beads.json.lock'))).toEqual([NOBODY, NOBODY, '640']);
    expect(owner(join(dir, '.gc', 'gc-tui'))).toEqual([NOBODY, NOBODY, '750']);
    expect(owner(join(dir, '.gc', 'gc-tui', 'audit.jsonl'))).toEqual([NOBODY, NOBODY, '640']);

    await recordDecision(source, { repair: 'x', decision: 'rejected', changes: [], by: 'root', at: '2026-05-06T03:00:00Z' });
    expect(owner(join(dir, '.gc', 'gc-tui', 'decisions.json'))[0]).toBe(NOBODY);
    expect(owner(join(dir, '.gc', 'gc-tui', 'decisions.json.lock'))[0]).toBe(NOBODY);
  });

  it('a fresh city (no .gc yet): .gc and .gc/gc-tui take the city directory’s owner and mode', async () => {
    const dir = tmp();
    put(join(dir, 'city.toml'), CITY_TOML);
    giveAway(0o770, dir);
    await recordDecision({ kind: 'city', dir }, { repair: 'x', decision: 'rejected', changes: [], by: 'root', at: '2026-05-06T03:00:00Z' });
    expect(owner(join(dir, '.gc'))).toEqual([NOBODY, NOBODY, '770']);
    expect(owner(join(dir, '.gc', 'gc-tui'))).toEqual([NOBODY, NOBODY, '770']);
    expect(owner(join(dir, '.gc', 'gc-tui', 'decisions.json'))[0]).toBe(NOBODY);
  });

  it('a store keeps its owner and mode; its new lock and audit log take them', async () => {
    const { source, dir, file } = storeWithDrift();
    giveAway(0o755, dir);
    giveAway(0o600, file);
    await applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'root' });
    expect(owner(file)).toEqual([NOBODY, NOBODY, '600']);
    expect(owner(`${file}.lock`)).toEqual([NOBODY, NOBODY, '600']);
    expect(owner(`${file}.audit.jsonl`)).toEqual([NOBODY, NOBODY, '600']);
  });

  it.skipIf(!hasSetpriv)('the owner can still apply after root did: a root-owned 0644 lock file is opened read-only', () => {
    const { dir, beads } = cityWithDrift();
    giveAway(0o755, dir, join(dir, '.gc'));
    giveAway(0o644, beads, join(dir, 'city.toml'));
    // A lock file root made (as an older gc-tui did): the owner cannot open it for writing.
    const lock = join(dir, '.gc', 'beads.json.lock');
    writeFileSync(lock, '');
    chmodSync(lock, 0o644);
    mkdirSync(join(dir, '.gc', 'gc-tui'));
    giveAway(0o755, join(dir, '.gc', 'gc-tui'));
    // The private build lives in a mkdtemp directory (0700): let the owner in to run it.
    const cli = inject('gcTuiCli');
    chmodSync(dirname(dirname(cli)), 0o755);
    const r = spawnSync(
      'setpriv',
      [
        '--reuid',
        String(NOBODY),
        '--regid',
        String(NOBODY),
        '--clear-groups',
        process.execPath,
        cli,
        'apply',
        '--all',
        '--city',
        dir,
        '--now',
        '2026-05-06T03:00:00Z',
        '--by',
        'owner',
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^2 applied, 0 stale/m);
    expect(owner(lock)).toEqual([0, 0, '644']);
    expect(JSON.parse(readFileSync(beads, 'utf8')).beads[0].metadata.alias).toBe('frontend/worker-3');
    expect(owner(beads)[0]).toBe(NOBODY);
  });
});
