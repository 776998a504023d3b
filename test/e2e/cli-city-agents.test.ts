// Which agents a city has, as Gas City composes them (internal/config/compose.go, agent_discovery.go), seen
// through the built CLI: what `check` plans on and what it tells the operator.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { tempDir, write, writeJson } from '../support/files.js';
import { canMeetEacces, run, UNPRIVILEGED } from './cli-helpers.js';

/** A file-store city with these files (city.toml among them), and no beads. */
function city(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) write(join(dir, name), text);
  writeJson(join(dir, '.gc', 'beads.json'), { seq: 0, beads: [] });
  return dir;
}

interface Pool {
  template: string;
  max: number | null;
}

describe('check on a city whose agent is declared twice', () => {
  it('city.toml wins over agents/<name>/agent.toml, as in Gas City, and check says the agent.toml is ignored', () => {
    const dir = city({
      'city.toml': '[workspace]\nname = "x"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 1\n',
      // Schema 1: a schema-2 city keeps no [[agent]] tables in city.toml (Gas City refuses it).
      'pack.toml': '[pack]\nname = "x"\nschema = 1\n',
      'agents/worker/agent.toml': 'max_active_sessions = 5\n',
    });
    const warning =
      `warning: ${join(dir, 'agents', 'worker', 'agent.toml')}: (top level): agent "worker" is also declared in ` +
      `${join(dir, 'city.toml')} at line 4 (agent[0]); Gas City runs that one and ignores this one without a word, and so does this plan`;
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${warning}\n`);
    expect(r.stdout).toMatch(/^ {2}worker +bounded max=1 /m);
    const json = run(['check', '--city', dir, '--json', '--now', NOW_ISO]);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe(`gc-tui: ${warning}\n`);
    expect((JSON.parse(json.stdout) as { pools: Pool[] }).pools.map((p) => [p.template, p.max])).toEqual([['worker', 1]]);
  });
});

describe('check on a city.toml agent with agents/<name>/namepool.txt', () => {
  it('plans its sessions by those names, as Gas City does for every agent of that name without a namepool key', () => {
    const dir = city({
      'city.toml': '[workspace]\nname = "x"\n\n[[agent]]\nname = "polecat"\nmax_active_sessions = 3\n',
      'agents/polecat/namepool.txt': 'furiosa\nnux\n',
    });
    const bead = sessionRecord('pc-1', { template: 'polecat', agent_name: 'furiosa', alias: 'furiosa', pool_slot: '1', state: 'active' });
    writeJson(join(dir, '.gc', 'beads.json'), { seq: 1, beads: [bead] });
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.stdout).toContain('result: clean');
    expect(r.stdout).not.toContain('warning:');
    expect(r.code).toBe(0);
  });
});

describe('check on the agents/ folders', () => {
  it('with pack.toml a folder without agent.toml is an agent; without pack.toml only agent.toml folders are, and check says Gas City may not run them', () => {
    const files = {
      'city.toml': '[workspace]\nname = "x"\n',
      'agents/mayor/prompt.md': 'Lead.\n',
      'agents/coder/agent.toml': 'max_active_sessions = 4\n',
    };
    const pooled = (dir: string) =>
      (JSON.parse(run(['check', '--city', dir, '--json', '--now', NOW_ISO]).stdout) as { pools: Pool[] }).pools.map((p) => [
        p.template,
        p.max,
      ]);
    const pack = city({ ...files, 'pack.toml': '[pack]\nname = "x"\nschema = 2\n' });
    expect(pooled(pack)).toEqual([
      ['coder', 4],
      ['mayor', null],
    ]);
    const bare = city(files);
    expect(pooled(bare)).toEqual([['coder', 4]]);
    const r = run(['check', '--city', bare, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}coder +bounded max=4 /m);
    expect(r.stdout).toContain(
      `warning: ${join(bare, 'agents', 'coder', 'agent.toml')}: this plan has agent "coder" of it, but Gas City itself reads agents/ only in a city with a pack.toml, and this one has none: Gas City may not run agent "coder"\n`,
    );
  });
});

describe('check on a city whose agents/<name>/agent.toml Gas City cannot read', () => {
  const pooled = (dir: string, opts = {}) =>
    (JSON.parse(run(['check', '--city', dir, '--json', '--now', NOW_ISO], opts).stdout) as { pools: Pool[] }).pools.map((p) => [
      p.template,
      p.max,
    ]);
  const warning = (dir: string, why: string) =>
    `warning: ${join(dir, 'agents', 'coder', 'agent.toml')}: ${why}; Gas City reads an agent.toml only when it can (DiscoverPackAgents): ` +
    'it runs agent "coder" with Gas City\'s defaults and says nothing, and so does this plan ' +
    '(a Gas City running as a user who can read the file runs it as written)\n';

  it('a directory in its place: the agent runs with the defaults (no cap), as in Gas City, and check says so; bad TOML is still refused', () => {
    const dir = city({ 'city.toml': '[workspace]\nname = "x"\n', 'pack.toml': '[pack]\nname = "x"\nschema = 2\n' });
    mkdirSync(join(dir, 'agents', 'coder', 'agent.toml'), { recursive: true });
    expect(pooled(dir)).toEqual([['coder', null]]);
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(warning(dir, 'is a directory, not a file'));

    // Without pack.toml Gas City reads no agents/ at all: the warning does not say it runs the agent.
    const packless = city({ 'city.toml': '[workspace]\nname = "x"\n' });
    mkdirSync(join(packless, 'agents', 'coder', 'agent.toml'), { recursive: true });
    expect(pooled(packless)).toEqual([['coder', null]]);
    const told = run(['check', '--city', packless, '--now', NOW_ISO]).stdout;
    expect(told).toContain(
      `warning: ${join(packless, 'agents', 'coder', 'agent.toml')}: is a directory, not a file; this plan has agent "coder" with the defaults (no cap), but Gas City itself reads agents/ only in a city with a pack.toml, and this one has none: Gas City may not run agent "coder"\n`,
    );
    expect(told).not.toContain("with Gas City's defaults and says nothing");

    // A file Gas City reads but cannot parse stops Gas City's load: refused, naming the file and the place.
    const bad = city({
      'city.toml': '[workspace]\nname = "x"\n',
      'pack.toml': '[pack]\nname = "x"\nschema = 2\n',
      'agents/coder/agent.toml': 'max_active_sessions = \n',
    });
    const refused = run(['check', '--city', bad, '--now', NOW_ISO]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${join(bad, 'agents', 'coder', 'agent.toml')}: line 1, column`);
  });

  it.skipIf(!canMeetEacces)('without read permission: the same defaults and warning', () => {
    const dir = city({
      'city.toml': '[workspace]\nname = "x"\n',
      'pack.toml': '[pack]\nname = "x"\nschema = 2\n',
      'agents/coder/agent.toml': 'max_active_sessions = 4\n',
    });
    const file = join(dir, 'agents', 'coder', 'agent.toml');
    chmodSync(file, 0o000);
    try {
      expect(pooled(dir, UNPRIVILEGED)).toEqual([['coder', null]]);
      const r = run(['check', '--city', dir, '--now', NOW_ISO], UNPRIVILEGED);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(warning(dir, 'permission denied'));
    } finally {
      chmodSync(file, 0o644);
    }
    // Readable again: its cap counts, and the warning is gone.
    expect(pooled(dir)).toEqual([['coder', 4]]);
  });
});

