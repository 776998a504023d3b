// A pack's [[pack.requires]] checked once the city is composed, as Gas City checks them (compose.go
// validateCityRequirements; pack.go expandPacks for a rig's packs), and city.toml's [imports] beside a pack.toml
// warned of as Gas City warns of them (LoadWithIncludesOptions). Cities on disk; a refusal names the pack.toml
// and the line of the requirement it misses.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCityConfig } from '../../src/store/formats/load-city.js';
import { PACK, PACK1, agentsOf, cityWith, inputError, siteToml } from '../support/city-dirs.js';

const WS = '[workspace]\nname = "x"\n';
const requires = (scope: string, agent: string) => `\n[[pack.requires]]\nscope = "${scope}"\nagent = "${agent}"\n`;
const agentToml = (name: string, scope = '') => `\n[[agent]]\nname = "${name}"\n${scope ? `scope = "${scope}"\n` : ''}`;
const warningsOf = (dir: string) => readCityConfig(dir).warnings.map((w) => w.text);

/** The refusal of the city in `dir`: its file (relative to the city), place and detail. */
function refusal(dir: string) {
  const e = inputError(() => readCityConfig(dir));
  return { file: e.file.slice(dir.length + 1), place: e.place, detail: e.detail };
}

describe('a city-scoped requirement', () => {
  it("of the city's own pack.toml: met by an agent folder, else refused at its [[pack.requires]] line", () => {
    const files = { 'city.toml': WS, 'pack.toml': `${PACK}${requires('city', 'mayor')}` };
    expect(refusal(cityWith(files))).toEqual({
      file: 'pack.toml',
      place: 'line 5 (pack.requires[0])',
      detail:
        'the pack requires the city agent "mayor", and the composed city has no agent of that name: Gas City refuses the city ' +
        '("pack requires city agent "mayor" — include a pack that provides it")',
    });
    expect(agentsOf(cityWith({ ...files, 'agents/mayor/agent.toml': '' }))).toEqual([['mayor', null]]);
  });

  it("of an imported pack: met by another import's agent by its bare name (gt.mayor is mayor), else refused in that pack", () => {
    const files = {
      'city.toml': WS,
      'pack.toml': `${PACK}\n[imports.gt]\nsource = "packs/gastown"\n\n[imports.sw]\nsource = "packs/swarm"\n`,
      'packs/gastown/pack.toml': `${PACK}${requires('city', 'mayor')}${agentToml('polecat', 'city')}`,
      'packs/swarm/pack.toml': `${PACK}${agentToml('mayor', 'city')}`,
    };
    expect(agentsOf(cityWith(files))).toEqual([
      ['gt.polecat', null],
      ['sw.mayor', null],
    ]);
    const dir = cityWith({ ...files, 'packs/swarm/pack.toml': `${PACK}${agentToml('deacon', 'city')}` });
    expect(refusal(dir)).toMatchObject({ file: join('packs', 'gastown', 'pack.toml'), place: 'line 5 (pack.requires[0])' });
  });

  it('of a pack an import reaches: checked through a transitive import, not through one with transitive = false', () => {
    const files = (transitive: boolean) => ({
      'city.toml': WS,
      'pack.toml': `${PACK}\n[imports.gt]\nsource = "packs/gastown"\ntransitive = ${transitive}\n`,
      'packs/gastown/pack.toml': `${PACK}\n[imports.maint]\nsource = "../maint"\n${agentToml('polecat', 'city')}`,
      'packs/maint/pack.toml': `${PACK}${requires('city', 'dog')}${agentToml('reaper', 'city')}`,
    });
    expect(refusal(cityWith(files(true)))).toMatchObject({ file: join('packs', 'maint', 'pack.toml'), place: 'line 5 (pack.requires[0])' });
    expect(agentsOf(cityWith(files(false)))).toEqual([['gt.polecat', null]]);
  });

  it('met by a rig agent too (Gas City looks among all the agents); a rig-scoped one of a city import is not checked', () => {
    const dir = cityWith({
      'city.toml': `${WS}\n[[rigs]]\nname = "app"\n`,
      '.gc/site.toml': siteToml({ app: '/srv/app' }),
      'pack.toml': `${PACK}${requires('city', 'coder')}\n[imports.sw]\nsource = "packs/swarm"\n`,
      'packs/swarm/pack.toml': `${PACK}${requires('rig', 'committer')}${agentToml('coder', 'rig')}`,
    });
    expect(agentsOf(dir)).toEqual([['app/sw.coder', null]]);
  });

  it('a pack gc-tui left out (remote) might bring it: a warning naming the requirement, and the city is read', () => {
    const dir = cityWith({
      'city.toml': WS,
      'pack.toml': `${PACK}${requires('city', 'mayor')}\n[imports.gt]\nsource = "https://github.com/o/r/tree/main/gastown"\n`,
    });
    expect(warningsOf(dir).at(-1)).toBe(
      `${join(dir, 'pack.toml')}: line 5 (pack.requires[0]): the pack requires the city agent "mayor", and the composed city has no agent of that name among those this plan read; ` +
        'Gas City refuses the city unless a pack or fragment gc-tui left out (warned of above) brings it ("pack requires city agent "mayor" — include a pack that provides it")',
    );
  });

  it('not one under an import with transitive = false, whose agents do not come to the city: refused; through a transitive one: a warning', () => {
    const imported = (transitive: boolean) =>
      cityWith({
        'city.toml': WS,
        'pack.toml': `${PACK}${requires('city', 'mayor')}\n[imports.gt]\nsource = "packs/gastown"\ntransitive = ${transitive}\n`,
        'packs/gastown/pack.toml': `${PACK}${agentToml('polecat', 'city')}\n[imports.base]\nsource = "https://github.com/o/r/tree/main/base"\n`,
      });
    expect(refusal(imported(false))).toMatchObject({ file: 'pack.toml', place: 'line 5 (pack.requires[0])' });
    expect(warningsOf(imported(true)).at(-1)).toMatch(/pack\.toml: line 5 \(pack\.requires\[0\]\): .* among those this plan read/);
  });

  it('nor one under a rig import with transitive = false: refused', () => {
    const dir = cityWith({
      'city.toml': `${WS}\n[[rigs]]\nname = "app"\npath = "/srv/app"\n\n[rigs.imports.gt]\nsource = "packs/gastown"\ntransitive = false\n`,
      'pack.toml': `${PACK1}${requires('city', 'mayor')}`,
      'packs/gastown/pack.toml': `${PACK}${agentToml('polecat')}\n[imports.base]\nsource = "https://github.com/o/r/tree/main/base"\n`,
    });
    expect(refusal(dir)).toMatchObject({ file: 'pack.toml', place: 'line 5 (pack.requires[0])' });
  });

  it('so might a fragment gc-tui left out (remote): a warning too', () => {
    const dir = cityWith({
      'city.toml': 'include = ["https://example.com/team.toml"]\n',
      'pack.toml': `${PACK}${requires('city', 'mayor')}`,
    });
    expect(warningsOf(dir).at(-1)).toMatch(
      /pack\.toml: line 5 \(pack\.requires\[0\]\): the pack requires the city agent "mayor", .* unless a pack or fragment gc-tui left out/,
    );
  });
});

