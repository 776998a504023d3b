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
    // Gas City's priority is an optional int (Go `*int`): a JSON null decodes as absent.
    if (b.priority !== undefined && b.priority !== null && typeof b.priority !== 'number') return BAD;
  }
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
 * scanBeads a batch at a time, in order, as the beads are read: each batch is checked right after its parse,
 * while its objects are still in the processor's cache (a pass over all of them later reads 50 MB back).
 */
export class BeadScanner {
  private readonly seen = new Set<string>();
  private count = 0;
  private badShape = -1;
  private duplicate: { index: number; id: string } | null = null;
  private nonStringMetadata = false;

  constructor(
    private readonly rule: MetadataRule,
    private readonly known?: Uint8Array,
  ) {}

  /** The next beads, after those added before; nothing more is checked once a bead's shape is bad. */
  add(beads: readonly unknown[]): void {
    if (this.badShape >= 0) return;
    const { rule, known, seen } = this;
    const at = this.count;
    for (let k = 0; k < beads.length; k++) {
      const i = at + k;
      // A bead known to have passed (a re-read's unchanged bead, the same object) is well-shaped.
      const shape = known !== undefined && known[i] === 1 ? OK : beadShape(beads[k], rule);
      if (shape === BAD) {
        this.badShape = i;
        return;
      }
      if (shape === OK_NON_STRING) this.nonStringMetadata = true;
      if (this.duplicate === null) {
        const id = (beads[k] as { id: string }).id;
        const size = seen.size;
        if (seen.add(id).size === size) this.duplicate = { index: i, id };
      }
    }
    this.count += beads.length;
  }

  /** The scan of `all`, the beads added (where a repeated id was first seen is looked up only now, on the error path). */
  result(all: readonly unknown[]): BeadScan {
    const d = this.duplicate;
    const duplicate = d && { index: d.index, first: all.findIndex((x) => (x as { id: string }).id === d.id), id: d.id };
    return { badShape: this.badShape, duplicate, nonStringMetadata: this.nonStringMetadata };
  }
}

/**
 * Check every bead's shape (but those `known[i]` = 1: the same objects passed before) and that ids are unique, in one pass. Stops at the first bad shape (the caller
 * words it with zod); reports the first duplicate id among well-shaped beads.
 */
export function scanBeads(beads: readonly unknown[], rule: MetadataRule, known?: Uint8Array): BeadScan {
  const scan = new BeadScanner(rule, known);
  scan.add(beads);
  return scan.result(beads);
}
