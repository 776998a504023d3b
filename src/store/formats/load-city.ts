// A real Gas City city directory: city.toml (+ pack.toml, agents/<name>/agent.toml, namepool files) for the
// config, `.gc/beads.json` for the beads of a file-store city (a bd city's through gc or a capture: beads-capture.ts). gc-tui's own files live in `.gc/gc-tui/`, never in Gas City's.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { AgentConfig, CityConfig, Decision, NamedSessionConfig, RigConfig } from '../../engine/types.js';
import { noBeadsFile, parseBeadsText, type BeadsFile } from './beads-file.js';
import { CAPTURE_COMMAND, findGc, readCaptures, readThroughGc, STDIN_NAME } from './beads-capture.js';
import { configName, detectProvider, rigStoresOf, sessionClassBackend, type BeadsProvider } from './beads-provider.js';
import { composeAgents, conventionNamepool, type Declared, type Origin } from './city-agents.js';
import { checkCityPack, legacySiteWarnings, refuseLegacySurfaces, refuseRigPaths, type Schema2 } from './legacy-surfaces.js';
import { bindRigPaths, readSiteBinding, siteBindingPath, siteBindingWarnings } from './site-binding.js';
import { agentPatchesOf, applyCityPatches, qualifiedOf, type AgentPatch } from './agent-patches.js';
import { Composer, composeImports, type ImportSite, type RigSite } from './city-imports.js';
import { cityRelative, mergeFragmentTables, readFragments } from './city-fragments.js';
import { applyRigOverrides } from './rig-overrides.js';
import { composeRigPacks, mergeHoisted, mergeHoistedNamed } from './rig-packs.js';
import { isTable, readToml, tomlPlace, validateToml, type Table } from './city-toml.js';
import { mergeScopeStores } from './scope-stores.js';
import { applyNamedSessionPatches, applyRigPatches } from './city-patches.js';
import { readCityDecisions } from '../decisions.js';
import { assertReadableDir, describeFsError } from '../fs/fs-errors.js';
import { resolveInsideAny, withinAny } from '../fs/inside.js';
import { bytesAsText, readRegularFileIfExists } from '../fs/read-bounded.js';
import { goReadFailureUnopened, readNamepool } from './namepool.js';
import { findDuplicate, qualifiedName } from './schema.js';
import { InputError, type FileBytes, type InputWarning, type Loaded } from '../types.js';
import { CITY_COMPOSED, unreadComposition } from './unread-compose.js';
import { cityPaths } from './city-paths.js';
import { checkCityRequirements, requirementsOf, type Requirement } from './pack-requires.js';

/**
 * The city's name as `gc init` records it today: `workspace_name` in `.gc/site.toml` (the site binding), or null
 * when there is none. Gas City's name for a city is that, else `[workspace] name`, else the directory's name
 * (config.EffectiveCityName). A site.toml that is not TOML is bad input naming it, as in Gas City.
 */
export function siteWorkspaceName(dir: string): string | null {
  return readSiteBinding(dir)?.workspaceName ?? null;
}

/**
 * The names of a namepool file, or none with a warning where Gas City cannot read it either: its
 * `loadNamepools` (`internal/config/compose.go`) skips the file silently and the agent's sessions take numbered
 * names. That holds for a path out of the city too (Gas City reads any path; one it cannot read is no names), which
 * gc-tui looks at without opening it. A path out of the city that Gas City would read, or a file gc-tui will not
 * read though Gas City would (readNamepool), is bad input.
 */
