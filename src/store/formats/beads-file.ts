// Gas City's file store, `<city>/.gc/beads.json`: `{ seq, beads: [...], deps?, revisions?, fences?, ... }`.
// We read it the way Gas City's Go decoder does (bead-check.ts: field types; metadata coerced to strings) but keep the raw document, so a
// write touches only the fields a repair changes and every key we do not understand survives as found.
import type { Bead, Metadata } from '../../engine/types.js';
import { describeValue, formatJsonPath } from './json-path.js';
import { JsonNumberText, parseJsonFile, parseJsonSpelled, stringifyJson } from './json-text.js';
import { goDeps, isGoIntText, scanBeads } from './bead-check.js';
import { keepUnderNulls } from './null-keeps.js';
import { FILE_FIELDS, foldedDepKey, foldedKeyIn, foldedKeyProblem } from './go-keys.js';
import { escapesALetter, inexactInt, topMemberAt } from './go-int-literals.js';
import { skipValue } from './bead-spans.js';
import { metadataTexts } from './metadata-text.js';
import { numberSpellings, type NumberSpelling } from './number-spellings.js';
import { BD_BOOL_MSG, describeIssues, GO_INT_MSG, schemas, summarizeProblems } from './schema.js';
import { isBeadsFileTop } from './shape.js';
import { assertTokenLiterals, assertTokenMaps } from './token-maps.js';
import { InputError } from '../types.js';

export interface BeadsFile {
  /** The document as parsed; the only thing ever written back (with repaired fields patched in). */
  raw: Record<string, unknown>;
  /** Decoded beads for the engine: copies of the raw beads with string metadata. */
  beads: Bead[];
  /** False when the file did not exist (an empty store). */
  existed: boolean;
  /** The metadata values stored as something other than a string, as JSON text, by bead id and key (State.storedMetadata). */
  stored?: Record<string, Record<string, string>>;
  /** The numbers outside the beads' metadata that JavaScript spells otherwise, as written, by bead id (State.storedNumbers). */
  numbers?: Record<string, NumberSpelling[]>;
}

function coerce(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof JsonNumberText) return v.text;
  return JSON.stringify(v);
}

/**
 * As Gas City decodes bd-written metadata (StringMap): a value that is not a string becomes its JSON text, as written
 * when `texts` has it (metadata-text.ts: `1.0` stays "1.0"), else as JSON writes it.
 */
export function coerceMetadata(m: Record<string, unknown>, texts?: Record<string, string>): Metadata {
  const out: Metadata = {};
  for (const [k, v] of Object.entries(m)) out[k] = (typeof v !== 'string' && texts?.[k]) || coerce(v);
  return out;
}

/**
 * `decoded`, a bead a write changed, decoded from `raw` without the file's text: each metadata value the write left as
 * it was (a repair writes strings, so one that is not a string) read as the bead was read before (`before`), as
 * written (`1.0` is "1.0", not "1").
 */
export function withMetadataAsRead(raw: Record<string, unknown>, decoded: Bead, before: Bead | undefined): Bead {
  const md = raw.metadata as Record<string, unknown> | null | undefined;
  const was = before?.metadata;
  const now = decoded.metadata;
  if (!md || !was || !now) return decoded;
  let metadata: Metadata | null = null;
  for (const k in md) if (typeof md[k] !== 'string' && k in was && was[k] !== now[k]) (metadata ??= { ...now })[k] = was[k];
  return metadata ? { ...decoded, metadata } : decoded;
}

/** The fields the engine reads as strings; Go decodes a null in them as "". */
const ZEROED_STRINGS = ['status', 'issue_type', 'assignee'] as const;

/**
 * A bead as Gas City's Go decoder reads it, where that differs from the JSON (only such beads are copied): metadata
 * values made strings (`StringMap`; null metadata is an empty map), a null status, issue_type or assignee is "", null
 * labels are none and a null label is "".
 */
function decodeBead(b: Record<string, unknown>, texts?: Record<string, string>): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  const edit = () => (copy ??= { ...b });
  const md = b.metadata;
  if (md === null) edit().metadata = {};
  else if (md !== undefined) {
    const m = md as Record<string, unknown>;
    for (const k in m)
      if (typeof m[k] !== 'string') {
        edit().metadata = coerceMetadata(m, texts);
        break;
      }
  }
  for (const f of ZEROED_STRINGS) if (b[f] === null) edit()[f] = '';
  const labels = b.labels as unknown[] | null | undefined;
  if (labels === null) delete edit().labels;
  else if (labels?.includes(null)) edit().labels = labels.map((l) => l ?? '');
  return copy ?? b;
}

