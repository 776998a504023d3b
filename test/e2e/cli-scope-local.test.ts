// A scope-local-v1 file city (issue 10 items 3 and 4): gc-tui reads the city's `.gc/beads.json` and every rig's
// own store itself, gc or no gc; an id in two stores is `rig:<name>/<id>` on the rig side; its writes go through
// gc naming the store each bead was read from (metadata-cas --store-ref=rig:<name> with the id inside that
// store), or into a script when gc is absent. Built CLI, real files, the recording fake gc.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { tempDir, write, writeJson } from '../support/files.js';
import { ROOT, run } from './cli-helpers.js';
import { casArgs, recordingGc } from './recording-gc.js';

const TOML = `[workspace]
name = "scoped"

[beads]
provider = "file"

[[rigs]]
name = "frontend"
path = "frontend"

[[agent]]
name = "worker"
dir = "frontend"
max_active_sessions = 10
`;

/** The city's store holds gc-1 (a healthy worker-1); the rig's own store another gc-1 (worker-3, drifted). */
function scopedCity(): { dir: string; rigStore: string } {
  const dir = join(tempDir(), 'scoped');
  write(join(dir, 'city.toml'), TOML);
  write(join(dir, '.gc', 'file-beads-layout'), 'scope-local-v1\n');
  write(join(dir, '.gc', 'site.toml'), '[[rig]]\nname = "frontend"\npath = "frontend"\n');
  const meta = (n: number, alias: string, slot: string) => ({
    template: 'frontend/worker',
    agent_name: `frontend/worker-${n}`,
    alias,
    pool_slot: slot,
    session_name: `s-${n}`,
    state: 'asleep',
  });
  write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 1, beads: [sessionRecord('gc-1', meta(1, 'frontend/worker-1', '1'))] }));
  const rigStore = write(
    join(dir, 'frontend', '.gc', 'beads.json'),
    JSON.stringify({ seq: 1, beads: [sessionRecord('gc-1', meta(3, 'backend/worker-4', '4'))] }),
  );
  return { dir, rigStore };
}

const cas = (dir: string, key: string, expected: string, next: string) => casArgs(dir, 'gc-1', 'rig:frontend', key, expected, next);