function loadNamepool(
  roots: readonly string[],
  spec: string,
  origin: Origin,
  template: string,
): { names: string[]; file: string; warning?: InputWarning } {
  const { path: file, refused } = resolveInsideAny(roots, spec);
  const said = `namepool file ${JSON.stringify(spec)} (${file})`;
  let read: ReturnType<typeof readNamepool>;
  try {
    if (refused) {
      const unread = goReadFailureUnopened(file);
      if (unread === null) throw new InputError(file, null, refused);
      read = { unread };
    } else read = readNamepool(file);
  } catch (e) {
    const why = e instanceof InputError ? e.detail : describeFsError(e);
    throw new InputError(origin.file, origin.poolPlace, `${said}: ${why}`);
  }
  // Read, but not names as UTF-8 text (UTF-16, a control character): taken as Gas City takes them, said loudly.
  if ('names' in read && read.garbled) {
    const text = `${origin.file}: ${origin.poolPlace}: ${said}: ${read.unread}; Gas City takes its lines as they are, so ${template}'s sessions are named with what they hold, and this plan does the same (escaped where shown)`;
    return {
      names: read.names,
      file,
      warning: { text, brief: `namepool ${JSON.stringify(spec)} of ${template}: ${read.garbled} — save it as UTF-8 names` },
    };
  }
  if ('names' in read) return { names: read.names, file };
  const numbered = `${template}-1, ${template}-2, …`;
  const warning = {
    text:
      `${origin.file}: ${origin.poolPlace}: ${said}: ${read.unread}; Gas City goes on without it and says nothing: ` +
      `${template}'s sessions take numbered names (${numbered}), and this plan does the same` +
      (refused ? `; the path ${refused}: were the file there, gc-tui would refuse it` : ''),
    brief: `namepool ${JSON.stringify(spec)} of ${template}: ${read.unread} — Gas City (and this plan) uses ${template}-1, -2, …`,
  };
  return { names: [], file, warning };
}

/** `[[named_session]]`: identity = `dir/` + (name ?? template); rig-scoped ones without a dir exist once per rig. */
function namedSessions(tables: Table[], rigs: RigConfig[]): NamedSessionConfig[] {
  const out: NamedSessionConfig[] = [];
  for (const t of tables) {
    const { template, name, dir, ...rest } = t as { template: string; name?: string; dir?: string; scope?: string };
    const dirs = dir ? [dir] : rest.scope === 'rig' ? rigs.map((r) => r.name) : [undefined];
    for (const d of dirs) {
      const qualify = (s: string) => (d && !s.includes('/') ? `${d}/${s}` : s);
      out.push({ ...rest, template: qualify(template), identity: qualify(name ?? template), ...(d ? { dir: d } : {}) });
    }
  }
  return out;
}

/**
 * The folders gc-tui reads a city's configuration in: the city directory, then each folder a `[[rigs]]` entry's
 * `path` names (relative to the city or absolute, as Gas City resolves it), wherever it is. A rig's packs, agent
 * folders and namepool files lie there, often beside the city rather than in it (`path = "../repo"`). The pack
 * folders the configuration names outside all of them are added as they are found (Composer.local); a path leading
 * out of all of them (or a link inside one pointing out) is still refused or warned of, as before. So are the folders
 * of the fragment files city.toml includes outside them (readFragments).
 */
function readRoots(dir: string, rigs: readonly RigConfig[]): string[] {
  const roots = [dir];
  const seen = new Set([resolve(dir)]);
  for (const rig of rigs) {
    const path = rig.path;
    if (typeof path !== 'string' || path.trim() === '') continue;
    const root = resolve(dir, path.trim());
    // One inside the city adds nothing (and a link there pointing out stays refused, as before).
    const rel = relative(resolve(dir), root);
    const inCity = rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
    if (!seen.has(root) && !inCity) roots.push(root);
    seen.add(root);
  }
  return roots;
}

/**
 * city.toml's `[imports]` in a city with a pack.toml beside it: composed (as Gas City composes them), with the warning
 * Gas City gives (LoadWithIncludesOptions), which counts city.toml's own entries only.
 */
function importsBesidePack(file: string, text: string, data: Table): InputWarning[] {
  const n = isTable(data.imports) ? Object.keys(data.imports).length : 0;
  if (n === 0) return [];
  const gasCity = `city.toml declares ${n} [imports] — consider moving them to pack.toml (imports are definition, city.toml is deployment)`;
  return [
    {
      text: `${file}: ${tomlPlace(text, ['imports'])}: [imports] in city.toml beside a pack.toml, which Gas City still reads, and so does this plan; Gas City warns: "${gasCity}"`,
      brief: `${n} [imports] in city.toml beside pack.toml — Gas City asks to move them to pack.toml`,
    },
  ];
}

