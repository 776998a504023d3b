// city.toml's top-level `include` (fragment files), merged as Gas City's LoadWithIncludesOptions merges them
// (internal/config/compose.go mergeFragment): agents, named sessions, rigs and patches after city.toml's, whole
// sections replacing the city's; what Gas City refuses, refused naming the fragment and its line.
import { cpSync, realpathSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCity, readCityConfig } from '../../src/store/formats/load-city.js';
import { writeRouteOf } from '../../src/store/source-files.js';
import { PACK, PACK1, agentsOf, cityWith, inputError, siteToml } from '../support/city-dirs.js';
import { tempDir, write } from '../support/files.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/include-city');

const WS = '[workspace]\nname = "x"\n';

describe('readCityConfig on a city that includes fragment files', () => {
  it('composes the fixture city: fragment agents, rig and named session after city.toml’s; sections replaced', () => {
    const dir = join(tempDir(), 'include-city');
    cpSync(FIXTURE, dir, { recursive: true });
    const { config, warnings, files } = readCityConfig(dir);
    expect(warnings).toEqual([]);
    expect(config.agents.map((a) => [a.dir ? `${a.dir}/${a.name}` : a.name, a.max_active_sessions ?? null, a.namepool ?? null])).toEqual([
      // Capped by the fragment's [[patches.agent]].
      ['mayor', 1, null],
      // namepool = "names.txt" in fragments/team.toml is fragments/names.txt.
      ['app/worker', 2, ['furiosa', 'nux']],
      // The convention namepool.txt under the fragment's own agents/ folder.
      ['web/reviewer', null, ['slit']],
    ]);
    expect(config.agents.map((a) => a.namepool_file ?? null)).toEqual([
      null,
      'fragments/names.txt',
      'fragments/agents/reviewer/namepool.txt',
    ]);
    expect(config.rigs?.map((r) => r.name)).toEqual(['app', 'web']);
    expect(config.named_sessions).toEqual([{ template: 'mayor', identity: 'mayor', mode: 'always' }]);
    expect(config.workspace).toEqual({ name: 'include-city' });
    expect(config.daemon).toEqual({ patrol_interval: '1m' });
    expect((config as { beads?: unknown }).beads).toEqual({ provider: 'file' });
    expect(files).toEqual(expect.arrayContaining([join(dir, 'fragments', 'team.toml'), join(dir, 'fragments', 'infra.toml')]));
  });

  it("a fragment's agents come after city.toml's and its pack.toml's, before the rigs' own packs' agents", () => {
    const dir = cityWith({
      'city.toml': `include = ["more.toml"]\n${WS}\n[[rigs]]\nname = "app"\npath = "app"\n\n[[agent]]\nname = "mayor"\n`,
      // Schema 1: a schema-2 city has no [[agent]] tables in city.toml or its fragments (below).
      'pack.toml': `${PACK1}\n[[agent]]\nname = "dog"\n`,
      'more.toml': '[[agent]]\nname = "worker"\nmax_active_sessions = 3\n',
      'app/pack.toml': `${PACK}\n[[agent]]\nname = "polecat"\n`,
    });
    expect(agentsOf(dir)).toEqual([
      ['dog', null],
      ['mayor', null],
      ['worker', 3],
      ['app/polecat', null],
    ]);
  });

  it("a fragment's rig is a rig like city.toml's: its own pack, the city imports' rig copies, its overrides", () => {
    const dir = cityWith({
      'city.toml': `include = ["rigs.toml"]\n${WS}\n[imports.gt]\nsource = "packs/gt"\n`,
      'packs/gt/pack.toml': `${PACK}\n[[agent]]\nname = "polecat"\nscope = "rig"\n`,
      'rigs.toml': '[[rigs]]\nname = "web"\npath = "web"\n\n[[rigs.overrides]]\nagent = "tool"\nmax_active_sessions = 4\n',
      'web/pack.toml': `${PACK}\n[[agent]]\nname = "tool"\n`,
    });
    expect(agentsOf(dir)).toEqual([
      ['web/gt.polecat', null],
      ['web/tool', 4],
    ]);
  });

  it("a fragment's patches apply after city.toml's, to agents, rigs and named sessions from anywhere", () => {
    const dir = cityWith({
      'city.toml': `include = ["a.toml", "b.toml"]\n${WS}\n[[rigs]]\nname = "app"\n\n[[agent]]\nname = "mayor"\n\n[[patches.agent]]\nname = "mayor"\nmax_active_sessions = 5\n`,
      'a.toml': '[[named_session]]\ntemplate = "mayor"\n\n[[patches.agent]]\nname = "mayor"\nmax_active_sessions = 2\n',
      'b.toml': '[[patches.rigs]]\nname = "app"\nsuspended = true\n\n[[patches.named_session]]\ntemplate = "mayor"\nmode = "always"\n',
    });
    const { config } = readCityConfig(dir);
    expect(config.agents.map((a) => a.max_active_sessions)).toEqual([2]);
    expect(config.rigs).toEqual([{ name: 'app', suspended: true }]);
    expect(config.named_sessions).toEqual([{ template: 'mayor', identity: 'mayor', mode: 'always' }]);
  });

  it("a fragment's [workspace] includes come after city.toml's; its [imports] and workspace cap are not taken, and said so", () => {
    const dir = cityWith({
      'city.toml': `include = ["f.toml"]\n[workspace]\nname = "x"\nmax_active_sessions = 9\n`,
      'f.toml': '[workspace]\nmax_active_sessions = 1\nincludes = ["packs/base"]\n\n[imports.gt]\nsource = "packs/gt"\n',
      'packs/base/pack.toml': `${PACK}\n[[agent]]\nname = "dog"\n`,
      'packs/gt/pack.toml': `${PACK}\n[[agent]]\nname = "cat"\n`,
    });
    const { config, warnings } = readCityConfig(dir);
    expect(agentsOf(dir)).toEqual([['dog', null]]);
    expect(config.workspace).toEqual({ name: 'x', max_active_sessions: 9, includes: ['packs/base'] });
    const f = join(dir, 'f.toml');
    expect(warnings.map((w) => w.text)).toEqual([
      `${f}: line 5 (imports): Gas City does not take [imports.*] from a fragment (only from city.toml and its pack.toml), so neither it nor this plan has the agents they name; move them to city.toml`,
      `${f}: line 2 (workspace.max_active_sessions): Gas City does not take [workspace] max_active_sessions from a fragment (it merges name, provider and a few other keys), so the city's cap is city.toml's, in Gas City and in this plan; set it in city.toml`,
    ]);
  });

  it('a remote fragment is warned of and left out', () => {
    const dir = cityWith({ 'city.toml': `include = ["https://example.com/f.toml"]\n${WS}` });
    const { warnings } = readCityConfig(dir);
    expect(warnings.map((w) => w.text)).toEqual([
      `${join(dir, 'city.toml')}: line 1 (include[0]): include "https://example.com/f.toml" is a remote fragment, which gc-tui does not fetch: the agents, rigs and settings it brings in Gas City are not in this plan`,
    ]);
  });

  it('a fragment outside the city and its rigs’ folders is read where it lies, as Gas City reads any path, its folder with it', () => {
    // Beside the city (relative) and elsewhere (absolute): Gas City's resolveConfigPath and fs.ReadFile check no folder.
    const top = tempDir();
    const shared = join(top, 'shared');
    const elsewhere = join(tempDir(), 'gc');
    const dir = join(top, 'city');
    for (const [file, text] of [
      [join(shared, 'team.toml'), '[[agent]]\nname = "worker"\nnamepool = "names.txt"\n\n[[agent]]\nname = "reviewer"\n'],
      [join(shared, 'names.txt'), 'furiosa\nnux\n'],
      [join(shared, 'agents', 'reviewer', 'namepool.txt'), 'slit\n'],
      [join(elsewhere, 'infra.toml'), '[beads]\nprovider = "file"\n\n[[rigs]]\nname = "web"\n'],
    ])
      write(file, text);
    cpSync(
      cityWith({
        'city.toml': `include = ["../shared/team.toml", "${join(elsewhere, 'infra.toml')}"]\n${WS}`,
        '.gc/site.toml': siteToml({ web: '/srv/web' }),
      }),
      dir,
      { recursive: true },
    );
    const { config, warnings, files } = readCityConfig(dir);
    expect(warnings).toEqual([]);
    // Its namepool (relative to the fragment) and its agents/ convention namepool are read in its folder too.
    expect(config.agents.map((a) => [a.name, a.namepool ?? null])).toEqual([
      ['worker', ['furiosa', 'nux']],
      ['reviewer', ['slit']],
    ]);
    expect(config.agents.map((a) => a.namepool_file)).toEqual([
      join('..', 'shared', 'names.txt'),
      join('..', 'shared', 'agents', 'reviewer', 'namepool.txt'),
    ]);
    expect(config.rigs?.map((r) => r.name)).toEqual(['web']);
    expect((config as { beads?: unknown }).beads).toEqual({ provider: 'file' });
    expect(files).toEqual(expect.arrayContaining([join(shared, 'team.toml'), join(elsewhere, 'infra.toml'), join(shared, 'names.txt')]));
  });

  it('a fragment outside the city that is not there is refused, as one inside is', () => {
    const out = join(tempDir(), 'out.toml');
    const dir = cityWith({ 'city.toml': `include = ["${out}"]\n${WS}` });
    expect(inputError(() => readCityConfig(dir)).message).toBe(
      `${join(dir, 'city.toml')}: line 1 (include[0]): include "${out}": ${out}: no such file: Gas City refuses a city whose fragment it cannot load`,
    );
  });

  it('a fragment reached through a symbolic link in the city that leads out of it is warned of and left out, as such a pack is', () => {
    const outside = tempDir();
    write(join(outside, 'team.toml'), '[[agent]]\nname = "spy"\n');
    const dir = cityWith({ 'city.toml': `include = ["team.toml"]\n${WS}` });
    symlinkSync(join(outside, 'team.toml'), join(dir, 'team.toml'));
    const { config, warnings } = readCityConfig(dir);
    expect(config.agents).toEqual([]);
    expect(warnings.map((w) => w.text)).toEqual([
      `${join(dir, 'city.toml')}: line 1 (include[0]): include "team.toml" (${join(dir, 'team.toml')}) leads through a symbolic link to ${realpathSync(join(outside, 'team.toml'))}, outside the city directory (paths in a city must stay inside it), and gc-tui reads no file there: the agents, rigs and settings it brings in Gas City are not in this plan`,
    ]);
  });

  it('a fragment that is not there is refused, naming the line of city.toml that includes it', () => {
    const dir = cityWith({ 'city.toml': `# the fragments\ninclude = ["missing.toml"]\n${WS}` });
    expect(inputError(() => readCityConfig(dir)).message).toBe(
      `${join(dir, 'city.toml')}: line 2 (include[0]): include "missing.toml": ${join(dir, 'missing.toml')}: no such file: Gas City refuses a city whose fragment it cannot load`,
    );
  });

  it('a fragment that is not TOML is refused, naming the fragment and its line', () => {
    const dir = cityWith({ 'city.toml': `include = ["bad.toml"]\n${WS}`, 'bad.toml': '[[agent]]\nname = "w"\n{{invalid\n' });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'bad.toml'));
    expect(e.place).toMatch(/^line 3, column \d+$/);
  });

  it('a fragment that includes another is refused, as Gas City allows no nested includes', () => {
    const dir = cityWith({ 'city.toml': `include = ["f.toml"]\n${WS}`, 'f.toml': 'include = ["g.toml"]\n', 'g.toml': '' });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'f.toml'));
    expect(e.place).toBe('line 1 (include)');
    expect(e.detail).toContain('a fragment cannot include other fragments');
  });

  it('an agent a fragment declares again is refused, naming the fragment and the first declaration', () => {
    const dir = cityWith({ 'city.toml': `include = ["f.toml"]\n${WS}\n[[agent]]\nname = "w"\n`, 'f.toml': '\n[[agent]]\nname = "w"\n' });
    const e = inputError(() => readCityConfig(dir));
    expect(e.message).toBe(
      `${join(dir, 'f.toml')}: line 2 (agent[0]): duplicate template "w" (first declared in ${join(dir, 'city.toml')} at line 5 (agent[0]))`,
    );
  });

  it('a rig a fragment declares again is refused, naming both files', () => {
    const dir = cityWith({ 'city.toml': `include = ["f.toml"]\n${WS}\n[[rigs]]\nname = "app"\n`, 'f.toml': '[[rigs]]\nname = "app"\n' });
    expect(inputError(() => readCityConfig(dir)).message).toBe(
      `${join(dir, 'f.toml')}: line 2 (rigs[0].name): duplicate rig name "app" (first at ${join(dir, 'city.toml')} line 6 (rigs[0].name))`,
    );
  });

  it("the refusals about a fragment's rig, patch or cap name the fragment and its line", () => {
    const rig = cityWith({
      'city.toml': `include = ["f.toml"]\n${WS}`,
      'f.toml': '[[rigs]]\nname = "web"\npath = "web"\n\n[[rigs.patches]]\nagent = "nope"\n',
      'web/pack.toml': `${PACK}\n[[agent]]\nname = "tool"\n`,
    });
    expect(inputError(() => readCityConfig(rig)).message).toMatch(
      new RegExp(`^${join(rig, 'f.toml')}: line 5 \\(rigs\\[0\\]\\.patches\\[0\\]\\): agent "nope"`),
    );
    const patch = cityWith({ 'city.toml': `include = ["f.toml"]\n${WS}`, 'f.toml': '[[patches.agent]]\nname = "ghost"\n' });
    expect(inputError(() => readCityConfig(patch)).message).toMatch(
      new RegExp(`^${join(patch, 'f.toml')}: line 1 \\(patches\\.agent\\[0\\]\\): agent "ghost"`),
    );
    const cap = cityWith({ 'city.toml': `include = ["f.toml"]\n${WS}`, 'f.toml': '[[agent]]\nname = "w"\nmax_active_sessions = 1.0\n' });
    expect(inputError(() => readCityConfig(cap)).message).toMatch(
      new RegExp(`^${join(cap, 'f.toml')}: line 3 \\(agent\\[0\\]\\.max_active_sessions\\)`),
    );
  });

  it('the [beads] a fragment sets is named as where the provider came from, not city.toml', async () => {
    const dir = join(tempDir(), 'include-city');
    cpSync(FIXTURE, dir, { recursive: true });
    const infra = join(dir, 'fragments', 'infra.toml');
    expect(readCityConfig(dir).beadsFile).toBe(infra);
    const loaded = await loadCity(dir);
    expect(loaded.beadsFrom).toEqual({
      from: 'file',
      provider: { name: 'file', why: 'fragments/infra.toml (a fragment city.toml includes) [beads] provider = "file"' },
      detail: join(dir, '.gc', 'beads.json'),
    });
    // One whose [beads] says bd: the write route names it too.
    write(infra, '[beads]\nprovider = "bd"\n');
    expect(writeRouteOf({ kind: 'city', dir }, {})).toEqual({
      route: 'gc',
      why: 'the beads of this city are in a bd store (fragments/infra.toml (a fragment city.toml includes) [beads] provider = "bd")',
    });
  });

  it("the last fragment that sets [beads] is the one named; one that sets none leaves city.toml's", () => {
    const files = { 'a.toml': '[beads]\nprovider = "file"\n', 'b.toml': '[daemon]\npatrol_interval = "1m"\n' };
    const both = cityWith({ ...files, 'city.toml': `include = ["a.toml", "b.toml"]\n${WS}\n[beads]\nprovider = "bd"\n` });
    expect(readCityConfig(both).beadsFile).toBe(join(both, 'a.toml'));
    const none = cityWith({ ...files, 'city.toml': `include = ["b.toml"]\n${WS}\n[beads]\nprovider = "file"\n` });
    expect(readCityConfig(none).beadsFile).toBe(join(none, 'city.toml'));
  });

  it("a fragment's split session store is refused naming the fragment", async () => {
    const dir = cityWith({
      'city.toml': `include = ["store.toml"]\n${WS}`,
      'store.toml': '[beads]\nprovider = "file"\n\n[beads.classes.sessions]\nbackend = "sqlite"\n',
    });
    await expect(loadCity(dir)).rejects.toThrow(
      `store.toml (a fragment city.toml includes) [beads.classes.sessions] backend = "sqlite" keeps`,
    );
  });

  it("a fragment agent's missing namepool is warned of naming the fragment's line, its path relative to the fragment", () => {
    const dir = cityWith({
      'city.toml': `include = ["frags/f.toml"]\n${WS}`,
      'frags/f.toml': '[[agent]]\nname = "w"\nnamepool = "gone.txt"\n',
    });
    const { config, warnings } = readCityConfig(dir);
    expect(config.agents[0].namepool_file).toBe(join('frags', 'gone.txt'));
    expect(warnings.map((w) => w.text)).toEqual([
      expect.stringMatching(
        new RegExp(`^${join(dir, 'frags', 'f.toml')}: line 3 \\(agent\\[0\\]\\.namepool\\): namepool file "frags/gone.txt"`),
      ),
    ]);
  });
});
