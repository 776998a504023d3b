// Where the console's `e` (snapshot) and `E` (view) exports go: where gc-tui keeps its own files beside the input
// (CONTRACT), never among Gas City's. A city's go into its `.gc/gc-tui/`, whatever the current directory: the city
// directory and the rest of its `.gc/` are Gas City's (the headless commands refuse `--out` under `.gc/` too).
import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportPath, fallbackPath } from '../../src/console/review.js';
import { NOW } from '../support/builders.js';
import { tempDir } from '../support/files.js';

function cityDirs() {
  const root = realpathSync(tempDir('gc-tui-export-'));
  const city = join(root, 'city');
  mkdirSync(join(city, '.gc', 'runtime'), { recursive: true });
  writeFileSync(join(city, 'city.toml'), '[workspace]\nname = "city"\n');
  const elsewhere = join(root, 'reports');
  mkdirSync(elsewhere);
  return { root, city, own: join(city, '.gc', 'gc-tui'), elsewhere };
}

describe('exportPath', () => {
  it("puts a city export in the city's .gc/gc-tui/, from any current directory: elsewhere, the city, its .gc/", () => {
    const { city, own, elsewhere } = cityDirs();
    const source = { kind: 'city' as const, dir: city };
    expect(exportPath(source, 'snapshot', 'md', NOW, elsewhere)).toBe(join(own, 'city.snapshot-20260506T021300Z.md'));
    expect(dirname(exportPath(source, 'snapshot', 'md', NOW, city))).toBe(own);
    expect(dirname(exportPath(source, 'snapshot', 'md', NOW, join(city, '.gc')))).toBe(own);
    expect(dirname(exportPath(source, 'slots', 'csv', NOW, join(city, '.gc', 'runtime')))).toBe(own);
    // The city named relative to the current directory, as `--city ..` from inside .gc/ names it.
    expect(dirname(exportPath({ kind: 'city', dir: '..' }, 'snapshot', 'json', NOW, join(city, '.gc')))).toBe(own);
    expect(dirname(exportPath({ kind: 'city', dir: '.' }, 'snapshot', 'json', NOW, city))).toBe(own);
  });

  it("puts a store export beside the store file; one kept inside a city's .gc/ in that city's .gc/gc-tui/", () => {
    const { root, city, own, elsewhere } = cityDirs();
    const file = join(elsewhere, 'pool.json');
    expect(exportPath({ kind: 'store', path: file }, 'snapshot', 'csv', NOW, '/')).toBe(
      join(elsewhere, 'pool.snapshot-20260506T021300Z.csv'),
    );
    expect(dirname(exportPath({ kind: 'store', path: join(city, '.gc', 'runtime', 'pool.json') }, 'snapshot', 'md', NOW, elsewhere))).toBe(
      own,
    );
    // Through a link into .gc/ too.
    const link = join(root, 'gc-link');
    symlinkSync(join(city, '.gc'), link);
    expect(dirname(exportPath({ kind: 'store', path: join(link, 'pool.json') }, 'snapshot', 'md', NOW, elsewhere))).toBe(own);
  });
});

describe("a city's .gc spelt in another case", () => {
  it("is the city's where <city>/.gc opens it (a case-insensitive file system), else an ordinary directory", () => {
    const root = realpathSync(tempDir('gc-tui-export-case-'));
    const city = join(root, 'city');
    // Gas City opens `<city>/.gc`; on a case-insensitive file system that is a directory made as `.GC`.
    mkdirSync(join(city, '.GC', 'runtime'), { recursive: true });
    writeFileSync(join(city, 'city.toml'), '[workspace]\nname = "city"\n');
    const folds = existsSync(join(root, 'CITY'));
    const store = join(city, '.GC', 'runtime', 'pool.json');
    const file = exportPath({ kind: 'store', path: store }, 'snapshot', 'md', NOW, root);
    // Where it folds case (macOS, Windows): into the city's .gc/gc-tui/, never beside the store among Gas City's files.
    // Where it does not (Linux): `.GC` is no city's `.gc` (Gas City would not open it): beside the store, as anywhere.
    if (folds) expect(dirname(file).toLowerCase()).toBe(join(city, '.gc', 'gc-tui').toLowerCase());
    else expect(dirname(file)).toBe(dirname(store));
    // Beside a real `.gc`, a `.GC` is still another directory where the file system tells them apart.
    if (!folds) {
      mkdirSync(join(city, '.gc'));
      expect(dirname(exportPath({ kind: 'store', path: store }, 'snapshot', 'md', NOW, root))).toBe(dirname(store));
    }
  });
});

describe('fallbackPath', () => {
  it('takes the current directory for an export its own directory refused, unless that is inside a city (its directory or its .gc/)', () => {
    const { root, city, elsewhere } = cityDirs();
    const file = exportPath({ kind: 'store', path: join(elsewhere, 'gone', 'pool.json') }, 'snapshot', 'md', NOW, elsewhere);
    expect(fallbackPath(file, elsewhere)).toBe(join(elsewhere, 'pool.snapshot-20260506T021300Z.md'));
    expect(fallbackPath(file, city)).toBeNull();
    expect(fallbackPath(file, join(city, '.gc', 'runtime'))).toBeNull();
    const link = join(root, 'gc-link');
    symlinkSync(join(city, '.gc'), link);
    expect(fallbackPath(file, link)).toBeNull();
    // Where it was already is no fallback.
    expect(fallbackPath(file, join(elsewhere, 'gone'))).toBeNull();
    // A .gc directory without a city.toml beside it is an ordinary directory.
    const plain = join(root, 'plain', '.gc');
    mkdirSync(plain, { recursive: true });
    expect(fallbackPath(file, plain)).toBe(join(plain, 'pool.snapshot-20260506T021300Z.md'));
  });
});
