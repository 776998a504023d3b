// What Gas City warns of as it binds a city's rigs to .gc/site.toml (applySiteBindings), and how it refuses a pack's
// `[pack]` header (validatePackMeta, for the city's pack and every pack it reaches): through the CLI, on real files,
// as a user sees it (`check --json`: warnings on stderr; a refusal is one line there, exit 2); and what it only warns
// of in a schema-2 city (a [workspace] name, a fragment’s rig path).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { run } from './cli-helpers.js';

/** A file-store city with these files (paths relative to it) and no beads. */
function city(files: Record<string, string>): string {
  const dir = tempDir();
  write(join(dir, '.gc', 'beads.json'), '{"seq":0,"beads":[]}\n');
  for (const [name, text] of Object.entries(files)) write(join(dir, name), text);
  return dir;
}

const plan = (dir: string) => run(['check', '--json', '--city', dir, '--now', NOW_ISO]);
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('gc-tui: warning: '));

describe('rigs and .gc/site.toml', () => {
  it('a rig bound in .gc/site.toml is warned of by none; one with a path of its own, one with none and a binding for no rig are, in Gas City’s order', () => {
    const dir = city({
      'city.toml':
        '[workspace]\nname = "c"\n\n[[rigs]]\nname = "bound"\npath = "b"\n\n[[rigs]]\nname = "own"\npath = "o"\n\n[[rigs]]\nname = "bare"\n',
      '.gc/site.toml': '[[rig]]\nname = "bound"\npath = "/srv/b"\n\n[[rig]]\nname = "ghost"\npath = "/srv/g"\n',
    });
    const r = plan(dir);
    expect(r.code).toBe(0);
    const toml = join(dir, 'city.toml');
    const site = join(dir, '.gc', 'site.toml');
    expect(warnings(r.stderr)).toEqual([
      `gc-tui: warning: ${site}: line 6 (rig[1].name): a binding for rig "ghost", which the city does not have: it binds nothing, in Gas City or in this plan; Gas City warns: ".gc/site.toml declares a binding for unknown rig "ghost""`,
      `gc-tui: warning: ${toml}: line 13 (rigs[2].name): rig "bare" has no path: no binding in ${site} and none of its own, so Gas City gives it no folder, nor does this plan (no bead store of its own is read for it); Gas City warns: "rig "bare" is declared in city.toml but has no path binding in .gc/site.toml; run \`gc rig add <dir> --name bare\` to bind it"`,
      `gc-tui: warning: ${toml}: line 10 (rigs[1].path): rig "own" has no binding in ${site} and a path of its own ("o"), which Gas City still reads, and so does this plan; Gas City warns: "rig "own" still declares path in city.toml; move it to .gc/site.toml (run \`gc doctor --fix\`)"`,
    ]);
  });

  it('a city without .gc/site.toml warns of each rig, a fragment’s too, naming where it is declared', () => {
    const dir = city({
      'city.toml': 'include = ["more.toml"]\n\n[workspace]\nname = "c"\n\n[[rigs]]\nname = "app"\npath = "app"\n',
      'more.toml': '[[rigs]]\nname = "web"\npath = "web"\n',
    });
    const r = plan(dir);
    expect(r.code).toBe(0);
    expect(warnings(r.stderr).map((w) => w.split(': rig ')[0])).toEqual([
      `gc-tui: warning: ${join(dir, 'city.toml')}: line 8 (rigs[0].path)`,
      `gc-tui: warning: ${join(dir, 'more.toml')}: line 3 (rigs[0].path)`,
    ]);
    // Bound, neither is.
    write(join(dir, '.gc', 'site.toml'), '[[rig]]\nname = "app"\npath = "app"\n\n[[rig]]\nname = "web"\npath = "web"\n');
    expect(plan(dir).stderr).toBe('');
  });
});