describe('a rig-scoped requirement of a rig’s pack', () => {
  const rigCity = (rig: string, packs: Record<string, string>) =>
    cityWith({ 'city.toml': `${WS}\n[[rigs]]\nname = "app"\npath = "/srv/app"\n${rig}`, 'pack.toml': PACK1, ...packs });

  it('of an include: met among the agents that include brings, its own includes’ too, else refused', () => {
    const packs = {
      'packs/gastown/pack.toml': `${PACK}includes = ["../base"]\n${requires('rig', 'witness')}${agentToml('polecat')}`,
      'packs/base/pack.toml': `${PACK}${agentToml('witness')}`,
    };
    expect(agentsOf(rigCity('includes = ["packs/gastown"]\n', packs))).toEqual([
      ['app/witness', null],
      ['app/polecat', null],
    ]);
    const dir = rigCity('includes = ["packs/gastown"]\n', { ...packs, 'packs/base/pack.toml': PACK });
    expect(refusal(dir)).toEqual({
      file: join('packs', 'gastown', 'pack.toml'),
      place: 'line 6 (pack.requires[0])',
      detail:
        'the pack requires the rig agent "witness", and the packs of rig "app" bring no agent of that name: Gas City refuses the city ' +
        '("rig "app": pack requires rig agent "witness" — include a pack that provides it")',
    });
  });

  it('of an import: in Gas City’s words for an import', () => {
    const dir = rigCity('\n[rigs.imports.gt]\nsource = "packs/gastown"\n', {
      'packs/gastown/pack.toml': `${PACK}${requires('rig', 'witness')}${agentToml('polecat')}`,
    });
    expect(refusal(dir).detail).toBe(
      'the pack requires the rig agent "witness", and the import "gt" of rig "app" brings no agent of that name: Gas City refuses the city ' +
        '("rig "app": import "gt" requires rig agent "witness" — not found")',
    );
  });
});

