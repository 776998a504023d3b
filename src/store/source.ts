// Which input a command reads: --store FILE, --city DIR, or by default the current directory when it holds a
// city.toml, else ./gc-store.json (CONTRACT.md).
import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CityBeadsRead } from './formats/load-city.js';
import { loadStore } from './formats/load-store.js';
import type { StoreRereads } from './formats/store-reread.js';
import { InputError, type Loaded, type Source } from './types.js';

export const DEFAULT_STORE = 'gc-store.json';

/** Bad command-line arguments (exit 2), as opposed to bad input files. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function resolveSource(opts: { store?: string; city?: string; beads?: string[] }, cwd = process.cwd()): Source {
  if (opts.store !== undefined && opts.city !== undefined) throw new UsageError('use either --store FILE or --city DIR, not both');
  const beads = opts.beads?.length ? { beads: [...opts.beads] } : {};
  if (opts.beads?.length && opts.store !== undefined)
    throw new UsageError('--beads reads the beads of a city (--city DIR); a store file carries its own');
  if (opts.store !== undefined) return { kind: 'store', path: opts.store };
  if (opts.city !== undefined) return { kind: 'city', dir: opts.city, ...beads };
  if (existsSync(join(cwd, 'city.toml'))) return { kind: 'city', dir: '.', ...beads };
  if (opts.beads?.length) throw new UsageError('--beads needs a city: --city DIR (or a directory holding city.toml)');
  // Nothing named and nothing here: say where gc-tui looked, and how to name the input.
  if (!existsSync(join(cwd, DEFAULT_STORE)))
    throw new InputError(
      DEFAULT_STORE,
      null,
      'no such file, and no city.toml in the current directory: name the input with --store FILE or --city DIR (or try --demo)',
    );
  return { kind: 'store', path: DEFAULT_STORE };
}

/**
 * Read the input; with `rereads`, a store file read before parses only the beads whose text changed. `keepCity` is given
 * the `.gc/beads.json` read of a city whose beads are that file alone (load-city.ts CityBeadsRead).
 */
export async function loadSource(source: Source, rereads?: StoreRereads, keepCity?: (read: CityBeadsRead) => void): Promise<Loaded> {
  if (source.kind === 'store') {
    const loaded = await loadStore(source.path, rereads?.for(source.path));
    return source.demo ? { ...loaded, source } : loaded;
  }
  // What reads a city (its TOML parser and all) is loaded only for one: `check` of a store file starts sooner.
  const { loadCity } = await import('./formats/load-city.js');
  return loadCity(source.dir, source.beads, keepCity);
}

/** The same input with an absolute path, for a file read later from another directory (a saved plan). */
export function absoluteSource(source: Source): Source {
  if (source.kind === 'store') return { kind: 'store', path: resolve(source.path) };
  const beads = source.beads?.length ? { beads: source.beads.map((b) => (b === '-' ? b : resolve(b))) } : {};
  return { kind: 'city', dir: resolve(source.dir), ...beads };
}

function canonical(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

/** Whether two inputs are the same file or directory (relative paths, `..` and symlinks resolved). */
export function sameSource(a: Source, b: Source): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'store' ? canonical(a.path) === canonical((b as typeof a).path) : canonical(a.dir) === canonical((b as typeof a).dir);
}
