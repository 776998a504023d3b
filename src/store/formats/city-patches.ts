// city.toml's `[[patches.rigs]]` and `[[patches.named_session]]`, applied as Gas City's ApplyPatches applies them
// (internal/config/patch.go): after every pack, city and rig, is composed and after the agent patches, so a rig
// patch's `path` moves the rig's own bead store but not its packs (expandPacks has read them by then), and a named
// session patch sees a rig-scoped `[[named_session]]` without a dir as one generic declaration (Gas City stamps one
// per rig only later, ExpandGenericRigNamedSessions). One whose rig or session is not there, or a key of the wrong
// type, is refused naming its line, as Gas City refuses the city.
import type { RigConfig } from '../../engine/types.js';
import { isTable, tomlPlace, type Table } from './city-toml.js';
import { InputError } from '../types.js';

/** The keys of a rig patch (RigPatch) and the type each must be. */
const RIG_KEYS: Record<string, 'string' | 'boolean'> = {
  path: 'string',
  prefix: 'string',
  default_branch: 'string',
  default_merge_strategy: 'string',
  suspended: 'boolean',
};

/** `line 9 (patches.rigs[1].suspended)`: the i-th `[[patches.<kind>]]` header, or the line of a key in it. */
const placeOf = (text: string, kind: string, index: number, key: PropertyKey[] = []) => tomlPlace(text, ['patches', kind, index, ...key]);

/** The entries of `[[patches.<kind>]]`, each a table, else bad input naming its line. */
function entriesOf(file: string, text: string, data: Table, kind: string): Table[] {
  const list = isTable(data.patches) ? data.patches[kind] : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw new InputError(file, placeOf(text, kind, 0), `patches.${kind} must be an array of tables ([[patches.${kind}]])`);
  return list.map((t, i) => {
    if (!isTable(t)) throw new InputError(file, placeOf(text, kind, i), `a [[patches.${kind}]] entry must be a table`);
    return t;
  });
}

/** The rigs with city.toml's `[[patches.rigs]]` applied, each to the rig of its `name` (applyRigPatch). */
export function applyRigPatches(file: string, text: string, data: Table, rigs: readonly RigConfig[]): RigConfig[] {
  const out = [...rigs];
  entriesOf(file, text, data, 'rigs').forEach((p, i) => {
    const bad = (key: PropertyKey[], why: string) => new InputError(file, placeOf(text, 'rigs', i, key), why);
    if (typeof p.name !== 'string' || p.name === '')
      throw bad(['name'], 'a rig patch needs a name: the rig it changes (Gas City: "rig patch: name is required")');
    for (const [key, kind] of Object.entries(RIG_KEYS))
      if (p[key] !== undefined && typeof p[key] !== kind) throw bad([key], `must be ${kind === 'string' ? 'a string' : 'true or false'}`);
    if (p.formula_vars !== undefined && !(isTable(p.formula_vars) && Object.values(p.formula_vars).every((v) => typeof v === 'string')))
      throw bad(['formula_vars'], 'must be a table of strings');
    const j = out.findIndex((r) => r.name === p.name);
    if (j < 0)
      throw bad(
        [],
        `rig ${JSON.stringify(p.name)} is not among the city's rigs, so this patch changes nothing: Gas City refuses the city (patches.rigs[${i}]: not found in merged config)`,
      );
    const rig: RigConfig = { ...out[j] };
    for (const key of Object.keys(RIG_KEYS)) if (p[key] !== undefined) rig[key] = p[key];
    if (isTable(p.formula_vars)) rig.formula_vars = { ...(isTable(rig.formula_vars) ? rig.formula_vars : {}), ...p.formula_vars };
    out[j] = rig;
  });
  return out;
}

/**
 * The named sessions (before they are stamped once per rig) with city.toml's `[[patches.named_session]]` applied:
 * each to the one session whose identity is `[dir/]name`, or, without a name, whose identity or template is
 * `[dir/]template` (namedSessionPatchMatches); none, or more than one, is refused as Gas City refuses it.
 */
export function applyNamedSessionPatches(file: string, text: string, data: Table, sessions: readonly Table[]): Table[] {
  const out = [...sessions];
  const qualify = (dir: unknown, s: unknown) => (typeof dir === 'string' && dir !== '' ? `${dir}/${String(s)}` : String(s));
  entriesOf(file, text, data, 'named_session').forEach((p, i) => {
    const bad = (key: PropertyKey[], why: string) => new InputError(file, placeOf(text, 'named_session', i, key), why);
    for (const key of ['dir', 'name', 'template', 'mode'])
      if (p[key] !== undefined && typeof p[key] !== 'string') throw bad([key], 'must be a string');
    const byName = typeof p.name === 'string' && p.name !== '';
    if (!byName && (typeof p.template !== 'string' || p.template === ''))
      throw bad([], 'a named session patch needs a name or a template (Gas City: "named_session patch: name or template is required")');
    const target = qualify(p.dir, byName ? p.name : p.template);
    const matches = out.flatMap((t, j) => {
      const identity = qualify(t.dir, t.name ?? t.template);
      return identity === target || (!byName && qualify(t.dir, t.template) === target) ? [j] : [];
    });
    if (matches.length === 0)
      throw bad(
        [],
        `named session ${JSON.stringify(target)} is not among the city's named sessions, so this patch changes nothing: Gas City refuses the city (patches.named_session[${i}]: not found in merged config)`,
      );
    if (matches.length > 1)
      throw bad(
        [],
        `${matches.length} named sessions match ${JSON.stringify(target)}: Gas City refuses such a patch as ambiguous; set name to the named session's identity`,
      );
    if (typeof p.mode === 'string') out[matches[0]] = { ...out[matches[0]], mode: p.mode };
  });
  return out;
}
