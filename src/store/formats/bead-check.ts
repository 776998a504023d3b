// One pass over the beads of a document: shape checks and the duplicate-id check together, with no
// allocation per bead. At 100 000 beads zod's per-object parse cost more than JSON.parse itself; this pass
// answers "valid?" and where the first problem is. The words of an error still come from zod (schema.ts):
// when this pass finds a problem, the caller re-runs the zod schema to describe it.

/**
 * How a bead is checked. `strings`: a gc-tui store file's (metadata values must be strings). `any`: a city's
 * `beads.json` and a capture's, as Gas City's Go decoder reads them (`internal/beads/beads.go` `Bead`, bd's
 * `bdIssue`): a field whose JSON type its Go type cannot take fails that decoder, so the whole file is refused; a
 * `null` is the zero value, and metadata values of any type are coerced to strings (`StringMap`).
 */
export type MetadataRule = 'strings' | 'any';

export interface BeadScan {
  /** Index of the first bead whose shape is wrong (zod words it), or -1. */
  badShape: number;
  /** The first repeated id: where it repeats and where it was first seen. */
  duplicate: { index: number; first: number; id: string } | null;
  /**
   * Some bead is read otherwise than as parsed (the `any` rule only): a metadata value that is not a string (bd
   * writes numbers, booleans), or a `null` Go reads as the zero value of a field the engine reads (`decodeBead`).
   */
  needsDecode: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const BAD = 0;
const OK = 1;
/** Well-shaped, but read otherwise than as parsed (the `any` rule: a non-string metadata value, a null Go zeroes). */
const OK_DECODE = 2;

const optionalString = (v: unknown) => v === undefined || typeof v === 'string';
const nullableString = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const nullableBoolean = (v: unknown) => v === undefined || v === null || typeof v === 'boolean';

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** The two-digit number at s[i..i+1], or -1. */
function twoDigits(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function daysIn(month: number, year: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * Whether Go's `time.Time` JSON decoder takes this string (Go ≥ 1.20 `Time.UnmarshalJSON`: `parseStrictRFC3339`,
 * whose extra checks are disabled, so `time.Parse(time.RFC3339, s)`): `YYYY-MM-DDTHH:MM:SS`, the hour one or two
 * digits, an optional fraction after `.` or `,`, then `Z` or `±hh:mm`; month, day (of that month), hour, minute and
 * second in range, the zone's hour ≤ 24 and minute ≤ 60. No allocation: it runs for every time of every bead.
 */
export function isGoTime(s: string): boolean {
  if (s.length < 19) return false;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  if (century < 0 || yy < 0) return false;
  const year = century * 100 + yy;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return false; // - - T
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  let i = 11;
  let hour = digitAt(s, i++);
  if (hour < 0) return false;
  const second = digitAt(s, i);
  if (second >= 0) {
    hour = hour * 10 + second;
    i++;
  }
  const min = twoDigits(s, i + 1);
  const sec = twoDigits(s, i + 4);
  if (hour > 23 || s.charCodeAt(i) !== 58 || min < 0 || min > 59 || s.charCodeAt(i + 3) !== 58 || sec < 0 || sec > 59) return false;
  i += 6;
  const sep = s.charCodeAt(i);
  if ((sep === 46 || sep === 44) && digitAt(s, i + 1) >= 0) for (i += 2; digitAt(s, i) >= 0; i++);
  if (s.charCodeAt(i) === 90) return i + 1 === s.length; // Z
  const sign = s.charCodeAt(i);
  const zh = twoDigits(s, i + 1);
  const zm = twoDigits(s, i + 4);
  return s.length === i + 6 && (sign === 43 || sign === 45) && s.charCodeAt(i + 3) === 58 && zh >= 0 && zh <= 24 && zm >= 0 && zm <= 60;
}

/** A Go `time.Time` or `*time.Time` field: absent, null (the zero time, or nil) or a time Go parses. */
const goTime = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && isGoTime(v));

/** A Go `[]string` field: absent, null (nil) or an array of strings and nulls (a null element is ""). BAD, OK or OK_DECODE. */
function goStrings(v: unknown): number {
  if (v === undefined) return OK;
  if (v === null) return OK_DECODE;
  if (!Array.isArray(v)) return BAD;
  let result = OK;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (x === null) result = OK_DECODE;
    else if (typeof x !== 'string') return BAD;
  }
  return result;
}

