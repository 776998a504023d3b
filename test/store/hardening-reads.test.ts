// Issue 12, item 2: the files a city names are read as regular files only, within a size limit, without
// hanging, and from inside the city directory.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCity } from '../../src/store/formats/load-city.js';
import { readRegularText } from '../../src/store/fs/read-bounded.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { CITY_TOML, cityWithDrift, NOW, put, repairsOf, tmp } from './hardening-fixtures.js';

/** The city.toml of cityWithDrift with `namepool = <spec>` on the first agent. */
function withNamepool(spec: string): string {
  return CITY_TOML.replace('max_active_sessions = 10', `max_active_sessions = 10\nnamepool = ${JSON.stringify(spec)}`);
}

/** The message loading the city fails with (it must fail). */
async function loadError(dir: string): Promise<string> {
  try {
    await loadCity(dir);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${dir} loaded`);
}

describe('namepool files', () => {
  it('a FIFO is refused at once (no hang), naming city.toml, the line and the file', async () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'names.fifo')]);
    cityWithDrift(dir, withNamepool('names.fifo'));
    expect(await loadError(dir)).toBe(
      `${join(dir, 'city.toml')}: line 12 (agent[0].namepool): namepool file "names.fifo" (${join(dir, 'names.fifo')}): is not a regular file (a FIFO, device or socket); refusing to use it`,
    );
  });

  it('paths that leave the city are refused: ../../etc/passwd, /dev/zero, a link pointing out', async () => {
    const a = tmp();
    cityWithDrift(a, withNamepool('../../etc/passwd'));
    expect(await loadError(a)).toMatch(
      /namepool file "\.\.\/\.\.\/etc\/passwd" \(.*\): is outside the city directory \(paths in a city must stay inside it\)$/,
    );
    const b = tmp();
    cityWithDrift(b, withNamepool('/dev/zero'));
    expect(await loadError(b)).toMatch(/namepool file "\/dev\/zero" \(\/dev\/zero\): is outside the city directory/);
    const c = tmp();
    symlinkSync('/etc/passwd', join(c, 'names.txt'));
    cityWithDrift(c, withNamepool('names.txt'));
    expect(await loadError(c)).toMatch(
      /namepool file "names\.txt" \(.*\): leads through a symbolic link to \/etc\/passwd, outside the city directory/,
    );
    const d = tmp();
    symlinkSync('/dev/zero', join(d, 'zero'));
    cityWithDrift(d, withNamepool('zero'));
    expect(await loadError(d)).toMatch(/outside the city directory/);
  });

  it('a namepool inside the city, through a link that stays inside, loads; one over 1 MiB is refused', async () => {
    const dir = tmp();
    put(join(dir, 'pools', 'names.txt'), '# names\nfuriosa\nnux\n');
    symlinkSync(join(dir, 'pools', 'names.txt'), join(dir, 'names.txt'));
    cityWithDrift(dir, withNamepool('names.txt'));
    const loaded = await loadCity(dir);
    expect(loaded.state.city.agents[0].namepool).toEqual(['furiosa', 'nux']);

    const big = tmp();
    put(join(big, 'names.txt'), 'n\n'.repeat(600_000));
    cityWithDrift(big, withNamepool('names.txt'));
    expect(await loadError(big)).toMatch(
      /namepool file "names\.txt" \(.*\): is 1200000 bytes, over the 1 MiB limit \(a namepool is a list of names\)$/,
    );
  });

  // A link as the folder itself is no agent to Gas City, so it is never read (load-city.test.ts); its agent.toml is,
  // with pack.toml (Gas City's discovery) and without (the contract's agents/<name>/agent.toml) alike.
  it.each([
    ['with pack.toml', true],
    ['without pack.toml', false],
  ])('an agents/<name>/agent.toml that is a link out of the city is refused (%s)', async (_, pack) => {
    const dir = tmp();
    const outside = tmp();
    put(join(outside, 'agent.toml'), 'max_active_sessions = 2\n');
    mkdirSync(join(dir, 'agents', 'spy'), { recursive: true });
    symlinkSync(join(outside, 'agent.toml'), join(dir, 'agents', 'spy', 'agent.toml'));
    // Schema 1: the city.toml holds [[agent]] tables, which a schema-2 city may not.
    if (pack) put(join(dir, 'pack.toml'), '[pack]\nname = "spies"\nschema = 1\n');
    cityWithDrift(dir);
    expect(await loadError(dir)).toMatch(
      new RegExp(`${join(dir, 'agents', 'spy', 'agent.toml')}: leads through a symbolic link to .*, outside the city directory`),
    );
  });
});

describe('.gc/beads.json', () => {
  it('a FIFO or a link to /dev/zero is refused by the read and by the locked write, at once', async () => {
    const { source, dir, beads } = cityWithDrift();
    const repairs = await repairsOf(source);
    execFileSync('rm', [beads]);
    execFileSync('mkfifo', [beads]);
    const refused = `${beads}: is not a regular file (a FIFO, device or socket); refusing to use it`;
    expect(await loadError(dir)).toBe(refused);
    await expect(applyRepairsLocked(source, repairs, { now: NOW, by: 'op' })).rejects.toThrow(refused);
    execFileSync('rm', [beads]);
    symlinkSync('/dev/zero', beads);
    expect(await loadError(dir)).toBe(refused);
  });

  it('a file over GC_TUI_MAX_FILE_BYTES is refused with the limit and how to raise it', async () => {
    const { dir, beads } = cityWithDrift();
    const before = process.env.GC_TUI_MAX_FILE_BYTES;
    process.env.GC_TUI_MAX_FILE_BYTES = '1000';
    try {
      writeFileSync(beads, JSON.stringify({ seq: 1, beads: [], pad: 'x'.repeat(2000) }));
      expect(await loadError(dir)).toBe(`${beads}: is 2029 bytes, over the 1000 bytes limit (set GC_TUI_MAX_FILE_BYTES to raise it)`);
    } finally {
      if (before === undefined) delete process.env.GC_TUI_MAX_FILE_BYTES;
      else process.env.GC_TUI_MAX_FILE_BYTES = before;
    }
  });
});

describe('readRegularText', () => {
  it('refuses devices, directories and (with noFollow) links, with the path', () => {
    const dir = tmp();
    expect(() => readRegularText('/dev/zero')).toThrow('/dev/zero: is not a regular file (a FIFO, device or socket); refusing to use it');
    expect(() => readRegularText(dir)).toThrow(`${dir}: is a directory, not a file`);
    put(join(dir, 'a.txt'), 'a');
    symlinkSync(join(dir, 'a.txt'), join(dir, 'link'));
    expect(readRegularText(join(dir, 'link'))).toBe('a');
    expect(() => readRegularText(join(dir, 'link'), { noFollow: true })).toThrow(/is a symbolic link/);
    expect(() => readRegularText(join(dir, 'missing'))).toThrow(`${join(dir, 'missing')}: no such file`);
  });
});
