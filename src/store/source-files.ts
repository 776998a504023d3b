// The input's files: whether they can be read, how a write reaches them, and the fingerprint of their bytes. Apart
// from source.ts, since for a city they read its configuration (load-city.ts, with its TOML parser): what `check` of
// a store file loads at start does not import them (it is one dynamic import away where it needs them).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { assertReadableFile } from './fs/fs-errors.js';
import { readRegularFileIfExists } from './fs/read-bounded.js';
import { captureBytes } from './formats/beads-capture.js';
import { detectProvider, rigStoresOf } from './formats/beads-provider.js';
import { cityPaths } from './formats/city-paths.js';
import { readCityConfig } from './formats/load-city.js';
import { loadSource, UsageError } from './source.js';
import type { Loaded, Source } from './types.js';

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
  const { config, beadsFile } = readCityConfig(source.dir);
  const provider = detectProvider(source.dir, config, env, beadsFile);
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
