// Which input a command reads: --store FILE, --city DIR, or by default the current directory when it holds a
// city.toml, else ./gc-store.json (CONTRACT.md).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertReadableFile } from './fs-errors.js';
import { cityPaths, loadCity, readCityConfig } from './load-city.js';
import { loadStore } from './load-store.js';
import type { Loaded, Source } from './types.js';

export const DEFAULT_STORE = 'gc-store.json';

/** Bad command-line arguments (exit 2), as opposed to bad input files. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function resolveSource(opts: { store?: string; city?: string }, cwd = process.cwd()): Source {
  if (opts.store !== undefined && opts.city !== undefined) throw new UsageError('use either --store FILE or --city DIR, not both');
  if (opts.store !== undefined) return { kind: 'store', path: opts.store };
  if (opts.city !== undefined) return { kind: 'city', dir: opts.city };
  if (existsSync(join(cwd, 'city.toml'))) return { kind: 'city', dir: '.' };
  return { kind: 'store', path: DEFAULT_STORE };
}

export function loadSource(source: Source): Promise<Loaded> {
  return source.kind === 'store' ? loadStore(source.path) : loadCity(source.dir);
}

/**
 * Fail fast, without reading the beads: a store file must be a readable file; a city must have a readable,
 * valid configuration (small) and, when it has one, a readable `.gc/beads.json`. What this does not catch
 * (bad JSON, schema problems in the beads) the first full read reports.
 */
export function checkSourceReadable(source: Source): void {
  if (source.kind === 'store') return assertReadableFile(source.path);
  readCityConfig(source.dir);
  const beads = cityPaths(source.dir).beads;
  if (existsSync(beads)) assertReadableFile(beads);
}
