// Paths a city's configuration names (namepool files) are relative to the city directory and must stay in
// it: `namepool = "../../etc/passwd"`, an absolute path elsewhere, or a link inside the city pointing out would
// otherwise put another file's lines on screen and into every export.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Whether `path` lies in one of `roots` as written (links not followed). */
export function withinAny(roots: readonly string[], path: string): boolean {
  const target = resolve(path);
  return roots.some((r) => within(resolve(r), target));
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
  return resolveInsideAny([root], spec);
}

/**
 * resolveInside for a city that may be read in more than one folder: its own (`roots[0]`, which `spec` is
 * relative to), those its `[[rigs]]` name, and the folders of the local packs and fragment files its configuration
 * names (the folders a city's configuration may lie in, wherever they are). The path must lie in one of them as
 * written, and its real path in one of their real paths.
 */
export function resolveInsideAny(roots: readonly string[], spec: string): { path: string; refused?: string } {
  const path = resolve(roots[0], spec);
  const where =
    roots.length > 1
      ? "outside the city directory and the other folders gc-tui reads it in (its rigs' folders and those of the local packs and fragments its configuration names: paths in a city must stay inside them)"
      : 'outside the city directory (paths in a city must stay inside it)';
  if (!roots.some((r) => within(resolve(r), path))) return { path, refused: `is ${where}` };
  const target = real(path);
  if (target === null) return { path };
  const realRoots = roots.map(real).filter((r): r is string => r !== null);
  if (realRoots.length > 0 && !realRoots.some((r) => within(r, target)))
    return { path, refused: `leads through a symbolic link to ${target}, ${where}` };
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
