// A city whose pack.toml is schema 2 keeps no [[agent]] tables in city.toml or in a fragment city.toml includes:
// Gas City refuses such a city (internal/config/compose.go LoadWithIncludesOptions → LegacyV1SurfaceError,
// LegacyInlineAgentSurfaceErrors: "PackV1 config surfaces are no longer supported"), and so does gc-tui, naming the
// file and the line. pack.toml's own [[agent]] tables and agents/<name>/ folders stay the way to declare agents.
// Nor [packs], non-built-in [workspace] includes or default_rig_includes, there or in a fragment; nor a [[rigs]]
// path in city.toml, which .gc/site.toml binds (LegacySiteBindingSurfaceError, ApplySiteBindings). The city's
// pack.toml itself needs [pack] name and a schema Gas City reads (validatePackMeta).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCityConfig } from '../../src/store/formats/load-city.js';
import { PACK, PACK1, agentsOf, cityWith, inputError } from '../support/city-dirs.js';

const WS = '[workspace]\nname = "x"\n';
const MOVE = 'move each agent to agents/<name>/agent.toml';

describe('readCityConfig on a schema-2 city (pack.toml [pack] schema = 2)', () => {
  it('refuses [[agent]] tables in city.toml, naming city.toml, the first table’s line and pack.toml’s schema line', () => {
    const dir = cityWith({
      'city.toml': `${WS}\n# the agents\n[[agent]]\nname = "mayor"\n\n[[agent]]\nname = "worker"\n`,
      'pack.toml': PACK,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.message).toBe(
      `${join(dir, 'city.toml')}: line 5 (agent[0]): unsupported PackV1 [[agent]] tables in city.toml: the city's pack.toml is schema 2 ` +
        `(${join(dir, 'pack.toml')}: line 3 (pack.schema)), and Gas City refuses the city ("PackV1 config surfaces are no longer supported"); ${MOVE}`,
    );
  });

  it('refuses them in a fragment city.toml includes, naming the fragment and its line', () => {
    const dir = cityWith({
      'city.toml': `include = ["frags/team.toml"]\n${WS}`,
      'frags/team.toml': '# workers\n[[agent]]\nname = "worker"\n',
      'pack.toml': PACK,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'frags', 'team.toml'));
    expect(e.place).toBe('line 2 (agent[0])');
    expect(e.detail).toContain('unsupported PackV1 [[agent]] tables in a fragment city.toml includes (include "frags/team.toml")');
    expect(e.detail).toContain(MOVE);
  });

  it('an inline array of agents (agent = [...]) is refused too: Gas City decodes it into the same field', () => {
    const dir = cityWith({ 'city.toml': `agent = [{ name = "mayor" }]\n${WS}`, 'pack.toml': PACK });
    expect(inputError(() => readCityConfig(dir)).place).toBe('line 1 (agent[0])');
  });

  it('reads the agents of pack.toml and of agents/<name>/, and a city.toml with no agents (or agent = [])', () => {
    const dir = cityWith({
      'city.toml': `agent = []\n${WS}`,
      'pack.toml': `${PACK}\n[[agent]]\nname = "mayor"\nmax_active_sessions = 1\n`,
      'agents/worker/agent.toml': 'max_active_sessions = 4\n',
    });
    expect(agentsOf(dir)).toEqual([
      ['mayor', 1],
      ['worker', 4],
    ]);
  });

  it('a city whose pack.toml is schema 1, or that has none, keeps its city.toml and fragment [[agent]] tables', () => {
    const files = {
      'city.toml': `include = ["f.toml"]\n${WS}\n[[agent]]\nname = "mayor"\n`,
      'f.toml': '[[agent]]\nname = "worker"\n',
    };
    for (const dir of [cityWith({ ...files, 'pack.toml': PACK1 }), cityWith(files)])
      expect(agentsOf(dir)).toEqual([
        ['mayor', null],
        ['worker', null],
      ]);
  });
});

const SURFACE = '"PackV1 config surfaces are no longer supported"';

describe('readCityConfig on the other PackV1 surfaces of a schema-2 city (LegacyV1SurfaceError)', () => {
  const refusal = (cityToml: string, extra: Record<string, string> = {}) =>
    inputError(() => readCityConfig(cityWith({ 'city.toml': cityToml, 'pack.toml': PACK, ...extra })));

  it('refuses [packs] entries, naming the line of the first [packs] table', () => {
    const e = refusal(`${WS}\n[packs.gastown]\nsource = "packs/gastown"\n`);
    expect(e.place).toBe('line 4 (packs)');
    expect(e.detail).toMatch(/^unsupported PackV1 \[packs\] entries in city\.toml: the city's pack\.toml is schema 2 \(/);
    expect(e.detail).toContain(`Gas City refuses the city (${SURFACE}); replace them with [imports] and regenerate packs.lock`);
  });

  it('refuses [workspace] includes, unless each is a built-in system pack (.gc/system/packs/<name>)', () => {
    const e = refusal(`[workspace]\nname = "x"\nincludes = [".gc/system/packs/core", "packs/base"]\n`);
    expect(e.place).toBe('line 3 (workspace.includes)');
    expect(e.detail).toContain('unsupported PackV1 workspace.includes in city.toml');
    expect(e.detail).toContain('replace it with [imports.<binding>] entries');
    const dir = cityWith({
      'city.toml': `[workspace]\nname = "x"\nincludes = ["./.gc/system/packs/core/"]\n`,
      'pack.toml': PACK,
      '.gc/system/packs/core/pack.toml': `${PACK}\n[[agent]]\nname = "dog"\n`,
    });
    expect(agentsOf(dir)).toEqual([['dog', null]]);
  });

  it('refuses [workspace] default_rig_includes', () => {
    const e = refusal(`[workspace]\nname = "x"\ndefault_rig_includes = ["packs/rig"]\n`);
    expect(e.place).toBe('line 3 (workspace.default_rig_includes)');
    expect(e.detail).toContain('move defaults into city.toml [defaults.rig.imports.<binding>]');
  });

  it('refuses each of them in a fragment city.toml includes, naming the fragment', () => {
    const e = refusal(`include = ["frags/old.toml"]\n${WS}`, { 'frags/old.toml': '[packs.p]\nsource = "x"\n' });
    expect(e.file).toMatch(/frags\/old\.toml$/);
    expect(e.place).toBe('line 1 (packs)');
    expect(e.detail).toContain('unsupported PackV1 [packs] entries in a fragment city.toml includes (include "frags/old.toml")');
  });

  it('a schema-1 city keeps them all (an empty [packs] or includes list is none in a schema-2 city either)', () => {
    const old = `[workspace]\nname = "x"\nincludes = []\ndefault_rig_includes = []\n\n[packs]\n`;
    expect(agentsOf(cityWith({ 'city.toml': old, 'pack.toml': PACK }))).toEqual([]);
    const v1 = `[workspace]\nname = "x"\ndefault_rig_includes = ["packs/rig"]\n\n[packs.p]\nsource = "x"\n`;
    expect(agentsOf(cityWith({ 'city.toml': v1, 'pack.toml': PACK1 }))).toEqual([]);
  });
});

describe('readCityConfig on rig paths in a schema-2 city (LegacySiteBindingSurfaceError, .gc/site.toml)', () => {
  const rigsOf = (dir: string) => readCityConfig(dir).config.rigs?.map((r) => [r.name, r.path ?? null]);

  it('refuses a [[rigs]] path in city.toml, naming its line and where it goes instead', () => {
    const dir = cityWith({ 'city.toml': `${WS}\n[[rigs]]\nname = "app"\npath = " ../app "\n`, 'pack.toml': PACK });
    const e = inputError(() => readCityConfig(dir));
    expect(e.message).toBe(
      `${join(dir, 'city.toml')}: line 6 (rigs[0].path): unsupported pre-1.0 rig.path for rig "app" in city.toml: the city's pack.toml is schema 2 ` +
        `(${join(dir, 'pack.toml')}: line 3 (pack.schema)), and Gas City refuses the city ("pre-1.0 site-binding fields are no longer supported"); ` +
        'move it to .gc/site.toml ([[rig]] name = "app", path = "../app")',
    );
  });

  it('reads each rig’s path from .gc/site.toml, over a fragment’s and a rig patch’s, as Gas City binds it after composing', () => {
    const dir = cityWith({
      'city.toml': `include = ["f.toml"]\n${WS}\n[[rigs]]\nname = "app"\n\n[[rigs]]\nname = "lib"\n\n[[patches.rigs]]\nname = "lib"\npath = "patched"\n`,
      'f.toml': '[[rigs]]\nname = "web"\npath = "from-fragment"\n\n[[rigs]]\nname = "docs"\npath = "kept"\n',
      'pack.toml': PACK,
      '.gc/site.toml':
        'workspace_name = "site"\n\n[[rig]]\nname = "app"\npath = "/srv/app"\n\n[[rig]]\nname = " web "\npath = "bound"\n\n[[rig]]\nname = "lib"\npath = "../lib"\n\n[[rig]]\nname = "ghost"\npath = "x"\n',
    });
    expect(rigsOf(dir)).toEqual([
      ['app', '/srv/app'],
      ['lib', '../lib'],
      ['web', 'bound'],
      ['docs', 'kept'],
    ]);
    expect(readCityConfig(dir).files).toContain(join(dir, '.gc', 'site.toml'));
  });

  it('binds the rigs of a schema-1 city too, and a city without .gc/site.toml keeps the declared paths', () => {
    const files = { 'city.toml': `${WS}\n[[rigs]]\nname = "app"\npath = "declared"\n`, 'pack.toml': PACK1 };
    expect(rigsOf(cityWith(files))).toEqual([['app', 'declared']]);
    expect(rigsOf(cityWith({ ...files, '.gc/site.toml': '[[rig]]\nname = "app"\npath = "bound"\n' }))).toEqual([['app', 'bound']]);
  });

  it('refuses a .gc/site.toml Gas City cannot decode, naming its line', () => {
    const dir = cityWith({ 'city.toml': WS, 'pack.toml': PACK, '.gc/site.toml': '[[rig]]\nname = "app"\npath = 3\n' });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, '.gc', 'site.toml'));
    expect(e.place).toBe('line 3 (rig[0].path)');
    expect(e.detail).toBe('rig[0].path must be a string, as Gas City decodes it');
  });
});