export interface CityConfigRead {
  config: CityConfig;
  files: string[];
  /** What an operator should know that Gas City reads silently (a namepool file it cannot read). */
  warnings: InputWarning[];
  /** The file whose `[beads]` is the city's: the last fragment that sets it (mergeFragment), else city.toml. */
  beadsFile: string;
}

/** Read and validate a city's configuration. Throws InputError naming the file and line. */
export function readCityConfig(dir: string): CityConfigRead {
  assertReadableDir(dir);
  const paths = cityPaths(dir);
  if (!existsSync(paths.cityToml)) throw new InputError(paths.cityToml, null, `no such file (is ${dir} a Gas City city directory?)`);
  const files: string[] = [paths.cityToml];
  const cityRead = readToml(paths.cityToml);
  const { text, data } = cityRead;
  validateToml(paths.cityToml, cityRead, 'city');

  const {
    workspace,
    daemon,
    rigs = [],
    agent = [],
    named_session = [],
    ...otherTables
  } = data as {
    workspace?: Table;
    daemon?: Table;
    rigs?: RigConfig[];
    agent?: Table[];
    named_session?: Table[];
  };

  const warnings: InputWarning[] = [];
  const agents: AgentConfig[] = [];
  const origins: Origin[] = [];
  const addAgent = ({ table, name: bare, origin, folder, binding, agentsDir }: Declared) => {
    const { namepool, ...rest } = table as { namepool?: string };
    // An imported agent is `<binding>.<name>` (Agent.QualifiedName); its convention files are its pack's.
    const name = binding ? `${binding}.${bare}` : bare;
    const out: AgentConfig = { ...rest, name };
    // An empty namepool is none to Gas City: the convention file applies then too.
    const convention = namepool ? null : conventionNamepool(dir, agentsDir ?? paths.agentsDir, bare);
    const spec = namepool || convention;
    if (spec) {
      const at =
        convention === null || folder
          ? origin
          : { ...origin, poolPlace: `${origin.place}, without a namepool of its own: ${convention} by convention` };
      const pool = loadNamepool(roots, spec, at, qualifiedName(out));
      // An imported agent's session is `<binding>.<name>` (Agent.QualifiedInstanceName).
      out.namepool = binding ? pool.names.map((n) => `${binding}.${n}`) : pool.names;
      // The path counts on its own, names read or not (Agent.UsesCanonicalSingletonPoolIdentity).
      out.namepool_file = spec;
      // Watched even when missing: the file appearing changes the plan.
      files.push(pool.file);
      if (pool.warning) warnings.push(pool.warning);
    }
    agents.push(out);
    origins.push(origin);
  };
  const declared = (file: string, text: string, tables: Table[]): Declared[] =>
    tables.map((a, i) => ({
      table: a,
      name: a.name as string,
      origin: { file, place: tomlPlace(text, ['agent', i]), poolPlace: tomlPlace(text, ['agent', i, 'namepool']) },
    }));
  // A schema-2 city may carry its own pack.toml with more [[agent]] and [[named_session]] blocks.
  let packNamed: Table[] = [];
  let packAgents: Declared[] | null = null;
  let packSite: ImportSite | null = null;
  let packPatches: AgentPatch[] = [];
  let schema2: Schema2 | null = null;
  let packRequires: Requirement[] = [];
  if (existsSync(paths.packToml)) {
    files.push(paths.packToml);
    const pack = readToml(paths.packToml);
    validateToml(paths.packToml, pack, 'city');
    packAgents = declared(paths.packToml, pack.text, (pack.data.agent ?? []) as Table[]);
    packNamed = (pack.data.named_session ?? []) as Table[];
    packSite = { file: paths.packToml, ...pack };
    packPatches = agentPatchesOf(paths.packToml, pack.text, pack.data);
    warnings.push(...unreadComposition(paths.packToml, pack.text, pack.data, ['imports', 'pack.includes', 'patches.agent'], true));
    schema2 = checkCityPack(paths.packToml, pack);
    packRequires = requirementsOf(paths.packToml, pack.text, pack.data);
  }
  // A schema-2 city keeps no PackV1 surface in city.toml (nor in its fragments), and no rig path: Gas City refuses
  // it before composing.
  if (schema2) {
    refuseLegacySurfaces(paths.cityToml, text, data, schema2);
    warnings.push(...legacySiteWarnings(paths.cityToml, text, data, false));
    refuseRigPaths(paths.cityToml, text, data, schema2);
  }
  if (packSite) warnings.push(...importsBesidePack(paths.cityToml, text, data));
  // Read here, applied once the rigs are composed and patched, as Gas City applies it; a rig's bound folder is one
  // gc-tui reads the configuration in, as a declared one is.
  const site = readSiteBinding(dir);
  files.push(siteBindingPath(dir));
  const city: ImportSite = { file: paths.cityToml, text, data };
  // city.toml's `include`d fragments (city-fragments.ts), read in the city's folders and its own rigs'.
  const fragmentWarnings: InputWarning[] = [];
  const fragments = readFragments(city, readRoots(dir, [...rigs, ...bindRigPaths(rigs, site)]), files, fragmentWarnings, schema2);
  // Every rig, city.toml's then each fragment's (mergeFragment appends them), with where it is declared.
  const rigSites: RigSite[] = rigs.map((_, index) => ({ site: city, index }));
  const allRigs: RigConfig[] = [...rigs];
  for (const f of fragments)
    ((f.data.rigs ?? []) as RigConfig[]).forEach((rig, index) => {
      allRigs.push(rig);
      rigSites.push({ site: f, index });
    });
  const roots = readRoots(dir, [...allRigs, ...bindRigPaths(allRigs, site)]);
  // A fragment's folder outside them all, as written, is one more (readFragments read it there).
  for (const f of fragments) if (!withinAny(roots, f.dir)) roots.push(f.dir);
  // A fragment's agent: its namepool path is relative to the fragment's folder, and its convention namepool.txt is
  // under that folder's agents/ (adjustAgentPaths, populateAgentLocalAssetDirs: its SourceDir).
  const fragmentAgents = fragments.flatMap((f) =>
    declared(f.file, f.text, (f.data.agent ?? []) as Table[]).map((d) => {
      const pool = d.table.namepool;
      const table = typeof pool === 'string' && pool !== '' ? { ...d.table, namepool: cityRelative(pool, f.dir, dir) } : d.table;
      return { ...d, table, agentsDir: join(f.dir, 'agents') };
    }),
  );

  const cityAgents = declared(paths.cityToml, text, agent);
  warnings.push(...unreadComposition(paths.cityToml, text, data, CITY_COMPOSED));
  warnings.push(...fragmentWarnings);
  // The city's own includes and its [imports.*] of local packs (city-imports.ts): their agents and named sessions come
  // first, as expandCityPacks puts them; the rigs' own packs (rig-packs.ts) after every city agent, as expandPacks
  // appends them.
  const composer = new Composer(roots, files, warnings);
  const imported = composeImports(composer, dir, city, packSite, allRigs, fragments);
  const cityComposed = composeAgents(roots, paths, cityAgents, packAgents, files, warnings);
  const before = warnings.length;
  const rigPacks = composeRigPacks(composer, dir, allRigs, rigSites);
  // A pack two rigs include is read once for each (each stamps its own dir): what it warns of is said once, as Gas
  // City's appendUnique says it.
  const said = new Set(warnings.slice(0, before).map((w) => w.text));
  warnings.push(...warnings.splice(before).filter((w) => !said.has(w.text) && said.add(w.text)));
  // The fragments' agents after city.toml's, before the rigs' packs' (mergeFragment appends them to the city's).
  const composed = mergeHoisted(
    [...imported.agents, ...cityComposed, ...fragmentAgents, ...rigPacks.agents],
    rigPacks.hoisted,
    qualifiedOf,
  );
  // City patches after every pack, city and rig (LoadWithIncludesOptions): pack.toml's first, then city.toml's, then
  // each fragment's; then each rig's overrides and patches, deferred until after them (applyDeferredRigPatches).
  const cityPatches = [city, ...fragments].flatMap((f) => agentPatchesOf(f.file, f.text, f.data));
  const patched = applyCityPatches(composed, [...packPatches, ...cityPatches]);
  const final = applyRigOverrides(patched, allRigs, rigSites);
  // The imports' and includes' requirements, then pack.toml's own (compose.go appends rootPackRequires).
  // A pack or a fragment left out (remote, or out of reach: warned of) may hold the agent one names.
  const leftOut = composer.leftOut || fragments.length < (Array.isArray(data.include) ? data.include.length : 0);
  checkCityRequirements([...imported.requires, ...packRequires], final, leftOut, warnings);
  final.forEach(addAgent);

  // A fragment's [daemon], [beads], … replace the city's, and some of its [workspace] keys are set over city.toml's.
  const own: Table = { ...otherTables, workspace, daemon };
  const { workspace: ws, daemon: dm, ...rest } = fragments.length > 0 ? mergeFragmentTables(own, fragments) : own;
  const config: CityConfig = { ...rest, agents };
  if (ws) config.workspace = ws as CityConfig['workspace'];
  // The name Gas City gives the city (applyWorkspaceIdentityBinding): .gc/site.toml's workspace_name over any
  // [workspace] name, where `gc doctor --fix` moves a schema-2 city's (legacySiteWarnings warns of one left there).
  if (site?.workspaceName) config.workspace = { ...config.workspace, name: site.workspaceName };
  if (dm) config.daemon = dm as CityConfig['daemon'];
  // After every pack and the agent patches, as ApplyPatches runs them (city-patches.ts): city.toml's, then each
  // fragment's, in order.
  // Then each rig's path bound in .gc/site.toml over them all (ApplySiteBindings, after the patches).
  const patchedRigs = [city, ...fragments].reduce((r, f) => applyRigPatches(f.file, f.text, f.data, r), allRigs);
  config.rigs = bindRigPaths(patchedRigs, site);
  warnings.push(
    ...siteBindingWarnings(
      patchedRigs,
      rigSites.map(({ site: s, index }) => {
        const table = ((s.data.rigs ?? []) as Table[])[index];
        return { file: s.file, text: s.text, index, declaresPath: typeof table?.path === 'string' && table.path.trim() !== '' };
      }),
      site,
      siteBindingPath(dir),
    ),
  );
  // pack.toml's first, then city.toml's, as compose.go LoadWithIncludesOptions appends them (`append(pc.NamedSessions,
  // root.NamedSessions...)`), then the rigs' packs' (expandPacks appends them), then the city-scoped ones those hold
  // (mergeHoistedCityNamedSessions): where one identity is declared twice, the first is the one Gas City finds
  // (named_sessions.go FindNamedSession) and the engine's namedTemplates keeps.
  // A fragment's named sessions come after city.toml's (mergeFragment), before the rigs' packs'.
  const fragmentNamed = fragments.flatMap((f) => (f.data.named_session ?? []) as Table[]);
  const named = mergeHoistedNamed(
    [...imported.namedSessions, ...packNamed, ...named_session, ...fragmentNamed, ...rigPacks.named],
    rigPacks.hoistedNamed,
  );
  const patchedNamed = [city, ...fragments].reduce((n, f) => applyNamedSessionPatches(f.file, f.text, f.data, n), named);
  config.named_sessions = namedSessions(patchedNamed, config.rigs);

  const dup = findDuplicate(config, []);
  if (dup?.what === 'rig') {
    const at = rigSites[dup.index];
    const first = rigSites[dup.first];
    const firstPlace = tomlPlace(first.site.text, ['rigs', first.index, 'name']);
    throw new InputError(
      at.site.file,
      tomlPlace(at.site.text, ['rigs', at.index, 'name']),
      `${dup.message} (first at ${first.site === at.site ? firstPlace : `${first.site.file} ${firstPlace}`})`,
    );
  }
  if (dup?.what === 'agent') {
    const o = origins[dup.index];
    const first = origins[dup.first];
    // One declaration twice: its pack reached by two paths under one binding (a diamond). Gas City's loader keeps
    // both copies (packLoadCache) and its ValidateAgents refuses the duplicate name; so does this reader.
    if (o.file === first.file && o.place === first.place)
      throw new InputError(
        o.file,
        o.place,
        `${dup.message}: this one declaration is reached twice, through two includes or imports of its pack under one binding, and Gas City refuses the duplicate name as well (ValidateAgents)`,
      );
    throw new InputError(o.file, o.place, `${dup.message} (first declared in ${first.file} at ${first.place})`);
  }
  const beadsFile = fragments.findLast((f) => f.data.beads !== undefined)?.file ?? paths.cityToml;
  return { config, files, warnings, beadsFile };
}

