// city.toml's top-level `include`: fragment files merged into the city as Gas City's LoadWithIncludesOptions merges
// them (internal/config/compose.go: the include loop, mergeFragment, mergeWorkspace, adjustAgentPaths). Each entry
// is a path relative to the city directory (`//x` is the city's x too, an absolute path is itself), read in order. A
// fragment is city.toml-shaped: its `[[agent]]` and `[[named_session]]` blocks come after city.toml's (and its
// pack.toml's), its `[[rigs]]` after city.toml's rigs, its `[[patches.*]]` after city.toml's, and its `[workspace]
// includes` after city.toml's. A section it sets whole (`[daemon]`, `[beads]`, …) replaces the city's; of
// `[workspace]` only some keys are taken (`name`, `provider`, …, not `max_active_sessions`: mergeWorkspace has no
// such field), and its `[imports.*]` are not taken at all. A fragment that is not there, is no TOML, includes
// another fragment, or holds a PackV1 surface in a city whose pack.toml is schema 2 (legacy-surfaces.ts) is refused,
// as Gas City refuses the city; its `[[rigs]] path` and `[workspace] name` are read, with the warning Gas City gives
// (legacySiteWarnings). Gas City reads a fragment wherever its path points (resolveConfigPath, then fs.ReadFile: no
// folder check), so one beside the city (`../common/team.toml`, `/etc/gc/team.toml`) is read too, and its folder
// joins the folders gc-tui reads the city in (what the fragment's namepool paths are relative to), as a local pack's
// folder does (Composer.local). One that is remote (gc-tui fetches nothing), or is reached through a symbolic link
// inside those folders that leads out of them all, is warned of and left out.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { CityConfig } from '../../engine/types.js';
import { resolveInsideAny, withinAny } from '../fs/inside.js';
import { configuredProvider, sessionClassBackend } from './beads-provider.js';
import { isRemote, resolveConfigPath, type ImportSite } from './city-imports.js';
import { keyPlace, readToml, validateToml, isTable, type Table } from './city-toml.js';
import { CITY_COMPOSED, unreadComposition } from './unread-compose.js';
import { legacySiteWarnings, refuseLegacySurfaces, type Schema2 } from './legacy-surfaces.js';
import { InputError, type InputWarning } from '../types.js';

/** One fragment file as read: its path, text and tables, and its folder (what its namepool paths are relative to). */
export interface Fragment extends ImportSite {
  dir: string;
}

/** The sections a fragment that sets them replaces whole (mergeFragment: "last-writer-wins"). */
const WHOLE = ['beads', 'dolt', 'formulas', 'daemon', 'session', 'mail', 'events', 'usage', 'orders', 'api', 'convergence', 'maintenance'];

/** The `[workspace]` keys a fragment sets over the city's (mergeWorkspace), and those it appends to. */
const WORKSPACE_SET = ['name', 'provider', 'start_command', 'session_template', 'suspended', 'install_agent_hooks'];
const WORKSPACE_APPEND = ['includes', 'default_rig_includes', 'global_fragments'];

/** adjustFragmentPath: a path in a fragment, made relative to the city directory as Gas City stores it. */
export function cityRelative(p: string, fragDir: string, root: string): string {
  if (p === '') return p;
  if (p.startsWith('//')) return p.slice(2);
  if (isAbsolute(p)) return p;
  return relative(root, join(fragDir, p));
}

/**
 * The fragments city.toml's `include` names, read in order. `roots`: the folders gc-tui reads in (the city's first:
 * what a path is relative to); the folder of a fragment outside them all, as written, is added to them. What a
 * fragment leaves out of the plan, and what gc-tui does not read, is added to `warnings`; each file read, to `files`.
 * `schema2`: where the city's pack.toml says it is schema 2, when it does (a fragment's PackV1 surfaces are then refused).
 */
