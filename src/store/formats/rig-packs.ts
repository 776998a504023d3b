// A rig's own packs, composed as Gas City's expandPacks composes them (internal/config/pack.go): for each
// `[[rigs]]` entry in order, the packs its `includes` name (in order), then those of its `[rigs.imports.<binding>]`
// (sorted); a rig with neither whose `path` holds a pack.toml has that folder as its one include. Each pack is
// loaded for the rig: every agent and named session without a dir gets the rig's name as its dir (`app/polecat`).
// An include keeps the bindings the pack's own imports gave (`app/gs.polecat`); a rig import gives its binding to
// everything it brings (`app/gt.polecat`). Agents and sessions with `scope = "city"` are hoisted to the city
// (hoistCityScopedAgents: dir cleared), each once, and only when the city has none of that name already
// (mergeHoistedCityAgents). Everything else of a rig comes after every city agent, rig by rig.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  boundSession,
  importsOf,
  onlyOwn,
  type Composer,
  type FromPack,
  type ImportSite,
  type PackLoad,
  type RigSite,
  type Via,
} from './city-imports.js';
import type { Declared } from './city-agents.js';
import { checkRigRequirements } from './pack-requires.js';
import { tomlPlace, isTable, type Table } from './city-toml.js';
import { InputError } from '../types.js';

export interface RigPacks {
  /** Every rig's agents, rig by rig, to come after the city's. */
  agents: Declared[];
  /** City-scoped agents the rig packs hold, to join the city's (mergeHoistedAgents). */
  hoisted: Declared[];
  named: Table[];
  hoistedNamed: Table[];
}

const nonEmpty = (v: unknown) => (Array.isArray(v) ? v.length > 0 : isTable(v) && Object.keys(v).length > 0);

function withoutDir(t: Table): Table {
  const { dir: _dir, ...rest } = t;
  return rest;
}

/**
 * The packs of every rig of the city's `[[rigs]]` (city.toml's, then its fragments'), `sites[i]` saying where rig i
 * is declared.
 */
export function composeRigPacks(composer: Composer, root: string, rigs: readonly Table[], sites: readonly RigSite[]): RigPacks {
  const out: RigPacks = { agents: [], hoisted: [], named: [], hoistedNamed: [] };
  rigs.forEach((rig, i) => {
    const { site, index } = sites[i];
    const name = typeof rig.name === 'string' ? rig.name : '';
    const take = (load: PackLoad, binding?: string) => {
      const as = <T>(x: FromPack<T>) => binding ?? x.binding;
      for (const a of load.agents) {
        const d: Declared = { ...a.item, binding: as(a) };
        if (a.scope === 'city') out.hoisted.push({ ...d, table: withoutDir(d.table) });
        else out.agents.push({ ...d, rigPack: i });
      }
      for (const n of load.named) {
        if (n.scope === 'city') out.hoistedNamed.push(boundSession(withoutDir(n.item), as(n)));
        else out.named.push(boundSession(n.item, as(n)));
      }
    };
    // Each include's and import's rig-scoped requirements over the agents it brings (before any is hoisted): a
    // warning, not a refusal, only where a pack it reaches was left out (one left out elsewhere brings it nothing).
    const checked = (load: PackLoad, binding?: string) => {
      const agents = load.agents.map((a) => a.item);
      checkRigRequirements(load.requires, agents, name, binding, load.partial, composer.warnings);
      return load;
    };
    for (const { source, at, key } of includesOf(root, site, rig, index)) {
      const dir = composer.taken(source, root, at, key);
      if (dir !== null) take(checked(composer.reached(composer.load(dir, at, [], name))));
    }
    for (const { binding, source, transitive, at } of importsOf(site, ['rigs', index])) {
      const dir = composer.taken(source, root, at, `rigs[${index}].imports.${binding}.source`);
      if (dir !== null) take(checked(composer.reached(onlyOwn(composer.load(dir, at, [], name), dir, transitive)), binding), binding);
    }
  });
  return out;
}

/**
 * A rig's `includes`, or the implicit include of its path when it has neither includes nor imports. `city`: the file
 * declaring the rig (city.toml or a fragment), `i` its index there.
 */
function includesOf(root: string, city: ImportSite, rig: Table, i: number): { source: string; at: Via; key: string }[] {
  const includes = rig.includes;
  if (includes !== undefined && !Array.isArray(includes))
    throw new InputError(city.file, tomlPlace(city.text, ['rigs', i, 'includes']), 'includes must be an array of strings naming packs');
  if (nonEmpty(includes))
    return (includes as unknown[]).map((source, j) => {
      const at = { file: city.file, place: tomlPlace(city.text, ['rigs', i, 'includes', j]) };
      if (typeof source !== 'string') throw new InputError(city.file, at.place, 'an include must be a string naming a pack');
      return { source, at, key: `rigs[${i}].includes[${j}]` };
    });
  if (nonEmpty(rig.imports) || typeof rig.path !== 'string' || rig.path.trim() === '') return [];
  const path = rig.path.trim();
  if (!existsSync(join(isAbsolute(path) ? path : join(root, path), 'pack.toml'))) return [];
  return [{ source: path, at: { file: city.file, place: tomlPlace(city.text, ['rigs', i, 'path']) }, key: `rigs[${i}].path` }];
}

/**
 * The hoisted agents not already among `agents` by qualified name or by dir and bare name, each once, first
 * wins (mergeHoistedCityAgents); `qualified` names an agent.
 */
export function mergeHoisted(agents: Declared[], hoisted: Declared[], qualified: (d: Declared) => string): Declared[] {
  const dirName = (d: Declared) => `${typeof d.table.dir === 'string' ? d.table.dir : ''}\0${d.name}`;
  const seen = new Set<string>();
  for (const d of agents) seen.add(qualified(d)).add(dirName(d));
  const out = [...agents];
  for (const d of hoisted) {
    if (seen.has(qualified(d)) || seen.has(dirName(d))) continue;
    seen.add(qualified(d)).add(dirName(d));
    out.push(d);
  }
  return out;
}

/** mergeHoistedCityNamedSessions: by identity (dir + name or template) or by dir and template. */
export function mergeHoistedNamed(named: Table[], hoisted: Table[]): Table[] {
  const dir = (t: Table) => (typeof t.dir === 'string' ? t.dir : '');
  const keys = (t: Table) => [`q\0${dir(t)}\0${String(t.name ?? t.template)}`, `t\0${dir(t)}\0${String(t.template)}`];
  const seen = new Set(named.flatMap(keys));
  const out = [...named];
  for (const t of hoisted) {
    if (keys(t).some((k) => seen.has(k))) continue;
    for (const k of keys(t)) seen.add(k);
    out.push(t);
  }
  return out;
}
