// What a city's pack.toml and every pack it reaches must say of themselves, and what a city whose pack.toml is schema
// 2 may no longer hold, as Gas City's LoadWithIncludesOptions (internal/config/compose.go) checks them before
// composing anything: the city's pack.toml needs `[pack] name` and a `schema` it supports (validatePackMeta);
// city.toml and each fragment it includes keep none of the PackV1 surfaces (LegacyV1SurfaceError: inline `[[agent]]`
// tables, `[packs]`, a `[workspace] includes` entry that is not a built-in system pack, `default_rig_includes`); and
// city.toml keeps no `[[rigs]] path`, which lives in `.gc/site.toml` (LegacySiteBindingSurfaceError; a fragment's is
// only warned of there, and read, as is a `[workspace] name` in either: legacySiteWarnings). Gas City lists every
// violation in one error; gc-tui names the first, in Gas City's order, by its file and line.
import { posix } from 'node:path';
import { isTable, keyPlace, tomlPlace, type Table, type TomlRead } from './city-toml.js';
import { InputError, type InputWarning } from '../types.js';

/** The newest pack schema Gas City reads (pack.go currentPackSchema). */
const CURRENT_PACK_SCHEMA = 2;

/** Where a city's pack.toml says `[pack] schema = 2` (or more), the version that refuses the PackV1 surfaces. */
export interface Schema2 {
  file: string;
  place: string;
}

/**
 * Refuse the city's pack.toml as Gas City's validatePackMeta refuses it ("city pack.toml: [pack] name is required",
 * "[pack] schema is required", "[pack] schema 3 not supported (max 2)", a `[[pack.requires]]` entry without an agent
 * or with a scope other than city or rig), and say whether it is schema 2: then the PackV1 surfaces are refused
 * (`legacyV1SurfaceWarningsEnabled = pc.Pack.Schema >= 2`).
 */
export function checkCityPack(file: string, read: TomlRead): Schema2 | null {
  const n = checkPackHeader(file, read, 'city');
  return n >= 2 ? { file, place: tomlPlace(read.text, ['pack', 'schema']) } : null;
}

/**
 * The `[pack]` header of a pack.toml as Gas City's validatePackMeta (internal/config/pack.go) checks it, for the city's
 * own (`whose` 'city', which LoadWithIncludesOptions checks first) and for every pack the city reaches, included or
 * imported by the city or a rig (loadPackWithCacheOptions checks each as it loads it, before its includes): a name,
 * a schema from 1 to the newest Gas City reads, and each `[[pack.requires]]` entry naming an agent and a scope of
 * city or rig. The first violation is refused, naming the file and its line. Returns the schema.
 */
export function checkPackHeader(file: string, read: TomlRead, whose: 'city' | 'pack'): number {
  const { text, data } = read;
  const pack = isTable(data.pack) ? data.pack : {};
  const header = data.pack === undefined ? null : tomlPlace(text, ['pack']);
  const city = whose === 'city';
  // `decode`: refused by Go's TOML decoder (a key of the wrong type), before validatePackMeta.
  const refuse = (place: string | null, why: string, gas: string, decode = false): never => {
    const quoted = decode ? `parsing ${city ? 'city ' : ''}pack.toml` : `${city ? 'city pack.toml: ' : ''}${gas}`;
    throw new InputError(file, place, `${why}: Gas City refuses ${city ? 'the city' : 'a city that reaches this pack'} ("${quoted}")`);
  };
  const itsName = city ? "the city pack's name" : "the pack's name";
  if (pack.name !== undefined && typeof pack.name !== 'string')
    refuse(tomlPlace(text, ['pack', 'name']), '[pack] name must be a string', '[pack] name is required');
  if (pack.name === undefined || pack.name === '')
    refuse(pack.name === '' ? tomlPlace(text, ['pack', 'name']) : header, `[pack] name is required: ${itsName}`, '[pack] name is required');
  const schema = pack.schema;
  const at = () => tomlPlace(text, ['pack', 'schema']);
  const integer = typeof schema === 'number' && Number.isInteger(schema) && !read.floats.some((f) => isSchemaPath(f.path));
  if (schema !== undefined && !integer) refuse(at(), '[pack] schema must be an integer (1 or 2)', '[pack] schema is required');
  if (schema === undefined || schema === 0)
    refuse(
      schema === 0 ? at() : header,
      '[pack] schema is required: the version of the pack format (2 today)',
      '[pack] schema is required',
    );
  const n = schema as number;
  if (n > CURRENT_PACK_SCHEMA)
    refuse(at(), `[pack] schema ${n} is newer than Gas City reads`, `[pack] schema ${n} not supported (max ${CURRENT_PACK_SCHEMA})`);
  const requires = pack.requires ?? [];
  if (!Array.isArray(requires) || !requires.every(isTable))
    refuse(
      tomlPlace(text, ['pack', 'requires']),
      '[pack] requires must be an array of tables ([[pack.requires]] scope = …, agent = …), as Gas City decodes it',
      '',
      true,
    );
  const requiresPlace = (i: number, key?: string) => keyPlace(text, ['pack', 'requires', i, ...(key ? [key] : [])]);
  (requires as Table[]).forEach((req, i) => {
    for (const key of ['agent', 'scope'])
      if (req[key] !== undefined && typeof req[key] !== 'string')
        refuse(requiresPlace(i, key), `[pack] requires[${i}].${key} must be a string, as Gas City decodes it`, '', true);
    if (req.agent === undefined || req.agent === '')
      refuse(
        requiresPlace(i, req.agent === undefined ? undefined : 'agent'),
        `[pack] requires[${i}] names no agent: each requirement names the agent the pack needs`,
        `[pack] requires[${i}]: agent is required`,
      );
    const scope = (req.scope ?? '') as string;
    if (scope !== 'city' && scope !== 'rig')
      refuse(
        requiresPlace(i, req.scope === undefined ? undefined : 'scope'),
        `[pack] requires[${i}] scope must be "city" or "rig", got ${JSON.stringify(scope)}`,
        `[pack] requires[${i}]: scope must be "city" or "rig", got ${JSON.stringify(scope)}`,
      );
  });
  return n;
}

