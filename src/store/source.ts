// Which input a command reads: --store FILE, --city DIR, or by default the current directory when it holds a
// city.toml, else ./gc-store.json (CONTRACT.md).
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertReadableFile } from './fs/fs-errors.js';
import { readRegularFileIfExists } from './fs/read-bounded.js';
import { captureBytes } from './formats/beads-capture.js';
import { detectProvider, rigStoresOf } from './formats/beads-provider.js';
import { cityPaths, loadCity, readCityConfig, type CityBeadsRead } from './formats/load-city.js';
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
export function loadSource(source: Source, rereads?: StoreRereads, keepCity?: (read: CityBeadsRead) => void): Promise<Loaded> {
  return source.kind === 'store' ? loadStore(source.path, rereads?.for(source.path)) : loadCity(source.dir, source.beads, keepCity);
}

/**
 * How a write reaches the input: gc-tui's own locked write of a store file or of a city's `.gc/beads.json`
 * (src/store/write.ts), or, for a city whose beads gc-tui did not read from its file store, Gas City's own
 * commands (src/store/gc/): beads from a capture (`--beads`), a provider that is not the file store (bd,
 * exec:…), or a file-store city whose rigs keep stores of their own (scope-local-v1, or a rig in bd). `why` says
 * which, in words.
 */
export type WriteRoute = { route: 'file' } | { route: 'gc'; why: string };

export function writeRouteOf(source: Source, env: NodeJS.ProcessEnv = process.env): WriteRoute {
  if (source.kind === 'store') return { route: 'file' };
  if (source.beads?.length) return { route: 'gc', why: `the beads were read from --beads ${source.beads.join(' ')}, a capture` };
  const { config } = readCityConfig(source.dir);
  const provider = detectProvider(source.dir, config, env);
  if (provider.name !== 'file') return { route: 'gc', why: `the beads of this city are in a ${provider.name} store (${provider.why})` };
  const rigs = rigStoresOf(source.dir, config);
  if (rigs.bd.length > 0)
    return {
      route: 'gc',
      why: `rig ${rigs.bd.map((r) => r.rig).join(', ')} keeps its beads in bd (${rigs.bd.map((r) => r.marker).join(', ')})`,
    };
  if (rigs.files.length > 0) return { route: 'gc', why: `rigs keep their own bead stores (${rigs.files.map((r) => r.file).join(', ')})` };
  return { route: 'file' };
}

/**
 * Refuse, before anything is locked or written, gc-tui's own file write to a city whose writes go through Gas
 * City (writeRouteOf): the console's approvals, which do not run gc; `gc-tui apply` does (or writes the calls
 * to a script with --emit-script).
 */
export function assertWritableSource(source: Source, env: NodeJS.ProcessEnv = process.env): void {
  const r = writeRouteOf(source, env);
  if (r.route === 'gc') {
    throw new UsageError(
      `${source.kind === 'city' ? source.dir : ''}: ${r.why}: gc-tui never writes such a city around Gas City; ` +
        'apply the repairs with `gc-tui apply` (through gc) or `gc-tui apply --emit-script FILE`, or use --dry-run to see them',
    );
  }
}

/**
 * Fail fast, without reading the beads: a store file must be a readable file; a city must have a readable,
 * valid configuration (small) and, when it has one, a readable `.gc/beads.json`. What this does not catch
 * (bad JSON, schema problems in the beads) the first full read reports.
 */
export function checkSourceReadable(source: Source): void {
  if (source.kind === 'store') return assertReadableFile(source.path);
  readCityConfig(source.dir);
  for (const capture of source.beads ?? []) if (capture !== '-') assertReadableFile(capture);
  if (source.beads?.length) return;
  for (const file of cityStoreFiles(source.dir)) if (existsSync(file)) assertReadableFile(file);
}

/** A city's own bead files: `.gc/beads.json`, then each rig's own (rigStoresOf). */
function cityStoreFiles(dir: string): string[] {
  return [cityPaths(dir).beads, ...rigStoresOf(dir, readCityConfig(dir).config).files.map((r) => r.file)];
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

/**
 * The data files a fingerprint covers, in order: a store file; a city's city.toml then .gc/beads.json (and a
 * rig stores of its own, in the order the rigs are declared), or then its captures (`-` is stdin as read).
 */
export function fingerprintFiles(source: Source): string[] {
  if (source.kind === 'store') return [source.path];
  return [cityPaths(source.dir).cityToml, ...(source.beads?.length ? source.beads : cityStoreFiles(source.dir))];
}

/**
 * `sha256:<hex>` of the bytes of the input's data files, one after the other (`cat city.toml .gc/beads.json |
 * sha256sum`); a missing file adds no bytes. An unreadable one is an InputError naming it.
 */
export function fingerprintOf(source: Source): string {
  const hash = createHash('sha256');
  // The same bounded read as loading: a FIFO or a device in place of a data file is refused, never waited on.
  for (const file of fingerprintFiles(source)) {
    const bytes = file === '-' ? captureBytes(file) : readRegularFileIfExists(file);
    if (bytes) hash.update(bytes);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Load the input and fingerprint the bytes that were loaded: hashed before and after the read, again when a
 * writer replaced a file in between (a few times; then the last hash, since every repair is re-checked anyway).
 */
export async function loadSourceWithFingerprint(source: Source): Promise<{ loaded: Loaded; fingerprint: string }> {
  let before = safeFingerprint(source);
  for (let attempt = 0; ; attempt++) {
    const loaded = await loadSource(source);
    const after = fingerprintOf(source);
    if (after === before || attempt >= 4) return { loaded, fingerprint: after };
    before = after;
  }
}

function safeFingerprint(source: Source): string | null {
  try {
    return fingerprintOf(source);
  } catch {
    return null; // the load says what is wrong, in its own words
  }
}