/** `.gc/beads.json` (a regular file, within the size limit); a missing file is an empty store. */
export function readBeadsJson(file: string): BeadsFile {
  return readBeadsBytes(file, false).file;
}

/**
 * A city's `.gc/beads.json` as a read parsed it, kept by a reader whose next write may start from it (the console,
 * `gc-tui apply`: write.ts keptCityBasis): the SHA-256 of the bytes parsed (null: no file) instead of a copy of them,
 * and what they gave.
 */
export interface CityBeadsRead {
  sha256: string | null;
  file: BeadsFile;
}

/**
 * The SHA-256 (hex) of a file's bytes (as read, or as a write made them: a string in UTF-8, or parts in order), or null
 * without a file: what a kept city read is compared by.
 */
export function bytesDigest(bytes: FileBytes | null): string | null {
  if (bytes === null) return null;
  const hash = createHash('sha256');
  if (typeof bytes === 'string' || Buffer.isBuffer(bytes)) hash.update(bytes);
  else for (const part of bytes as readonly Buffer[]) hash.update(part);
  return hash.digest('hex');
}

/** readBeadsJson's read, and with `digest` the SHA-256 of the bytes it parsed (else null). */
function readBeadsBytes(file: string, digest: boolean): CityBeadsRead {
  const bytes = readRegularFileIfExists(file);
  const parsed = bytes === null ? noBeadsFile() : parseBeadsText(bytesAsText(file, bytes), file);
  return { sha256: digest ? bytesDigest(bytes) : null, file: parsed };
}

