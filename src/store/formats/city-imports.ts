// A city's `[imports.<binding>]` of local packs, composed as Gas City composes them (internal/config/pack.go,
// expandCityPacks and loadPackWithCacheOptions; fork 9e89da7c). Each binding, in sorted order, loads a pack
// directory: its `[pack] includes` first, then its own `[imports.*]` (sorted), then its `[[agent]]` blocks and the
// folders of its agents/ (DiscoverPackAgents), then the pack's own `[[patches.agent]]` over all of them. Every agent
// so loaded takes the city's binding before its name (`gastown.polecat`, QualifiedName), and so do its namepool
// names (`gastown.furiosa`, QualifiedInstanceName). An agent with `scope = "city"` or none is a city agent; one
// with `scope = "rig"` or none is also one agent per `[[rigs]]` entry (`<rig>/gastown.polecat`), but for a rig that
// imports the same binding itself (expandCityImportedAgentsForRigs). The imported agents come before every other
// agent of the city. The city's own includes (its pack.toml's `[pack] includes`, city.toml's `[workspace] includes`)
// come before the imports and give no binding. A rig's own packs are rig-packs.ts's; all load through one Composer.
// What gc-tui cannot read is warned of and left out, naming the key: a remote source (a git URL, a registry pack:
// nothing is fetched offline), and a pack reached through a symbolic link leading out of the folders gc-tui reads
// in (the city directory, its rigs' folders, and each local pack folder and fragment file's folder the configuration
// names: load-city.ts readRoots, Composer.local, city-fragments.ts readFragments).
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { compareBytes } from '../../engine/index.js';
import { resolveInsideAny, withinAny } from '../fs/inside.js';
import { agentPatchesOf, applyPackPatches } from './agent-patches.js';
import { discover, type Declared } from './city-agents.js';
import { keyPlace, readToml, tomlPlace, validateToml, isTable, type Table } from './city-toml.js';
import { checkPackHeader } from './legacy-surfaces.js';
import { formatJsonPath } from './json-path.js';
import { requirementsOf, type Requirement } from './pack-requires.js';
import { unreadComposition } from './unread-compose.js';
import { InputError, type InputWarning } from '../types.js';

/** A TOML file that may declare `[imports.*]`: city.toml, or the city's own pack.toml. */
export interface ImportSite {
  file: string;
  text: string;
  data: Table;
}

/**
 * Where a `[[rigs]]` entry is declared: city.toml or a fragment it includes (city-fragments.ts), and its index among
 * that file's `[[rigs]]`, for the places a refusal or warning about it names.
 */
export interface RigSite {
  site: ImportSite;
  index: number;
}

export interface Imported {
  /** Before every other agent of the city, in Gas City's order. */
  agents: Declared[];
  /** Before every other `[[named_session]]`, their template and name binding-qualified. */
  namedSessions: Table[];
  /** The `[[pack.requires]]` of every pack taken, in Gas City's order (expandCityPacks allRequires). */
  requires: Requirement[];
}

/**
 * An agent or named session of a loaded pack, with the pack directory that declares it and the binding a nested
 * `[imports.<binding>]` gave it (an import at the city or a rig gives its own to all it brings, whatever this is).
 */
export interface FromPack<T> {
  item: T;
  sourceDir: string;
  scope: unknown;
  binding?: string;
}

export interface PackLoad {
  agents: FromPack<Declared>[];
  named: FromPack<Table>[];
  /** Its `[[pack.requires]]` after those of its includes and imports (loadPackWithCacheOptions allRequires). */
  requires: Requirement[];
  /** Its own only, as an import with `transitive = false` takes them (localRequires). */
  ownRequires: Requirement[];
  /**
   * Whether a pack it includes or imports (or one of theirs) was left out (remote, or out of reach): Gas City's load
   * may then bring agents this one lacks, and a rig requirement it misses is a warning, not a refusal.
   */
  partial: boolean;
}

/** Where a pack was named: the file and place of its `source` or `includes` entry. */
export interface Via {
  file: string;
  place: string;
}