describe('a scope-local-v1 file city', () => {
  it('is read from its stores without gc; writes without gc become a script naming the rig store; nothing is written', () => {
    const { dir, rigStore } = scopedCity();
    const env = { PATH: tempDir('gc-tui-nogc-') };
    const check = run(['check', '--city', dir, '--now', NOW_ISO], { env });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('beads: 2 session (2 open), 0 work');
    expect(check.stdout).toContain(
      `beads read from the city's and its rigs' own stores ${join(dir, '.gc', 'beads.json')}, ${rigStore}; written only through gc (gc-tui apply)\n`,
    );
    expect(check.stdout).toContain('repair-alias:rig:frontend/gc-1');

    const before = readFileSync(rigStore, 'utf8');
    const cwd = tempDir();
    const apply = run(['apply', '--all', '--city', dir, '--now', NOW_ISO], { env, cwd });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      'gc is not on PATH: nothing applied; 2 repairs as gc commands written to gc-tui-apply-20260506T021300Z.sh',
    );
    const script = readFileSync(join(cwd, 'gc-tui-apply-20260506T021300Z.sh'), 'utf8');
    expect(script).toContain(
      `if cas 'gc' '--city' '${dir}' 'beads' 'metadata-cas' 'gc-1' '--store-ref=rig:frontend' '--key=alias' '--expected=backend/worker-4'`,
    );
    expect(script).not.toContain("rig:frontend/gc-1' ");
    const dry = run(['apply', '--all', '--dry-run', '--city', dir, '--now', NOW_ISO], { env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      `  repair-alias:rig:frontend/gc-1:\n    'gc' '--city' '${dir}' 'beads' 'metadata-cas' 'gc-1' '--store-ref=rig:frontend' '--key=alias'`,
    );
    expect(readFileSync(rigStore, 'utf8')).toBe(before);
  });

  it('a rig whose path is bound in .gc/site.toml (a schema-2 city keeps it there): its own store is read from that path', () => {
    const { dir, rigStore } = scopedCity();
    write(join(dir, 'city.toml'), TOML.replace('path = "frontend"\n', ''));
    write(join(dir, '.gc', 'site.toml'), '[[rig]]\nname = "frontend"\npath = "frontend"\n');
    const env = { PATH: tempDir('gc-tui-nogc-') };
    const check = run(['check', '--city', dir, '--now', NOW_ISO], { env });
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain('beads: 2 session (2 open), 0 work');
    expect(check.stdout).toContain(`beads read from the city's and its rigs' own stores ${join(dir, '.gc', 'beads.json')}, ${rigStore};`);
  });

  it('with gc on PATH: the calls name the rig store and the id inside it, in order, audited; gc is never asked to read', () => {
    const { dir, rigStore } = scopedCity();
    const before = readFileSync(rigStore, 'utf8');
    const gc = recordingGc();
    const r = run(['apply', '--all', '--city', dir, '--now', NOW_ISO, '--by', 'alice'], { env: gc.env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`2 applied, 0 stale (city ${dir}, through ${join(gc.bin, 'gc')})\n`);
    expect(gc.calls().map((c) => c.args)).toEqual([
      cas(dir, 'alias', 'backend/worker-4', 'frontend/worker-3'),
      cas(dir, 'alias_history', '', 'backend/worker-4'),
      cas(dir, 'pool_slot', '4', '3'),
    ]);
    const audit = readFileSync(join(dir, '.gc', 'gc-tui', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { repair: string; beadId: string; result: string; via: string });
    expect(audit.map((a) => [a.repair, a.beadId, a.result, a.via])).toEqual([
      ['repair-alias:rig:frontend/gc-1', 'rig:frontend/gc-1', 'applied', 'gc'],
      ['restamp-slot:rig:frontend/gc-1', 'rig:frontend/gc-1', 'applied', 'gc'],
    ]);
    // gc-tui wrote none of Gas City's files itself: the (fake) gc did not change them either.
    expect(readFileSync(rigStore, 'utf8')).toBe(before);
  });

  it('a rig in bd under it (a mixed city): read through gc, as a bd city is; never as the file stores alone', () => {
    const { dir } = scopedCity();
    write(join(dir, 'frontend', '.beads', 'metadata.json'), '{"backend":"dolt","dolt_database":"fe"}\n');
    const gc = recordingGc();
    const sessions = resolve(ROOT, 'fixtures', 'bd-captures', 'sessions.json');
    const r = run(['check', '--city', dir, '--now', NOW_ISO], { env: gc.env({ sessions }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `beads read through ${join(gc.bin, 'gc')} (provider file: city.toml [beads] provider = "file"; rig "frontend" (`,
    );
    expect(r.stdout).toContain('repair-alias:hq-s1');
    expect(gc.calls().map((c) => c.args.slice(0, 2))).toEqual([
      ['beads', 'list'],
      ['beads', 'list'],
    ]);
    // gc lists every store in one array: the same file-store id from two stores cannot be told apart.
    const twice = writeJson(join(tempDir(), 'twice.json'), [sessionRecord('gc-1', {}), sessionRecord('gc-1', {})]);
    const dup = run(['check', '--city', dir, '--now', NOW_ISO], { env: gc.env({ sessions: twice }) });
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain(
      '[1].id: duplicate bead id "gc-1" (first at [0].id): gc lists every store of the city without saying which one a bead is in, so an id in two stores cannot be told apart\n',
    );
    const none = run(['check', '--city', dir, '--now', NOW_ISO], { env: { PATH: tempDir('gc-tui-nogc-') } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('keeps its beads in bd), which gc-tui reads only through Gas City, and gc is not on PATH');
  });

  it('a saved plan whose repeat is gone when applied: rig:<name>/<id> names no bead, its repairs are stale, nothing is written', () => {
    const { dir } = scopedCity();
    const planFile = join(tempDir(), 'plan.json');
    expect(run(['plan', '--out', planFile, '--city', dir, '--now', NOW_ISO]).code).toBe(1);
    write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 1, beads: [] })); // the city's gc-1 is gone
    const gc = recordingGc();
    const r = run(['apply', '--plan', planFile, '--now', NOW_ISO], { env: gc.env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stale repair-alias:rig:frontend/gc-1: ');
    expect(r.stdout).toContain('0 applied, 2 stale');
    expect(gc.calls()).toEqual([]);
  });
});
