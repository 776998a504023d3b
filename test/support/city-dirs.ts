// A throwaway city directory laid out from a map of files, for the tests of how a city's configuration is composed,
// its agents as read, and the InputError a read throws.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { readCityConfig } from '../../src/store/formats/load-city.js';
import { InputError } from '../../src/store/types.js';
import { tempDir, write } from './files.js';

/** The smallest pack.toml Gas City reads (schema 2). */
export const PACK = '[pack]\nname = "p"\nschema = 2\n';

/**
 * A schema-1 pack.toml: for a city that keeps `[[agent]]` tables in city.toml beside a pack.toml, which Gas City
 * refuses when the pack is schema 2 (refuseInlineAgents) but reads in an older city.
 */
export const PACK1 = '[pack]\nname = "p"\nschema = 1\n';

/** [dir/]name and cap of each agent of the city in `dir`, in order. */
export const agentsOf = (dir: string) =>
  readCityConfig(dir).config.agents.map((a) => [a.dir ? `${a.dir}/${a.name}` : a.name, a.max_active_sessions ?? null]);

/**
 * A city directory holding these files (paths relative to it), with an empty `.gc/beads.json`, laid out as Gas City
 * leaves a city: unless the files give a `.gc/site.toml` (or `site` is false), one binding each `[[rigs]]` of
 * city.toml that declares a path to that path, as `gc doctor --fix` moves it there (siteToml). A rig without a path
 * is left unbound: Gas City warns of it, and so does gc-tui.
 */
export function cityWith(files: Record<string, string>, opts: { site?: boolean } = {}): string {
  const dir = tempDir();
  write(join(dir, '.gc', 'beads.json'), '{"seq":0,"beads":[]}\n');
  for (const [name, text] of Object.entries(files)) write(join(dir, name), text);
  if (opts.site !== false) bindDeclaredRigs(dir);
  return dir;
}

/**
 * Unless the city in `dir` has a `.gc/site.toml`, write one binding each `[[rigs]]` of its city.toml that declares a
 * path to that path, as `gc doctor --fix` moves it there.
 */
export function bindDeclaredRigs(dir: string): void {
  const site = join(dir, '.gc', 'site.toml');
  if (existsSync(site) || !existsSync(join(dir, 'city.toml'))) return;
  const bound = declaredRigPaths(readFileSync(join(dir, 'city.toml'), 'utf8'));
  if (Object.keys(bound).length > 0) write(site, siteToml(bound));
}

/** The paths city.toml's `[[rigs]]` declare, by rig name (none from text that is not TOML: the test is about that). */
function declaredRigPaths(cityToml: string): Record<string, string> {
  let data: Record<string, unknown>;
  try {
    data = parseToml(cityToml);
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const rig of Array.isArray(data.rigs) ? (data.rigs as Record<string, unknown>[]) : [])
    if (typeof rig?.name === 'string' && typeof rig.path === 'string' && rig.path.trim() !== '') out[rig.name] = rig.path;
  return out;
}

/** The InputError `f` throws (any other error is rethrown; none fails the test). */
export function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no InputError');
}

/**
 * A `.gc/site.toml` binding each rig (name → path), as `gc rig add` records it in a real city: without a binding Gas
 * City warns of every rig (site-binding.ts siteBindingWarnings), and so does gc-tui.
 */
export function siteToml(rigs: Record<string, string>): string {
  return Object.entries(rigs)
    .map(([name, path]) => `[[rig]]\nname = ${JSON.stringify(name)}\npath = ${JSON.stringify(path)}\n`)
    .join('\n');
}
