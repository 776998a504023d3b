// A city that keeps part of its configuration in fragment files (city.toml's top-level include), seen through the
// built CLI: the fragments' agents and rig are in `check`'s plan, wherever the fragments lie, the [beads] a fragment
// sets picks the store (and is named as where the provider came from), and the sessions Gas City runs for them are
// no findings; a schema-2 city with [[agent]] tables in a fragment is refused, as Gas City refuses it.
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { ROOT, run } from './cli-helpers.js';

const FIXTURE = resolve(ROOT, 'fixtures', 'include-city');

/** A fresh copy of the fixture city (check writes nothing, but a test may change a file of it). */
const copy = () => {
  const dir = join(tempDir(), 'include-city');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
};

describe('check on a city that includes fragment files', () => {
  it('plans the fragments’ agents with their namepools and finds their sessions clean', () => {
    const dir = copy();
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.stdout).not.toContain('warning:');
    // The [workspace] name a fragment sets is the city's.
    expect(r.stdout).toContain(`city ${dir} (include-city)`);
    expect(r.stdout).toContain('pools (3):\n');
    expect(r.stdout).toMatch(/^ {2}app\/worker +bounded max=2 .* slots: 1:gc-2$/m);
    expect(r.stdout).toMatch(/^ {2}mayor +bounded max=1 /m);
    expect(r.stdout).toMatch(/^ {2}web\/reviewer +bounded by names max=1 .* slots: 1:gc-3$/m);
    expect(r.stdout).toContain('unresolved_templates=0');
    expect(r.stdout).toContain('result: clean');
    expect(r.code).toBe(0);
  });

  it('plans the same from fragments beside the city (../shared/…), outside it and its rigs’ folders, as Gas City reads them', () => {
    const dir = copy();
    renameSync(join(dir, 'fragments'), join(dir, '..', 'shared'));
    const cityToml = join(dir, 'city.toml');
    writeFileSync(
      cityToml,
      readFileSync(cityToml, 'utf8').replace(
        'include = ["fragments/team.toml", "//fragments/infra.toml"]',
        'include = ["../shared/team.toml", "../shared/infra.toml"]',
      ),
    );
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('warning:');
    expect(r.stdout).toContain('pools (3):\n');
    expect(r.stdout).toMatch(/^ {2}app\/worker +bounded max=2 .* slots: 1:gc-2$/m);
    expect(r.stdout).toMatch(/^ {2}web\/reviewer +bounded by names max=1 .* slots: 1:gc-3$/m);
    expect(r.stdout).toContain('result: clean');
    expect(r.code).toBe(0);
  });

  it('names the fragment whose [beads] provider picked the store', () => {
    const dir = copy();
    write(join(dir, 'fragments', 'infra.toml'), '[beads]\nprovider = "bd"\n');
    const capture = write(join(tempDir(), 'list.json'), '[]\n');
    const r = run(['check', '--city', dir, '--beads', capture, '--now', NOW_ISO]);
    expect(r.stdout).toContain(
      `beads read from the capture ${capture} (provider bd: fragments/infra.toml (a fragment city.toml includes) [beads] provider = "bd"); read-only`,
    );
    // Without a capture and without gc: the refusal says where bd came from.
    const nogc = run(['check', '--city', dir], { env: { PATH: tempDir('gc-tui-nogc-') } });
    expect(nogc.code).toBe(2);
    expect(nogc.stderr).toContain('in a bd store (fragments/infra.toml (a fragment city.toml includes) [beads] provider = "bd")');
  });

  it('a schema-2 city with [[agent]] tables in a fragment is refused (exit 2), naming the fragment and the line', () => {
    const dir = copy();
    // The fixture's city.toml keeps its mayor in the city pack instead (pack.toml's [[agent]] is allowed), and its
    // rig without a path (which a schema-2 city keeps in .gc/site.toml: Gas City would refuse city.toml's first).
    const cityToml = join(dir, 'city.toml');
    writeFileSync(cityToml, readFileSync(cityToml, 'utf8').replace('\n[[agent]]\nname = "mayor"\n', '\n').replace('path = "app"\n', ''));
    write(join(dir, 'pack.toml'), '[pack]\nname = "include-city"\nschema = 2\n\n[[agent]]\nname = "mayor"\n');
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.code).toBe(2);
    const team = join(dir, 'fragments', 'team.toml');
    expect(r.stderr).toBe(
      `gc-tui: ${team}: line 3 (agent[0]): unsupported PackV1 [[agent]] tables in a fragment city.toml includes (include "fragments/team.toml"): ` +
        `the city's pack.toml is schema 2 (${join(dir, 'pack.toml')}: line 3 (pack.schema)), and Gas City refuses the city ("PackV1 config surfaces are no longer supported"); ` +
        'move each agent to agents/<name>/agent.toml\n',
    );
  });

  it('a fragment that is not there is refused (exit 2), naming the line of city.toml that includes it', () => {
    const dir = copy();
    const cityToml = join(dir, 'city.toml');
    writeFileSync(cityToml, 'include = ["fragments/team.toml", "fragments/gone.toml"]\n\n[workspace]\nname = "x"\n');
    const r = run(['check', '--city', dir, '--now', NOW_ISO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `gc-tui: ${cityToml}: line 1 (include[1]): include "fragments/gone.toml": ${join(dir, 'fragments', 'gone.toml')}: no such file: Gas City refuses a city whose fragment it cannot load`,
    );
  });
});