/**
 * A document's beads checked and decoded as Gas City reads them: `rule` `any` for a `beads.json`, `capture` for a
 * capture (bead-check.ts MetadataRule).
 */
export function decodeBeadsDocument(
  data: unknown,
  file: string,
  rule: 'any' | 'capture' = 'any',
  source?: { text: string; arrayKey: string | null },
): BeadsFile {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(file, '(top level)', `must be a JSON object {"seq", "beads": [...]}, got ${describeValue(data)}`);
  }
  // The top level gets shape.ts's check (zod decides when it says no); the beads one pass (shape and unique
  // ids), worded by zod when it fails.
  // Go reads `"Beads"` or `"SEQ"` as beads and seq: refused (go-keys.ts), as any bead's key of that kind below, and
  // so is a `deps` row's `"Type"`, as in a bead's `dependencies`.
  const doc = data as Record<string, unknown>;
  const top = rule === 'any' ? (foldedKeyIn(doc, FILE_FIELDS) ?? foldedDepKey(doc.deps, 'deps')) : null;
  if (top) throw new InputError(file, formatJsonPath(top.path), foldedKeyProblem(top, top.path.length > 1 ? 'dependency' : 'file'));
  const topOk = isBeadsFileTop(data) || schemas().beadsFileTopSchema.safeParse(data).success;
  // The file's `deps` (Go `[]Dep`, as a bead's `dependencies`): one Go cannot take fails its decoder; zod words it.
  const depsOk = rule !== 'any' || goDeps(doc.deps);
  const listed = (data as Record<string, unknown>).beads ?? [];
  const rawBeads = (Array.isArray(listed) ? listed : []) as Record<string, unknown>[];
  const scan = topOk && Array.isArray(listed) ? scanBeads(rawBeads, rule) : null;
  const folded = scan?.folded;
  if (folded) {
    const what = folded.key.path.length > 1 ? 'dependency' : 'bead';
    throw new InputError(file, formatJsonPath(['beads', folded.index, ...folded.key.path]), foldedKeyProblem(folded.key, what));
  }
  if (!scan || scan.badShape >= 0 || !depsOk) {
    const result = (rule === 'capture' ? schemas().captureFileSchema : schemas().beadsFileSchema).safeParse(data);
    if (!result.success) {
      const { place, detail } = summarizeProblems(describeIssues(data, result.error.issues));
      throw new InputError(file, place, detail);
    }
  }
  const dup = scan?.duplicate;
  if (dup)
    throw new InputError(
      file,
      formatJsonPath(['beads', dup.index, 'id']),
      `duplicate bead id ${JSON.stringify(dup.id)} (first at ${formatJsonPath(['beads', dup.first, 'id'])})`,
    );
  // Go's decoder fails the whole file on a token it cannot hold (token-maps.ts); a capture has none.
  if (rule === 'any') assertTokenMaps(data as Record<string, unknown>, file);
  // The engine sees the beads as Gas City reads them. Most files hold only strings: their beads are used as parsed
  // (the engine never mutates its input; a write patches copies); only beads Go reads otherwise get a decoded copy.
  // A metadata value that is not a string is read as its text as written (metadata-text.ts), when the text is here.
  const texts = scan?.needsDecode && source ? metadataTexts(source.text, source.arrayKey, rawBeads) : undefined;
  const beads = (scan?.needsDecode ? rawBeads.map((b, k) => decodeBead(b, texts?.get(k))) : rawBeads) as unknown as Bead[];
  const stored = scan?.needsDecode ? storedValues(rawBeads, texts) : undefined;
  return { raw: data as Record<string, unknown>, beads, existed: true, ...(stored ? { stored } : {}) };
}

/**
 * The non-string metadata values of `beads` as JSON text (big numbers digit for digit), by bead id and key; undefined
 * when there are none (as a write that keeps what it wrote makes it: write.ts storedAfter).
 */
function storedValues(
  beads: readonly Record<string, unknown>[],
  texts?: Map<number, Record<string, string>>,
): Record<string, Record<string, string>> | undefined {
  const out: Record<string, Record<string, string>> = {};
  let found = false;
  for (let i = 0; i < beads.length; i++) {
    const b = beads[i];
    const md = b.metadata as Record<string, unknown> | null | undefined;
    for (const k in md) {
      const v = md[k];
      if (typeof v === 'string') continue;
      // A number as written (`1.0`); an object or an array on one line (the inspect pane's lines), its numbers as written.
      const literal = texts?.get(i)?.[k];
      const written = literal === undefined || typeof v === 'number' ? literal : stringifyJson(parseJsonSpelled(literal), ONE_LINE);
      (out[b.id as string] ??= {})[k] = written ?? stringifyJson(v, ONE_LINE);
      found = true;
    }
  }
  return found ? out : undefined;
}