export function readFragments(
  city: ImportSite,
  roots: string[],
  files: string[],
  warnings: InputWarning[],
  schema2: Schema2 | null = null,
): Fragment[] {
  const list = city.data.include;
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw new InputError(city.file, keyPlace(city.text, ['include']), 'include must be an array of strings naming fragment files');
  const out: Fragment[] = [];
  list.forEach((inc, i) => {
    const place = keyPlace(city.text, ['include', i]);
    if (typeof inc !== 'string' || inc.trim() === '')
      throw new InputError(city.file, place, 'an include must be a string naming a fragment file');
    const said = `include ${JSON.stringify(inc)}`;
    const notInPlan = 'the agents, rigs and settings it brings in Gas City are not in this plan';
    if (isRemote(inc)) {
      warnings.push({
        text: `${city.file}: ${place}: ${said} is a remote fragment, which gc-tui does not fetch: ${notInPlan}`,
        brief: `${said}: a remote fragment, not fetched: what it adds is not in this plan`,
      });
      return;
    }
    const file = resolveConfigPath(inc, roots[0], roots[0]);
    if (!existsSync(file))
      throw new InputError(city.file, place, `${said}: ${file}: no such file: Gas City refuses a city whose fragment it cannot load`);
    // Outside every folder gc-tui reads in, as written: named by city.toml, as a rig's folder or a local pack is, it
    // is read where it lies, as Gas City reads it, and its folder is one more of those folders.
    if (!withinAny(roots, file)) roots.push(dirname(file));
    // One inside them whose symbolic link leads out of them all stays out of reach, as such a pack does.
    const { refused } = resolveInsideAny(roots, file);
    if (refused) {
      warnings.push({
        text: `${city.file}: ${place}: ${said} (${file}) ${refused}, and gc-tui reads no file there: ${notInPlan}`,
        brief: `${said}: a fragment reached through a link leading out, not read: what it adds is not in this plan`,
      });
      return;
    }
    const read = readToml(file);
    validateToml(file, read, 'city');
    const { text, data } = read;
    if (schema2) {
      refuseLegacySurfaces(file, text, data, schema2, inc);
      warnings.push(...legacySiteWarnings(file, text, data, true));
    }
    if (Array.isArray(data.include) ? data.include.length > 0 : data.include !== undefined)
      throw new InputError(
        file,
        keyPlace(text, ['include']),
        `a fragment cannot include other fragments: Gas City refuses the city (includes are not allowed in fragments), include them from ${city.file}`,
      );
    // A [beads] it sets is the city's: checked here, naming this file.
    if (data.beads !== undefined) {
      const beads = { beads: data.beads } as unknown as CityConfig;
      configuredProvider(beads, file);
      sessionClassBackend(beads, file);
    }
    if (!files.includes(file)) files.push(file);
    warnings.push(...unreadComposition(file, text, data, CITY_COMPOSED));
    warnings.push(...ignoredByGasCity(file, text, data));
    out.push({ file, text, data, dir: dirname(file) });
  });
  return out;
}

/** What Gas City does not take from a fragment, and so neither does this plan: its imports, its workspace cap. */
function ignoredByGasCity(file: string, text: string, data: Table): InputWarning[] {
  const out: InputWarning[] = [];
  if (isTable(data.imports) && Object.keys(data.imports).length > 0)
    out.push({
      text: `${file}: ${keyPlace(text, ['imports'])}: Gas City does not take [imports.*] from a fragment (only from city.toml and its pack.toml), so neither it nor this plan has the agents they name; move them to city.toml`,
      brief: 'imports in a fragment: Gas City ignores them (and so does this plan)',
    });
  if (isTable(data.workspace) && data.workspace.max_active_sessions !== undefined)
    out.push({
      text: `${file}: ${keyPlace(text, ['workspace', 'max_active_sessions'])}: Gas City does not take [workspace] max_active_sessions from a fragment (it merges name, provider and a few other keys), so the city's cap is city.toml's, in Gas City and in this plan; set it in city.toml`,
      brief: 'workspace.max_active_sessions in a fragment: Gas City ignores it (and so does this plan)',
    });
  return out;
}

/**
 * The city's `[workspace]` and other sections with each fragment's merged over them, as mergeFragment merges them:
 * `tables` holds city.toml's top-level tables but `[[agent]]`, `[[named_session]]` and `[[rigs]]` (composed apart).
 */
export function mergeFragmentTables(tables: Table, fragments: readonly Fragment[]): Table {
  const out: Table = { ...tables };
  for (const { data } of fragments) {
    for (const key of WHOLE) {
      if (data[key] === undefined) continue;
      // A [daemon] without formula_v2 (or its old name) keeps the city's (mergeFragment).
      const keep =
        key === 'daemon' &&
        isTable(out.daemon) &&
        isTable(data.daemon) &&
        data.daemon.formula_v2 === undefined &&
        data.daemon.graph_workflows === undefined
          ? Object.fromEntries(
              ['formula_v2', 'graph_workflows']
                .filter((k) => (out.daemon as Table)[k] !== undefined)
                .map((k) => [k, (out.daemon as Table)[k]]),
            )
          : {};
      out[key] = isTable(data[key]) ? { ...(data[key] as Table), ...keep } : data[key];
    }
    if (!isTable(data.workspace)) continue;
    const workspace: Table = isTable(out.workspace) ? { ...out.workspace } : {};
    for (const key of WORKSPACE_SET) if (data.workspace[key] !== undefined) workspace[key] = data.workspace[key];
    for (const key of WORKSPACE_APPEND) {
      const more = data.workspace[key];
      if (more === undefined) continue;
      const base = Array.isArray(workspace[key]) ? (workspace[key] as unknown[]) : [];
      workspace[key] = [...base, ...(Array.isArray(more) ? more : [more])];
    }
    out.workspace = workspace;
  }
  return out;
}
