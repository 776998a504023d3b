// A namepool file Gas City cannot read: its `loadNamepools` (internal/config/compose.go) drops the error of
// LoadNamepool ("silent fallback to numeric names") and runs the city with numbered names. gc-tui opens such a
// city, plans it the same way, and tells the operator; a file it will not read though Gas City would is still refused.
import { chmodSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { readJson, tempDir, write, writeJson } from '../support/files.js';
import { canMeetEacces, run, UNPRIVILEGED } from './cli-helpers.js';

const POOL = 'namepools/polecats.txt';

/** A file-store city: polecat (at most 3, names from POOL), with its slot-1 session named as a numbered pool names it. */
function polecatCity(agentToml = `max_active_sessions = 3\nnamepool = "${POOL}"\n`): string {
  const dir = tempDir();
  write(join(dir, 'city.toml'), `[workspace]\nname = "pc"\n\n[[agent]]\nname = "polecat"\n${agentToml}`);
  const bead = sessionRecord('pc-1', { template: 'polecat', agent_name: 'polecat-1', alias: 'polecat-1', pool_slot: '1', state: 'active' });
  writeJson(join(dir, '.gc', 'beads.json'), { seq: 1, beads: [bead] });
  return dir;
}

/** The warning line for POOL of polecatCity, `why` the reason the file could not be read. */
function warning(dir: string, why: string): string {
  return (
    `${join(dir, 'city.toml')}: line 7 (agent[0].namepool): namepool file "${POOL}" (${join(dir, POOL)}): ${why}; ` +
    "Gas City goes on without it and says nothing: polecat's sessions take numbered names (polecat-1, polecat-2, …), " +
    'and this plan does the same'
  );
}

describe('a namepool file Gas City cannot read', () => {
  it('missing: check opens the city, plans numbered names as Gas City does, and says so; the names count once the file is there', () => {
    const dir = polecatCity();
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    // Under the header, the rules and the beads lines: before the figures it shapes.
    expect(lines.slice(0, 5).map((l) => l.replace(/ at \S+$/, ''))).toEqual([
      `gc-tui check: city ${dir} (pc)`,
      'rules: 2026-05 (no marker of a build newer than PR #2076)',
      'beads: 1 session (1 open), 0 work; templates: 1',
      `warning: ${warning(dir, 'no such file')}`,
      expect.stringMatching(/^figures: /),
    ]);
    expect(r.stdout).toContain('  polecat  bounded max=3 min=0 desired=0  slots: 1:pc-1\n');
    expect(r.stdout).toContain('result: clean');

    // With the names, slot 1 is furiosa, and the session named polecat-1 is drift.
    write(join(dir, 'namepools', 'polecats.tmp'), 'furiosa\nnux\n');
    renameSync(join(dir, 'namepools', 'polecats.tmp'), join(dir, POOL));
    const named = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(named.code).toBe(1);
    expect(named.stdout).not.toContain('warning:');
    expect(named.stdout).toMatch(/repair-alias:pc-1 {2}metadata\.alias "polecat-1" → "furiosa"/);
  });

  it('check --json keeps its keys and puts the warning on stderr; plan, export and import say it there too', () => {
    const dir = polecatCity();
    const r = run(['check', '--city', dir, '--json', '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['metrics', 'repairs', 'findings', 'pools', 'rules']);
    expect(r.stderr).toBe(`gc-tui: warning: ${warning(dir, 'no such file')}\n`);

    const out = tempDir();
    const plan = run(['plan', '--city', dir, '--out', join(out, 'plan.json'), '--now', NOW_ISO]);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain(`gc-tui: warning: ${warning(dir, 'no such file')}\n`);

    const exported = run(['export', '--city', dir, '--format', 'csv', '--now', NOW_ISO]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toBe(`gc-tui: warning: ${warning(dir, 'no such file')}\n`);

    // The store an import makes keeps the path: reopened, it plans as the city did (no names, no singleton).
    const store = join(out, 'pc.json');
    const imported = run(['import', '--city', dir, '--out', store]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(`gc-tui: warning: ${warning(dir, 'no such file')}\n`);
    const doc = readJson<{ city: { agents: Record<string, unknown>[] } }>(store);
    expect(doc.city.agents[0]).toMatchObject({ name: 'polecat', namepool: [], namepool_file: POOL });
    expect(run(['check', '--store', store, '--now', NOW_ISO]).code).toBe(0);
  });

  it('a path outside the city that does not exist: the same fallback (Go reads any path), said with why gc-tui would refuse the file', () => {
    const outside = join(tempDir(), 'pools', 'polecats.txt');
    const dir = polecatCity(`max_active_sessions = 3\nnamepool = "${outside}"\n`);
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `warning: ${join(dir, 'city.toml')}: line 7 (agent[0].namepool): namepool file "${outside}" (${outside}): no such file; ` +
        "Gas City goes on without it and says nothing: polecat's sessions take numbered names (polecat-1, polecat-2, …), " +
        'and this plan does the same; the path is outside the city directory (paths in a city must stay inside it): ' +
        'were the file there, gc-tui would refuse it\n',
    );
    expect(r.stdout).toContain('result: clean');
    // Once it is there, Gas City reads it and gc-tui cannot follow: refused, naming the place.
    write(outside, 'furiosa\n');
    const refused = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `${join(dir, 'city.toml')}: line 7 (agent[0].namepool): namepool file "${outside}" (${outside}): is outside the city directory`,
    );
  });

  it('a directory in its place: the same fallback (Go cannot read a directory either)', () => {
    const dir = polecatCity();
    mkdirSync(join(dir, POOL), { recursive: true });
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`warning: ${warning(dir, 'is a directory, not a file')}\n`);
  });

  it.skipIf(!canMeetEacces)('without read permission: the same fallback', () => {
    const dir = polecatCity();
    write(join(dir, POOL), 'furiosa\nnux\n');
    chmodSync(join(dir, POOL), 0o000);
    try {
      const r = run(['check', '--city', dir, '--now', NOW_ISO], UNPRIVILEGED);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`warning: ${warning(dir, 'permission denied')}\n`);
    } finally {
      chmodSync(join(dir, POOL), 0o644);
    }
  });

  it('agents/<name>/namepool.txt that is a directory: the agent still has a namepool path, so no canonical singleton (2026-08)', () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), '[workspace]\nname = "ops"\n');
    write(join(dir, 'agents', 'runner', 'agent.toml'), 'max_active_sessions = 1\n');
    write(join(dir, 'pack.toml'), '[pack]\nname = "ops"\nschema = 2\n');
    mkdirSync(join(dir, 'agents', 'runner', 'namepool.txt'));
    const bead = sessionRecord('rn-1', { template: 'runner', agent_name: 'runner-1', alias: 'runner-1', pool_slot: '1', state: 'active' });
    writeJson(join(dir, '.gc', 'beads.json'), { seq: 1, beads: [bead] });
    const r = run(['check', '--city', dir, '--rules', '2026-08', '--now', NOW_ISO]);
    expect(r.stdout).toContain(
      `warning: ${join(dir, 'agents', 'runner', 'agent.toml')}: namepool.txt beside it: namepool file "agents/runner/namepool.txt" (${join(dir, 'agents', 'runner', 'namepool.txt')}): is a directory, not a file;`,
    );
    // Gas City (UsesCanonicalSingletonPoolIdentity) counts the path: runner-1 keeps its number.
    expect(r.stdout).not.toContain('canonical-identity');
    expect(r.code).toBe(0);
  });
});
