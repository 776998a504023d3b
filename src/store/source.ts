// Which input a command reads: --store FILE, --city DIR, or by default the current directory when it holds a
// city.toml, else ./gc-store.json (CONTRACT.md).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCity } from './load-city.js';
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
