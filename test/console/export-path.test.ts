// Where the console's `e` (snapshot) and `E` (view) exports go. A city's go to the current directory, but never
// into the city's `.gc/`, which Gas City keeps (the headless commands refuse `--out` there too).
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportPath, fallbackPath } from '../../src/console/review.js';
import { NOW } from '../support/builders.js';
import { tempDir } from '../support/files.js';

function cityDirs() {
  const root = realpathSync(tempDir('gc-tui-export-'));
  const city = join(root, 'city');
  mkdirSync(join(city, '.gc', 'runtime'), { recursive: true });
  const elsewhere = join(root, 'reports');
  mkdirSync(elsewhere);
  return { root, city, elsewhere };
}

describe('exportPath', () => {
  it('puts a city export in the current directory, or in the city directory when that is inside its .gc/', () => {
    const { city, elsewhere } = cityDirs();
    const source = { kind: 'city' as const, dir: city };
    expect(dirname(exportPath(source, 'snapshot', 'md', NOW, elsewhere))).toBe(elsewhere);
    expect(dirname(exportPath(source, 'snapshot', 'md', NOW, city))).toBe(city);
    expect(dirname(exportPath(source, 'snapshot', 'md', NOW, join(city, '.gc')))).toBe(city);
    expect(dirname(exportPath(source, 'slots', 'csv', NOW, join(city, '.gc', 'runtime')))).toBe(city);
    // The city named relative to the current directory, as `--city ..` from inside .gc/ names it.
    expect(dirname(exportPath({ kind: 'city', dir: '..' }, 'snapshot', 'json', NOW, join(city, '.gc')))).toBe(city);
  });

  it('sees through a link into .gc/', () => {
    const { root, city } = cityDirs();
    const link = join(root, 'gc-link');
    symlinkSync(join(city, '.gc'), link);
    expect(dirname(exportPath({ kind: 'city', dir: city }, 'snapshot', 'md', NOW, link))).toBe(city);
  });

  it('puts a store export beside the store file', () => {
    const { elsewhere } = cityDirs();
    const file = join(elsewhere, 'pool.json');
    expect(exportPath({ kind: 'store', path: file }, 'snapshot', 'csv', NOW, '/')).toBe(
      join(elsewhere, 'pool.snapshot-20260506T021300Z.csv'),
    );
  });

  it("keeps out of another city's .gc/ too: a city export goes to its own city, a refused store export has no fallback there", () => {
    const { root, city, elsewhere } = cityDirs();
    const other = join(root, 'other');
    mkdirSync(join(other, '.gc', 'runtime'), { recursive: true });
    writeFileSync(join(other, 'city.toml'), '[workspace]\nname = "other"\n');
    const inOther = join(other, '.gc', 'runtime');
    expect(dirname(exportPath({ kind: 'city', dir: city }, 'snapshot', 'md', NOW, inOther))).toBe(city);
    const store = { kind: 'store' as const, path: join(elsewhere, 'gone', 'pool.json') };
    const file = exportPath(store, 'snapshot', 'md', NOW, inOther);
    expect(fallbackPath(store, file, inOther)).toBeNull();
    // From a directory that is no city's .gc/, the current directory takes it.
    expect(fallbackPath(store, file, elsewhere)).toBe(join(elsewhere, 'pool.snapshot-20260506T021300Z.md'));
    // A store file kept inside a city's .gc/: its exports go to the city directory.
    expect(dirname(exportPath({ kind: 'store', path: join(inOther, 'pool.json') }, 'snapshot', 'md', NOW, elsewhere))).toBe(other);
    // A .gc directory without a city.toml beside it is an ordinary directory.
    const plain = join(root, 'plain', '.gc');
    mkdirSync(plain, { recursive: true });
    expect(fallbackPath(store, file, plain)).toBe(join(plain, 'pool.snapshot-20260506T021300Z.md'));
  });
});
