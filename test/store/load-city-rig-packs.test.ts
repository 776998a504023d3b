// A rig's own packs and [[patches.agent]], composed as Gas City composes them (internal/config/pack.go expandPacks,
// patch.go ApplyPatches). The scenarios mirror upstream's tests (pack_test.go TestExpandPacks_*, import_test.go
// TestImport_Rig*, TestImport_QualifiedNameWithRig, TestLoadWithIncludes_PatchTargetsRigPackDerivedAgent).
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCityModel } from '../../src/engine/model.js';
import { readCityConfig } from '../../src/store/formats/load-city.js';
import { PACK, PACK1, agentsOf, bindDeclaredRigs, cityWith, inputError, siteToml } from '../support/city-dirs.js';
import { tempDir, write } from '../support/files.js';

const CITY = '[workspace]\nname = "x"\n';
const warningsOf = (dir: string) => readCityConfig(dir).warnings.map((w) => w.text);

describe('readCityConfig on a rig’s own packs', () => {
  it('a rig include stamps the rig as every agent’s dir; each rig gets its copy, caps kept, after the city agents', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[agent]]\nname = "mayor"\n\n[[rigs]]\nname = "proj-a"\npath = "/a"\nincludes = ["packs/gastown"]\n\n[[rigs]]\nname = "no-pack"\npath = "/b"\n\n[[rigs]]\nname = "proj-b"\npath = "/c"\nincludes = ["packs/gastown"]\n`,
      'packs/gastown/pack.toml': `${PACK}\n[[agent]]\nname = "polecat"\nmin_active_sessions = 0\nmax_active_sessions = 3\n`,
    });
    expect(agentsOf(dir)).toEqual([
      ['mayor', null],
      ['proj-a/polecat', 3],
      ['proj-b/polecat', 3],
    ]);
    expect(warningsOf(dir)).toEqual([]);
  });

  it('a rig import binds everything it brings (proj/gs.polecat); a city-scoped agent is hoisted to the city as gs.mayor', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[rigs]]\nname = "proj"\npath = "/tmp/proj"\n\n[rigs.imports.gs]\nsource = "packs/gastown"\n`,
      'packs/gastown/pack.toml': `${PACK}\n[[agent]]\nname = "polecat"\nscope = "rig"\nmax_active_sessions = 5\n\n[[agent]]\nname = "mayor"\nscope = "city"\n\n[[named_session]]\ntemplate = "mayor"\nscope = "city"\n\n[[named_session]]\ntemplate = "polecat"\nname = "lead"\n`,
    });
    const { config } = readCityConfig(dir);
    expect(agentsOf(dir)).toEqual([
      ['proj/gs.polecat', 5],
      ['gs.mayor', null],
    ]);
    expect(config.named_sessions).toEqual([
      { template: 'proj/gs.polecat', identity: 'proj/gs.lead', dir: 'proj' },
      { template: 'gs.mayor', identity: 'gs.mayor', scope: 'city' },
    ]);
  });

  it('a rig include keeps the binding its pack’s own import gave (proj/gs.polecat), and its includes and imports coexist', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[rigs]]\nname = "proj"\npath = "/tmp/proj"\nincludes = ["packs/mypk", "packs/old"]\n\n[rigs.imports.newpk]\nsource = "packs/new"\n`,
      'packs/mypk/pack.toml': `${PACK}\n[imports.gs]\nsource = "../gastown"\n\n[[agent]]\nname = "own-rig-agent"\nscope = "rig"\n`,
      'packs/gastown/pack.toml': `${PACK}\n[[agent]]\nname = "polecat"\nscope = "rig"\n`,
      'packs/old/pack.toml': `${PACK}\n[[agent]]\nname = "old-agent"\nscope = "rig"\n`,
      'packs/new/pack.toml': `${PACK}\n[[agent]]\nname = "new-agent"\nscope = "rig"\n`,
    });
    expect(agentsOf(dir)).toEqual([
      ['proj/gs.polecat', null],
      ['proj/own-rig-agent', null],
      ['proj/old-agent', null],
      ['proj/newpk.new-agent', null],
    ]);
  });

  it('imports are transitive in a rig include too: the nearest import’s binding names the deep agent', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[rigs]]\nname = "proj"\nincludes = ["packs/a"]\n`,
      'packs/a/pack.toml': `${PACK}\n[imports.b]\nsource = "../b"\n`,
      'packs/b/pack.toml': `${PACK}\n[imports.c]\nsource = "../c"\n`,
      'packs/c/pack.toml': `${PACK}\n[[agent]]\nname = "deep-agent"\n`,
    });
    expect(agentsOf(dir)).toEqual([['proj/c.deep-agent', null]]);
  });

  it('a rig with neither includes nor imports whose path holds a pack.toml has that folder as its pack', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[rigs]]\nname = "app"\npath = "app"\n\n[[rigs]]\nname = "lib"\npath = "lib"\n`,
      'app/pack.toml': PACK,
      'app/agents/worker/agent.toml': 'max_active_sessions = 2\n',
      'app/agents/worker/namepool.txt': 'ada\nbob\n',
    });
    const { config, warnings, files } = readCityConfig(dir);
    expect(warnings).toEqual([]);
    expect(config.agents.map((a) => [a.dir, a.name, a.max_active_sessions, a.namepool])).toEqual([['app', 'worker', 2, ['ada', 'bob']]]);
    expect(files).toEqual(expect.arrayContaining([join(dir, 'app', 'pack.toml'), join(dir, 'app', 'agents', 'worker', 'agent.toml')]));
  });

  it('one city-scoped agent of a pack two rigs include is one city agent; a city agent of that name wins', () => {
    const files = {
      'city.toml': `${CITY}\n[[rigs]]\nname = "a"\nincludes = ["packs/p"]\n\n[[rigs]]\nname = "b"\nincludes = ["packs/p"]\n`,
      'packs/p/pack.toml': `${PACK}\n[[agent]]\nname = "router"\nscope = "city"\nmax_active_sessions = 1\n\n[[agent]]\nname = "worker"\n`,
    };
    expect(agentsOf(cityWith(files))).toEqual([
      ['a/worker', null],
      ['b/worker', null],
      ['router', 1],
    ]);
    const own = { ...files, 'city.toml': `${files['city.toml']}\n[[agent]]\nname = "router"\nmax_active_sessions = 7\n` };
    expect(agentsOf(cityWith(own))).toEqual([
      ['router', 7],
      ['a/worker', null],
      ['b/worker', null],
    ]);
  });

  it('one pack reached by two imports under two bindings is two agents, no cycle (TestImport_DiamondDAGNoCycle)', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[imports.b]\nsource = "packs/b"\n\n[imports.c]\nsource = "packs/c"\n`,
      'packs/b/pack.toml': `${PACK}\n[imports.d]\nsource = "../d"\n`,
      'packs/c/pack.toml': `${PACK}\n[imports.d]\nsource = "../d"\n`,
      'packs/d/pack.toml': `${PACK}\n[[agent]]\nname = "shared"\nscope = "city"\n`,
    });
    expect(agentsOf(dir)).toEqual([
      ['b.shared', null],
      ['c.shared', null],
    ]);
  });

  it('a remote rig include is warned of naming the rig’s key and line; its agents are not planned', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[rigs]]\nname = "net"\nincludes = ["https://github.com/o/r/tree/main/gastown"]\n`,
      '.gc/site.toml': siteToml({ net: '/srv/net' }),
    });
    expect(agentsOf(dir)).toEqual([]);
    expect(warningsOf(dir)).toEqual([
      `${join(dir, 'city.toml')}: line 6 (rigs[0].includes[0]): rigs[0].includes[0] "https://github.com/o/r/tree/main/gastown" is a remote pack, which gc-tui does not fetch: the agents it brings in Gas City are not in this plan`,
    ]);
  });

  it('what a pack two rigs include warns of is said once', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[rigs]]\nname = "a"\nincludes = ["packs/p"]\n\n[[rigs]]\nname = "b"\nincludes = ["packs/p"]\n`,
      '.gc/site.toml': siteToml({ a: '/srv/a', b: '/srv/b' }),
      'packs/p/pack.toml': `${PACK}\n[imports.far]\nsource = "git@github.com:o/far.git"\n\n[[agent]]\nname = "worker"\n`,
    });
    expect(agentsOf(dir)).toEqual([
      ['a/worker', null],
      ['b/worker', null],
    ]);
    expect(warningsOf(dir)).toEqual([
      `${join(dir, 'packs', 'p', 'pack.toml')}: line 6 (imports.far.source): imports.far.source "git@github.com:o/far.git" is a remote pack, which gc-tui does not fetch: the agents it brings in Gas City are not in this plan`,
    ]);
  });

  it('a rig include that is not there is refused, naming the line, as Gas City refuses the city', () => {
    const dir = cityWith({ 'city.toml': `${CITY}\n[[rigs]]\nname = "hw"\nincludes = ["packs/empty"]\n` });
    expect(inputError(() => readCityConfig(dir)).message).toBe(
      `${join(dir, 'city.toml')}: line 6 (rigs[0].includes[0]): ${join(dir, 'packs', 'empty', 'pack.toml')}: no such file: Gas City refuses a city whose pack it cannot load`,
    );
  });
});

