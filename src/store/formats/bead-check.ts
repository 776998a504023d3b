// One pass over the beads of a document: shape checks and the duplicate-id check together, with no
// allocation per bead. At 100 000 beads zod's per-object parse cost more than JSON.parse itself; this pass
// answers "valid?" and where the first problem is. The words of an error still come from zod (schema.ts):
// when this pass finds a problem, the caller re-runs the zod schema to describe it.

/** How strictly metadata values are checked: a store file's must be strings; a city's are coerced later. */
export type MetadataRule = 'strings' | 'any';

export interface BeadScan {
  /** Index of the first bead whose shape is wrong (zod words it), or -1. */
  badShape: number;
  /** The first repeated id: where it repeats and where it was first seen. */
  duplicate: { index: number; first: number; id: string } | null;
  /** Beads whose metadata holds a value that is not a string (a city's beads.json: bd writes numbers, booleans). */
  nonStringMetadata: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const BAD = 0;
const OK = 1;
/** Well-shaped, but some metadata value is not a string (allowed by the 'any' rule). */
const OK_NON_STRING = 2;

const optionalString = (v: unknown) => v === undefined || typeof v === 'string';
const nullableString = (v: unknown) => v === undefined || v === null || typeof v === 'string';

/** BAD, OK or OK_NON_STRING: a number, so the pass allocates nothing per bead; fields are tested inline (a loop over key names costs a third more at 100 000 beads). */
function beadShape(b: unknown, rule: MetadataRule): number {
  if (!isPlainObject(b)) return BAD;
  const id = b.id;
  if (typeof id !== 'string' || id.length === 0) return BAD;
  if (!optionalString(b.status) || !optionalString(b.issue_type) || !optionalString(b.assignee)) return BAD;
  if (rule === 'strings') {
    // null is absent (Gas City's decoder leaves the zero value), as for priority below.
    if (!nullableString(b.title) || !nullableString(b.created_at) || !nullableString(b.updated_at)) return BAD;
  }
  // Gas City's priority is an optional int (Go `*int`): a JSON null decodes as absent, anything but a number fails
  // its decoder, so Gas City cannot read a file that holds one (a city's too).
  if (b.priority !== undefined && b.priority !== null && typeof b.priority !== 'number') return BAD;
  const labels = b.labels;
  if (labels !== undefined) {
    if (!Array.isArray(labels)) return BAD;
    for (let i = 0; i < labels.length; i++) if (typeof labels[i] !== 'string') return BAD;
  }
  const md = b.metadata;
  let result = OK;
  if (md !== undefined) {
    if (!isPlainObject(md)) return BAD;
    for (const k in md) {
      if (typeof md[k] !== 'string') {
        if (rule === 'strings') return BAD;
        result = OK_NON_STRING;
      }
    }
  }
  return result;
}

/**
 * Check every bead's shape (but those `known[i]` = 1: the same objects passed before) and that ids are unique, in one pass. Stops at the first bad shape (the caller
 * words it with zod); reports the first duplicate id among well-shaped beads.
 */
export function scanBeads(beads: readonly unknown[], rule: MetadataRule, known?: Uint8Array): BeadScan {
  const seen = new Set<string>();
  let duplicate: BeadScan['duplicate'] = null;
  let nonStringMetadata = false;
  for (let i = 0; i < beads.length; i++) {
    // A bead known to have passed (a re-read's unchanged bead, the same object) is well-shaped.
    const shape = known !== undefined && known[i] === 1 ? OK : beadShape(beads[i], rule);
    if (shape === BAD) return { badShape: i, duplicate, nonStringMetadata };
    if (shape === OK_NON_STRING) nonStringMetadata = true;
    if (duplicate === null) {
      const id = (beads[i] as { id: string }).id;
      const size = seen.size;
      // Where the id was first seen is looked up only on the error path.
      if (seen.add(id).size === size) duplicate = { index: i, first: beads.findIndex((x) => (x as { id: string }).id === id), id };
    }
  }
  return { badShape: -1, duplicate, nonStringMetadata };
}
