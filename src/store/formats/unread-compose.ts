// The keys by which Gas City composes more configuration into a city (included files, imported packs, rig packs,
// patches: internal/config compose.go and its legacyComposeSurfacePeek). gc-tui composes the `[imports.*]` of local
// packs (city-imports.ts), a rig's `includes` and `imports` (rig-packs.ts), its `overrides` and `patches`
// (rig-overrides.ts) and `[[patches.agent]]` (agent-patches.ts), and reads none of the others, so the agents they bring or change are not in its plan: said as
// a warning naming the file and the line, never silently.
import { basename } from 'node:path';
import type { InputWarning } from '../types.js';
import { tomlPlace, type Table } from './city-toml.js';
import { formatJsonPath } from './json-path.js';
import { tomlDeclarationLine } from './toml-location.js';

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);
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

/** Where a key is: its line as tomlPlace finds it, else the line declaring it (`[[patches.rigs]]`, a dotted header). */
function placeOf(text: string, path: PropertyKey[]): string {
  const place = tomlPlace(text, path);
  if (place.startsWith('line ')) return place;
  const line = tomlDeclarationLine(text, path);
  return line === null ? place : `line ${line} (${formatJsonPath(path)})`;
}

/**
 * The warnings for the composing keys of one file, but for those named in `composed` (`imports`, `pack.includes`:
 * the keys the caller composes itself, and warns of where it cannot).
 */
export function unreadComposition(file: string, text: string, data: Table, composed: readonly string[] = []): InputWarning[] {
  const keyOf = (path: PropertyKey[]) => path.filter((p) => typeof p === 'string').join('.');
  return composingKeys(data)
    .filter((path) => !composed.includes(keyOf(path)))
    .map((path) => {
      const key = keyOf(path);
      return {
        text: `${file}: ${placeOf(text, path)}: gc-tui does not read ${key}: the agents it brings or changes in Gas City are not in this plan`,
        brief: `${key} in ${basename(file)} is not read: its agents are not in this plan`,
      };
    });
}