/** Why gc-tui cannot read a city's beads, and what to do: never an empty, "clean" city. */
export function unreadableBeads(dir: string, provider: BeadsProvider): InputError {
  return new InputError(
    dir,
    null,
    `the beads of this city are in a ${provider.name} store (${provider.why}), which gc-tui reads only through Gas City, and gc is not on PATH: ` +
      `run \`${CAPTURE_COMMAND}\` in the city directory and pass --beads beads.json (or put gc on PATH)`,
  );
}

/** A split city: its session beads are in a store gc-tui cannot read, so reading the rest would look clean. */
export function unreadableSessionStore(dir: string, backend: string, beadsFile: string = join(dir, 'city.toml')): InputError {
  return new InputError(
    dir,
    null,
    `${configName(dir, beadsFile)} [beads.classes.sessions] backend = ${JSON.stringify(backend)} keeps this city's session beads in a store of their own ` +
      "(Gas City's split session store, e.g. .gc/store/sessions.db, ids gcs-…), which gc-tui cannot read and `gc beads list` is not known to include: " +
      'capture the session beads (and the open work) in a JSON bead shape and pass them with --beads FILE',
  );
}

/**
 * A city's beads: from the captures named by `--beads` when given (the only way to read a split city, whose
 * session beads are in a store of their own: unreadableSessionStore); else, for the file store, `.gc/beads.json`
 * (and every rig's own `.gc/beads.json` too, merged: scope-stores.ts; a rig in bd makes it a city read through
 * gc); else through `gc`
 * (Gas City's own read command) when it is on PATH; else an InputError saying what to do. `beadsFrom` says which.
 */