const isSchemaPath = (path: readonly PropertyKey[]) => path.length === 2 && path[0] === 'pack' && path[1] === 'schema';

/** IsBuiltinSystemPackInclude: `.gc/system/packs/<name>` (cleaned, trimmed), which an older `gc` wrote itself. */
function builtinSystemPack(entry: string): boolean {
  const cleaned = posix.normalize(entry.trim()).replace(/^(\.\/)+/, '');
  const prefix = '.gc/system/packs/';
  if (!cleaned.startsWith(prefix)) return false;
  const rest = cleaned.slice(prefix.length).replace(/\/$/, '');
  return rest !== '' && !rest.includes('/');
}

const nonEmptyArray = (v: unknown) => Array.isArray(v) && v.length > 0;

/**
 * Refuse a PackV1 surface in city.toml, or in a fragment it includes (`fragment`: its include entry), of a city whose
 * pack.toml is schema 2, in Gas City's order (LegacyV1SurfaceErrors): inline agents, `[packs]`, `[workspace]
 * includes` other than built-in system packs, `default_rig_includes`. pack.toml's own `[[agent]]` tables are still
 * read (Gas City defers that refusal), and so are they here.
 */
export function refuseLegacySurfaces(file: string, text: string, data: Table, schema2: Schema2, fragment?: string): void {
  const where = fragment === undefined ? 'city.toml' : `a fragment city.toml includes (include ${JSON.stringify(fragment)})`;
  const refuse = (place: string, surface: string, instead: string): never => {
    throw new InputError(
      file,
      place,
      `unsupported PackV1 ${surface} in ${where}: the city's pack.toml is schema 2 (${schema2.file}: ${schema2.place}), ` +
        `and Gas City refuses the city ("PackV1 config surfaces are no longer supported"); ${instead}`,
    );
  };
  if (nonEmptyArray(data.agent)) {
    // The first `[[agent]]` header, or the line of an inline `agent = [...]`.
    const first = tomlPlace(text, ['agent', 0]);
    refuse(
      first.startsWith('line ') ? first : tomlPlace(text, ['agent']),
      '[[agent]] tables',
      'move each agent to agents/<name>/agent.toml',
    );
  }
  if (isTable(data.packs) && Object.keys(data.packs).length > 0)
    refuse(tomlPlace(text, ['packs']), '[packs] entries', 'replace them with [imports] and regenerate packs.lock');
  const ws = isTable(data.workspace) ? data.workspace : {};
  const includes = Array.isArray(ws.includes) ? ws.includes : [];
  const legacy = includes.findIndex((inc) => typeof inc !== 'string' || !builtinSystemPack(inc));
  if (legacy >= 0) refuse(tomlPlace(text, ['workspace', 'includes']), 'workspace.includes', 'replace it with [imports.<binding>] entries');
  if (nonEmptyArray(ws.default_rig_includes))
    refuse(
      tomlPlace(text, ['workspace', 'default_rig_includes']),
      'workspace.default_rig_includes',
      'move defaults into city.toml [defaults.rig.imports.<binding>]',
    );
}

