// `.gc/site.toml`, a city's machine-local bindings (Gas City's internal/config/site_binding.go): the city's name as
// `gc init` records it (`workspace_name`) and each rig's path (`[[rig]] name, path`), which a schema-2 city keeps
// there and not in city.toml (legacy-surfaces.ts refuses it there). Gas City reads it after composing the city
// (ApplySiteBindings, late in LoadWithIncludesOptions): a bound path replaces the rig's own, whatever city.toml, a
// fragment or a rig patch said, and an unbound rig keeps the path it declares (a fragment's, in a schema-2 city).
// The rigs' packs were composed from their declared paths by then, so a bound path is where the rig's own bead store
// is read (beads-provider.ts rigStoresOf), and a folder gc-tui reads the city's configuration in, not a pack.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compareBytes } from '../../engine/index.js';
import type { RigConfig } from '../../engine/types.js';
import { isTable, readToml, tomlPlace, type Table } from './city-toml.js';
import { formatJsonPath } from './json-path.js';
import { InputError, type InputWarning } from '../types.js';

export interface SiteBinding {
  file: string;
  workspaceName: string | null;
  /** Rig name → its bound path (both trimmed; a binding with either empty binds nothing, as in Gas City). */
  rigPaths: Map<string, string>;
  /** Rig name → where its (last) binding names it, for a warning about it. */
  rigPlaces: Map<string, string>;
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
  const rigPlaces = new Map<string, string>();
  (rigs as Table[]).forEach((rig, i) => {
    const name = string(rig.name, ['rig', i, 'name']);
    const path = string(rig.path, ['rig', i, 'path']);
    if (name !== '' && path !== '') {
      rigPaths.set(name, path);
      rigPlaces.set(name, tomlPlace(text, ['rig', i, 'name']));
    }
  });
  return { file, workspaceName: workspaceName === '' ? null : workspaceName, rigPaths, rigPlaces };
}

/** The rigs with their bound paths (applySiteBindings); a rig without a binding is left as it is. */
export function bindRigPaths(rigs: RigConfig[], site: SiteBinding | null): RigConfig[] {
  if (site === null || site.rigPaths.size === 0) return rigs;
  return rigs.map((rig) => {
    const path = site.rigPaths.get(rig.name);
    return path === undefined ? rig : { ...rig, path };
  });
}

/** Where a composed rig is declared: the file and its `[[rigs]]` table's index there. */
export interface RigDeclared {
  file: string;
  text: string;
  index: number;
  /** Whether that table itself says `path` (else a `[[patches.rigs]]` gave the rig its path). */
  declaresPath: boolean;
}

/**
 * What Gas City's applySiteBindings (internal/config/site_binding.go) warns of as it binds the composed rigs, in any
 * city, site.toml or none: a rig with no binding that has a path of its own (read, "still declares path in city.toml"),
 * one with neither (no folder at all: "has no path binding in .gc/site.toml"), and a binding for a rig the city does
 * not have ("declares a binding for unknown rig"). Sorted as Gas City sorts its lines (sort.Strings), so in its order.
 * `rigs`: the composed and patched rigs, before binding; `declared`: where each is declared, index for index.
 */
export function siteBindingWarnings(
  rigs: readonly RigConfig[],
  declared: readonly RigDeclared[],
  site: SiteBinding | null,
  siteFile: string,
): InputWarning[] {
  const out: { key: string; warning: InputWarning }[] = [];
  const seen = new Set<string>();
  rigs.forEach((rig, i) => {
    seen.add(rig.name);
    if (site?.rigPaths.has(rig.name)) return;
    const at = declared[i];
    const place = at ? tomlPlace(at.text, ['rigs', at.index, at.declaresPath ? 'path' : 'name']) : null;
    const where = at ? `${at.file}: ${place}: ` : '';
    const name = JSON.stringify(rig.name);
    const path = typeof rig.path === 'string' ? rig.path.trim() : '';
    if (path !== '') {
      const gas = `rig ${name} still declares path in city.toml; move it to .gc/site.toml (run \`gc doctor --fix\`)`;
      out.push({
        key: gas,
        warning: {
          text: `${where}rig ${name} has no binding in ${siteFile} and a path of its own (${JSON.stringify(path)}), which Gas City still reads, and so does this plan; Gas City warns: "${gas}"`,
          brief: `rig ${name}: its path is not bound in .gc/site.toml — run gc doctor --fix`,
        },
      });
    } else {
      const gas = `rig ${name} is declared in city.toml but has no path binding in .gc/site.toml; run \`gc rig add <dir> --name ${rig.name}\` to bind it`;
      out.push({
        key: gas,
        warning: {
          text: `${where}rig ${name} has no path: no binding in ${siteFile} and none of its own, so Gas City gives it no folder, nor does this plan (no bead store of its own is read for it); Gas City warns: "${gas}"`,
          brief: `rig ${name} has no path: bind it in .gc/site.toml (gc rig add)`,
        },
      });
    }
  });
  for (const [name, place] of site?.rigPlaces ?? []) {
    if (seen.has(name)) continue;
    const gas = `.gc/site.toml declares a binding for unknown rig ${JSON.stringify(name)}`;
    out.push({
      key: gas,
      warning: {
        text: `${site!.file}: ${place}: a binding for rig ${JSON.stringify(name)}, which the city does not have: it binds nothing, in Gas City or in this plan; Gas City warns: "${gas}"`,
        brief: `.gc/site.toml binds rig ${JSON.stringify(name)}, which the city does not have`,
      },
    });
  }
  // sort.Strings: by bytes, as Go compares strings.
  return out.sort((a, b) => compareBytes(a.key, b.key)).map((w) => w.warning);
}
