// A city's [imports.*] of local packs, composed as Gas City composes them (internal/config/pack.go expandCityPacks,
// loadPackWithCacheOptions): the agents a pack brings, binding-qualified, in the plan; what cannot be read, warned of.
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCityConfig } from '../../src/store/formats/load-city.js';
import { PACK, agentsOf, cityWith, inputError, siteToml } from '../support/city-dirs.js';
import { tempDir, write } from '../support/files.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/import-city');
const SIBLING = resolve(import.meta.dirname, '../../fixtures/sibling-pack');

describe('readCityConfig on [imports.*] of a local pack', () => {
  it('composes the fixture city: included pack first, the binding before every name, rig copies after the city ones', () => {
    const dir = join(tempDir(), 'import-city');
    cpSync(FIXTURE, dir, { recursive: true });
    const { config, warnings, files } = readCityConfig(dir);
    // Its [imports] are city.toml's beside a pack.toml: read, with Gas City's warning.
    expect(warnings.map((w) => w.text)).toEqual([
      `${join(dir, 'city.toml')}: line 6 (imports): [imports] in city.toml beside a pack.toml, which Gas City still reads, and so does this plan; Gas City warns: "city.toml declares 1 [imports] — consider moving them to pack.toml (imports are definition, city.toml is deployment)"`,
    ]);
    expect(config.agents.map((a) => [a.dir ? `${a.dir}/${a.name}` : a.name, a.max_active_sessions, a.namepool ?? null])).toEqual([
      ['gt.dog', 3, null],
      ['gt.mayor', 1, null],
      ['app/gt.dog', 3, null],
      // The convention namepool.txt of the pack's own agents/ folder; each name takes the binding, as Gas City names the sessions.
      ['app/gt.polecat', 2, ['gt.furiosa', 'gt.nux']],
    ]);
    expect(config.named_sessions).toEqual([{ template: 'gt.mayor', identity: 'gt.mayor', scope: 'city', mode: 'always' }]);
    expect(files).toEqual(expect.arrayContaining([join(dir, 'packs', 'gastown', 'pack.toml'), join(dir, 'packs', 'base', 'pack.toml')]));
  });

  it('composes the sibling-pack fixture: packs beside the city, named by no rig, read where the imports point', () => {
    const top = join(tempDir(), 'sibling-pack');
    cpSync(SIBLING, top, { recursive: true });
    const city = join(top, 'city');
    const { config, warnings, files } = readCityConfig(city);
    expect(warnings).toEqual([]);
    expect(config.agents.map((a) => [a.dir ? `${a.dir}/${a.name}` : a.name, a.max_active_sessions ?? null, a.namepool ?? null])).toEqual([
      ['tools.reviewer', 1, null],
      // The convention namepool.txt of ../tools/agents/worker, read there; each name takes the binding.
      ['tools.worker', 2, ['tools.furiosa', 'tools.nux']],
      // ../inner through ../outer's export = true import: its binding goes over the rig include's none.
      ['app/inner.polecat', 3, null],
      ['app/lead', null, null],
    ]);
    expect(files).toEqual(expect.arrayContaining(['tools', 'outer', 'inner'].map((p) => join(top, p, 'pack.toml'))));
  });

  it('imports from pack.toml too; city.toml wins for a binding both declare', () => {
    const dir = cityWith({
      'city.toml': '[workspace]\nname = "x"\n\n[imports.b]\nsource = "packs/one"\n',
      'pack.toml': `${PACK}\n[imports.b]\nsource = "packs/two"\n\n[imports.a]\nsource = "packs/two"\n`,
      'packs/one/pack.toml': PACK,
      'packs/one/agents/worker/agent.toml': 'max_active_sessions = 1\n',
      'packs/two/pack.toml': `${PACK}\n[[agent]]\nname = "worker"\nmax_active_sessions = 2\n`,
    });
    // Bindings in sorted order: a (pack.toml's), then b (city.toml's).
    expect(agentsOf(dir)).toEqual([
      ['a.worker', 2],
      ['b.worker', 1],
    ]);
  });

  it('transitive = false keeps only the agents of the imported pack itself', () => {
    const files = {
      'city.toml': '[workspace]\nname = "x"\n\n[imports.t]\nsource = "packs/top"\n',
      'packs/top/pack.toml': `${PACK}includes = ["../base"]\n\n[imports.inner]\nsource = "../inner"\n`,
      'packs/top/agents/lead/agent.toml': '',
      'packs/base/pack.toml': `${PACK}\n[[agent]]\nname = "dog"\n`,
      'packs/inner/pack.toml': `${PACK}\n[[agent]]\nname = "cat"\n`,
    };
    expect(agentsOf(cityWith(files))).toEqual([
      ['t.dog', null],
      ['t.cat', null],
      ['t.lead', null],
    ]);
    const shallow = { ...files, 'city.toml': '[workspace]\nname = "x"\n\n[imports.t]\nsource = "packs/top"\ntransitive = false\n' };
    expect(agentsOf(cityWith(shallow))).toEqual([['t.lead', null]]);
  });

  it('a rig that imports the binding itself gets no copy from the city import, but its own, after the city agents', () => {
    const dir = cityWith({
      'city.toml':
        '[workspace]\nname = "x"\n\n[[rigs]]\nname = "a"\n\n[[rigs]]\nname = "b"\n[rigs.imports.p]\nsource = "packs/p"\n\n[imports.p]\nsource = "packs/p"\n',
      '.gc/site.toml': siteToml({ a: '/srv/a', b: '/srv/b' }),
      'packs/p/pack.toml': PACK,
      'packs/p/agents/worker/agent.toml': 'max_active_sessions = 4\n',
    });
    expect(agentsOf(dir)).toEqual([
      ['p.worker', 4],
      ['a/p.worker', 4],
      ['b/p.worker', 4],
    ]);
    expect(readCityConfig(dir).warnings).toEqual([]);
  });

  it('a remote source is warned of, naming the key and line, and brings no agent', () => {
    const dir = cityWith({
      'city.toml':
        '[workspace]\nname = "x"\n\n[imports.gs]\nsource = "https://github.com/gastownhall/gascity-packs/tree/main/gastown"\n\n' +
        '\n\n\n[imports.ssh]\nsource = "git@github.com:org/packs.git//x"\n',
    });
    const cityToml = join(dir, 'city.toml');
    const { config, warnings } = readCityConfig(dir);
    expect(config.agents).toEqual([]);
    expect(warnings.map((w) => w.text)).toEqual([
      `${cityToml}: line 5 (imports.gs.source): imports.gs.source "https://github.com/gastownhall/gascity-packs/tree/main/gastown" is a remote pack, which gc-tui does not fetch: the agents it brings in Gas City are not in this plan`,
      `${cityToml}: line 11 (imports.ssh.source): imports.ssh.source "git@github.com:org/packs.git//x" is a remote pack, which gc-tui does not fetch: the agents it brings in Gas City are not in this plan`,
    ]);
  });

  it('a local pack in a folder whose name holds a dot is read from the disk, as Gas City reads it (not taken for a host)', () => {
    const dir = cityWith({
      'city.toml': '[workspace]\nname = "x"\n\n[imports.gt]\nsource = "packs.d/gastown"\n',
      'packs.d/gastown/pack.toml': `${PACK}\n[[agent]]\nname = "mayor"\n`,
    });
    const { config, warnings } = readCityConfig(dir);
    expect(config.agents.map((a) => a.name)).toEqual(['gt.mayor']);
    expect(warnings).toEqual([]);
  });

  it('an imports key that is not a table is refused, naming its line, as Gas City refuses to decode the file', () => {
    const dir = cityWith({ 'city.toml': 'imports = "packs/gt"\n\n[workspace]\nname = "x"\n' });
    expect(inputError(() => readCityConfig(dir)).message).toBe(
      `${join(dir, 'city.toml')}: line 1 (imports): imports must be a table of [imports.<binding>] entries, each with a source`,
    );
  });

  it('a pack beside the city (../tools) is read, wherever it lies, as Gas City reads it; one not there is refused', () => {
    const top = tempDir();
    const city = join(top, 'city');
    write(join(city, 'city.toml'), '[workspace]\nname = "x"\n\n[imports.tools]\nsource = "../tools"\n');
    write(join(top, 'tools', 'pack.toml'), `${PACK}\n[[agent]]\nname = "worker"\nmax_active_sessions = 2\n`);
    expect(agentsOf(city)).toEqual([['tools.worker', 2]]);
    expect(readCityConfig(city).warnings).toEqual([]);
    write(join(city, 'city.toml'), '[workspace]\nname = "x"\n\n[imports.tools]\nsource = "../gone"\n');
    expect(inputError(() => readCityConfig(city)).message).toBe(
      `${join(city, 'city.toml')}: line 5 (imports.tools.source): ${join(top, 'gone', 'pack.toml')}: no such file: Gas City refuses a city whose pack it cannot load`,
    );
  });

  it('a local pack that is not there is refused, as Gas City refuses the city, naming the file and line', () => {
    const dir = cityWith({ 'city.toml': '[workspace]\nname = "x"\n\n[imports.gt]\nsource = "packs/gastown"\n' });
    const e = inputError(() => readCityConfig(dir));
    expect(e.message).toBe(
      `${join(dir, 'city.toml')}: line 5 (imports.gt.source): ${join(dir, 'packs', 'gastown', 'pack.toml')}: no such file: Gas City refuses a city whose pack it cannot load`,
    );
  });

  it('a pack that includes itself is refused, naming the include', () => {
    const dir = cityWith({
      'city.toml': '[workspace]\nname = "x"\n\n[imports.a]\nsource = "packs/a"\n',
      'packs/a/pack.toml': `${PACK}includes = ["../b"]\n`,
      'packs/b/pack.toml': `${PACK}includes = ["//packs/a"]\n`,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'packs', 'b', 'pack.toml'));
    expect(e.place).toBe('line 4 (pack.includes[0])');
    expect(e.detail).toContain('includes or imports itself (a cycle)');
  });

  it('two packs of one import declaring one agent are refused, as Gas City refuses duplicate agents, naming both', () => {
    const dir = cityWith({
      'city.toml': '[workspace]\nname = "x"\n\n[imports.a]\nsource = "packs/a"\n',
      'packs/a/pack.toml': `${PACK}includes = ["../b"]\n\n[[agent]]\nname = "dog"\n`,
      'packs/b/pack.toml': `${PACK}\n[[agent]]\nname = "dog"\n`,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'packs', 'a', 'pack.toml'));
    expect(e.message).toContain(`(first declared in ${join(dir, 'packs', 'b', 'pack.toml')} at line 5 (agent[0]))`);
  });

  it("an imported pack's own patches change its agents, found by bare name (applyPackAgentPatches)", () => {
    const dir = cityWith({
      'city.toml': '[workspace]\nname = "x"\n\n[imports.a]\nsource = "packs/a"\n',
      'packs/a/pack.toml': `${PACK}\n[[agent]]\nname = "dog"\n\n[[patches.agent]]\nname = "dog"\nmax_active_sessions = 1\n`,
    });
    expect(agentsOf(dir)).toEqual([['a.dog', 1]]);
    expect(readCityConfig(dir).warnings).toEqual([]);
  });
});
