// Go's `encoding/json` matches the keys of a JSON object to a struct's fields without regard to case: the field
// named exactly so, else one whose name equals the key under Unicode simple case folding (`bytes.EqualFold`; since
// Go 1.21 `foldName`, the same classes). For the ASCII field names of Gas City's structs that is any mix of upper
// and lower case, and two letters outside ASCII: ſ (U+017F) for s and K (U+212A, the Kelvin sign) for k. Several
// keys of one object that name one field all decode into it, the later over the earlier (but a null leaves a string
// or a time as it was, and two objects merge into a map). A map's own keys (metadata) are kept as they are.
// Checked with Go 1.19's decoder on structs shaped as `internal/beads`' Bead, Dep and fileData (beads.go, filestore.go).
//
// gc-tui reads a key only as spelled, so a city file with such a key would be planned on other data than Gas City
// runs on, and a write would add the field's own key beside it. Such a file is refused, naming the key: renamed
// to the field's name it means the same to Gas City.

/** `Bead`'s JSON names (`internal/beads/beads.go`; `json:"-"` fields take no key). */
export const BEAD_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'title',
  'status',
  'issue_type',
  'priority',
  'created_at',
  'updated_at',
  'assignee',
  'from',
  'parent',
  'ref',
  'needs',
  'description',
  'labels',
  'metadata',
  'dependencies',
  'ephemeral',
  'no_history',
  'defer_until',
  'is_blocked',
  'close_reason',
]);

/** `Dep`'s JSON names (a bead's `dependencies` items). */
export const DEP_FIELDS: ReadonlySet<string> = new Set(['issue_id', 'depends_on_id', 'type']);

/** `fileData`'s JSON names: the top level of `.gc/beads.json` (`internal/beads/filestore.go`). */
export const FILE_FIELDS: ReadonlySet<string> = new Set(['seq', 'beads', 'deps', 'revisions', 'revisions_sealed', 'fences']);

/**
 * The field of `fields` Go decodes `key` into when `key` is not its name exactly, or null. JavaScript's
 * toLowerCase takes K (U+212A) to k and every other non-ASCII letter to none of a–z alone; ſ is lower case already.
 */
export function foldedField(key: string, fields: ReadonlySet<string>): string | null {
  if (fields.has(key)) return null;
  const folded = key.replaceAll('\u017f', 's').toLowerCase();
  return fields.has(folded) ? folded : null;
}

/** A key Go reads as a field it is not spelled as: where it is (within its object), and that field. */
export interface FoldedKey {
  path: PropertyKey[];
  key: string;
  field: string;
  /** The object has the field's own key too. */
  also: boolean;
}

/** The first key of `obj` that Go reads as another spelling of one of `fields`, or null. */
export function foldedKeyIn(obj: Record<string, unknown>, fields: ReadonlySet<string>): FoldedKey | null {
  for (const key in obj) {
    const field = foldedField(key, fields);
    if (field !== null) return { path: [key], key, field, also: Object.prototype.hasOwnProperty.call(obj, field) };
  }
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The first key of a bead (or of one of its `dependencies` items) that Go reads as another spelling of a field, or
 * null. One loop over the bead's keys; at 100 000 beads about 10 ms of a read.
 */
export function foldedBeadKey(bead: unknown): FoldedKey | null {
  if (!isPlainObject(bead)) return null;
  return foldedKeyIn(bead, BEAD_FIELDS) ?? foldedDepKey(bead.dependencies, 'dependencies');
}

/**
 * The first key of a `[]Dep`'s rows (a bead's `dependencies`, the file's `deps`: `key`) that Go reads as another
 * spelling of a Dep field, or null.
 */
export function foldedDepKey(deps: unknown, key: string): FoldedKey | null {
  if (!Array.isArray(deps)) return null;
  for (let j = 0; j < deps.length; j++) {
    const d: unknown = deps[j];
    const f = isPlainObject(d) ? foldedKeyIn(d, DEP_FIELDS) : null;
    if (f) return { ...f, path: [key, j, ...f.path] };
  }
  return null;
}

/** Why such a key is refused, for an error at its path. `what`: the object it is in ("bead", "file", "dependency"). */
export function foldedKeyProblem(f: FoldedKey, what: string): string {
  const field = JSON.stringify(f.field);
  const read = `Gas City reads this key as ${field}${f.also ? `, as it reads the ${field} this ${what} also has (the later of the two wins)` : ''}`;
  const fix = f.also ? `keep one of them, spelled ${field}` : `rename it ${field}, the same to Gas City`;
  return `${read}: Go matches JSON keys to fields regardless of case; gc-tui reads keys as spelled and would plan on other data than Gas City: ${fix}`;
}