describe('check on a city that composes more configuration (includes, imports, rig packs, patches)', () => {
  it('says, per key and line, what gc-tui does not read or cannot find; a fragment, a rig pack and an agent patch are in the plan', () => {
    const dir = city({
      'city.toml':
        'include = ["extra.toml"]\n\n[workspace]\nname = "x"\nincludes = ["packs/base"]\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 2\n\n' +
        '[[rigs]]\nname = "fe"\npath = "fe"\nincludes = ["packs/fe"]\n\n[[patches.agent]]\nname = "worker"\nmax_active_sessions = 9\n\n' +
        '[[patches.rigs]]\nname = "fe"\nsuspended = true\n',
      // Schema 1: a schema-2 city keeps no [[agent]] tables in city.toml or its fragments (Gas City refuses it).
      'pack.toml': '[pack]\nname = "x"\nschema = 1\n\n[imports.gastown]\nsource = "https://example.com/packs/gastown"\n',
      'packs/fe/pack.toml': '[pack]\nname = "fe"\nschema = 2\n\n[[agent]]\nname = "builder"\nmax_active_sessions = 3\n',
      'extra.toml': '[[agent]]\nname = "helper"\nmax_active_sessions = 4\n',
    });
    const base = join(dir, 'packs', 'base', 'pack.toml');
    const cityToml = join(dir, 'city.toml');
    const pack = join(dir, 'pack.toml');
    const lines = [
      // A local pack is composed (cli-city-imports.test.ts); this one is remote, which gc-tui does not fetch.
      `warning: ${pack}: line 6 (imports.gastown.source): imports.gastown.source "https://example.com/packs/gastown" is a remote pack, which gc-tui does not fetch: the agents it brings in Gas City are not in this plan`,
      `warning: ${cityToml}: line 5 (workspace.includes[0]): workspace.includes[0] "packs/base": ${base}: no such file; Gas City skips a city include it cannot find (it logs "not found, skipping"), so neither it nor this plan has the agents it would bring`,
    ];
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    for (const l of lines) expect(r.stdout).toContain(`${l}\n`);
    expect(r.stdout).not.toContain('rigs.includes');
    // The fragment city.toml includes is merged: its agent is in the plan, and nothing warns of the include.
    expect(r.stdout).not.toContain('(include)');
    expect(r.stdout).toMatch(/^ {2}helper +bounded max=4 /m);
    // The agent patch is applied (Gas City applies it after every pack), and the rig's pack brings fe/builder.
    expect(r.stdout).toMatch(/^ {2}worker +bounded max=9 /m);
    expect(r.stdout).toMatch(/^ {2}fe\/builder +bounded max=3 /m);
    const json = run(['check', '--city', dir, '--json', '--now', NOW_ISO]);
    expect(json.code).toBe(0);
    for (const l of lines) expect(json.stderr).toContain(`gc-tui: ${l}\n`);
  });

  it('an empty include list or imports table composes nothing and warns of nothing', () => {
    const dir = city({ 'city.toml': 'include = []\n\n[workspace]\nname = "x"\n\n[imports]\n\n[[agent]]\nname = "worker"\n' });
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('warning:');
  });
});
