// Which agents a city has, composed as Gas City composes them (`internal/config/compose.go`
// LoadWithIncludesOptions): the city's pack.toml [[agent]] blocks, then the agents found under agents/, then
// city.toml's [[agent]] blocks. One name declared in two of these places is one agent: city.toml wins over pack.toml,
// and both win over agents/<name>/ (skipNames, keyed on the bare name, dir or not). Gas City drops the loser
// without a word; gc-tui says so (a warning), since an edit to the dropped declaration changes nothing.
// Twice in one file is no such case: both stay, and the city is refused as Gas City's ValidateAgents refuses it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compareBytes } from '../../engine/index.js';
import { resolveInside } from '../fs/inside.js';
import { readToml, validateToml, type Table } from './city-toml.js';
import { tomlLineOf } from './toml-location.js';
import type { CityPaths } from './load-city.js';
import { InputError, type InputWarning } from '../types.js';

export interface Origin {
  file: string;
  /** Where the agent is declared, and where its namepool key is (or would be). */
  place: string;
  poolPlace: string;
}

/** One [[agent]] block or agents/<name>/agent.toml, before composition. */
export interface Declared {
  table: Table;
  name: string;
  origin: Origin;
  /** Declared by agents/<name>/ itself: its namepool.txt is "beside it". */
  folder?: boolean;
}

/**
 * agents/<name>/namepool.txt, city-relative, when agents/<name> is a directory holding one: the namepool of every
 * agent of that bare name without a `namepool` of its own (or an empty one), wherever it is declared
 * (applyAgentConventionDefaults, run for every agent by populateAgentLocalAssetDirs, pack.toml or not).
 */
export function conventionNamepool(root: string, paths: CityPaths, name: string): string | null {
  const folder = join(paths.agentsDir, name);
  const file = join(folder, 'namepool.txt');
  return isDirectory(folder) && existsSync(file) ? relative(root, file) : null;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const where = (d: Declared) => `${d.origin.file} at ${d.origin.place}`;

function shadowed(loser: Declared, winner: Declared): InputWarning {
  const name = JSON.stringify(loser.name);
  return {
    text:
      `${loser.origin.file}: ${loser.origin.place}: agent ${name} is also declared in ${where(winner)}; ` +
      'Gas City runs that one and ignores this one without a word, and so does this plan',
    brief: `agent ${name}: ${loser.origin.file} is ignored, ${winner.origin.file} declares it (as in Gas City)`,
  };
}

/** agents/<name>/agent.toml, by name, in Go's os.ReadDir order; a name in `skip` is not read at all, as in Gas City. */
function discover(root: string, paths: CityPaths, skip: Map<string, Declared>, files: string[], warnings: InputWarning[]): Declared[] {
  const out: Declared[] = [];
  if (!existsSync(paths.agentsDir) || !statSync(paths.agentsDir).isDirectory()) return out;
  for (const name of readdirSync(paths.agentsDir).sort(compareBytes)) {
    const agentToml = join(paths.agentsDir, name, 'agent.toml');
    if (!existsSync(agentToml)) continue;
    const outside = resolveInside(root, relative(root, agentToml)).refused;
    if (outside) throw new InputError(agentToml, null, outside);
    files.push(agentToml);
    const origin: Origin = { file: agentToml, place: '(top level)', poolPlace: 'namepool' };
    const winner = skip.get(name);
    if (winner) {
      warnings.push(shadowed({ table: {}, name, origin }, winner));
      continue;
    }
    const at = readToml(agentToml);
    validateToml(agentToml, at.text, at.data, 'agent');
    const line = tomlLineOf(at.text, ['namepool']);
    origin.poolPlace = line ? `line ${line} (namepool)` : 'namepool.txt beside it';
    out.push({ table: at.data, name, origin, folder: true });
  }
  return out;
}

/** The agents Gas City runs, in its order; the dropped declarations told in `warnings`. */
export function composeAgents(
  root: string,
  paths: CityPaths,
  city: Declared[],
  pack: Declared[],
  files: string[],
  warnings: InputWarning[],
): Declared[] {
  const byName = new Map<string, Declared>();
  for (const d of city) if (!byName.has(d.name)) byName.set(d.name, d);
  const packKept: Declared[] = [];
  for (const d of pack) {
    const winner = byName.get(d.name);
    if (winner) warnings.push(shadowed(d, winner));
    else packKept.push(d);
  }
  const skip = new Map(byName);
  for (const d of packKept) if (!skip.has(d.name)) skip.set(d.name, d);
  const found = discover(root, paths, skip, files, warnings);
  return [...packKept, ...found, ...city];
}