describe('a pack left out softens only the requirements it might meet', () => {
  const REMOTE = 'https://github.com/o/r/tree/main/gastown';
  const GASTOWN = { 'packs/gastown/pack.toml': `${PACK}${requires('rig', 'witness')}${agentToml('polecat')}` };
  const rigs = (...entries: string[]) => entries.map((e, i) => `\n[[rigs]]\nname = "r${i}"\npath = "/srv/r${i}"\n${e}`).join('');
  const gastownRefused = (rig: string) =>
    `the pack requires the rig agent "witness", and the packs of rig "${rig}" bring no agent of that name: Gas City refuses the city ` +
    `("rig "${rig}": pack requires rig agent "witness" — include a pack that provides it")`;

  it("a remote pack another rig imports: this rig's requirement is refused", () => {
    const dir = cityWith({
      'city.toml': `${WS}${rigs(`\n[rigs.imports.gt]\nsource = "${REMOTE}"\n`, 'includes = ["packs/gastown"]\n')}`,
      'pack.toml': PACK1,
      ...GASTOWN,
    });
    expect(refusal(dir)).toEqual({
      file: join('packs', 'gastown', 'pack.toml'),
      place: 'line 5 (pack.requires[0])',
      detail: gastownRefused('r1'),
    });
  });

  it("a remote pack the city imports (as Gas City's own examples import core): a rig's requirement is refused", () => {
    const dir = cityWith({
      'city.toml': `${WS}\n[imports.core]\nsource = "${REMOTE}"\n${rigs('includes = ["packs/gastown"]\n')}`,
      'pack.toml': PACK1,
      ...GASTOWN,
    });
    expect(refusal(dir)).toMatchObject({ file: join('packs', 'gastown', 'pack.toml'), detail: gastownRefused('r0') });
  });

  it('a remote pack the rig’s include itself includes: a warning, and the city is read', () => {
    const dir = cityWith({
      'city.toml': `${WS}${rigs('includes = ["packs/gastown"]\n')}`,
      'pack.toml': PACK1,
      'packs/gastown/pack.toml': `${PACK}includes = ["${REMOTE}"]\n${requires('rig', 'witness')}${agentToml('polecat')}`,
    });
    expect(warningsOf(dir).at(-1)).toMatch(
      /gastown\/pack\.toml: line 6 \(pack\.requires\[0\]\): the pack requires the rig agent "witness", .* among those this plan read; Gas City refuses the city unless a pack or fragment gc-tui left out/,
    );
  });

  it('a remote pack under a rig import with transitive = false brings none of the agents taken: refused', () => {
    const imported = (transitive: boolean) =>
      cityWith({
        'city.toml': `${WS}${rigs(`\n[rigs.imports.gt]\nsource = "packs/gastown"\ntransitive = ${transitive}\n`)}`,
        'pack.toml': PACK1,
        'packs/gastown/pack.toml': `${PACK}${requires('rig', 'witness')}${agentToml('polecat')}\n[imports.base]\nsource = "${REMOTE}"\n`,
      });
    expect(refusal(imported(false)).detail).toMatch(
      /^the pack requires the rig agent "witness", and the import "gt" of rig "r0" brings no agent/,
    );
    expect(warningsOf(imported(true)).at(-1)).toMatch(
      /the import "gt" of rig "r0" brings no agent of that name among those this plan read/,
    );
  });

  it('softened, every requirement missed is warned of, not only the first: a rig include’s and the city’s', () => {
    const dir = cityWith({
      'city.toml': `${WS}${rigs('includes = ["packs/gastown"]\n')}`,
      'pack.toml': `${PACK1}${requires('city', 'mayor')}${requires('city', 'deacon')}`,
      'packs/gastown/pack.toml': `${PACK}includes = ["${REMOTE}"]\n${requires('rig', 'witness')}${requires('rig', 'refinery')}${agentToml('polecat')}`,
    });
    const said = warningsOf(dir)
      .filter((w) => w.includes('among those this plan read'))
      .map((w) => /\(pack\.requires\[\d\]\): the pack requires the (?:rig|city) agent "\w+"/.exec(w)?.[0]);
    expect(said).toEqual([
      '(pack.requires[0]): the pack requires the rig agent "witness"',
      '(pack.requires[1]): the pack requires the rig agent "refinery"',
      '(pack.requires[0]): the pack requires the city agent "mayor"',
      '(pack.requires[1]): the pack requires the city agent "deacon"',
    ]);
  });

  it('of several missed, the one Gas City names first: the first rig’s, and a rig’s before the city’s', () => {
    const dir = cityWith({
      'city.toml': `${WS}${rigs('includes = ["packs/gastown"]\n', 'includes = ["packs/gastown"]\n')}`,
      'pack.toml': `${PACK1}${requires('city', 'mayor')}`,
      ...GASTOWN,
    });
    expect(refusal(dir).detail).toBe(gastownRefused('r0'));
  });
});

describe("city.toml's [imports] beside a pack.toml", () => {
  it('are read, with the warning Gas City gives, counting city.toml’s own; none without a pack.toml', () => {
    const packs = { 'packs/a/pack.toml': `${PACK}${agentToml('dog', 'city')}`, 'packs/b/pack.toml': `${PACK}${agentToml('cat', 'city')}` };
    const cityToml = `# deployment\n\n\n[imports.a]\nsource = "packs/a"\n\n[imports.b]\nsource = "packs/b"\n`;
    const dir = cityWith({ 'city.toml': cityToml, 'pack.toml': PACK, ...packs });
    expect(agentsOf(dir)).toEqual([
      ['a.dog', null],
      ['b.cat', null],
    ]);
    expect(warningsOf(dir)).toEqual([
      `${join(dir, 'city.toml')}: line 4 (imports): [imports] in city.toml beside a pack.toml, which Gas City still reads, and so does this plan; ` +
        'Gas City warns: "city.toml declares 2 [imports] — consider moving them to pack.toml (imports are definition, city.toml is deployment)"',
    ]);
    expect(warningsOf(cityWith({ 'city.toml': cityToml, ...packs }))).toEqual([]);
  });
});
