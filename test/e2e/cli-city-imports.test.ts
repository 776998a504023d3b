// A city that composes its agents from a local pack ([imports.<binding>], as Gas City's gastown example does),
// seen through the built CLI: the imported pools are in `check`'s plan under their binding, and the sessions Gas
// City runs for them are no findings.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { ROOT, run } from './cli-helpers.js';

const FIXTURE = resolve(ROOT, 'fixtures', 'import-city');

/** A fresh copy of the fixture city (check writes nothing, but a test may change a file of it). */
const copy = () => {
  const dir = join(tempDir(), 'import-city');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
};

/** Each pool of `check --json` as [template, max]. */
const poolsOf = (stdout: string) =>
  (JSON.parse(stdout) as { pools: { template: string; max: number | null }[] }).pools.map((p) => [p.template, p.max]);

describe('check on a city that imports a local pack', () => {
  it('plans the imported agents as <binding>.<name> (one per rig for rig agents) and finds their sessions clean', () => {
    const dir = copy();
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    // The one warning: city.toml's [imports] beside a pack.toml, as Gas City warns of them.
    expect(r.stdout.match(/^warning: .*$/gm)).toEqual([
      `warning: ${join(dir, 'city.toml')}: line 6 (imports): [imports] in city.toml beside a pack.toml, which Gas City still reads, and so does this plan; Gas City warns: "city.toml declares 1 [imports] — consider moving them to pack.toml (imports are definition, city.toml is deployment)"`,
    ]);
    expect(r.stdout).toContain('pools (4):\n');
    expect(r.stdout).toMatch(/^ {2}app\/gt\.polecat +bounded max=2 min=0 desired=0 +slots: 1:gc-2 2:gc-3$/m);
    expect(r.stdout).toMatch(/^ {2}gt\.dog +bounded max=3 .* slots: 1:gc-4$/m);
    expect(r.stdout).toContain('unresolved_templates=0');
    expect(r.stdout).toContain('result: clean');
    expect(r.code).toBe(0);
    const json = run(['check', '--city', dir, '--json', '--now', NOW_ISO]);
    expect(json.code).toBe(0);
    // With --json the warning is on stderr.
    expect(json.stderr).toMatch(/^gc-tui: warning: .*city\.toml: line 6 \(imports\): \[imports\] in city\.toml beside a pack\.toml.*\n$/);
    expect(poolsOf(json.stdout)).toEqual([
      ['app/gt.dog', 3],
      ['app/gt.polecat', 2],
      ['gt.dog', 3],
      ['gt.mayor', 1],
    ]);
  });

  it('a change to the imported pack changes the plan: its cap is read from the pack', () => {
    const dir = copy();
    writeFileSync(join(dir, 'packs', 'gastown', 'agents', 'polecat', 'agent.toml'), 'scope = "rig"\nmax_active_sessions = 1\n');
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.stdout).toMatch(/^ {2}app\/gt\.polecat +bounded max=1 /m);
    // Slot 2 is now above the cap: the plan says so about the bead Gas City would also see out of bounds.
    expect(r.stdout).toContain('out_of_bounds_identities=1');
  });

  it('a remote import is warned of, naming the key and line, and its sessions stay unresolved', () => {
    const dir = copy();
    writeFileSync(
      join(dir, 'city.toml'),
      '[[rigs]]\nname = "app"\n\n[imports.gt]\nsource = "https://github.com/gastownhall/gascity-packs/tree/main/gastown"\n',
    );
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.stdout).toContain(
      `warning: ${join(dir, 'city.toml')}: line 5 (imports.gt.source): imports.gt.source "https://github.com/gastownhall/gascity-packs/tree/main/gastown" is a remote pack, which gc-tui does not fetch: the agents it brings in Gas City are not in this plan\n`,
    );
    expect(r.stdout).toContain('unresolved_templates=4');
  });
});

describe('check on a schema-2 city that keeps a PackV1 surface or a rig path in city.toml', () => {
  it('is refused (exit 2) in one line naming city.toml’s line, as Gas City refuses it', () => {
    const dir = copy();
    const cityToml = join(dir, 'city.toml');
    writeFileSync(cityToml, readFileSync(cityToml, 'utf8').replace('name = "app"\n', 'name = "app"\npath = "app"\n'));
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^gc-tui: [^\n]*city\.toml: line 5 \(rigs\[0\]\.path\): unsupported pre-1\.0 rig\.path for rig "app" in city\.toml: [^\n]*\n$/,
    );
    writeFileSync(cityToml, `${readFileSync(cityToml, 'utf8')}\n[packs.old]\nsource = "packs/base"\n`);
    const packs = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(packs.code).toBe(2);
    expect(packs.stderr).toMatch(
      /^gc-tui: [^\n]*city\.toml: line 10 \(packs\): unsupported PackV1 \[packs\] entries in city\.toml: [^\n]*\n$/,
    );
  });
});

describe('check on a city whose packs lie beside it, in folders no rig names', () => {
  it('plans the agents of the sibling packs its imports and a rig include name, and finds their sessions clean', () => {
    const top = join(tempDir(), 'sibling-pack');
    cpSync(resolve(ROOT, 'fixtures', 'sibling-pack'), top, { recursive: true });
    const r = run(['check', '--city', join(top, 'city'), '--now', NOW_ISO]);
    expect(r.stdout).not.toContain('warning:');
    expect(r.stdout).toContain('pools (4):\n');
    expect(r.stdout).toMatch(/^ {2}tools\.worker +bounded max=2 .* slots: 1:gc-1$/m);
    expect(r.stdout).toMatch(/^ {2}app\/inner\.polecat +bounded max=3 .* slots: 1:gc-2$/m);
    expect(r.stdout).toContain('unresolved_templates=0');
    expect(r.stdout).toContain('result: clean');
    expect(r.code).toBe(0);
  });
});

describe('check on a city whose rig lies beside it', () => {
  it('plans the agents of the rig folder’s own pack (path = "../repo"), its caps and namepool read there', () => {
    const top = tempDir();
    const files: Record<string, string> = {
      'city/city.toml': '[workspace]\nname = "c"\n\n[[rigs]]\nname = "repo"\npath = "../repo"\n',
      'city/.gc/beads.json': '{"seq":0,"beads":[]}\n',
      'city/.gc/site.toml': '[[rig]]\nname = "repo"\npath = "../repo"\n',
      'repo/pack.toml': '[pack]\nname = "repo"\nschema = 2\n',
      'repo/agents/polecat/agent.toml': 'max_active_sessions = 2\n',
      'repo/agents/polecat/namepool.txt': 'furiosa\nnux\n',
    };
    for (const [name, text] of Object.entries(files)) write(join(top, name), text);
    const r = run(['check', '--city', join(top, 'city'), '--now', NOW_ISO]);
    expect(r.stdout).not.toContain('warning:');
    expect(r.stdout).toMatch(/^ {2}repo\/polecat +bounded max=2 min=0 desired=0 +slots: \(none\)$/m);
    expect(r.code).toBe(0);
  });
});