describe('readCityConfig on the city’s pack.toml header (validatePackMeta)', () => {
  const refusal = (pack: string) => inputError(() => readCityConfig(cityWith({ 'city.toml': WS, 'pack.toml': pack })));

  it('refuses a pack.toml without [pack] schema, naming the [pack] line', () => {
    const e = refusal('[pack]\nname = "p"\n');
    expect(e.place).toBe('line 1 (pack)');
    expect(e.detail).toBe(
      '[pack] schema is required: the version of the pack format (2 today): Gas City refuses the city ("city pack.toml: [pack] schema is required")',
    );
  });

  it('refuses one without [pack] name, or without [pack] at all (naming the file)', () => {
    expect(refusal('[pack]\nschema = 2\n').detail).toContain('("city pack.toml: [pack] name is required")');
    const e = refusal('[[agent]]\nname = "a"\n');
    expect(e.place).toBeNull();
    expect(e.detail).toContain('[pack] name is required');
  });

  it('refuses a schema newer than 2, or one that is no integer', () => {
    expect(refusal('[pack]\nname = "p"\nschema = 3\n').detail).toBe(
      '[pack] schema 3 is newer than Gas City reads: Gas City refuses the city ("city pack.toml: [pack] schema 3 not supported (max 2)")',
    );
    expect(refusal('[pack]\nname = "p"\nschema = "2"\n').place).toBe('line 3 (pack.schema)');
    expect(refusal('[pack]\nname = "p"\nschema = 2.0\n').place).toBe('line 3 (pack.schema)');
  });
});