export async function loadCity(dir: string, captures?: readonly string[], keep?: (read: CityBeadsRead) => void): Promise<Loaded> {
  const { config, files, warnings, beadsFile: beadsToml } = readCityConfig(dir);
  const paths = cityPaths(dir);
  const decisions: Decision[] = readCityDecisions(paths.decisions);
  const warned = warnings.length > 0 ? { warnings } : {};
  const source: Loaded['source'] = captures?.length ? { kind: 'city', dir, beads: [...captures] } : { kind: 'city', dir };
  const provider = detectProvider(dir, config, process.env, beadsToml);
  const sessionBackend = sessionClassBackend(config, beadsToml);
  if (sessionBackend !== null && !captures?.length) throw unreadableSessionStore(dir, sessionBackend, beadsToml);
  if (captures?.length) {
    return {
      source,
      state: { city: config, beads: readCaptures(captures), decisions },
      files: [...files, ...captures.filter((c) => c !== '-'), paths.decisions],
      beadsFrom: { from: 'capture', provider, detail: captures.map((c) => (c === '-' ? STDIN_NAME : c)).join(', ') },
      ...warned,
    };
  }
  // Beads only Gas City can read: through gc when it is on PATH, else what to do (`unreadable` names the store).
  const throughGc = async (unreadable: BeadsProvider, said: BeadsProvider): Promise<Loaded> => {
    const gc = findGc();
    if (gc === null) throw unreadableBeads(dir, unreadable);
    return {
      source,
      state: { city: config, beads: await readThroughGc(gc, dir), decisions },
      files: [...files, paths.decisions],
      beadsFrom: { from: 'gc', provider: said, detail: gc },
      ...warned,
    };
  };
  if (provider.name !== 'file') return throughGc(provider, provider);
  const rigs = rigStoresOf(dir, config);
  if (rigs.bd.length > 0) {
    // A mixed city: a rig keeps its beads in bd under this file-store city.
    const why = `rig ${rigs.bd.map((r) => `${JSON.stringify(r.rig)} (${r.marker})`).join(', ')} keeps its beads in bd`;
    return throughGc({ name: 'bd', why }, { ...provider, why: `${provider.why}; ${why}` });
  }
  if (rigs.files.length > 0) {
    const city = readBeadsJson(paths.beads);
    const { beads, scopes, stored, numbers } = mergeScopeStores(
      city,
      rigs.files.map((store) => ({ store, read: readBeadsJson(store.file) })),
    );
    const { beads: _cityBeads, ...extra } = city.raw;
    const stores = [paths.beads, ...rigs.files.map((r) => r.file)];
    return {
      source,
      state: {
        city: config,
        beads,
        decisions,
        ...(stored ? { storedMetadata: stored } : {}),
        ...(numbers ? { storedNumbers: numbers } : {}),
      },
      files: [...files, ...stores, paths.decisions],
      extra,
      beadsFrom: {
        from: 'scopes',
        provider: { ...provider, why: `${provider.why}; rigs keep their own stores` },
        detail: stores.join(', '),
      },
      scopes,
      ...warned,
    };
  }
  // Of a city gc-tui writes itself (its beads.json alone), the read a reader keeps (`keep`) for its next write.
  const kept = keep ? readBeadsBytes(paths.beads, true) : null;
  if (kept) keep!(kept);
  const beadsFile = kept?.file ?? readBeadsJson(paths.beads);
  const { beads: _beads, ...extra } = beadsFile.raw;
  return {
    source,
    state: {
      city: config,
      beads: beadsFile.beads,
      decisions,
      ...(beadsFile.stored ? { storedMetadata: beadsFile.stored } : {}),
      ...(beadsFile.numbers ? { storedNumbers: beadsFile.numbers } : {}),
    },
    files: [...files, paths.beads, paths.decisions],
    extra,
    beadsFrom: { from: 'file', provider, detail: paths.beads },
    ...warned,
  };
}
