// Which agents a city has, composed as Gas City composes them (`internal/config/compose.go`
// LoadWithIncludesOptions): the city's pack.toml [[agent]] blocks, then the agents found under agents/, then
// city.toml's [[agent]] blocks. One name declared in two of these places is one agent: city.toml wins over pack.toml,
// and both win over agents/<name>/ (skipNames, keyed on the bare name, dir or not). Gas City drops the loser
// without a word; gc-tui says so (a warning), since an edit to the dropped declaration changes nothing.
// Twice in one file is no such case: both stay, and the city is refused as Gas City's ValidateAgents refuses it.
// A city whose pack.toml is schema 2 has no [[agent]] blocks in city.toml (nor in a fragment): Gas City refuses it
// (legacy-surfaces.ts), so city.toml's win only in an older city.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compareBytes } from '../../engine/index.js';
import { resolveInsideAny } from '../fs/inside.js';
import { readToml, validateToml, type Table } from './city-toml.js';
import { goReadFailure } from './namepool.js';
import { tomlLineOf } from './toml-location.js';
import type { CityPaths } from './city-paths.js';
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
  /** The binding of the `[imports.<binding>]` that brought it: its name and namepool names take `<binding>.` before them. */
  binding?: string;
  /** The agents/ folder of the pack that declares it, where its convention namepool.txt is (default: the city's). */
  agentsDir?: string;
  /** The index of the `[[rigs]]` entry whose own pack brought it: that rig's overrides apply to it (rig-overrides.ts). */
  rigPack?: number;
}

/**
 * agents/<name>/namepool.txt, city-relative, when agents/<name> is a directory holding one: the namepool of every
 * agent of that bare name without a `namepool` of its own (or an empty one), wherever it is declared
 * (applyAgentConventionDefaults, run for every agent by populateAgentLocalAssetDirs, pack.toml or not).
 */
