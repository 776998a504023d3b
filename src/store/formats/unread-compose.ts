// The keys by which Gas City composes more configuration into a city (included files, imported packs, rig packs,
// patches: internal/config compose.go and its legacyComposeSurfacePeek). gc-tui composes city.toml's `include` of
// fragment files (city-fragments.ts), the `[imports.*]` of local packs (city-imports.ts), a rig's `includes` and
// `imports` (rig-packs.ts), its `overrides` and `patches`
// (rig-overrides.ts), `[[patches.agent]]` (agent-patches.ts), `[[patches.rigs]]` and `[[patches.named_session]]`
// (city-patches.ts), and none of the others: what each leaves out of its plan is said as a warning naming the file
// and the line, never silently.
import { basename } from 'node:path';
import type { InputWarning } from '../types.js';
import { keyPlace, isTable, type Table } from './city-toml.js';

/**
 * The keys of city.toml (and of a fragment it includes) that gc-tui composes itself: city-fragments.ts,
 * city-imports.ts, rig-packs.ts, rig-overrides.ts, agent-patches.ts, city-patches.ts. (A fragment's `include` is
 * refused and its `imports` warned of there.)
 */
export const CITY_COMPOSED: readonly string[] = [
  'include',
  'imports',
  'workspace.includes',
  'rigs.includes',
  'rigs.imports',
  'rigs.overrides',
  'rigs.patches',
  'patches.agent',
  'patches.rigs',
  'patches.named_session',
];

/** A key that composes something: a list or a table with at least one entry. */
const nonEmpty = (v: unknown) => (Array.isArray(v) ? v.length > 0 : isTable(v) ? Object.keys(v).length > 0 : false);

/** Each composing key `data` (city.toml or pack.toml, read from `file`) holds, as a path. */
function composingKeys(data: Table): PropertyKey[][] {
  const found: PropertyKey[][] = [];
  const at = (table: unknown, key: string, path: PropertyKey[]) => {
    if (isTable(table) && nonEmpty(table[key])) found.push([...path, key]);
  };
  at(data, 'include', []);
  at(data, 'imports', []);
  at(data.pack, 'includes', ['pack']);
  at(data.workspace, 'includes', ['workspace']);
  // Each kind of patch on its own: gc-tui applies [[patches.agent]] (agent-patches.ts), not the others.
  if (isTable(data.patches)) for (const key of Object.keys(data.patches)) at(data.patches, key, ['patches']);
  else at(data, 'patches', []);
  if (Array.isArray(data.rigs))
    data.rigs.forEach((rig, i) => {
      at(rig, 'includes', ['rigs', i]);
      at(rig, 'imports', ['rigs', i]);
      // A rig's overrides and patches change the agents of its packs (applyOverrides).
      at(rig, 'overrides', ['rigs', i]);
      at(rig, 'patches', ['rigs', i]);
    });
  return found;
}

/**
 * What gc-tui leaves out of its plan when it does not compose `key` (`include`, `patches.providers`), said precisely:
 * the text after `<file>: <place>: `, and a brief for the console's line.
 */
function leftOut(key: string, packToml: boolean): { text: string; brief: string } {
  // city.toml's own include is composed (city-fragments.ts), and a fragment's is refused: this is a pack's.
  if (key === 'include')
    return {
      text: "gc-tui merges the fragment files of city.toml's include only: this one is not read, and what it would add is not in this plan",
      brief: "include in a pack is not read (only city.toml's is merged)",
    };
  if (packToml && key.startsWith('patches.'))
    return {
      text: `gc-tui does not apply ${key} of a pack: Gas City's packs patch agents only ([[patches.agent]]), so this plan changes nothing by it`,
      brief: `${key} in a pack is not applied (packs patch agents only)`,
    };
  if (key === 'patches.providers' || key === 'patches.github_pr_monitor')
    return {
      text:
        `gc-tui does not apply ${key}: it changes no agent, rig or session this plan reads, but Gas City refuses the ` +
        'city when a patch names something that is not there, which gc-tui does not check',
      brief: `${key} is not applied (it changes nothing this plan reads)`,
    };
  return {
    text: `gc-tui does not read ${key}: the agents it brings or changes in Gas City are not in this plan`,
    brief: `${key} is not read: its agents are not in this plan`,
  };
}

/**
 * The warnings for the composing keys of one file, but for those named in `composed` (`imports`, `pack.includes`:
 * the keys the caller composes itself, and warns of where it cannot). `packToml`: the file is a pack's.
 */
export function unreadComposition(
  file: string,
  text: string,
  data: Table,
  composed: readonly string[] = [],
  packToml = false,
): InputWarning[] {
  const keyOf = (path: PropertyKey[]) => path.filter((p) => typeof p === 'string').join('.');
  return composingKeys(data)
    .filter((path) => !composed.includes(keyOf(path)))
    .map((path) => {
      const said = leftOut(keyOf(path), packToml);
      return { text: `${file}: ${keyPlace(text, path)}: ${said.text}`, brief: `${said.brief} (${basename(file)})` };
    });
}