describe('the [pack] header of every pack a city reaches', () => {
  const PACK = '[pack]\nname = "p"\nschema = 2\n';
  const cityImporting = (pack: string) =>
    city({ 'city.toml': '[workspace]\nname = "c"\n\n[imports.tools]\nsource = "packs/tools"\n', 'packs/tools/pack.toml': pack });

  it('an imported pack without a name, or of a schema Gas City does not read, is refused naming its file and line', () => {
    for (const [pack, place, detail] of [
      [
        '[pack]\nschema = 2\n',
        'line 1 (pack)',
        '[pack] name is required: the pack\'s name: Gas City refuses a city that reaches this pack ("[pack] name is required")',
      ],
      [
        '[pack]\nname = "p"\nschema = 3\n',
        'line 3 (pack.schema)',
        '[pack] schema 3 is newer than Gas City reads: Gas City refuses a city that reaches this pack ("[pack] schema 3 not supported (max 2)")',
      ],
      ['[pack]\nname = "p"\n', 'line 1 (pack)', '[pack] schema is required'],
    ]) {
      const dir = cityImporting(pack);
      const r = plan(dir);
      expect(r.code, pack).toBe(2);
      expect(r.stderr, pack).toContain(`gc-tui: ${join(dir, 'packs', 'tools', 'pack.toml')}: ${place}: ${detail}`);
    }
  });

  it('a [[pack.requires]] entry without an agent, or with a scope other than city or rig, is refused, in a rig’s pack and in the city’s own', () => {
    const rigPack = city({
      'city.toml': '[workspace]\nname = "c"\n\n[[rigs]]\nname = "app"\nincludes = ["packs/gt"]\n',
      '.gc/site.toml': '[[rig]]\nname = "app"\npath = "/srv/app"\n',
      'packs/gt/pack.toml': `${PACK}\n[[pack.requires]]\nscope = "rig"\n`,
    });
    const r = plan(rigPack);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `gc-tui: ${join(rigPack, 'packs', 'gt', 'pack.toml')}: line 5 (pack.requires[0]): [pack] requires[0] names no agent: each requirement names the agent the pack needs: Gas City refuses a city that reaches this pack ("[pack] requires[0]: agent is required")`,
    );
    const own = city({
      'city.toml': '[workspace]\nname = "c"\n',
      'pack.toml': `${PACK}\n[[pack.requires]]\nscope = "town"\nagent = "mayor"\n`,
    });
    const o = plan(own);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain(
      `gc-tui: ${join(own, 'pack.toml')}: line 6 (pack.requires[0].scope): [pack] requires[0] scope must be "city" or "rig", got "town": Gas City refuses the city ("city pack.toml: [pack] requires[0]: scope must be "city" or "rig", got "town"")`,
    );
    // Met, the requirement is no refusal: Gas City checks the agent exists only once the city is composed.
    write(join(own, 'pack.toml'), `${PACK}\n[[pack.requires]]\nscope = "city"\nagent = "mayor"\n\n[[agent]]\nname = "mayor"\n`);
    expect(plan(own).code).toBe(0);
  });
});

describe('what a schema-2 city keeps of the old site surfaces: a [workspace] name, a fragment’s rig path', () => {
  const PACK = '[pack]\nname = "p"\nschema = 2\n';
  const WORKSPACE_GAS =
    'workspace identity fields are deprecated in v2; move them to .gc/site.toml (workspace.name); move them to .gc/site.toml (run `gc doctor --fix` if this is the root city.toml; fragments must be updated by hand)';
  const header = (dir: string) => run(['check', '--city', dir, '--now', NOW_ISO]).stdout.split('\n')[0];

  it('a [workspace] name in city.toml is warned of, naming its line, and still names the city; in .gc/site.toml, as gc doctor --fix moves it, it is not', () => {
    const dir = city({ 'city.toml': '[workspace]\nname = "c"\n', 'pack.toml': PACK });
    const r = plan(dir);
    expect(r.code).toBe(0);
    expect(warnings(r.stderr)).toEqual([
      `gc-tui: warning: ${join(dir, 'city.toml')}: line 2 (workspace.name): [workspace] name "c" in a city whose pack.toml is schema 2: Gas City still reads it (a .gc/site.toml workspace_name names the city before it), and so does this plan; Gas City warns: "${WORKSPACE_GAS}"`,
    ]);
    expect(header(dir)).toBe(`gc-tui check: city ${dir} (c) at ${NOW_ISO}`);
    write(join(dir, 'city.toml'), '');
    write(join(dir, '.gc', 'site.toml'), 'workspace_name = "c"\n');
    expect(plan(dir).stderr).toBe('');
    expect(header(dir)).toBe(`gc-tui check: city ${dir} (c) at ${NOW_ISO}`);
  });

  it('a fragment’s [workspace] name and rig path are warned of, naming the fragment’s lines, the path even when .gc/site.toml binds the rig', () => {
    const dir = city({
      'city.toml': 'include = ["more.toml"]\n',
      'more.toml': '[workspace]\nname = "c"\n\n[[rigs]]\nname = "web"\npath = "web"\n',
      '.gc/site.toml': '[[rig]]\nname = "web"\npath = "/srv/web"\n',
      'pack.toml': PACK,
    });
    const r = plan(dir);
    expect(r.code).toBe(0);
    const more = join(dir, 'more.toml');
    expect(warnings(r.stderr)).toEqual([
      `gc-tui: warning: ${more}: line 2 (workspace.name): [workspace] name "c" in a city whose pack.toml is schema 2: Gas City still reads it (a .gc/site.toml workspace_name names the city before it), and so does this plan; Gas City warns: "${WORKSPACE_GAS}"`,
      `gc-tui: warning: ${more}: line 6 (rigs[0].path): rig "web" declares its path in a fragment of a city whose pack.toml is schema 2: Gas City still reads it (a .gc/site.toml binding for the rig replaces it), and so does this plan; Gas City warns: "rig.path is deprecated in v2; move it to .gc/site.toml for rig "web"; move it to .gc/site.toml (run \`gc doctor --fix\` if this is the root city.toml; otherwise add the binding manually and remove rig.path from the fragment)"`,
    ]);
    // Gas City warns of neither in an older city (pack.toml schema 1), nor in one without pack.toml.
    write(join(dir, 'pack.toml'), '[pack]\nname = "p"\nschema = 1\n');
    expect(plan(dir).stderr).toBe('');
  });
});