export function conventionNamepool(root: string, agentsDir: string, name: string): string | null {
  const folder = join(agentsDir, name);
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

/**
 * The agents of agents/, as DiscoverPackAgents finds them (agent_discovery.go): each folder (not a link to one:
 * os.ReadDir's entry says symlink) whose name does not start with `.` or `_`, in os.ReadDir's order, is an agent of
 * that name, with its agent.toml when it has one and Gas City's defaults when not. A name in `skip` is not read.
 * Without pack.toml (`packless`) Gas City reads no agents/ at all, but the contract lists agents/<name>/agent.toml
 * as a city's config: then only a folder with an agent.toml is an agent, each warned of (Gas City may not run it).
 * `roots`: the folders gc-tui reads in (the city's first, then its rigs': resolveInsideAny).
 */
export function discover(
  roots: readonly string[],
  agentsDir: string,
  skip: Map<string, Declared>,
  packless: boolean,
  files: string[],
  warnings: InputWarning[],
): Declared[] {
  const out: Declared[] = [];
  if (!isDirectory(agentsDir)) return out;
  const entries = readdirSync(agentsDir, { withFileTypes: true }).sort((x, y) => compareBytes(x.name, y.name));
  for (const entry of entries) {
    const name = entry.name;
    if (name.startsWith('.') || name.startsWith('_')) continue;
    const agentToml = join(agentsDir, name, 'agent.toml');
    if (entry.isSymbolicLink() && isDirectory(join(agentsDir, name))) {
      warnings.push(linkedFolder(join(agentsDir, name)));
      continue;
    }
    if (!entry.isDirectory()) continue;
    const origin: Origin = { file: agentToml, place: '(top level)', poolPlace: 'namepool.txt beside it' };
    const winner = skip.get(name);
    if (winner) {
      if (existsSync(agentToml)) warnings.push(shadowed({ table: {}, name, origin }, winner));
      continue;
    }
    if (!existsSync(agentToml)) {
      if (packless) continue;
      out.push({
        table: {},
        name,
        origin: { file: join(agentsDir, name), place: '(no agent.toml)', poolPlace: 'namepool.txt' },
        folder: true,
      });
      continue;
    }
    const outside = resolveInsideAny(roots, agentToml).refused;
    if (outside) throw new InputError(agentToml, null, outside);
    files.push(agentToml);
    // DiscoverPackAgents decodes agent.toml only when fs.ReadFile reads it: a read error is Gas City's defaults,
    // without a word (a parse error stops the load, as readToml's does here).
    const unread = goReadFailure(agentToml);
    if (unread !== null) {
      warnings.push(packless ? unreadWithoutPack(agentToml, name, unread) : unreadAgentToml(agentToml, name, unread));
      out.push({ table: {}, name, origin: { ...origin, place: '(unread)' }, folder: true });
      continue;
    }
    const at = readToml(agentToml);
    validateToml(agentToml, at, 'agent');
    const line = tomlLineOf(at.text, ['namepool']);
    if (line) origin.poolPlace = `line ${line} (namepool)`;
    if (packless) warnings.push(readWithoutPack(agentToml, name));
    out.push({ table: at.data, name, origin, folder: true });
  }
  return out;
}

function unreadAgentToml(agentToml: string, name: string, why: string): InputWarning {
  const agent = JSON.stringify(name);
  return {
    text:
      `${agentToml}: ${why}; Gas City reads an agent.toml only when it can (DiscoverPackAgents): it runs agent ${agent} ` +
      "with Gas City's defaults and says nothing, and so does this plan (a Gas City running as a user who can read the file runs it as written)",
    brief: `agents/${name}/agent.toml: ${why} — agent ${agent} runs with defaults in Gas City (and this plan)`,
  };
}

/** An agent.toml that cannot be read in a city without pack.toml: Gas City reads no agents/ there at all. */
function unreadWithoutPack(agentToml: string, name: string, why: string): InputWarning {
  const agent = JSON.stringify(name);
  return {
    text:
      `${agentToml}: ${why}; this plan has agent ${agent} with the defaults (no cap), but Gas City itself reads agents/ ` +
      `only in a city with a pack.toml, and this one has none: Gas City may not run agent ${agent}`,
    brief: `agents/${name}/agent.toml: ${why} — agent ${agent} planned with defaults; without pack.toml Gas City may not run it`,
  };
}

function linkedFolder(folder: string): InputWarning {
  return {
    text: `${folder}: a symbolic link, which Gas City does not count as an agent folder (os.ReadDir sees a link): it runs no agent of it, and this plan has none`,
    brief: `${folder} is a link: no agent in Gas City (nor in this plan)`,
  };
}

/** An agents/<name>/agent.toml read in a city without pack.toml, where Gas City reads no agents/ folder. */
function readWithoutPack(agentToml: string, name: string): InputWarning {
  const agent = JSON.stringify(name);
  return {
    text: `${agentToml}: this plan has agent ${agent} of it, but Gas City itself reads agents/ only in a city with a pack.toml, and this one has none: Gas City may not run agent ${agent}`,
    brief: `agent ${agent} is read from agents/ without pack.toml: Gas City reads agents/ only with one, and may not run it`,
  };
}

/** The agents Gas City runs, in its order; the dropped declarations told in `warnings`. */
export function composeAgents(
  roots: readonly string[],
  paths: CityPaths,
  city: Declared[],
  /** null without pack.toml: compose.go reads agents/ only in the pack branch; gc-tui reads its agent.toml files (warned). */
  pack: Declared[] | null,
  files: string[],
  warnings: InputWarning[],
): Declared[] {
  const byName = new Map<string, Declared>();
  for (const d of city) if (!byName.has(d.name)) byName.set(d.name, d);
  const packKept: Declared[] = [];
  for (const d of pack ?? []) {
    const winner = byName.get(d.name);
    if (winner) warnings.push(shadowed(d, winner));
    else packKept.push(d);
  }
  const skip = new Map(byName);
  for (const d of packKept) if (!skip.has(d.name)) skip.set(d.name, d);
  const found = discover(roots, paths.agentsDir, skip, pack === null, files, warnings);
  return [...packKept, ...found, ...city];
}