describe('readCityConfig on [[patches.agent]]', () => {
  const RIG_PACK = {
    'packs/gastown/pack.toml': `${PACK}\n[[agent]]\nname = "refinery"\nscope = "rig"\nmax_active_sessions = 1\n`,
  };
  const rigCity = (patch: string) =>
    `${CITY}\n[[rigs]]\nname = "proj"\npath = "/tmp/proj"\n\n[rigs.imports.gs]\nsource = "packs/gastown"\n${patch}`;

  it('targets a rig-pack agent by dir plus binding name, or by its one qualified name', () => {
    for (const patch of [
      '\n[[patches.agent]]\ndir = "proj"\nname = "gs.refinery"\nmax_active_sessions = 4\n',
      '\n[[patches.agent]]\nname = "proj/gs.refinery"\nmax_active_sessions = 4\n',
    ])
      expect(agentsOf(cityWith({ 'city.toml': rigCity(patch), ...RIG_PACK }))).toEqual([['proj/gs.refinery', 4]]);
  });

  it('sets the floor, cap, scale check and suspension, and the legacy pool table maps onto them', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[agent]]\nname = "polecat"\nmax_active_sessions = 3\n\n[[patches.agent]]\nname = "polecat"\nsuspended = true\npool = { min = 1, max = 10, check = "echo 2" }\n`,
    });
    expect(readCityConfig(dir).config.agents).toEqual([
      { name: 'polecat', max_active_sessions: 10, min_active_sessions: 1, scale_check: 'echo 2', suspended: true },
    ]);
  });

  it('pack.toml’s patches come before city.toml’s: the last one set wins', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[agent]]\nname = "dog"\n\n[[patches.agent]]\nname = "dog"\nmax_active_sessions = 2\n`,
      'pack.toml': `${PACK1}\n[[patches.agent]]\nname = "dog"\nmax_active_sessions = 9\nmin_active_sessions = 1\n`,
    });
    expect(readCityConfig(dir).config.agents).toEqual([{ name: 'dog', max_active_sessions: 2, min_active_sessions: 1 }]);
  });

  it('a patch whose agent is not there is refused, naming the patch, as Gas City refuses the city', () => {
    const dir = cityWith({
      'city.toml': rigCity('\n[[patches.agent]]\ndir = "proj"\nname = "gs.nonexistent"\nsuspended = true\n'),
      ...RIG_PACK,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'city.toml'));
    expect(e.place).toBe('line 11 (patches.agent[0])');
    expect(e.detail).toContain('agent "proj/gs.nonexistent" is not among the city\'s agents');
  });

  it('a patch key of the wrong type is refused, naming its line', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[[agent]]\nname = "dog"\n\n[[patches.agent]]\nname = "dog"\nmax_active_sessions = "lots"\n`,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.place).toBe('line 9 (patches.agent[0].max_active_sessions)');
    expect(e.detail).toBe('must be an integer ≥ 0');
  });

  it('a provider patch is warned of, saying it changes nothing planned but is not checked either', () => {
    const dir = cityWith({ 'city.toml': `${CITY}\n[[patches.providers]]\nname = "claude"\ncommand = "x"\n` });
    expect(warningsOf(dir)).toEqual([
      `${join(dir, 'city.toml')}: line 4 (patches.providers): gc-tui does not apply patches.providers: it changes no agent, rig or session this plan reads, but Gas City refuses the city when a patch names something that is not there, which gc-tui does not check`,
    ]);
  });
});

describe('readCityConfig on [[patches.rigs]] and [[patches.named_session]] (patch.go ApplyPatches)', () => {
  const RIGS = `${CITY}\n[[rigs]]\nname = "app"\npath = "app"\n\n[[rigs]]\nname = "lib"\npath = "lib"\n`;

  it('a rig patch sets the rig’s suspension, prefix and path; its pool is then suspended in the plan', () => {
    const dir = cityWith({
      'city.toml': `${RIGS}\n[[patches.rigs]]\nname = "lib"\nsuspended = true\nprefix = "lb"\npath = "elsewhere"\n`,
      '.gc/site.toml': siteToml({ app: 'app' }),
      'lib/pack.toml': `${PACK}\n[[agent]]\nname = "worker"\n`,
    });
    const { config, warnings } = readCityConfig(dir);
    // Unbound, its patched path is the one read, as in Gas City, which warns of it.
    expect(warnings.map((w) => w.text)).toEqual([
      `${join(dir, 'city.toml')}: line 10 (rigs[1].path): rig "lib" has no binding in ${join(dir, '.gc', 'site.toml')} and a path of its own ("elsewhere"), which Gas City still reads, and so does this plan; Gas City warns: "rig "lib" still declares path in city.toml; move it to .gc/site.toml (run \`gc doctor --fix\`)"`,
    ]);
    expect(config.rigs).toEqual([
      { name: 'app', path: 'app' },
      { name: 'lib', path: 'elsewhere', suspended: true, prefix: 'lb' },
    ]);
    // The pack of the rig's first path is still its own: Gas City has composed the rig packs before it patches.
    expect(agentsOf(dir)).toEqual([['lib/worker', null]]);
    expect(buildCityModel({ city: config, beads: [], decisions: [] }).byName.get('lib/worker')?.suspended).toBe(true);
  });

  it('a rig patch whose rig is not there, or with a key of the wrong type, is refused naming its line', () => {
    const missing = cityWith({ 'city.toml': `${RIGS}\n[[patches.rigs]]\nname = "gone"\nsuspended = true\n` });
    const e = inputError(() => readCityConfig(missing));
    expect([e.place, e.detail]).toEqual([
      'line 12 (patches.rigs[0])',
      'rig "gone" is not among the city\'s rigs, so this patch changes nothing: Gas City refuses the city (patches.rigs[0]: not found in merged config)',
    ]);
    const wrong = cityWith({ 'city.toml': `${RIGS}\n[[patches.rigs]]\nname = "app"\nsuspended = "yes"\n` });
    expect(inputError(() => readCityConfig(wrong)).place).toBe('line 14 (patches.rigs[0].suspended)');
  });

  it('a named session patch sets the mode of the session named by identity, or by an unambiguous template', () => {
    const sessions = `${RIGS}\n[[agent]]\nname = "mayor"\n\n[[named_session]]\ntemplate = "mayor"\n\n[[named_session]]\ntemplate = "mayor"\nname = "boss"\n`;
    const byName = cityWith({ 'city.toml': `${sessions}\n[[patches.named_session]]\nname = "boss"\nmode = "always"\n` });
    expect(readCityConfig(byName).config.named_sessions).toEqual([
      { template: 'mayor', identity: 'mayor' },
      { template: 'mayor', identity: 'boss', mode: 'always' },
    ]);
    const ambiguous = cityWith({ 'city.toml': `${sessions}\n[[patches.named_session]]\ntemplate = "mayor"\nmode = "always"\n` });
    expect(inputError(() => readCityConfig(ambiguous)).detail).toBe(
      '2 named sessions match "mayor": Gas City refuses such a patch as ambiguous; set name to the named session\'s identity',
    );
    const missing = cityWith({ 'city.toml': `${sessions}\n[[patches.named_session]]\ndir = "app"\nname = "boss"\nmode = "always"\n` });
    const e = inputError(() => readCityConfig(missing));
    expect([e.place, e.detail]).toEqual([
      'line 22 (patches.named_session[0])',
      'named session "app/boss" is not among the city\'s named sessions, so this patch changes nothing: Gas City refuses the city (patches.named_session[0]: not found in merged config)',
    ]);
  });

  it('a rig-scoped named session is patched as one declaration, before it is stamped once per rig', () => {
    const dir = cityWith({
      'city.toml': `${RIGS}\n[[agent]]\nname = "w"\n\n[[named_session]]\ntemplate = "w"\nscope = "rig"\n\n[[patches.named_session]]\ntemplate = "w"\nmode = "always"\n`,
    });
    expect(readCityConfig(dir).config.named_sessions).toEqual([
      { template: 'app/w', identity: 'app/w', dir: 'app', scope: 'rig', mode: 'always' },
      { template: 'lib/w', identity: 'lib/w', dir: 'lib', scope: 'rig', mode: 'always' },
    ]);
  });
});

describe('readCityConfig on a rig’s overrides and patches', () => {
  const GT = {
    'packs/gt/pack.toml': `${PACK}\n[[agent]]\nname = "polecat"\nmin_active_sessions = 0\nmax_active_sessions = 3\n\n[[agent]]\nname = "witness"\n`,
  };
  const rig = (extra: string) => `${CITY}\n[[rigs]]\nname = "big"\npath = "/big"\nincludes = ["packs/gt"]\n${extra}`;

  it('change the rig’s pack agent named by bare name: the pool max, suspension, dir (TestExpandPacks_Override*)', () => {
    const dir = cityWith({
      'city.toml': rig(
        '\n[[rigs.overrides]]\nagent = "polecat"\npool = { max = 10 }\n\n[[rigs.overrides]]\nagent = "witness"\nsuspended = true\ndir = "services/api"\n',
      ),
      ...GT,
    });
    expect(readCityConfig(dir).config.agents).toEqual([
      { name: 'polecat', dir: 'big', min_active_sessions: 0, max_active_sessions: 10 },
      { name: 'witness', dir: 'services/api', suspended: true },
    ]);
    expect(readCityConfig(dir).warnings).toEqual([]);
  });

  it('run after the city’s patches, so a rig patch wins over a city patch of the same key', () => {
    const dir = cityWith({
      'city.toml':
        `${CITY}\n[[rigs]]\nname = "proj"\npath = "/tmp/proj"\n\n[rigs.imports.gs]\nsource = "packs/gastown"\n\n` +
        '[[rigs.patches]]\nagent = "refinery"\nsuspended = false\ndir = "ops"\n\n[[patches.agent]]\ndir = "proj"\nname = "gs.refinery"\nsuspended = true\nmax_active_sessions = 2\n',
      'packs/gastown/pack.toml': `${PACK}\n[[agent]]\nname = "refinery"\nscope = "rig"\n`,
    });
    expect(readCityConfig(dir).config.agents).toEqual([
      { name: 'gs.refinery', dir: 'ops', scope: 'rig', suspended: false, max_active_sessions: 2 },
    ]);
  });

  it('one whose agent is not in the rig’s packs is refused, naming its line', () => {
    const dir = cityWith({ 'city.toml': rig('\n[[rigs.overrides]]\nagent = "nonexistent"\nsuspended = true\n'), ...GT });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'city.toml'));
    expect(e.place).toBe('line 9 (rigs[0].overrides[0])');
    expect(e.detail).toContain('agent "nonexistent" is not among the agents of rig "big"\'s packs');
  });
});

describe('readCityConfig on the city’s own includes', () => {
  it('the city pack.toml’s [pack] includes, then [workspace] includes, come before the imports; unscoped ones once per rig too', () => {
    const dir = cityWith({
      'city.toml': `[workspace]\nincludes = [".gc/system/packs/gastown"]\n\n[[rigs]]\nname = "app"\n\n[imports.gt]\nsource = "packs/tools"\n`,
      '.gc/site.toml': `workspace_name = "x"\n\n${siteToml({ app: '/srv/app' })}`,
      'pack.toml': `${PACK}includes = ["packs/base"]\n`,
      'packs/base/pack.toml': `${PACK}\n[[agent]]\nname = "dog"\nscope = "city"\n`,
      '.gc/system/packs/gastown/pack.toml': `${PACK}\n[imports.maint]\nsource = "../maint"\n\n[[agent]]\nname = "polecat"\nmax_active_sessions = 2\n`,
      '.gc/system/packs/maint/pack.toml': `${PACK}\n[[agent]]\nname = "reaper"\nscope = "rig"\n`,
      'packs/tools/pack.toml': `${PACK}\n[[agent]]\nname = "helper"\nscope = "city"\n`,
    });
    expect(agentsOf(dir)).toEqual([
      ['dog', null],
      ['polecat', 2],
      ['gt.helper', null],
      ['app/maint.reaper', null],
      ['app/polecat', 2],
    ]);
    expect(warningsOf(dir)).toEqual([
      `${join(dir, 'city.toml')}: line 7 (imports): [imports] in city.toml beside a pack.toml, which Gas City still reads, and so does this plan; Gas City warns: "city.toml declares 1 [imports] — consider moving them to pack.toml (imports are definition, city.toml is deployment)"`,
    ]);
  });

  it('one that is not there is skipped with a warning naming its line, as Gas City skips it (a schema-1 city)', () => {
    const dir = cityWith({ 'city.toml': `${CITY}includes = ["packs/gone"]\n`, 'pack.toml': PACK1 });
    expect(agentsOf(dir)).toEqual([]);
    expect(warningsOf(dir)).toEqual([
      `${join(dir, 'city.toml')}: line 3 (workspace.includes[0]): workspace.includes[0] "packs/gone": ${join(dir, 'packs', 'gone', 'pack.toml')}: no such file; Gas City skips a city include it cannot find (it logs "not found, skipping"), so neither it nor this plan has the agents it would bring`,
    ]);
  });
});

describe('readCityConfig on one pack reached twice under one binding', () => {
  it('is refused as Gas City refuses the duplicate name, saying the one declaration was reached twice', () => {
    const dir = cityWith({
      'city.toml': `${CITY}\n[imports.a]\nsource = "packs/a"\n`,
      'packs/a/pack.toml': `${PACK}includes = ["../b", "../c"]\n`,
      'packs/b/pack.toml': `${PACK}includes = ["../d"]\n`,
      'packs/c/pack.toml': `${PACK}includes = ["../d"]\n`,
      'packs/d/pack.toml': `${PACK}\n[[agent]]\nname = "shared"\n`,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'packs', 'd', 'pack.toml'));
    expect(e.place).toBe('line 5 (agent[0])');
    expect(e.detail).toContain('this one declaration is reached twice, through two includes or imports of its pack under one binding');
  });
});

describe('readCityConfig on a rig whose folder lies outside the city', () => {
  /** A folder holding `city/` (the city) and the given files beside it, as a rig's repository often lies. */
  const besideCity = (files: Record<string, string>) => {
    const top = tempDir();
    for (const [name, text] of Object.entries(files)) write(join(top, name), text);
    bindDeclaredRigs(join(top, 'city'));
    return { top, city: join(top, 'city') };
  };

  it('reads the pack.toml and agents/ of its path, absolute or relative (TestExpandPacks_RigPathConventionAgentsRegistered)', () => {
    const { top, city } = besideCity({
      'rigroot/pack.toml': PACK,
      'rigroot/agents/helper/prompt.md': 'You are the helper agent.\n',
      'rigroot/agents/worker/agent.toml': 'max_active_sessions = 2\n',
      'rigroot/agents/worker/namepool.txt': 'ada\nbob\n',
    });
    for (const path of [join(top, 'rigroot'), '../rigroot']) {
      write(join(city, 'city.toml'), `${CITY}\n[[rigs]]\nname = "mrig"\npath = "${path}"\n`);
      write(join(city, '.gc', 'site.toml'), siteToml({ mrig: path }));
      const { config, warnings, files } = readCityConfig(city);
      expect(warnings).toEqual([]);
      expect(config.agents.map((a) => [a.dir, a.name, a.max_active_sessions, a.namepool])).toEqual([
        ['mrig', 'helper', undefined, undefined],
        ['mrig', 'worker', 2, ['ada', 'bob']],
      ]);
      expect(files).toEqual(
        expect.arrayContaining([join(top, 'rigroot', 'pack.toml'), join(top, 'rigroot', 'agents', 'worker', 'agent.toml')]),
      );
    }
  });

  it('reads what the rig’s pack includes or imports inside its folder, and a city include naming a pack there', () => {
    const { top, city } = besideCity({
      'city/city.toml': `${CITY}\n[[rigs]]\nname = "app"\npath = "../app"\n\n[[rigs]]\nname = "lib"\npath = "../lib"\nincludes = ["../lib/packs/tools"]\n`,
      'app/pack.toml': `${PACK}includes = ["packs/base"]\n\n[imports.gs]\nsource = "packs/gastown"\n`,
      'app/packs/base/pack.toml': `${PACK}\n[[agent]]\nname = "dog"\n`,
      'app/packs/gastown/pack.toml': `${PACK}\n[[agent]]\nname = "polecat"\nmax_active_sessions = 4\n`,
      'lib/packs/tools/pack.toml': `${PACK}\n[[agent]]\nname = "helper"\n`,
    });
    expect(agentsOf(city)).toEqual([
      ['app/dog', null],
      ['app/gs.polecat', 4],
      ['lib/helper', null],
    ]);
    expect(warningsOf(city)).toEqual([]);
    expect(readCityConfig(city).files).toContain(join(top, 'app', 'packs', 'gastown', 'pack.toml'));
  });

  it('reads a pack beside the city that a rig’s pack names (../common), as Gas City reads it', () => {
    const { city } = besideCity({
      'city/city.toml': `${CITY}\n[[rigs]]\nname = "app"\npath = "../app"\n`,
      'app/pack.toml': `${PACK}includes = ["../common"]\n\n[[agent]]\nname = "own"\n`,
      'common/pack.toml': `${PACK}\n[[agent]]\nname = "stranger"\n`,
      'common/agents/stranger/namepool.txt': 'a\nb\n',
    });
    expect(agentsOf(city)).toEqual([
      ['app/stranger', null],
      ['app/own', null],
    ]);
    expect(readCityConfig(city).config.agents[0].namepool).toEqual(['a', 'b']);
    expect(warningsOf(city)).toEqual([]);
  });

  it('does not follow a link inside a rig’s folder out of the folders gc-tui reads in: a warning names the file and line', () => {
    const { top, city } = besideCity({
      'city/city.toml': `${CITY}\n[[rigs]]\nname = "app"\npath = "../app"\n`,
      'app/pack.toml': `${PACK}includes = ["packs-link"]\n\n[[agent]]\nname = "own"\n`,
      'common/pack.toml': `${PACK}\n[[agent]]\nname = "stranger"\n`,
    });
    symlinkSync(join(top, 'common'), join(top, 'app', 'packs-link'));
    const pack = join(top, 'app', 'pack.toml');
    expect(agentsOf(city)).toEqual([['app/own', null]]);
    expect(warningsOf(city)).toEqual([
      `${pack}: line 4 (pack.includes[0]): pack.includes "packs-link" (${join(top, 'app', 'packs-link')}) leads through a symbolic link to ${join(top, 'common')}, outside the city directory and the other folders gc-tui reads it in (its rigs' folders and those of the local packs and fragments its configuration names: paths in a city must stay inside them), and gc-tui reads no pack there: the agents it brings in Gas City are not in this plan`,
    ]);
  });

  it('a pack folder no [[rigs]] entry names is read where a rig import names it (a sibling of the city)', () => {
    const { city } = besideCity({
      'city/city.toml': `${CITY}\n[[rigs]]\nname = "app"\npath = "../app"\n\n[rigs.imports.helper]\nsource = "../helper"\n`,
      'helper/pack.toml': `${PACK}\n[[agent]]\nname = "h"\n`,
    });
    expect(agentsOf(city)).toEqual([['app/helper.h', null]]);
    expect(warningsOf(city)).toEqual([]);
  });
});