const ONE_LINE = { indent: '', finalNewline: false };

/**
 * Why Gas City cannot open a `.gc/beads.json` that starts with a UTF-8 byte order mark: `OpenFileStore` reads it with
 * Go's `json.Unmarshal`, which takes no mark (`invalid character 'ï' looking for beginning of value`). A gc-tui store
 * file or a capture may keep one (Gas City never reads those).
 */
const BEADS_BOM_MSG =
  "the file starts with a byte order mark (the bytes ef bb bf), which Gas City's Go decoder refuses " +
  "(invalid character 'ï' looking for beginning of value), so Gas City cannot open this store: remove the mark " +
  '(save the file as UTF-8 without a BOM)';

export function parseBeadsText(text: string, file: string): BeadsFile {
  if (text.charCodeAt(0) === 0xfeff) throw new InputError(file, 'line 1, column 1', BEADS_BOM_MSG);
  const data = parseJsonFile(text, file);
  const decoded = decodeBeadsDocument(data, file, 'any', { text, arrayKey: 'beads' });
  assertGoIntLiterals(text, file, 'beads', 'any');
  assertGoSeq(text, decoded.raw.seq, file);
  assertTokenLiterals(data, text, file);
  // Beads decoded as parsed (no null, no metadata to coerce) hold no key Go reads through a null.
  const read = decoded.beads === decoded.raw.beads ? decoded : keepUnderNulls(decoded, text, file);
  // A `beads` null or left out is no beads, as Go decodes it into a nil slice (and writes a nil one back as null).
  const numbers = numberSpellings(text, 'beads', (decoded.raw.beads ?? []) as unknown[]);
  return numbers ? { ...read, numbers } : read;
}

/**
 * Refuse a bead whose priority (in a capture, also is_blocked) is an integer written with a fraction or exponent
 * (`1.0`, `1e2`): Go's decoder refuses it, JSON.parse reads `1` (go-int-literals.ts). `arrayKey`: where the beads
 * are in `text` (null: the document is the array).
 */
export function assertGoIntLiterals(text: string, file: string, arrayKey: string | null, rule: 'any' | 'capture'): void {
  const bad = inexactInt(text, arrayKey, rule === 'capture' ? CAPTURE_INT_KEYS : FILE_INT_KEYS);
  if (bad)
    throw new InputError(
      file,
      formatJsonPath(arrayKey === null ? [bad.index, bad.key] : [arrayKey, bad.index, bad.key]),
      `${bad.key === 'priority' ? GO_INT_MSG : BD_BOOL_MSG}, got number ${bad.literal}`,
    );
}

const SEQ_HINT = /"seq"\s*:\s*-?[0-9]+[.eE]/;

/**
 * Refuse a file whose `seq` Go's `int` (fileData.Seq) does not take: written with a fraction or an exponent (`1.0`,
 * `1e2`, which JSON.parse reads as 1 and 100), or beyond ±2^63 (kept as its text). Gas City cannot open such a file
 * (`cannot unmarshal number 1.0 into Go struct field`). The text is searched only when the hint or an escaped key
 * says it may hold one: finding the top-level member skips over every bead.
 */
function assertGoSeq(text: string, seq: unknown, file: string): void {
  let literal: string | null = null;
  if (seq instanceof JsonNumberText) literal = seq.text;
  else if (typeof seq === 'number' && (SEQ_HINT.test(text) || escapesALetter(text))) {
    const at = topMemberAt(text, 'seq');
    if (at >= 0) literal = text.slice(at, skipValue(text, at));
  }
  if (literal !== null && !isGoIntText(literal)) throw new InputError(file, 'seq', `${GO_INT_MSG}, got number ${literal}`);
}

const FILE_INT_KEYS = ['priority'] as const;
const CAPTURE_INT_KEYS = ['priority', 'is_blocked'] as const;

/** What a missing `.gc/beads.json` reads as: an empty store (a new city, or one whose beads live in bd). */
export function noBeadsFile(): BeadsFile {
  return { raw: { seq: 0, beads: [] }, beads: [], existed: false };
}