/**
 * A source Gas City fetches rather than reads from the disk, as its import command tells them apart: `git@`,
 * `github.com/`, or a scheme (`https://`, `ssh://`, `file://`, any other `x://`). Anything else is a path, a dotted
 * folder name too (`packs.d/gastown`, `my.pack`), which Gas City reads from the disk.
 */
export function isRemote(source: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(source) || source.startsWith('git@') || source.startsWith('github.com/');
}

/** resolveConfigPath (compose.go): `//x` is the city root's x, an absolute path itself, else relative to `declDir`. */
export function resolveConfigPath(p: string, declDir: string, root: string): string {
  if (p.startsWith('//')) return join(root, p.slice(2));
  return isAbsolute(p) ? p : join(declDir, p);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Loads packs, each directory once per rig it is stamped for (Gas City's packLoadCache dedupes a diamond too). */
export class Composer {
  private readonly loaded = new Map<string, PackLoad>();
  /**
   * Whether a pack left out (remote, or out of reach) might bring agents to the composed city: one the city or a rig
   * takes, or one below what they take through which its agents come (not one under an import with `transitive =
   * false`, which takes only its own pack's agents). Any of them, a rig's too, might be the one a city requirement
   * names. A rig requirement looks only among what its own include or import brings: PackLoad.partial.
   */
  leftOut = false;

  /** local() for an include or import the city or a rig takes itself: one left out might bring any agent. */
  taken(source: string, declDir: string, via: Via, key: string): string | null {
    const dir = this.local(source, declDir, via, key);
    if (dir === null) this.leftOut = true;
    return dir;
  }

  /** What the city or a rig takes from one include or import (as taken: after onlyOwn). */
  reached(load: PackLoad): PackLoad {
    this.leftOut ||= load.partial;
    return load;
  }

  /**
   * `roots`: the folders gc-tui reads packs in, the city directory first (what `//x` is relative to), then the
   * folders of its `[[rigs]]` (resolveInsideAny); each pack folder found outside them all is added (local).
   */
  constructor(
    private readonly roots: string[],
    private readonly files: string[],
    readonly warnings: InputWarning[],
  ) {}

  /**
   * The pack directory `source` names, or null with a warning where gc-tui cannot read it (`key` says where, for the
   * warning: `imports.gastown.source`, `pack.includes`).
   */
  local(source: string, declDir: string, via: Via, key: string): string | null {
    const said = `${key} ${JSON.stringify(source)}`;
    if (isRemote(source)) {
      this.warnings.push({
        text: `${via.file}: ${via.place}: ${said} is a remote pack, which gc-tui does not fetch: the agents it brings in Gas City are not in this plan`,
        brief: `${said}: a remote pack, not fetched: its agents are not in this plan`,
      });
      return null;
    }
    const dir = resolveConfigPath(source, declDir, this.roots[0]);
    // A pack folder outside every folder gc-tui reads in, as written (a sibling of the city, `../tools`), is one
    // more: named by the city's configuration, as a rig's folder is, it is read wherever it lies, as Gas City reads
    // it. Only one that holds a pack.toml: one without is no pack, refused by load (or a city include skipped), as
    // Gas City does, and gc-tui reads nothing there.
    if (!withinAny(this.roots, dir)) {
      if (!isDirectory(dir) || !existsSync(join(dir, 'pack.toml'))) return dir;
      this.roots.push(dir);
    }
    // One inside them whose symbolic link leads out stays out of reach.
    const outside = resolveInsideAny(this.roots, dir).refused;
    if (outside) {
      this.warnings.push({
        text: `${via.file}: ${via.place}: ${said} (${dir}) ${outside}, and gc-tui reads no pack there: the agents it brings in Gas City are not in this plan`,
        brief: `${said}: a pack outside the city, not read: its agents are not in this plan`,
      });
      return null;
    }
    return dir;
  }

  /** A city-level include whose pack is not there: Gas City logs it and goes on without it (expandCityPacks). */
  skipped(source: string, dir: string, via: Via, key: string): void {
    const said = `${key} ${JSON.stringify(source)}`;
    this.warnings.push({
      text: `${via.file}: ${via.place}: ${said}: ${join(dir, 'pack.toml')}: no such file; Gas City skips a city include it cannot find (it logs "not found, skipping"), so neither it nor this plan has the agents it would bring`,
      brief: `${said}: not there, skipped as Gas City skips it`,
    });
  }

  /**
   * One pack directory and what it includes and imports, in Gas City's order. `stack`: the packs being loaded, for
   * cycles. `rig`: the rig it is loaded for, whose name becomes the dir of every agent and named session without one
   * (loadPackWithCacheOptions `rigName`); '' for the city.
   */
  load(dir: string, via: Via, stack: readonly string[], rig = ''): PackLoad {
    if (stack.includes(dir))
      throw new InputError(via.file, via.place, `the pack ${dir} includes or imports itself (a cycle), which Gas City refuses`);
    const key = `${rig}\0${dir}`;
    const cached = this.loaded.get(key);
    if (cached) return cached;
    const packToml = join(dir, 'pack.toml');
    if (!isDirectory(dir) || !existsSync(packToml))
      throw new InputError(via.file, via.place, `${packToml}: no such file: Gas City refuses a city whose pack it cannot load`);
    const outside = resolveInsideAny(this.roots, packToml).refused;
    if (outside) throw new InputError(packToml, null, outside);
    if (!this.files.includes(packToml)) this.files.push(packToml);
    const read = readToml(packToml);
    validateToml(packToml, read, 'city');
    checkPackHeader(packToml, read, 'pack');
    const { text, data } = read;
    this.warnings.push(...unreadComposition(packToml, text, data, ['imports', 'pack.includes', 'patches.agent'], true));
    const inner = [...stack, dir];
    const out: PackLoad = { agents: [], named: [], requires: [], ownRequires: requirementsOf(packToml, text, data), partial: false };
    const add = (load: PackLoad | null) => {
      if (load === null) {
        out.partial = true;
        return;
      }
      out.agents.push(...load.agents);
      out.named.push(...load.named);
      out.requires.push(...load.requires);
      out.partial ||= load.partial;
    };

    const includes = isTable(data.pack) && Array.isArray(data.pack.includes) ? (data.pack.includes as unknown[]) : [];
    includes.forEach((inc, i) => {
      const at = { file: packToml, place: keyPlace(text, ['pack', 'includes', i]) };
      if (typeof inc !== 'string') throw new InputError(packToml, at.place, 'an include must be a string naming a pack');
      const incDir = this.local(inc, dir, at, 'pack.includes');
      add(incDir === null ? null : this.load(incDir, at, inner, rig));
    });
    for (const { binding, source, transitive, exported, at } of importsOf({ file: packToml, text, data })) {
      const impDir = this.local(source, dir, at, `imports.${binding}.source`);
      add(impDir === null ? null : bound(onlyOwn(this.load(impDir, at, inner, rig), impDir, transitive), binding, exported));
    }

    out.requires.push(...out.ownRequires);
    // The pack's own agents: its [[agent]] blocks, then the folders of agents/ not declared by one.
    const inline: Declared[] = ((data.agent ?? []) as Table[]).map((table, i) => ({
      table,
      name: table.name as string,
      origin: { file: packToml, place: tomlPlace(text, ['agent', i]), poolPlace: tomlPlace(text, ['agent', i, 'namepool']) },
    }));
    const skip = new Map<string, Declared>();
    for (const d of inline) if (!skip.has(d.name)) skip.set(d.name, d);
    const agentsDir = join(dir, 'agents');
    for (const d of [...inline, ...discover(this.roots, agentsDir, skip, false, this.files, this.warnings)])
      out.agents.push({ item: { ...d, table: stampDir(d.table, rig), agentsDir }, sourceDir: dir, scope: d.table.scope });
    for (const t of (data.named_session ?? []) as Table[]) out.named.push({ item: stampDir(t, rig), sourceDir: dir, scope: t.scope });
    out.agents = applyPackPatches(out.agents, agentPatchesOf(packToml, text, data));
    this.loaded.set(key, out);
    return out;
  }
}

/** A table with `dir = rig` when it has none (loadPackWithCacheOptions stamps the rig name so). */
function stampDir(t: Table, rig: string): Table {
  return rig !== '' && (t.dir === undefined || t.dir === '') ? { ...t, dir: rig } : t;
}

/** What a pack's nested import brings, with its binding: where none is set yet, or over any with `export = true`. */
function bound(load: PackLoad, binding: string, exported: boolean): PackLoad {
  const stamp = <T>(x: FromPack<T>): FromPack<T> => (exported || x.binding === undefined ? { ...x, binding } : x);
  return { ...load, agents: load.agents.map(stamp), named: load.named.map(stamp) };
}

/**
 * A pack's agents and sessions as an import with `transitive = false` takes them: only those of the pack itself, whom
 * no pack left out below it can add to.
 */
export function onlyOwn(load: PackLoad, dir: string, transitive: boolean): PackLoad {
  if (transitive) return load;
  return {
    agents: load.agents.filter((a) => a.sourceDir === dir),
    named: load.named.filter((n) => n.sourceDir === dir),
    requires: load.ownRequires,
    ownRequires: load.ownRequires,
    partial: false,
  };
}

export interface ImportEntry {
  binding: string;
  source: string;
  transitive: boolean;
  /** `export = true`: the binding goes over the one a nested import gave (loadPackWithCacheOptions). */
  exported: boolean;
  at: Via;
}

/**
 * The `[imports.*]` of one file (under `base`: `[rigs.imports.*]` of rig 2 is `['rigs', 2]`), sorted by binding
 * (sort.Strings). A source that is no string is bad input.
 */
export function importsOf(site: ImportSite, base: PropertyKey[] = []): ImportEntry[] {
  const holder = base.reduce<unknown>(
    (t, k) => (isTable(t) || Array.isArray(t) ? (t as Record<PropertyKey, unknown>)[k] : undefined),
    site.data,
  );
  const imports = isTable(holder) ? holder.imports : undefined;
  if (imports === undefined) return [];
  // Gas City cannot decode such a file and refuses the city; read as no imports, its agents would just be missing.
  if (!isTable(imports))
    throw new InputError(
      site.file,
      keyPlace(site.text, [...base, 'imports']),
      'imports must be a table of [imports.<binding>] entries, each with a source',
    );
  return Object.keys(imports)
    .sort(compareBytes)
    .map((binding) => {
      const imp = imports[binding];
      const at = { file: site.file, place: keyPlace(site.text, [...base, 'imports', binding, 'source']) };
      const source = isTable(imp) ? imp.source : undefined;
      if (typeof source !== 'string' || source.trim() === '') {
        const table = base.length === 0 ? `imports.${binding}` : formatJsonPath([...base, 'imports', binding]);
        throw new InputError(site.file, at.place, `[${table}] needs a source: a string naming the pack`);
      }
      const flag = (k: string, unset: boolean) => (isTable(imp) && typeof imp[k] === 'boolean' ? (imp[k] as boolean) : unset);
      return { binding, source: source.trim(), transitive: flag('transitive', true), exported: flag('export', false), at };
    });
}

/** The rig names of city.toml's `[[rigs]]` that do not import `binding` themselves (every rig for an include: ''). */
function rigsFor(rigs: readonly Table[], binding: string): string[] {
  return rigs
    .filter((r) => binding === '' || !(isTable(r.imports) && binding in r.imports))
    .map((r) => (typeof r.name === 'string' ? r.name.trim() : ''))
    .filter((n) => n !== '');
}

const qualify = (binding: string, s: unknown) => (typeof s === 'string' ? `${binding}.${s}` : s);

/** A named session of an import: its template and name take the binding (NamedSession.TemplateQualifiedName, IdentityName). */
export function boundSession(t: Table, binding: string | undefined, dir?: string): Table {
  if (binding === undefined) return dir === undefined ? t : { ...t, dir };
  const out: Table = { ...t, template: qualify(binding, t.template) };
  if (t.name !== undefined) out.name = qualify(binding, t.name);
  if (dir !== undefined) out.dir = dir;
  return out;
}

/** A city-level include: the city pack.toml's `[pack] includes` or city.toml's `[workspace] includes` entry. */
interface CityInclude {
  source: string;
  at: Via;
  key: string;
}

/**
 * The city's own includes, pack.toml's first (compose.go: rootPackIncludes, then Workspace.LegacyIncludes, to which
 * mergeWorkspace has appended each fragment's `[workspace] includes`).
 */
function cityIncludes(city: ImportSite, pack: ImportSite | null, fragments: readonly ImportSite[]): CityInclude[] {
  const out: CityInclude[] = [];
  const take = (site: ImportSite | null, table: 'pack' | 'workspace') => {
    const holder = site?.data[table];
    const list = isTable(holder) ? holder.includes : undefined;
    if (site === null || list === undefined) return;
    if (!Array.isArray(list))
      throw new InputError(site.file, keyPlace(site.text, [table, 'includes']), 'includes must be an array of strings naming packs');
    list.forEach((source, i) => {
      const at = { file: site.file, place: keyPlace(site.text, [table, 'includes', i]) };
      if (typeof source !== 'string') throw new InputError(site.file, at.place, 'an include must be a string naming a pack');
      out.push({ source, at, key: `${table}.includes[${i}]` });
    });
  };
  take(pack, 'pack');
  take(city, 'workspace');
  for (const fragment of fragments) take(fragment, 'workspace');
  return out;
}

/**
 * The agents and named sessions the city's own includes and its `[imports.*]` bring, as expandCityPacks takes them:
 * the includes first (their agents keep the bindings their packs' own imports gave; an include that is not there
 * is skipped, as Gas City skips it with a log line), then the imports, city.toml's and its pack.toml's (city.toml's
 * wins for one binding in both, as compose.go merges them). `rigs`: the city's `[[rigs]]`, its fragments' too;
 * `fragments`: the fragment files city.toml includes, whose `[workspace] includes` come after city.toml's.
 */
export function composeImports(
  composer: Composer,
  root: string,
  city: ImportSite,
  pack: ImportSite | null,
  rigs: readonly Table[],
  fragments: readonly ImportSite[] = [],
): Imported {
  const entries = new Map<string, ImportEntry>();
  for (const e of pack ? importsOf(pack) : []) entries.set(e.binding, e);
  for (const e of importsOf(city)) entries.set(e.binding, e);
  const cityAgents: Declared[] = [];
  const rigAgents: Declared[] = [];
  const cityNamed: Table[] = [];
  const rigNamed: Table[] = [];
  const requires: Requirement[] = [];
  // `binding` undefined: an include, whose agents keep their own (expandCityImportedAgentsForRigs with "").
  const take = (load: PackLoad, rigNames: string[], binding?: string) => {
    const as = <T>(x: FromPack<T>) => binding ?? x.binding;
    requires.push(...load.requires);
    for (const a of load.agents) if (a.scope !== 'rig') cityAgents.push({ ...a.item, binding: as(a) });
    for (const rig of rigNames)
      for (const a of load.agents)
        if (a.scope !== 'city') rigAgents.push({ ...a.item, binding: as(a), table: { ...a.item.table, dir: rig } });
    for (const n of load.named) if (n.scope !== 'rig') cityNamed.push(boundSession(n.item, as(n)));
    for (const rig of rigNames) for (const n of load.named) if (n.scope !== 'city') rigNamed.push(boundSession(n.item, as(n), rig));
  };
  for (const { source, at, key } of cityIncludes(city, pack, fragments)) {
    const dir = composer.taken(source, root, at, key);
    if (dir === null) continue;
    if (!existsSync(join(dir, 'pack.toml'))) {
      composer.skipped(source, dir, at, key);
      continue;
    }
    take(composer.reached(composer.load(dir, at, [])), rigsFor(rigs, ''));
  }
  for (const binding of [...entries.keys()].sort(compareBytes)) {
    const { source, transitive, at } = entries.get(binding)!;
    const dir = composer.taken(source, root, at, `imports.${binding}.source`);
    if (dir === null) continue;
    take(composer.reached(onlyOwn(composer.load(dir, at, []), dir, transitive)), rigsFor(rigs, binding), binding);
  }
  return { agents: [...cityAgents, ...rigAgents], namedSessions: [...cityNamed, ...rigNamed], requires };
}
