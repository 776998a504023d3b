// One pass over the beads of a document: shape checks and the duplicate-id check together, with no
// allocation per bead. At 100 000 beads zod's per-object parse cost more than JSON.parse itself; this pass
// answers "valid?" and where the first problem is. The words of an error still come from zod (schema.ts):
// when this pass finds a problem, the caller re-runs the zod schema to describe it.
import { foldedBeadKey, type FoldedKey } from './go-keys.js';
import { JsonNumberText } from './json-text.js';

/**
 * How a bead is checked. `strings`: a gc-tui store file's (metadata values must be strings). `any`: a city's
 * `beads.json`, as Gas City's Go decoder reads it (`internal/beads/beads.go` `Bead`, decoded by `encoding/json`
 * in `filestore.go`): a field whose JSON type its Go type cannot take fails that decoder, so the whole file is
 * refused; a `null` is the zero value, and metadata values of any type are coerced to strings (`StringMap`).
 * `capture`: a capture of `bd list --json` or `gc beads list --format=json`, which gc reads either as bd's
 * `bdIssue` (`bdstore.go`) or as `Bead`: refused only for what both refuse (bd's `is_blocked` also takes an
 * integer or a string such as "yes"; `bdIssue` has no `close_reason`).
 */
export type MetadataRule = 'strings' | 'any' | 'capture';

export interface BeadScan {
  /** Index of the first bead whose shape is wrong (zod words it), or -1. */
  badShape: number;
  /** The first repeated id: where it repeats and where it was first seen. */
  duplicate: { index: number; first: number; id: string } | null;
  /**
   * Some bead is read otherwise than as parsed (the `any` and `capture` rules): a metadata value that is not a string
   * (bd writes numbers, booleans), a `null` Go reads as the zero value of a field the engine reads (`decodeBead`), or
   * a `null` where Go keeps what an earlier key of the same name held (null-keeps.ts).
   */
  needsDecode: boolean;
  /**
   * The first bead with a key Go reads as another spelling of one of its fields (the `any` and `capture` rules:
   * go-keys.ts), where it is, when the pass stopped there; null otherwise.
   */
  folded: { index: number; key: FoldedKey } | null;
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

const INT64_MAX = '9223372036854775807';
const INT64_MIN_MAGNITUDE = '9223372036854775808';

/**
 * Whether Go's decoder stores this number literal in an `int` (64 bits where Gas City runs): what
 * `strconv.ParseInt(text, 10, 64)` takes and `OverflowInt` lets through (`encoding/json` `literalStore`): an
 * optional `-` and digits, within -2^63..2^63-1; no fraction and no exponent, whatever their value (`1.0`, `1e2`).
 */
export function isGoIntText(text: string): boolean {
  const neg = text.charCodeAt(0) === 45;
  const from = neg ? 1 : 0;
  const digits = text.length - from;
  if (digits === 0) return false;
  for (let i = from; i < text.length; i++) if (digitAt(text, i) < 0) return false;
  if (digits < 19) return true;
  if (digits > 19) return false;
  // 19 digits (JSON has no leading zeros): compare as text with the bound.
  const magnitude = neg ? text.slice(1) : text;
  return magnitude <= (neg ? INT64_MIN_MAGNITUDE : INT64_MAX);
}

/**
 * A parsed number Go can store in an `int`: a JS number that is an integer (one beyond 2^53 is a JsonNumberText),
 * or a JsonNumberText whose text isGoIntText. An integer written with a fraction or exponent (`1.0`) parses to the
 * same JS number as `1`; the text check of go-int-literals.ts finds those.
 */
export function isGoInt(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v);
  return v instanceof JsonNumberText && isGoIntText(v.text);
}

/** A Go `*int` field: absent, null (nil) or a number isGoInt. */
const goOptionalInt = (v: unknown) => v === undefined || v === null || isGoInt(v);

const BD_TRUE_FALSE = new Set(['1', 't', 'true', 'y', 'yes', '0', 'f', 'false', 'n', 'no']);

/**
 * bd's `is_blocked` as gc reads it from bd (`bdstore.go` `optionalBool`): absent or null (unset), a boolean, a number
 * a Go `int` takes (non-zero is true), or a string that is, trimmed and lower-cased, one of 1 t true y yes 0 f false n no.
 */
