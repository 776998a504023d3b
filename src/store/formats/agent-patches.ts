// `[[patches.agent]]`: blocks that change an agent declared elsewhere, applied as Gas City applies them
// (internal/config/patch.go applyAgentPatch, applyAgentPatchFields, applyPoolOverride; pack.go
// applyPackAgentPatches). gc-tui applies the keys its plan reads (caps, floor, scale check, suspension, scope, and
// the legacy `pool = {min, max, check, drain_timeout}`); the others change nothing it plans and are not carried.
// A patch whose agent is not there is an error, as Gas City refuses such a city.
import { isTable, keyPlace, tomlPlace, type Table } from './city-toml.js';
import type { Declared } from './city-agents.js';
import { InputError } from '../types.js';

/** One `[[patches.agent]]` block, checked, with where it is. */
export interface AgentPatch {
  dir: string;
  name: string;
  table: Table;
  file: string;
  place: string;
  index: number;
}

/** The keys copied as they are (applyAgentPatchFields assigns each when the patch sets it). */
const PLAIN: Record<string, 'count' | 'string' | 'boolean'> = {
  max_active_sessions: 'count',
  min_active_sessions: 'count',
  scale_check: 'string',
  suspended: 'boolean',
  scope: 'string',
};

/** `pool = {…}` (PoolOverride): each key and the agent key it sets. */
const POOL: Record<string, [string, 'count' | 'string']> = {
  min: ['min_active_sessions', 'count'],
  max: ['max_active_sessions', 'count'],
  check: ['scale_check', 'string'],
  drain_timeout: ['drain_timeout', 'string'],
};

const KIND_SAID = { count: 'an integer ≥ 0', string: 'a string', boolean: 'true or false' };

function fits(v: unknown, kind: 'count' | 'string' | 'boolean'): boolean {
  if (kind === 'count') return typeof v === 'number' && Number.isInteger(v) && v >= 0;
  return typeof v === kind;
}

/** The keys a patch (or a rig's override) sets, each of the type Gas City's decoder takes, else `bad` says which. */
export function checkFields(table: Table, bad: (key: PropertyKey[], why: string) => InputError): void {
  for (const [key, kind] of Object.entries(PLAIN))
    if (table[key] !== undefined && !fits(table[key], kind)) throw bad([key], `must be ${KIND_SAID[kind]}`);
  if (table.pool !== undefined) {
    if (!isTable(table.pool)) throw bad(['pool'], 'must be a table ({min, max, check, drain_timeout})');
    for (const [key, [, kind]] of Object.entries(POOL)) {
      const v = table.pool[key];
      if (v !== undefined && !fits(v, kind)) throw bad(['pool', key], `must be ${KIND_SAID[kind]}`);
    }
  }
}

/**
 * The `[[patches.agent]]` blocks of one file (city.toml or a pack.toml), in order. A block Gas City's decoder
 * would not take (no name, a key of the wrong type) is bad input naming its line.
 */
export function agentPatchesOf(file: string, text: string, data: Table): AgentPatch[] {
  const patches = data.patches;
  if (patches === undefined) return [];
  const bad = (path: PropertyKey[], why: string) => new InputError(file, placeOf(text, path), why);
  if (!isTable(patches)) throw bad(['patches'], 'patches must be a table ([[patches.agent]] blocks)');
  const list = patches.agent;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw bad(['patches', 'agent'], 'patches.agent must be an array of tables ([[patches.agent]])');
  return list.map((table, index) => {
    const at: PropertyKey[] = ['patches', 'agent', index];
    if (!isTable(table)) throw bad(at, 'a [[patches.agent]] entry must be a table');
    if (typeof table.name !== 'string' || table.name === '')
      throw bad([...at, 'name'], 'an agent patch needs a name: the agent it changes (Gas City: "agent patch: name is required")');
    if (table.dir !== undefined && typeof table.dir !== 'string') throw bad([...at, 'dir'], 'must be a string');
    checkFields(table, (key, why) => bad([...at, ...key], why));
    return { dir: (table.dir as string | undefined) ?? '', name: table.name, table, file, place: placeOf(text, at), index };
  });
}

/** `line 9 (patches.agent[0].max_active_sessions)`: the i-th `[[patches.agent]]` header, or the line of a key in it. */
const placeOf = (text: string, path: PropertyKey[]) => (typeof path[2] === 'number' ? tomlPlace : keyPlace)(text, path);

/** The agent table with the patch's keys set (applyAgentPatchFields, then applyPoolOverride). */
export function patched(agent: Table, patch: Table): Table {
  const out: Table = { ...agent };
  for (const key of Object.keys(PLAIN)) if (patch[key] !== undefined) out[key] = patch[key];
  if (isTable(patch.pool)) for (const [key, [to]] of Object.entries(POOL)) if (patch.pool[key] !== undefined) out[to] = patch.pool[key];
  return out;
}

const dirOf = (d: Declared) => (typeof d.table.dir === 'string' ? d.table.dir : '');

/** `[dir/][binding.]name`: the agent's qualified name (Agent.QualifiedName). */
export function qualifiedOf(d: Declared): string {
  const name = d.binding ? `${d.binding}.${d.name}` : d.name;
  return dirOf(d) ? `${dirOf(d)}/${name}` : name;
}

/**
 * City patches (city pack.toml's, then city.toml's) over the composed agents: each changes the first agent whose
 * qualified name is `dir/name`, or whose dir and bare name are the patch's (applyAgentPatch: AgentMatchesIdentity,
 * then the V1 fallback, which matches an imported agent's bare name too).
 */
export function applyCityPatches(agents: Declared[], patches: readonly AgentPatch[]): Declared[] {
  const out = [...agents];
  for (const p of patches) {
    const target = p.dir ? `${p.dir}/${p.name}` : p.name;
    const i = out.findIndex((d) => qualifiedOf(d) === target || (dirOf(d) === p.dir && d.name === p.name));
    if (i < 0)
      throw new InputError(
        p.file,
        p.place,
        `agent ${JSON.stringify(target)} is not among the city's agents, so this patch changes nothing: Gas City refuses the city (patches.agent[${p.index}]: not found in merged config)`,
      );
    out[i] = { ...out[i], table: patched(out[i].table, p.table) };
  }
  return out;
}

/**
 * A pack's own patches over the agents it loaded (its includes', its imports', its own): by bare name when the
 * patch has no dir, else by dir and bare name (applyPackAgentPatches).
 */
export function applyPackPatches<T extends { item: Declared }>(agents: T[], patches: readonly AgentPatch[]): T[] {
  const out = [...agents];
  for (const p of patches) {
    const i = out.findIndex(({ item }) => item.name === p.name && (p.dir === '' || dirOf(item) === p.dir));
    if (i < 0) {
      const target = p.dir ? `${p.dir}/${p.name}` : p.name;
      throw new InputError(
        p.file,
        p.place,
        `agent ${JSON.stringify(target)} is not among the agents this pack loads, so this patch changes nothing: Gas City refuses the city (patches.agent[${p.index}]: not found in pack)`,
      );
    }
    out[i] = { ...out[i], item: { ...out[i].item, table: patched(out[i].item.table, p.table) } };
  }
  return out;
}