/** A bead of a city's `beads.json` or a capture, as Gas City's Go decoder reads it (see MetadataRule). */
function goBeadShape(b: Record<string, unknown>): number {
  // string fields: null is "" (the engine reads status, issue_type and assignee, so those get a decoded copy).
  if (!nullableString(b.status) || !nullableString(b.issue_type) || !nullableString(b.assignee)) return BAD;
  if (!nullableString(b.title) || !nullableString(b.description) || !nullableString(b.from)) return BAD;
  if (!nullableString(b.parent) || !nullableString(b.ref)) return BAD;
  if (!goTime(b.created_at) || !goTime(b.updated_at) || !goTime(b.defer_until)) return BAD;
  if (!nullableBoolean(b.ephemeral) || !nullableBoolean(b.no_history)) return BAD;
  // An optional int (Go `*int`): null is absent; anything but a number fails the decoder.
  if (b.priority !== undefined && b.priority !== null && typeof b.priority !== 'number') return BAD;
  let result = b.status === null || b.issue_type === null || b.assignee === null ? OK_DECODE : OK;
  const labels = goStrings(b.labels);
  if (labels === BAD || goStrings(b.needs) === BAD) return BAD;
  if (labels === OK_DECODE) result = OK_DECODE;
  const md = b.metadata;
  if (md === null) return OK_DECODE; // StringMap: null decodes as an empty map
  if (md !== undefined) {
    if (!isPlainObject(md)) return BAD;
    if (result === OK) for (const k in md) if (typeof md[k] !== 'string') return OK_DECODE;
  }
  return result;
}

/** BAD, OK or OK_DECODE: a number, so the pass allocates nothing per bead; fields are tested inline (a loop over key names costs a third more at 100 000 beads). */
function beadShape(b: unknown, rule: MetadataRule): number {
  if (!isPlainObject(b)) return BAD;
  const id = b.id;
  if (typeof id !== 'string' || id.length === 0) return BAD;
  if (rule === 'any') return goBeadShape(b);
  if (!optionalString(b.status) || !optionalString(b.issue_type) || !optionalString(b.assignee)) return BAD;
  // null is absent (Gas City's decoder leaves the zero value), as for priority below.
  if (!nullableString(b.title) || !nullableString(b.created_at) || !nullableString(b.updated_at)) return BAD;
  if (b.priority !== undefined && b.priority !== null && typeof b.priority !== 'number') return BAD;
  const labels = b.labels;
  if (labels !== undefined) {
    if (!Array.isArray(labels)) return BAD;
    for (let i = 0; i < labels.length; i++) if (typeof labels[i] !== 'string') return BAD;
  }
  const md = b.metadata;
  if (md !== undefined) {
    if (!isPlainObject(md)) return BAD;
    for (const k in md) if (typeof md[k] !== 'string') return BAD;
  }
  return OK;
}

/**
 * Check every bead's shape (but those `known[i]` = 1: the same objects passed before) and that ids are unique, in one pass. Stops at the first bad shape (the caller
 * words it with zod); reports the first duplicate id among well-shaped beads.
 */
export function scanBeads(beads: readonly unknown[], rule: MetadataRule, known?: Uint8Array): BeadScan {
  const seen = new Set<string>();
  let duplicate: BeadScan['duplicate'] = null;
  let needsDecode = false;
  for (let i = 0; i < beads.length; i++) {
    // A bead known to have passed (a re-read's unchanged bead, the same object) is well-shaped.
    const shape = known !== undefined && known[i] === 1 ? OK : beadShape(beads[i], rule);
    if (shape === BAD) return { badShape: i, duplicate, needsDecode };
    if (shape === OK_DECODE) needsDecode = true;
    if (duplicate === null) {
      const id = (beads[i] as { id: string }).id;
      const size = seen.size;
      // Where the id was first seen is looked up only on the error path.
      if (seen.add(id).size === size) duplicate = { index: i, first: beads.findIndex((x) => (x as { id: string }).id === id), id };
    }
  }
  return { badShape: -1, duplicate, needsDecode };
}
