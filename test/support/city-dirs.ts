// A throwaway city directory laid out from a map of files, for the tests of how a city's configuration is composed,
// its agents as read, and the InputError a read throws.
import { join } from 'node:path';
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

/** A city directory holding these files (paths relative to it), with an empty `.gc/beads.json`. */
export function cityWith(files: Record<string, string>): string {
  const dir = tempDir();
  write(join(dir, '.gc', 'beads.json'), '{"seq":0,"beads":[]}\n');
  for (const [name, text] of Object.entries(files)) write(join(dir, name), text);
  return dir;
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