export function bdOptionalBool(v: unknown): boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v;
  // A JsonNumberText integer is beyond 2^53: never 0.
  if (isGoInt(v)) return typeof v !== 'number' || v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (BD_TRUE_FALSE.has(s)) return s === '1' || s === 't' || s === 'true' || s === 'y' || s === 'yes';
  }
  return null;
}

const bdIsBlocked = (v: unknown) => v === undefined || v === null || bdOptionalBool(v) !== null;

/**
 * A Go `[]Dep` field (`Dep`: `issue_id`, `depends_on_id`, `type`, strings): absent, null (nil) or an array whose
 * items are null (the zero Dep) or objects whose three fields are strings or null. Other keys of an item are
 * ignored, as Go ignores them (bd's `dependencies` rows carry more). A bead's `dependencies`, and the file's own
 * `deps` (`fileData.Deps`, `internal/beads/filestore.go`).
 */
export function goDeps(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const d: unknown = v[i];
    if (d === null) continue;
    if (!isPlainObject(d)) return false;
    if (!nullableString(d.issue_id) || !nullableString(d.depends_on_id) || !nullableString(d.type)) return false;
  }
  return true;
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
function goBeadShape(b: Record<string, unknown>, capture: boolean): number {
  // string fields: null is "" (the engine reads status, issue_type and assignee, so those get a decoded copy).
  if (!nullableString(b.status) || !nullableString(b.issue_type) || !nullableString(b.assignee)) return BAD;
  if (!nullableString(b.title) || !nullableString(b.description) || !nullableString(b.from)) return BAD;
  if (!nullableString(b.parent) || !nullableString(b.ref)) return BAD;
  if (!goTime(b.created_at) || !goTime(b.updated_at) || !goTime(b.defer_until)) return BAD;
  if (!nullableBoolean(b.ephemeral) || !nullableBoolean(b.no_history)) return BAD;
  // An optional int (Go `*int`): null is absent; anything but an integer within int64 fails the decoder.
  if (!goOptionalInt(b.priority) || !goDeps(b.dependencies)) return BAD;
  // `*bool` and `string` in Bead; bd's optionalBool and no close_reason at all in bdIssue (see MetadataRule).
  if (capture ? !bdIsBlocked(b.is_blocked) : !nullableBoolean(b.is_blocked) || !nullableString(b.close_reason)) return BAD;
  const zeroed = b.status === null || b.issue_type === null || b.assignee === null;
  // A null in any field a null leaves as it was in Go is read on: a key named twice, the later null (null-keeps.ts).
  const keptText = b.title === null || b.description === null || b.from === null || b.parent === null || b.ref === null;
  const keptOther =
    b.close_reason === null || b.created_at === null || b.updated_at === null || b.ephemeral === null || b.no_history === null;
  let result = zeroed || keptText || keptOther ? OK_DECODE : OK;
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
  if (rule !== 'strings') return goBeadShape(b, rule === 'capture');
  if (!optionalString(b.status) || !optionalString(b.issue_type) || !optionalString(b.assignee)) return BAD;
  // null is absent (Gas City's decoder leaves the zero value), as for priority below.
  if (!nullableString(b.title) || !nullableString(b.created_at) || !nullableString(b.updated_at)) return BAD;
  // A number; one beyond 2^53 is kept as its digits (a city's priority Go took, exported as a store).
  const p = b.priority;
  if (p !== undefined && p !== null && typeof p !== 'number' && !(p instanceof JsonNumberText)) return BAD;
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

type Duplicate = BeadScan['duplicate'];

const idAt = (beads: readonly unknown[], i: number): string => (beads[i] as { id: string }).id;

/**
 * Two strict orders of ids: JavaScript's (UTF-16 code units) and shorter first, then JavaScript's. Either tells a
 * repeat from a run as well; the second is the order of Gas City's file store, which mints `gc-<n>` as beads are
 * created and keeps them so (`gc-9` before `gc-10`).
 */
const BY_TEXT = 0;
const BY_LENGTH = 1;

/** Whether `a` comes strictly before `b` in `order`. */
const before = (order: number, a: string, b: string): boolean => (order === BY_TEXT || a.length === b.length ? a < b : a.length < b.length);

/**
 * The first repeated id of beads[0, n) as scanBeads reports it: the first index whose id an earlier bead has, and
 * where that id is first. Beads are added in order, each well-shaped (a string id). While the ids come as at most two
 * strictly increasing runs in one of the two orders (a generated or sorted store: its session beads, then its work
 * beads; a Gas City file store, in creation order), a repeat can only be one id in both runs, which one merge of the
 * two finds with a comparison per bead; hashing every id into a set cost most of the check at 100 000 beads (and
 * doubled it on a store in creation order while only the first order was tried). Ids in neither order, or a repeat
 * found, go to the set from the first bead on, which says exactly which repeat comes first.
 */
class FirstRepeatedId {
  /** The ids in the set mode, once the runs are left (from bead 0). */
  private seen: Set<string> | null = null;
  private found: Duplicate = null;
  /** Per order (BY_TEXT, BY_LENGTH), where its second run starts: 0 while one run, -1 once a third began. */
  private readonly second = [0, 0];
  private added = 0;

  constructor(private readonly beads: readonly unknown[]) {}

  add(i: number): void {
    this.added = i + 1;
    if (this.seen !== null) {
      this.addToSet(i);
      return;
    }
    if (i === 0) return;
    const a = idAt(this.beads, i - 1);
    const b = idAt(this.beads, i);
    // One comparison of text for the usual bead, in order both ways (ids of one length, sorted).
    if (a < b) {
      if (b.length >= a.length) return;
      this.breakRun(BY_LENGTH, i);
    } else {
      this.breakRun(BY_TEXT, i);
      if (b.length <= a.length) this.breakRun(BY_LENGTH, i);
    }
    if (this.second[BY_TEXT] < 0 && this.second[BY_LENGTH] < 0) this.toSet(i + 1);
  }

  /** The first repeat among the beads added. */
  result(): Duplicate {
    if (this.seen === null) {
      // An order still in one run holds no repeat; else the runs of one still in two are merged.
      const order = this.second[BY_TEXT] === 0 || this.second[BY_LENGTH] === 0 ? -1 : this.second[BY_TEXT] > 0 ? BY_TEXT : BY_LENGTH;
      if (order >= 0 && this.runsShareAnId(order)) this.toSet(this.added);
    }
    return this.found;
  }

  /** Bead i starts a new run in `order`. */
  private breakRun(order: number, i: number): void {
    const s = this.second[order];
    if (s >= 0) this.second[order] = s === 0 ? i : -1;
  }

  private addToSet(i: number): void {
    if (this.found !== null) return;
    const seen = this.seen!;
    const id = idAt(this.beads, i);
    const size = seen.size;
    // Where the id was first seen is looked up only on the error path.
    if (seen.add(id).size === size) this.found = { index: i, first: this.beads.findIndex((x) => (x as { id: string }).id === id), id };
  }

  /** Leave the runs: beads[0, n) into the set, in order. */
  private toSet(n: number): void {
    this.seen = new Set<string>();
    for (let k = 0; k < n; k++) this.addToSet(k);
  }

  /** Whether the two runs [0, second) and [second, added) of `order` hold one id in common (each strictly increasing in it). */
  private runsShareAnId(order: number): boolean {
    const beads = this.beads;
    const second = this.second[order];
    let p = 0;
    let q = second;
    while (p < second && q < this.added) {
      const a = idAt(beads, p);
      const b = idAt(beads, q);
      if (a === b) return true;
      if (before(order, a, b)) p++;
      else q++;
    }
    return false;
  }
}

/**
 * Check every bead's shape (but those `known[i]` = 1: the same objects passed before) and that ids are unique, in one pass. Stops at the first bad shape (the caller
 * words it with zod), or, for Gas City's files, at the first key Go reads otherwise than as spelled; reports the first
 * duplicate id among well-shaped beads.
 */
export function scanBeads(beads: readonly unknown[], rule: MetadataRule, known?: Uint8Array): BeadScan {
  const ids = new FirstRepeatedId(beads);
  let needsDecode = false;
  const goKeys = rule !== 'strings';
  for (let i = 0; i < beads.length; i++) {
    const key = goKeys ? foldedBeadKey(beads[i]) : null;
    if (key) return { badShape: -1, duplicate: ids.result(), needsDecode, folded: { index: i, key } };
    // A bead known to have passed (a re-read's unchanged bead, the same object) is well-shaped.
    const shape = known !== undefined && known[i] === 1 ? OK : beadShape(beads[i], rule);
    if (shape === BAD) return { badShape: i, duplicate: ids.result(), needsDecode, folded: null };
    if (shape === OK_DECODE) needsDecode = true;
    ids.add(i);
  }
  return { badShape: -1, duplicate: ids.result(), needsDecode, folded: null };
}
