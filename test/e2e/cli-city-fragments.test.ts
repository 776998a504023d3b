// A city that keeps part of its configuration in fragment files (city.toml's top-level include), seen through the
// built CLI: the fragments' agents and rig are in `check`'s plan, the [beads] a fragment sets picks the store, and
// the sessions Gas City runs for them are no findings.
import { cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { tempDir } from '../support/files.js';
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