/**
 * Refuse a `[[rigs]] path` in city.toml of a schema-2 city (LegacySiteBindingSurfaceErrors: "pre-1.0 site-binding
 * fields are no longer supported"): a rig's path is bound in `.gc/site.toml` there (site-binding.ts).
 */
export function refuseRigPaths(file: string, text: string, data: Table, schema2: Schema2): void {
  const rigs = Array.isArray(data.rigs) ? data.rigs : [];
  rigs.forEach((rig, i) => {
    const path = isTable(rig) ? rig.path : undefined;
    if (typeof path !== 'string' || path.trim() === '') return;
    const name = typeof rig.name === 'string' && rig.name.trim() !== '' ? rig.name.trim() : '<unnamed>';
    throw new InputError(
      file,
      tomlPlace(text, ['rigs', i, 'path']),
      `unsupported pre-1.0 rig.path for rig ${JSON.stringify(name)} in city.toml: the city's pack.toml is schema 2 ` +
        `(${schema2.file}: ${schema2.place}), and Gas City refuses the city ("pre-1.0 site-binding fields are no longer supported"); ` +
        `move it to .gc/site.toml ([[rig]] name = ${JSON.stringify(name)}, path = ${JSON.stringify(path.trim())})`,
    );
  });
}

/**
 * What Gas City only warns of, and reads, in city.toml (`fragment` false) and in each fragment of a city whose
 * pack.toml is schema 2, right after refusing its PackV1 surfaces (compose.go LoadWithIncludesOptions): a `[workspace]
 * name`, whose place is now `.gc/site.toml`'s `workspace_name` (legacyWorkspaceIdentitySurfaceWarnings; `prefix` is
 * tracked in city.toml, not flagged), and, in a fragment only, each `[[rigs]] path` (legacyRigPathSurfaceWarnings;
 * city.toml's is refused, refuseRigPaths). Gas City names the file; gc-tui names its line too.
 */
export function legacySiteWarnings(file: string, text: string, data: Table, fragment: boolean): InputWarning[] {
  const out: InputWarning[] = [];
  const ws = isTable(data.workspace) ? data.workspace : {};
  if (typeof ws.name === 'string' && ws.name.trim() !== '') {
    const gas =
      'workspace identity fields are deprecated in v2; move them to .gc/site.toml (workspace.name); move them to ' +
      '.gc/site.toml (run `gc doctor --fix` if this is the root city.toml; fragments must be updated by hand)';
    const how = fragment ? 'by hand' : 'with `gc doctor --fix`';
    out.push({
      text:
        `${file}: ${tomlPlace(text, ['workspace', 'name'])}: [workspace] name ${JSON.stringify(ws.name.trim())} in a city whose ` +
        `pack.toml is schema 2: Gas City still reads it (a .gc/site.toml workspace_name names the city before it), and so does ` +
        `this plan; Gas City warns: "${gas}"`,
      brief: `[workspace] name: move it to .gc/site.toml workspace_name ${how} (deprecated in pack schema 2)`,
    });
  }
  if (!fragment) return out;
  (Array.isArray(data.rigs) ? data.rigs : []).forEach((rig, i) => {
    const path = isTable(rig) && typeof rig.path === 'string' ? rig.path.trim() : '';
    if (path === '') return;
    const name = typeof rig.name === 'string' && rig.name.trim() !== '' ? rig.name.trim() : '<unnamed>';
    const gas =
      `rig.path is deprecated in v2; move it to .gc/site.toml for rig ${JSON.stringify(name)}; move it to .gc/site.toml ` +
      '(run `gc doctor --fix` if this is the root city.toml; otherwise add the binding manually and remove rig.path from the fragment)';
    out.push({
      text:
        `${file}: ${tomlPlace(text, ['rigs', i, 'path'])}: rig ${JSON.stringify(name)} declares its path in a fragment of a city ` +
        `whose pack.toml is schema 2: Gas City still reads it (a .gc/site.toml binding for the rig replaces it), and so does ` +
        `this plan; Gas City warns: "${gas}"`,
      brief: `rig ${JSON.stringify(name)}: move its path from the fragment to .gc/site.toml by hand (deprecated in pack schema 2)`,
    });
  });
  return out;
}
