// `.gc/site.toml`, a city's machine-local bindings (Gas City's internal/config/site_binding.go): the city's name as
// `gc init` records it (`workspace_name`) and each rig's path (`[[rig]] name, path`), which a schema-2 city keeps
// there and not in city.toml (legacy-surfaces.ts refuses it there). Gas City reads it after composing the city
// (ApplySiteBindings, late in LoadWithIncludesOptions): a bound path replaces the rig's own, whatever city.toml, a
// fragment or a rig patch said, and an unbound rig keeps the path it declares (a fragment's, in a schema-2 city).
// The rigs' packs were composed from their declared paths by then, so a bound path is where the rig's own bead store
// is read (beads-provider.ts rigStoresOf), and a folder gc-tui reads the city's configuration in, not a pack.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RigConfig } from '../../engine/types.js';
import { isTable, readToml, tomlPlace, type Table } from './city-toml.js';
import { formatJsonPath } from './json-path.js';
import { InputError } from '../types.js';

export interface SiteBinding {
  file: string;
  workspaceName: string | null;
  /** Rig name → its bound path (both trimmed; a binding with either empty binds nothing, as in Gas City). */
  rigPaths: Map<string, string>;
}

export const siteBindingPath = (dir: string) => join(dir, '.gc', 'site.toml');

/**
 * The city's `.gc/site.toml`, or null when there is none. One that is not TOML, or whose keys Gas City's decoder
 * would refuse (a `rig` that is no array of tables, a name or path that is no string), is bad input naming it, as
 * Gas City refuses the city ("parsing site binding").
 */
export function readSiteBinding(dir: string): SiteBinding | null {
  const file = siteBindingPath(dir);
  if (!existsSync(file)) return null;
  const { text, data } = readToml(file);
  const string = (v: unknown, path: PropertyKey[]): string => {
    if (v === undefined) return '';
    if (typeof v !== 'string')
      throw new InputError(file, tomlPlace(text, path), `${formatJsonPath(path)} must be a string, as Gas City decodes it`);
    return v.trim();
  };
  const workspaceName = string(data.workspace_name, ['workspace_name']);
  string(data.workspace_prefix, ['workspace_prefix']);
  const rigs = data.rig ?? [];
  if (!Array.isArray(rigs) || !rigs.every(isTable))
    throw new InputError(
      file,
      tomlPlace(text, ['rig']),
      'rig must be an array of tables ([[rig]] name = …, path = …), as Gas City decodes it',
    );
  const rigPaths = new Map<string, string>();
  (rigs as Table[]).forEach((rig, i) => {
    const name = string(rig.name, ['rig', i, 'name']);
    const path = string(rig.path, ['rig', i, 'path']);
    if (name !== '' && path !== '') rigPaths.set(name, path);
  });
  return { file, workspaceName: workspaceName === '' ? null : workspaceName, rigPaths };
}

/** The rigs with their bound paths (applySiteBindings); a rig without a binding is left as it is. */
export function bindRigPaths(rigs: RigConfig[], site: SiteBinding | null): RigConfig[] {
  if (site === null || site.rigPaths.size === 0) return rigs;
  return rigs.map((rig) => {
    const path = site.rigPaths.get(rig.name);
    return path === undefined ? rig : { ...rig, path };
  });
}
