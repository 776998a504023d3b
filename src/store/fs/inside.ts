// Paths a city's configuration names (namepool files) are relative to the city directory and must stay in
// it: `namepool = "../../etc/passwd"`, an absolute path elsewhere, or a link inside the city pointing out would
// otherwise put another file's lines on screen and into every export.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function real(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null; // missing or unreadable: the read that follows says so
  }
}

/**
 * `spec` resolved against `root`, and why it is refused when it is: it leaves `root` as written, or its real
 * path (links resolved, when it exists) leaves `root`'s real path.
 */
export function resolveInside(root: string, spec: string): { path: string; refused?: string } {
  const path = resolve(root, spec);
  if (!within(resolve(root), path)) return { path, refused: 'is outside the city directory (paths in a city must stay inside it)' };
  const target = real(path);
  const realRoot = real(root);
  if (target !== null && realRoot !== null && !within(realRoot, target)) {
    return {
      path,
      refused: `leads through a symbolic link to ${target}, outside the city directory (paths in a city must stay inside it)`,
    };
  }
  return { path };
}

/** The nearest of `path` (links resolved) and the directories above it for which `found` holds, or null. */
function nearestUp(path: string, found: (dir: string) => boolean): string | null {
  let dir = real(path);
  while (dir !== null) {
    if (found(dir)) return dir;
    const up = dirname(dir);
    dir = up === dir ? null : up;
  }
  return null;
}

/** One directory under both names (links followed): the same device and inode. */
function sameDir(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * The `.gc/` directory of a Gas City city that `path` is in (the directory `<city>/.gc` names, beside a `city.toml`,
 * links resolved), or null. Gas City keeps that directory: gc-tui writes there only through its own locked writes,
 * and its own files in `.gc/gc-tui/`. On a case-insensitive file system (macOS's and Windows' by default) `<city>/.gc`
 * may be a directory spelled `.GC`, and a real path may keep the case it was typed in (Linux on a case-folding or
 * FAT mount): a `.gc` in any case is the city's when `<city>/.gc` opens that very directory, as Gas City would open
 * it, so a store file kept there never has an export written beside it, among Gas City's files.
 */
export function cityGcAround(path: string): string | null {
  return nearestUp(path, (dir) => {
    const name = basename(dir);
    if (name.toLowerCase() !== '.gc' || !existsSync(join(dirname(dir), 'city.toml'))) return false;
    return name === '.gc' || sameDir(dir, join(dirname(dir), '.gc'));
  });
}

/**
 * The Gas City city directory that `path` is in (itself or the nearest directory above it holding a `city.toml`,
 * links resolved), or null. Gas City keeps it, its `.gc/` too, but for gc-tui's own `.gc/gc-tui/`.
 */
export function cityAround(path: string): string | null {
  return nearestUp(path, (dir) => existsSync(join(dir, 'city.toml')));
}
