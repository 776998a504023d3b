// Which bead store a city uses, decided as Gas City decides it for the city scope (fork `cmd/gc/providers.go`:
// `rawBeadsProvider`, `resolveRawBeadsProviderForScope`, `scopeUsesBdStoreContract`): the `GC_BEADS` environment
// variable, else `[beads] provider` in city.toml, else Gas City's default, `bd`. Gas City applies the on-disk
// markers (`.beads/metadata.json` = a bd scope, winning over `.gc/beads.json` = a file scope) when a scope's
// provider is not pinned; gc-tui does the same when nothing is configured, so a city whose only bead store on
// disk is `.gc/beads.json` is read as the file store it is, and one with neither is bd (the default), never an
// empty file store.
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { CityConfig } from '../../engine/types.js';
import { withinAny } from '../fs/inside.js';
import { InputError } from '../types.js';

export interface BeadsProvider {
  /** `file`, `bd`, `exec:<script>`, or whatever else was configured (passed through as given). */
  name: string;
  /** One line: where the answer came from. */
  why: string;
}

export function bdMarkerPath(dir: string): string {
  return join(dir, '.beads', 'metadata.json');
}

/** Gas City's managed lifecycle wrapper (`exec:…/gc-beads-bd[.sh]`) is the bd store for data reads. */
function normalize(provider: string): string {
  if (!provider.startsWith('exec:')) return provider;
  const base = basename(provider.slice('exec:'.length).trim()).replace(/\.sh$/, '');
  return base === 'gc-beads-bd' ? 'bd' : provider;
}

export function configuredProvider(config: CityConfig, cityToml: string): string | null {
  const beads = (config as { beads?: unknown }).beads;
  if (beads === undefined) return null;
  if (beads === null || typeof beads !== 'object' || Array.isArray(beads)) {
    throw new InputError(cityToml, '[beads]', 'must be a table');
  }
  const provider = (beads as { provider?: unknown }).provider;
  if (provider === undefined) return null;
  if (typeof provider !== 'string')
    throw new InputError(cityToml, '[beads] provider', 'must be a string ("bd", "file" or "exec:<script>")');
  return provider.trim() === '' ? null : provider.trim();
}

function table(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The backend of the session class when a city puts its session beads in a store of their own (Gas City's
 * split cities, 2026-08: `[beads.classes.sessions] backend = "sqlite"` keeps them in `.gc/store/sessions.db`,
 * ids `gcs-<n>`, once `.gc/store/sessions.migrated` is there; other builds relocate on the key alone), else null:
 * no such table, or `bd`, Gas City's default (a `shadow` copy beside bd leaves bd authoritative). Throws
 * InputError for a key of the wrong type.
 */
export function sessionClassBackend(config: CityConfig, cityToml: string): string | null {
  const beads = (config as { beads?: unknown }).beads;
  if (!table(beads) || beads.classes === undefined) return null;
  if (!table(beads.classes)) throw new InputError(cityToml, '[beads.classes]', 'must be a table');
  const sessions = beads.classes.sessions;
  if (sessions === undefined) return null;
  if (!table(sessions)) throw new InputError(cityToml, '[beads.classes.sessions]', 'must be a table');
  const backend = sessions.backend;
  if (backend === undefined) return null;
  if (typeof backend !== 'string') throw new InputError(cityToml, '[beads.classes.sessions] backend', 'must be a string');
  const b = backend.trim();
  return b === '' || b === 'bd' ? null : b;
}

/**
 * How an explanation names the file that set the city's `[beads]`: `city.toml`, or a fragment city.toml includes by
 * its path (relative to the city when it lies in it, as city.toml's `include` usually names it).
 */
export function configName(dir: string, file: string): string {
  const rel = relative(resolve(dir), resolve(file));
  if (rel === 'city.toml') return rel;
  return `${withinAny([dir], file) ? rel : file} (a fragment city.toml includes)`;
}

/**
 * The provider of the city in `dir` (its config already read). `beadsFile`: the file whose `[beads]` is the city's
 * (a fragment city.toml includes replaces city.toml's: readCityConfig), named in the explanation and any refusal.
 * Throws InputError for a malformed `[beads]`.
 */
export function detectProvider(
  dir: string,
  config: CityConfig,
  env: NodeJS.ProcessEnv = process.env,
  beadsFile: string = join(dir, 'city.toml'),
): BeadsProvider {
  const fromEnv = env.GC_BEADS?.trim();
  if (fromEnv) return { name: normalize(fromEnv), why: `GC_BEADS=${fromEnv} in the environment` };
  const configured = configuredProvider(config, beadsFile);
  if (configured)
    return { name: normalize(configured), why: `${configName(dir, beadsFile)} [beads] provider = ${JSON.stringify(configured)}` };
  if (existsSync(bdMarkerPath(dir))) {
    return { name: 'bd', why: 'no provider configured; .beads/metadata.json marks a bd store, and wins over .gc/beads.json' };
  }
  if (existsSync(join(dir, '.gc', 'beads.json'))) {
    return { name: 'file', why: 'no provider configured; .gc/beads.json is the only bead store on disk' };
  }
  return { name: 'bd', why: "no provider configured, so Gas City's default, bd; there is no .gc/beads.json" };
}

/** A rig's own file store in a file-store city. */
export interface RigStore {
  rig: string;
  file: string;
}

/** Where the rigs of a file-store city keep beads of their own (rigStoresOf). */
export interface RigScopes {
  /** Rigs with their own `.gc/beads.json`, in the order the rigs are declared. */
  files: RigStore[];
  /** Rigs whose `.beads/metadata.json` marks a bd store of their own: gc-tui reads those only through gc. */
  bd: { rig: string; marker: string }[];
}

/**
 * The rigs of a file-store city that keep beads of their own, as Gas City picks a rig scope's store
 * (`rawBeadsProviderForScope`, `openCompatibleFileStore`): `<rig path>/.beads/metadata.json` makes the rig a bd
 * scope (a mixed city); else `<rig path>/.gc/beads.json` is the rig's own file store (every rig has one in a
 * city laid out `scope-local-v1`, `.gc/file-beads-layout`, but the file decides); else the rig shares the city's.
 * A rig path is relative to the city or absolute (`resolveStoreScopeRoot`); two rigs bound to one directory
 * share its store, read once under the first rig's name.
 */
export function rigStoresOf(dir: string, config: CityConfig): RigScopes {
  const out: RigScopes = { files: [], bd: [] };
  const seen = new Set([resolve(dir)]);
  for (const rig of config.rigs ?? []) {
    const path = (rig as { path?: unknown }).path;
    if (typeof path !== 'string' || path.trim() === '') continue;
    const root = resolve(dir, path.trim());
    if (seen.has(root)) continue;
    seen.add(root);
    if (existsSync(bdMarkerPath(root))) out.bd.push({ rig: rig.name, marker: bdMarkerPath(root) });
    else if (existsSync(join(root, '.gc', 'beads.json'))) out.files.push({ rig: rig.name, file: join(root, '.gc', 'beads.json') });
  }
  return out;
}
