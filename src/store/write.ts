// Locked compare-and-set writes. Under the input's flock we re-read the file, check that every `before` of a
// repair still holds on disk and that a fresh plan still proposes the same change, apply what passes in one
// atomic rename, and log each repair's outcome. Someone else's change made meanwhile is never overwritten.
// Without repeated work: a caller that read the input with `readForWrite` (or kept a read: keptReadBasis,
// keptCityBasis) and planned it passes both; under the lock the file's bytes are compared with those (a kept city's
// by their SHA-256, with city.toml and the decisions), and when they are the same the caller's document and plan are
// the fresh ones (a plan is a pure function of the state and the time), so only the selected repairs' beads are
// re-checked. The new text is made from the bytes read, with only the members the write changes made anew (a changed
// bead's status, metadata keys and updated_at, the token maps; splice-beads.ts): every other byte stays, a number's
// spelling (`1.10`, `-0`, `1e2`) in the changed bead too. A file that cannot be spliced is written whole in its own
// layout (compact stays compact), each number the write does not change spelled as read. The text is never re-parsed:
// what changed (the repaired beads, the tokens) is validated in memory before the rename.
import { isDeepStrictEqual } from 'node:util';
import { Low } from 'lowdb';
import {
  applyRepairs,
  beforesHold,
  compareBytes,
  DEFAULT_EDITION,
  conflictStamp,
  fieldValue,
  formatInstant,
  nextPlanChange,
  parseInstant,
  plan,
  sameChanges,
  withConflictStamp,
  type Edition,
} from '../engine/index.js';
import type { Bead, Change, CityConfig, Decision, Plan, Repair, State } from '../engine/types.js';
import { writeFileAtomic } from './fs/atomic-file.js';
import { appendAudit, assertAuditWritable, clearPendingAudit, recoverPendingAudit, writePendingAudit, type Recovery } from './audit.js';
import { readCityDecisions, type StoreRead } from './decisions.js';
import { assertReadableFile, inputErrorFromFs } from './fs/fs-errors.js';
import { bytesAsText, readRegularFile, readRegularFileIfExists, readRegularFileOrSame } from './fs/read-bounded.js';
import { describeValue, formatJsonPath } from './formats/json-path.js';
import {
  DEFAULT_JSON_LAYOUT,
  duplicateKeyError,
  detectJsonLayout,
  isJsonRoundTrip,
  isParsedObject,
  jsonIntegerPlusOne,
  JsonSyntaxError,
  jsonSyntaxInputError,
  parseJsonText,
  stringifyJson,
  withNumberSpellings,
} from './formats/json-text.js';
import { decodeBeadsDocument, noBeadsFile, parseBeadsText, withMetadataAsRead, type BeadsFile } from './formats/beads-file.js';
import { bytesDigest, readCityConfig, type CityBeadsRead } from './formats/load-city.js';
import { cityPaths } from './formats/city-paths.js';
import { stateFromStoreDocument, validateStoreDocument } from './formats/load-store.js';
import { spliceBeads, spliceBeadsPlaced, type BeadsAt } from './formats/splice-beads.js';
import { layoutOfBytes } from './formats/bytes-layout.js';
import { SharedStrings } from './formats/shared-strings.js';
import { parseStoreBytes, STREAM_CHUNK_BYTES, UNUSUAL, type BeadsFound } from './formats/store-stream.js';
import { assertTokenLiterals } from './formats/token-maps.js';
import { assertRewritableUtf8, isUtf8Of } from './formats/utf8.js';
import type { KeptBytes } from './formats/kept-bytes.js';
import { lstatOrNull, SYMLINK_REFUSED } from './fs/safe-file.js';
import { firstDuplicateKey } from './formats/duplicate-keys.js';
import { withFileLock } from './fs/lock.js';
import { lockPathOf, pendingAuditPath } from './fs/paths.js';
import { showValue } from './output/plan-view.js';
import { formatZ } from './time.js';
import {
  InputError,
  type AuditEntry,
  type FileBytes,
  type Source,
  type StaleRepair,
  type StoreDocument,
  type WriteResult,
} from './types.js';

/** Called once the new file is complete in its temp file `tmp` (`text` its bytes), just before the rename: the audit journal. */
type BeforeRename = (tmp: string, text: FileBytes) => void;

/** A data file opened for a write: its state for the engine, its raw document, and how to replace it. */
interface OpenDoc {
  /** The data file, for messages. */
  file: string;
  state: State;
  /** The top-level document exactly as in the file (every key, in file order; big integers as JsonNumberText). */
  top: Record<string, unknown>;
  /** The beads exactly as in the file (every unknown field, bd-written non-string metadata), in file order. */
  rawBeads: Record<string, unknown>[];
  /**
   * The bytes everything above was read from (null: a city without `.gc/beads.json`), and for a city its
   * configuration and decisions (they live in other files): what a later read is compared with.
   */
  bytes: Buffer | null;
  /** Their text (null: a city's, which no caller needs). */
  text: string | null;
  basis: unknown[];
  /**
   * Write `top` (the patched document; `changed` are the beads in it that differ from `rawBeads`) atomically in
   * the file's own layout, after checking what changed is valid; returns the state as written, and for a store file
   * where its beads array is in the bytes written when the splice placed it (splice-beads.ts spliceBeadsPlaced).
   */
  commit(top: Record<string, unknown>, changed: Record<string, unknown>[], beforeRename: BeforeRename): Promise<Committed>;
}

/** What OpenDoc.commit wrote: the state, and where the beads array is in the bytes when known. */
interface Committed {
  state: State;
  beads?: BeadsAt;
  /**
   * A city's `.gc/beads.json` as a read of the bytes written parses it (parseBeadsText), when that is provably so: set
   * only for a splice (cityFileWritten). What the write made anew must still read back (applyRepairsUnderLock checks).
   */
  file?: BeadsFile;
}

/**
 * The bytes of a store file read for a write; `prior` itself when given and the file still holds exactly those bytes
 * (readRegularFileOrSame).
 */
function readStoreBytes(file: string, prior?: Buffer | null): Buffer {
  assertReadableFile(file);
  return prior ? readRegularFileOrSame(file, prior) : readRegularFile(file);
}

/**
 * A key named twice in one object of what a write of `file` makes anew from the parsed document, which holds only
 * the last of the two (duplicate-keys.ts): an InputError naming where, and nothing is written. `text` is the file's
 * text; the write replaces `span` of it (a changed bead's text, whose first byte is at `byteOffset` of `bytes`) or all
 * of it.
 */
function uniqueKeys(file: string, text: () => string, span?: { text: string; byteOffset: number; bytes: Buffer }): void {
  let e: JsonSyntaxError | null;
  if (!span) e = duplicateKeyError(text());
  else {
    // The bead's own text alone first (a few hundred bytes); only a duplicate found there is placed in the file.
    if (!firstDuplicateKey(span.text)) return;
    const from = span.bytes.toString('utf8', 0, span.byteOffset).length;
    e = duplicateKeyError(text(), from, from + span.text.length, false);
  }
  if (e) throw jsonSyntaxInputError(file, e);
}

/**
 * A store file's document from its bytes (read by readStoreBytes): the checks of readStoreDb. Parsed as a command's
 * read parses it (store-stream.ts: a batch of beads at a time, their repeated values shared), without decoding the
 * bytes into one text, which a splice never needs; anything unusual is parsed whole, which words any error.
 */
function openStoreBytes(file: string, bytes: Buffer): OpenDoc {
  const shared = new SharedStrings();
  const found: BeadsFound = { open: -1, close: -1, objectPairs: true };
  const streamed = parseStoreBytes(bytes, STREAM_CHUNK_BYTES, (beads) => shared.share(beads), found);
  if (streamed !== UNUSUAL) {
    // Its token maps' literals were looked at by the streamed read (an inexact one is left to the whole parse).
    const doc = validateStoreDocument(streamed, file);
    return storeDoc(file, bytes, null, doc, stateFromStoreDocument(doc), found);
  }
  const text = bytesAsText(file, bytes);
  let data: unknown;
  try {
    data = parseJsonText(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw jsonSyntaxInputError(file, e);
    throw e;
  }
  const doc = validateStoreDocument(data, file);
  assertTokenLiterals(data, text, file);
  return storeDoc(file, bytes, text, doc, stateFromStoreDocument(doc));
}

/**
 * The OpenDoc of a store file whose `bytes` are `known` in UTF-8 (null: not decoded yet; decoded when asked for), `doc`
 * its document as read and checked (by openStoreBytes, or by the console's read: readStoreDb) and `state` that
 * document's state; `found`, where the streamed read of these bytes found their beads array (spliceBeadsPlaced).
 */
function storeDoc(file: string, bytes: Buffer, known: string | null, doc: StoreDocument, state: State, found?: BeadsFound): OpenDoc {
  let decoded = known;
  const text = () => (decoded ??= bytesAsText(file, bytes));
  return {
    file,
    state,
    top: doc,
    rawBeads: doc.beads as Record<string, unknown>[],
    bytes,
    get text() {
      return text();
    },
    basis: [],
    async commit(top, changed, beforeRename) {
      // Never write what we could not read back: the document is the one read (valid) with `changed` beads and
      // Gas City's tokens patched in, so those are what is checked, in memory (the text is not parsed again).
      validateStoreDocument({ ...top, beads: changed }, file);
      const layout = decoded === null ? layoutOfBytes(bytes) : detectJsonLayout(decoded);
      // The bytes read with the changed beads' text replaced when that is provably the same (splice-beads.ts),
      // else the whole document stringified and encoded once; the same bytes are written and hashed for the
      // audit journal.
      // What is made anew must hold all the text it replaces: no key named twice (the first one would be lost).
      const spliced = spliceBeadsPlaced(
        bytes,
        layout,
        doc,
        top,
        (t, byteOffset) => uniqueKeys(file, text, { text: t, byteOffset, bytes }),
        found,
      );
      if (!spliced) uniqueKeys(file, text);
      // A whole rewrite writes what was parsed: a byte that is not UTF-8 would come back as U+FFFD.
      if (!spliced) assertRewritableUtf8(file, bytes);
      const written = spliced?.parts ?? Buffer.from(stringifyJson(withNumberSpellings(text(), doc, top), layout), 'utf8');
      // Through lowdb, with an adapter that writes the text by the safe atomic writer (exclusive temp file, no
      // links followed, owner and mode kept) and journals the audit lines before the rename.
      const db = new Low<unknown>(
        {
          read: async () => null,
          write: async () => writeFileAtomic(file, written, { beforeRename: (tmp) => beforeRename(tmp, written) }),
        },
        top,
      );
      await db.write().catch((e: unknown) => {
        throw inputErrorFromFs(file, e);
      });
      const state = stateFromStoreDocument(top as StoreDocument);
      return spliced?.beads ? { state, beads: spliced.beads } : { state };
    },
  };
}

interface CityRead {
  config: CityConfig;
  decisions: Decision[];
  bytes: Buffer | null;
}

function readCityForWrite(dir: string): CityRead {
  const paths = cityPaths(dir);
  const { config } = readCityConfig(dir);
  const bytes = readRegularFileIfExists(paths.beads);
  const decisions = readCityDecisions(paths.decisions);
  return { config, decisions, bytes };
}

/**
 * A city's OpenDoc from `read` (its files as read under the lock). `parsed`: what a read of those very bytes parsed
 * (a kept read: keptCityBasis), which is then not parsed again; the text is decoded only when a write needs it.
 */
function openCityRead(dir: string, read: CityRead, parsed?: BeadsFile): OpenDoc {
  const paths = cityPaths(dir);
  const { config, decisions, bytes } = read;
  let decodedText = parsed || bytes === null ? null : bytesAsText(paths.beads, bytes);
  const file: BeadsFile = parsed ?? (decodedText === null ? noBeadsFile() : parseBeadsText(decodedText, paths.beads));
  const rawBeads = (file.raw.beads ?? []) as Record<string, unknown>[];
  return {
    file: paths.beads,
    state: { city: config, beads: file.beads, decisions },
    top: file.raw,
    rawBeads,
    bytes,
    text: null,
    basis: [config, decisions],
    async commit(top, changed, beforeRename) {
      const text = bytes === null ? null : (decodedText ??= bytesAsText(paths.beads, bytes));
      const layout = text === null ? DEFAULT_JSON_LAYOUT : detectJsonLayout(text);
      // As for a store: what changed is checked (and decoded for the engine) in memory, not re-read.
      const checked = decodeBeadsDocument({ ...top, beads: changed }, paths.beads).beads;
      const decoded = new Map(changed.map((b, i) => [b, checked[i]]));
      const beads = (top.beads as Record<string, unknown>[]).map((b, i) => {
        const d = decoded.get(b);
        return d ? withMetadataAsRead(b, d, file.beads[i]) : file.beads[i];
      });
      // As for a store: what is made anew must hold all the text it replaces (no key named twice).
      const spliced =
        bytes && text !== null
          ? spliceBeads(bytes, layout, file.raw, top, (t, byteOffset) =>
              uniqueKeys(paths.beads, () => text, { text: t, byteOffset, bytes }),
            )
          : null;
      if (!spliced && text !== null) uniqueKeys(paths.beads, () => text);
      if (!spliced && bytes) assertRewritableUtf8(paths.beads, bytes);
      const out = spliced ?? stringifyJson(text === null ? top : withNumberSpellings(text, file.raw, top), layout);
      // Gas City's protocol: the fixed temp name beads.json.tmp (cleared, then created exclusively), then
      // rename over beads.json.
      writeFileAtomic(paths.beads, out, { tmp: paths.beadsTmp, beforeRename: (tmp) => beforeRename(tmp, out) });
      // The metadata values stored as something other than a string, as they are on disk now: the inspect pane's.
      const stored = storedAfter(file, rawBeads, top.beads as Record<string, unknown>[]);
      // And the numbers outside metadata as spelled: a write changes strings only, and keeps every number's text.
      const { numbers } = file;
      const state: State = {
        city: config,
        beads,
        decisions,
        ...(stored.stored ? { storedMetadata: stored.stored } : {}),
        ...(numbers ? { storedNumbers: numbers } : {}),
      };
      if (!spliced || !stored.exact) return { state };
      return {
        state,
        file: { raw: top, beads, existed: true, ...(stored.stored ? { stored: stored.stored } : {}), ...(numbers ? { numbers } : {}) },
      };
    },
  };
}

/**
 * The non-string metadata values (BeadsFile.stored) of a city's beads file after a write that changed some beads of
 * `file` (`before`, its raw beads; `after`, the written ones: an unchanged bead is the same object). A repair writes
 * strings, so a changed bead's other values are the ones read, and so is their text in the bytes written (a splice
 * copies every member it does not change as read): each keeps the text `file` read it as. `exact` is false when one
 * is not such a value (then its text is JSON's, which a read of the bytes written may spell otherwise). As the reader
 * makes it, undefined when no bead holds one.
 */
function storedAfter(
  file: BeadsFile,
  before: readonly Record<string, unknown>[],
  after: readonly Record<string, unknown>[],
): { stored: Record<string, Record<string, string>> | undefined; exact: boolean } {
  let out = file.stored;
  let copied = false;
  let exact = true;
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  for (let i = 0; i < after.length; i++) {
    const b = after[i];
    const was = before[i];
    if (b === was) continue;
    const id = b.id as string;
    const md = isMap(b.metadata) ? b.metadata : {};
    const old = isMap(was?.metadata) ? was.metadata : {};
    const texts = file.stored?.[id];
    const entry: Record<string, string> = {};
    let any = false;
    for (const k of Object.keys(md)) {
      const v = md[k];
      if (typeof v === 'string') continue;
      any = true;
      const same = Object.hasOwn(old, k) && Object.is(old[k], v) && texts !== undefined && Object.hasOwn(texts, k);
      if (!same) exact = false;
      entry[k] = same ? texts[k] : stringifyJson(v, { indent: '', finalNewline: false });
    }
    if (!any && texts === undefined) continue;
    const into: Record<string, Record<string, string>> = copied ? out! : { ...out };
    copied = true;
    out = into;
    if (any) into[id] = entry;
    else delete into[id];
  }
  return { stored: out && Object.keys(out).length > 0 ? out : undefined, exact };
}

/**
 * An input read for a write, before its lock is taken: its state (to plan and select from), and what the
 * write under the lock compares with. Opaque outside this module; see `readForWrite` and `keptReadBasis`.
 */
export interface WriteBasis {
  readonly source: Source;
  readonly state: State;
  /** The file's top-level keys as read (e.g. `revisions_sealed`, a marker of the rule edition); do not modify. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** @internal */
  readonly doc: OpenDoc | KeptRead | KeptCityRead;
}

/**
 * A store file as a reader kept it: the text its bytes decoded to or those bytes (the console's reader keeps them
 * in a private file once done with the text: store-reread.ts), the document read from that text and checked as the write checks
 * it (readStoreDb), and its state. The console's last read.
 */
interface KeptRead {
  kept: true;
  /** Its text, or the bytes it was decoded from (kept-bytes.ts). */
  text: string | KeptBytes;
  top: StoreDocument;
  state: State;
  /** The text is known to name no key twice in any object (a whole search passed on it, or it is a write made from one). */
  uniqueKeys: boolean;
  /** Where its beads array is in its bytes, when its reader found it (asked under the lock: it may find it meanwhile). */
  beads?: () => BeadsAt | null;
}

/** What a reader knows of a kept text besides its document (see KeptRead). */
export type KeptKnown = Partial<Pick<KeptRead, 'uniqueKeys' | 'beads'>>;

/**
 * A city's `.gc/beads.json` as a reader kept it, without its bytes: their SHA-256 (null: no file), the file parsed
 * from them, and the configuration and decisions read with them (`basis`, as OpenDoc's). The console's last read, or
 * `gc-tui apply`'s read before the lock.
 */
interface KeptCityRead {
  keptCity: true;
  sha256: string | null;
  file: BeadsFile;
  basis: unknown[];
}

/**
 * Read the input as a write reads it (raw document, layout, bytes), without the lock: the caller plans this
 * state, picks the repairs, and passes it back (with that plan) to `applyRepairsLocked`, which then neither
 * re-reads nor re-plans when the file is byte for byte what was read here.
 */
export async function readForWrite(source: Source): Promise<WriteBasis> {
  const doc =
    source.kind === 'store'
      ? openStoreBytes(source.path, readStoreBytes(source.path))
      : openCityRead(source.dir, readCityForWrite(source.dir));
  return { source, state: doc.state, extra: doc.top, doc };
}

/**
 * A store file already read by the caller (the console: loadStore with a re-read, whose reader keeps the text or the
 * bytes) as a write's basis, with no second copy of them or of the state: `text` is what the file's bytes decoded to
 * (or those bytes, kept), `top` the document read from it (validateStoreDocument passed) and `state` its state
 * (stateFromStoreDocument). Under the lock the file's bytes are compared with `text` in UTF-8 (or with the bytes kept),
 * byte for byte.
 */
export function keptReadBasis(
  source: Source & { kind: 'store' },
  text: string | KeptBytes,
  top: StoreDocument,
  state: State,
  known: KeptKnown = {},
): WriteBasis {
  return { source, state, extra: top, doc: { kept: true, text, top, state, uniqueKeys: known.uniqueKeys === true, beads: known.beads } };
}

/**
 * A city read by the caller (the console, `gc-tui apply`: loadCity with `keep`, of a city whose beads are its
 * `.gc/beads.json` alone) as a write's basis, with no copy of its bytes: `read` the digest of the bytes and the file
 * parsed from them, `state` the state read with them (its configuration and decisions are compared under the lock).
 * Under the lock the bytes on disk are hashed and compared with the digest: the same, they are not parsed again.
 */
export function keptCityBasis(source: Source & { kind: 'city' }, read: CityBeadsRead, state: State): WriteBasis {
  const doc: KeptCityRead = { keptCity: true, sha256: read.sha256, file: read.file, basis: [state.city, state.decisions] };
  return { source, state, extra: read.file.raw, doc };
}

/**
 * A kept city read (keptCityBasis) after a decision was recorded in the city's own decisions file (its `.gc/beads.json`
 * and city.toml untouched): the same read with `decisions`, the decisions now on disk; null when `basis` is no kept city read.
 */
export function keptCityWithDecisions(basis: WriteBasis, decisions: Decision[]): WriteBasis | null {
  const doc = basis.doc;
  if (!('keptCity' in doc)) return null;
  const state = { ...basis.state, decisions };
  return { ...basis, state, doc: { ...doc, basis: [state.city, decisions] } };
}

/**
 * The input under the lock: `basis.doc` again when nothing it was read from changed (the same bytes; for a city
 * also the same configuration and decisions), else read from what is on disk now (the bytes just read: once).
 * A kept read (keptReadBasis) is the same when the bytes on disk are its text's: its document is then what a read
 * of them gives, and only the OpenDoc around those bytes is made. A kept city read (keptCityBasis) is the same when
 * the bytes on disk have its digest and the configuration and decisions are equal: its file is then not parsed again.
 */
function reopen(source: Source, basis: WriteBasis | undefined): { doc: OpenDoc; same: boolean; kept?: KeptRead } {
  const prior = basis && sameSource(basis.source, source) ? basis.doc : null;
  if (source.kind === 'store') {
    const had = prior && 'bytes' in prior ? prior.bytes : null;
    const bytes = readStoreBytes(source.path, had);
    if (prior && 'kept' in prior) {
      const text = prior.text;
      if (typeof text === 'string' ? isUtf8Of(bytes, text) : text.equals(bytes))
        return {
          doc: storeDoc(source.path, bytes, typeof text === 'string' ? text : null, prior.top, prior.state),
          same: true,
          kept: prior,
        };
    } else if (prior && 'bytes' in prior && bytes === had) return { doc: prior, same: true };
    return { doc: openStoreBytes(source.path, bytes), same: false };
  }
  const read = readCityForWrite(source.dir);
  if (prior && 'keptCity' in prior) {
    // A kept read: the same bytes (by their digest), configuration and decisions give what a parse of them gives.
    const same = prior.sha256 === bytesDigest(read.bytes) && isDeepStrictEqual(prior.basis, [read.config, read.decisions]);
    return { doc: openCityRead(source.dir, read, same ? prior.file : undefined), same };
  }
  const city = prior && !('kept' in prior) ? prior : null;
  const sameBytes = city !== null && (city.bytes === null ? read.bytes === null : read.bytes !== null && city.bytes.equals(read.bytes));
  if (city && sameBytes && isDeepStrictEqual(city.basis, [read.config, read.decisions])) return { doc: city, same: true };
  return { doc: openCityRead(source.dir, read), same: false };
}

function sameSource(a: Source, b: Source): boolean {
  return a.kind === 'store' ? b.kind === 'store' && a.path === b.path : b.kind === 'city' && a.dir === b.dir;
}

// ---------------------------------------------------------------- Gas City's tokens
//
// Gas City (fork) keeps two int64 maps beside its beads and compares them, under the same flock, before its
// conditional writes (`revisions`: UpdateIfMatch and revision tokens) and guarded releases (`fences`: claim
// fences). A writer that changes a bead without bumping them lets a Gas City writer holding an older token
// succeed on data it never saw, so every write here stamps them as Gas City's own mutations do
// (gascity-formats.md §1.2, "revisions and fences: what a writer must bump"):
// - revisions[id] + 1 for each bead the write changes, once per bead per write (one locked write is one
//   update, however many repairs and fields touch the bead); absent counts as 0. Only when the file is
//   sealed (`revisions_sealed: true`): Gas City re-seeds an unsealed file's revisions on load from its
//   timestamps, so there no map is invented and an existing one is left as found.
// - fences[id] + 1 when the write moves ownership: `assignee` before ≠ after (set to another value or
//   cleared; absent, null and "" are all "no assignee", as Gas City omits it when empty), or a closed bead
//   becomes non-closed. Closing does not bump it. The reference does not say whether a writer should create
//   a fences map in an unsealed file (one only a pre-fences Gas City wrote), so our choice: fences are bumped
//   when the file is sealed (the map created if missing) or already has a `fences` map; an unsealed file
//   without one gets none.
// Values beyond 2^53 stay digit-exact (BigInt, written back as integer text). A created map goes where Gas
// City writes it (revisions, revisions_sealed, fences); a new id joins a map in byte order when the map is
// sorted (Go's encoder sorts map keys), else at its end. Every other key stays as found, in its place.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Gas City's notion of the owner: absent, null and "" are all no assignee. */
function ownerOf(bead: Record<string, unknown>): string {
  const v = bead.assignee;
  return v === undefined || v === null ? '' : String(v);
}

/** Gas City's `isOwnershipTransition`: the assignee changes (cleared included), or a closed bead reopens. */
export function isOwnershipTransition(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return ownerOf(before) !== ownerOf(after) || (before.status === 'closed' && after.status !== 'closed');
}

/** Go's int64, the type of Gas City's revisions and fences. */
const INT64_MAX = 9223372036854775807n;

/**
 * `map` (absent or null = empty) with each of `ids` bumped by one (a null value counts as 0); key order kept (see
 * above). A map or value Gas City could not read was refused at load (token-maps.ts); the checks here only guard.
 */
function bumpMap(map: unknown, ids: string[], file: string, key: string): Record<string, unknown> {
  if (map !== undefined && map !== null && !isPlainObject(map)) {
    throw new InputError(file, formatJsonPath([key]), `must be an object of bead id → integer to be bumped, got ${describeValue(map)}`);
  }
  const entries = Object.entries(map ?? {});
  const sorted = entries.every(([k], i) => i === 0 || compareBytes(entries[i - 1][0], k) < 0);
  const index = new Map(entries.map(([k], i) => [k, i]));
  for (const id of ids) {
    const i = index.get(id);
    // Absent, or null (Go's decoder stores a null map value as int64's zero value), counts as 0.
    const next = jsonIntegerPlusOne(i === undefined ? 0 : (entries[i][1] ?? 0));
    if (next === null)
      throw new InputError(file, formatJsonPath([key, id]), `must be an integer to be bumped, got ${describeValue(entries[i!][1])}`);
    if (typeof next !== 'number' && BigInt(next.text) > INT64_MAX)
      throw new InputError(
        file,
        formatJsonPath([key, id]),
        `is ${INT64_MAX} already, the largest Gas City keeps (int64): one more could not be read back; nothing written`,
      );
    if (i === undefined) {
      index.set(id, entries.length);
      entries.push([id, next]);
    } else entries[i] = [id, next];
  }
  if (sorted) entries.sort(([a], [b]) => compareBytes(a, b));
  // fromEntries defines own data properties: an id such as "__proto__" stays a plain key.
  return Object.fromEntries(entries);
}

/** `top` with `key` set to `value`: in place when present, else beside `revisions_sealed` (before or after it), else at the end. */
function withKey(top: Record<string, unknown>, key: string, value: unknown, place: 'before' | 'after'): Record<string, unknown> {
  const entries = Object.entries(top);
  const at = entries.findIndex(([k]) => k === key);
  if (at >= 0) entries[at] = [key, value];
  else {
    const seal = entries.findIndex(([k]) => k === 'revisions_sealed');
    if (seal < 0) entries.push([key, value]);
    else entries.splice(place === 'before' ? seal : seal + 1, 0, [key, value]);
  }
  return Object.fromEntries(entries);
}

/**
 * The document `top` with `beads` written in and Gas City's tokens bumped for every bead that differs between
 * `before` and `beads` (same order; an unchanged bead is the same object). See the rules above.
 */
export function stampTokens(
  top: Record<string, unknown>,
  before: Record<string, unknown>[],
  beads: Record<string, unknown>[],
  file: string,
): Record<string, unknown> {
  let out = withKey(top, 'beads', beads, 'after');
  const sealed = top.revisions_sealed === true;
  const fenced = sealed || isPlainObject(top.fences);
  const revised: string[] = [];
  const moved: string[] = [];
  beads.forEach((b, i) => {
    const was = before[i];
    if (b === was) return;
    const id = String(b.id);
    revised.push(id);
    if (was && isOwnershipTransition(was, b)) moved.push(id);
  });
  if (sealed && revised.length > 0) out = withKey(out, 'revisions', bumpMap(top.revisions, revised, file, 'revisions'), 'before');
  if (fenced && moved.length > 0) out = withKey(out, 'fences', bumpMap(top.fences, moved, file, 'fences'), 'after');
  return out;
}

/**
 * Why `repair` may not be applied to what is on disk now (`bead`, its bead there; `fresh`, a fresh plan's repair
 * with the same id), or null when it may. The locked write judges by it, and so does `apply --dry-run`.
 */
export function stalenessOf(repair: Repair, bead: Bead | undefined, fresh: Repair | undefined, rejected?: Decision): StaleRepair | null {
  const first = repair.changes[0] ?? { field: 'id', before: repair.beadId, after: repair.beadId };
  if (!bead) return { repair, change: first, actual: null, why: `bead ${repair.beadId} no longer exists`, replanned: null };
  const change = beforesHold(bead, repair);
  if (change) {
    const actual = fieldValue(bead, change.field);
    return {
      repair,
      change,
      actual,
      why: `${change.field} is now ${showValue(actual)} (expected ${showValue(change.before)})`,
      replanned: fresh ?? null,
    };
  }
  // Withheld by a rejection recorded since it was planned (another operator's): who, when and why, not a mystery.
  if (!fresh && rejected) return { repair, change: first, actual: first.before, why: rejectedSince(rejected), replanned: null };
  if (!fresh)
    return { repair, change: first, actual: first.before, why: 'a fresh plan of the file on disk no longer proposes it', replanned: null };
  if (!sameChanges(repair.changes, fresh.changes))
    return {
      repair,
      change: first,
      actual: first.before,
      why: `re-planned: ${changeDifference(repair.changes, fresh.changes)}`,
      replanned: fresh,
    };
  return null;
}

/** Why a repair a rejection withholds is not written: the decision, as the audit and `check` name one. */
function rejectedSince(d: Decision): string {
  const reason = d.reason ? ` (${JSON.stringify(d.reason)})` : '';
  return `rejected by ${d.by} at ${d.at}${reason} since it was planned: withheld while its changes stay the same`;
}

/** What a kept read knew of the bytes a decision's write starts from (decisions.ts StoreRead). */
function knownOf(kept: KeptRead | undefined): Pick<StoreRead, 'uniqueKeys' | 'beads'> {
  const beads = kept?.beads?.();
  return { ...(kept?.uniqueKeys ? { uniqueKeys: true } : {}), ...(beads ? { beads } : {}) };
}

/** What a decision was judged against as it is on disk now: why it may not be recorded (null when it may), and what was read. */
export interface DecisionCheck {
  stale: StaleRepair | null;
  /** The input as read for the check (with the decisions already on disk). */
  state: State;
  /** Its fresh plan at the check's time; null when that is the caller's (the basis's plan held: the caller has it). */
  plan: Plan | null;
  /**
   * A store file as the check read it (its bytes, their text, the document): under the same lock, what the decision's
   * write (recordDecisionUnderLock) starts from instead of reading and parsing the file again.
   */
  read?: StoreRead;
}

/**
 * Whether a decision on a repair (`decision.changes`, as the operator judged them) may be recorded now: judged as an
 * approval is (stalenessOf), against a fresh read of the input and its plan at `now` under `edition`. Every `before`
 * must still hold on the bead (the repair id is `<kind>:<bead id>`), and the fresh plan must propose, or withhold by a
 * rejection, exactly these changes. The caller holds the decisions lock (decisionLockPath); nothing is written. With
 * `basis` (as an approval's: ApplyOptions.basis), an input still byte for byte what was read is not read again, and its
 * plan, while it holds at `now` (basisPlan), is not made again.
 */
export function checkDecision(source: Source, decision: Decision, now: Date, edition?: Edition, basis?: WriteBasisPlan): DecisionCheck {
  const { doc, same, kept } = reopen(source, basis?.read);
  const state = doc.state;
  const reused = basisPlan(basis, edition, now, state, same);
  const p = reused ?? plan(state, now, edition ?? DEFAULT_EDITION);
  const id = decision.repair;
  const colon = id.indexOf(':');
  const fresh = p.repairs.find((r) => r.id === id) ?? p.detail.rejected.find((x) => x.repair.id === id)?.repair;
  // The repair as judged: the fresh one's facts with the changes the operator saw; gone from the plan, its id's.
  const judged: Repair = {
    id,
    kind: fresh?.kind ?? ((colon < 0 ? id : id.slice(0, colon)) as Repair['kind']),
    beadId: fresh?.beadId ?? (colon < 0 ? '' : id.slice(colon + 1)),
    template: fresh?.template ?? null,
    changes: Array.isArray(decision.changes) ? decision.changes : [],
    reason: fresh?.reason ?? '',
  };
  const bead = state.beads.find((b) => b.id === judged.beadId);
  const read =
    source.kind === 'store' && doc.bytes && doc.text !== null
      ? { bytes: doc.bytes, text: doc.text, doc: doc.top as StoreDocument, ...knownOf(kept) }
      : undefined;
  return { stale: stalenessOf(judged, bead, fresh), state, plan: reused ? null : (p as Plan), ...(read ? { read } : {}) };
}

const shownChange = (c: Change) => `${c.field} ${showValue(c.before)} → ${showValue(c.after)}`;

/**
 * What is written for `asked`, a repair its fresh copy proposes too: the changes the operator saw (or a saved plan
 * said). They differ from the fresh plan's in one place only, the conflict time, which each plan stamps with its own
 * now (sameChanges): the time shown is written, so an approval writes exactly the diff on screen. A shown time that is
 * not an instant of ours, or is after this write (a hand-edited saved plan), gives way to the fresh one.
 */
function asWritten(asked: Repair, fresh: Repair, now: Date): Repair {
  const at = conflictStamp(asked);
  if (at === undefined || at === conflictStamp(fresh)) return fresh;
  const ms = parseInstant(at);
  if (ms === null || ms > now.getTime() || formatInstant(new Date(ms)) !== at) return fresh;
  return withConflictStamp(fresh, at);
}

/**
 * The first way a fresh plan's changes differ from the ones asked for, said so an operator sees what moved: a change
 * it no longer makes, one it makes otherwise (both values), or one it adds.
 */
function changeDifference(asked: readonly Change[], fresh: readonly Change[]): string {
  const freshByField = new Map(fresh.map((c) => [c.field, c]));
  for (const c of asked) {
    const now = freshByField.get(c.field);
    if (!now) return `a fresh plan no longer proposes ${shownChange(c)}`;
    if (!sameChanges([c], [now]))
      return `a fresh plan now proposes ${shownChange(now)}, not ${showValue(c.before)} → ${showValue(c.after)}`;
  }
  const askedFields = new Set(asked.map((c) => c.field));
  const added = fresh.find((c) => !askedFields.has(c.field));
  return added ? `a fresh plan now also proposes ${shownChange(added)}` : 'a fresh plan proposes the same changes in another order';
}

export interface ApplyOptions {
  now: Date;
  /** The operator, for the audit log. */
  by: string;
  /** Free text from the operator (`--reason`), logged as `note`. */
  note?: string;
  action?: AuditEntry['action'];
  /** One id shared by every audit line of this write (a bulk approval); see newBatchId. */
  batch?: string;
  timeoutMs?: number;
  /**
   * What the caller read (readForWrite, keptReadBasis, keptCityBasis) and planned at `now` before taking the lock:
   * when the input is still byte for byte what was read (a kept city: its digest, configuration and decisions), the
   * write uses that document and that plan instead of reading and planning again. Without it, or when anything
   * changed, the write reads and plans afresh.
   */
  basis?: WriteBasisPlan;
  /**
   * The rule edition the repairs were planned under (`2026-05` when absent): the re-plan under the lock uses it,
   * so a repair is judged by the rules the operator saw it under, never by another edition's.
   */
  edition?: Edition;
  /**
   * Called once a store file is written (before the audit append) with what is on disk now: a caller that keeps it as
   * its next write's basis (the console: keptReadBasis of its text) need not read and parse the file again.
   */
  wrote?: (written: StoreWritten) => void;
  /**
   * Called once a city's `.gc/beads.json` is written (before the audit append) with what a read of it gives, when that
   * is provably what its reader makes of the bytes written (CityWritten): a caller that keeps it as its next write's
   * basis (the console: keptCityBasis, with the digest of `bytes`) need not read and parse the file again.
   */
  wroteCity?: (written: CityWritten) => void;
}

/**
 * What a write put in a city's `.gc/beads.json`: its bytes, the file a read of them parses (parseBeadsText's: the
 * document, the beads decoded as Gas City reads them, the metadata values stored otherwise than as strings), and the
 * state written (that file's beads, the configuration and decisions read under the lock). Given only for a write made
 * from the bytes read with only the members it changes new (a splice: every other byte, and so every text a read
 * keeps of a value, as read), whose new members read back as themselves.
 */
export interface CityWritten {
  bytes: FileBytes;
  file: BeadsFile;
  state: State;
}

/**
 * What a write put in a store file: its bytes, the document they spell (every byte of it as written from `top`), that
 * document's state, and whether the text is known to name no key twice (it was made from such a text: the write's basis).
 */
export interface StoreWritten {
  bytes: FileBytes;
  top: StoreDocument;
  state: State;
  uniqueKeys: boolean;
  /** Where its beads array is in the bytes, when the splice placed it: a decision's next write walks only around it. */
  beads?: BeadsAt;
}

/** What a locked write did; `auditWarning` when its audit lines could not be appended (see applyRepairsUnderLock). */
export interface ApplyResult extends WriteResult {
  /**
   * Set when the write was committed (or found only stale repairs) but its audit lines could not be appended:
   * the repairs in `applied` WERE written. The lines wait in the pending record and the next write appends them.
   */
  auditWarning?: string;
}

/** ApplyOptions whose `now` may be a clock: read once the lock is held, it is the write's time (see applyRepairsLocked). */
export type LockedApplyOptions = Omit<ApplyOptions, 'now'> & { now: Date | (() => Date) };

/**
 * Apply `repairs` (as proposed by a plan the caller showed) in one locked, atomic write.
 * Returns what was applied and what was stale; appends one audit line per repair. A clock as `now` is read once
 * the lock is held: `updated_at` and the audit lines say when the write happened, however long another writer
 * held the lock (or the operator took to answer) meanwhile.
 */
export async function applyRepairsLocked(source: Source, repairs: Repair[], opts: LockedApplyOptions): Promise<ApplyResult> {
  // A store that is a link is refused by the write (no link is followed); refused here, before its lock file is made.
  if (source.kind === 'store' && lstatOrNull(source.path)?.isSymbolicLink()) throw new InputError(source.path, null, SYMLINK_REFUSED);
  const { now } = opts;
  return withFileLock(
    lockPathOf(source),
    () => applyRepairsUnderLock(source, repairs, { ...opts, now: typeof now === 'function' ? now() : now }),
    { timeoutMs: opts.timeoutMs },
  );
}

/**
 * Of a plan, what a write and a decision's check judge by: its repairs, and those withheld by a rejection. A Plan is
 * one; a caller that keeps a plan for a later write (the console) need keep no more.
 */
export interface PlanJudgment {
  repairs: Repair[];
  detail: { rejected: Plan['detail']['rejected'] };
}

/** A caller's read of the input (`read`), and its plan of that read's state at `now` under `edition` (2026-05 when absent). */
export interface WriteBasisPlan {
  read: WriteBasis;
  plan?: PlanJudgment;
  now: Date;
  edition?: Edition;
}

/**
 * The caller's plan when, made at `basis.now` of the document now under the lock (`same`), it is the judgment at
 * `now` too (else null): the same rules, and no instant between the two times at which the plan can change (nextPlanChange;
 * a conflict clear's stamp aside, which never makes another judgment). A write later than its plan by the lock's
 * wait or the operator's answer is then not planned again (seconds at 100 000 beads).
 */
function basisPlan(
  basis: WriteBasisPlan | undefined,
  edition: Edition | undefined,
  now: Date,
  state: State,
  same: boolean,
): PlanJudgment | null {
  const rules = edition ?? DEFAULT_EDITION;
  if (!same || !basis?.plan || (basis.edition ?? DEFAULT_EDITION) !== rules) return null;
  const from = basis.now.getTime();
  const to = now.getTime();
  if (to === from) return basis.plan;
  if (to < from) return null;
  const next = nextPlanChange(state, from, rules);
  return next === null || to < next ? basis.plan : null;
}

/**
 * Whether what a splice of `now` over the text `was` was read from makes anew reads back as itself: a member whose
 * value is the one read (the same object, or the same primitive) is copied as read, and is what a read gives; an
 * object, or an array that kept its items, that changed is spliced member by member the same way; any other value is
 * written by stringifyJson and must round-trip (isJsonRoundTrip).
 */
function readsBackAsMade(was: unknown, now: unknown): boolean {
  if (Object.is(was, now)) return true;
  if (isParsedObject(was) && isParsedObject(now)) {
    for (const k of Object.keys(now))
      if (!(Object.hasOwn(was, k) ? readsBackAsMade(was[k], now[k]) : isJsonRoundTrip(now[k]))) return false;
    return true;
  }
  // An array that lost items is written anew whole (splice-members.ts spliceValue).
  if (Array.isArray(was) && Array.isArray(now) && now.length >= was.length) {
    for (let i = 0; i < now.length; i++) if (!(i < was.length ? readsBackAsMade(was[i], now[i]) : isJsonRoundTrip(now[i]))) return false;
    return true;
  }
  return isJsonRoundTrip(now);
}

function sameChangeList(a: Change[], b: Change[]): boolean {
  return a.length === b.length && a.every((c, i) => c.field === b[i].field && c.before === b[i].before && c.after === b[i].after);
}

/**
 * Settle, under the input's write lock, the audit lines a write killed between its rename and its audit append
 * left pending (audit.ts). Every write does this first; a command that writes nothing may call it too.
 */
export async function settlePendingAudit(source: Source, opts: { timeoutMs?: number } = {}): Promise<Recovery> {
  return withFileLock(lockPathOf(source), async () => recoverPendingAudit(source), opts);
}

/**
 * The write itself: the caller holds the input's lock (`lockPathOf(source)`), in this thread or another.
 * Audit lines are tied to the commit (audit.ts): a pending record left by an earlier killed write is settled
 * first; this write's lines are journaled before the rename and appended after it. When the append fails after
 * the commit, the result says what was applied and carries `auditWarning` (the write is not reported as failed:
 * it happened).
 */
export async function applyRepairsUnderLock(source: Source, repairs: Repair[], opts: ApplyOptions): Promise<ApplyResult> {
  recoverPendingAudit(source);
  assertAuditWritable(source);
  const unique = [...new Map(repairs.map((r) => [r.id, r])).values()];
  const { doc, same, kept } = reopen(source, opts.basis?.read);
  // A plan is a pure function of (state, now): when the file is what the caller planned, at a time the plan holds
  // for, the caller's plan is the fresh judgment. Otherwise (someone wrote meanwhile, or no plan was given) re-plan.
  const judged =
    basisPlan(opts.basis, opts.edition, opts.now, doc.state, same) ?? plan(doc.state, opts.now, opts.edition ?? DEFAULT_EDITION);
  const wanted = new Set(unique.map((r) => r.id));
  const fresh = new Map<string, Repair>();
  for (const r of judged.repairs) if (wanted.has(r.id)) fresh.set(r.id, r);
  const rejected = new Map<string, Decision>();
  for (const w of judged.detail.rejected) if (wanted.has(w.repair.id)) rejected.set(w.repair.id, w.decision);
  // Only the beads of the selected repairs are looked up (the last of an id wins, as in a Map of all).
  const wantedBeads = new Set(unique.map((r) => r.beadId));
  const beads = new Map<string, Bead>();
  for (const b of doc.state.beads) if (wantedBeads.has(b.id)) beads.set(b.id, b);
  /** Each applied repair as the caller passed it (what the operator saw) and as written. */
  const pairs: { asked: Repair; written: Repair }[] = [];
  const stale: StaleRepair[] = [];
  for (const r of unique) {
    const s = stalenessOf(r, beads.get(r.beadId), fresh.get(r.id), rejected.get(r.id));
    if (s) stale.push(s);
    else pairs.push({ asked: r, written: asWritten(r, fresh.get(r.id)!, opts.now) });
  }
  const applied = pairs.map((p) => p.written);

  const time = formatZ(opts.now);
  // `changes` are the caller's (what the operator saw, what a saved plan said); `written` only when the file
  // got something else (a conflict time asWritten would not take); `batch` only when given.
  const entry = (r: Repair, result: AuditEntry['result'], written?: Change[]): AuditEntry => ({
    time,
    operator: opts.by,
    action: opts.action ?? 'apply',
    ...(opts.batch !== undefined ? { batch: opts.batch } : {}),
    repair: r.id,
    kind: r.kind,
    beadId: r.beadId,
    changes: r.changes,
    ...(written && !sameChangeList(r.changes, written) ? { written } : {}),
    reason: r.reason,
    note: opts.note ?? '',
    result,
  });
  const entries = [...pairs.map((p) => entry(p.asked, 'applied', p.written.changes)), ...stale.map((s) => entry(s.repair, 'stale'))];

  let state = doc.state;
  if (applied.length > 0) {
    // The engine's own application, on the raw beads: copy-on-write, key order kept, every field it does not
    // change (unknown ones included) carried as found, `updated_at` stamped. Then Gas City's tokens.
    const raw = { city: doc.state.city, beads: doc.rawBeads as unknown as Bead[] };
    const written = applyRepairs(raw, applied, { now: opts.now }).beads as unknown as Record<string, unknown>[];
    const changed = written.filter((b, i) => b !== doc.rawBeads[i]);
    // The audit lines are journaled before the rename: if that fails, nothing is written.
    const top = stampTokens(doc.top, doc.rawBeads, written, doc.file);
    let bytes: FileBytes | null = null;
    const committed = await doc.commit(top, changed, (tmp, text) => {
      bytes = text;
      writePendingAudit(source, tmp, text, entries);
    });
    state = committed.state;
    // `top` is what its bytes read back as when what the write made anew round-trips (the rest is as read); that text
    // names no key twice when the text read did not (what is new is a JS object's).
    const readsBack = () =>
      changed.every((b) => isJsonRoundTrip(b)) &&
      Object.keys(top).every((k) => k === 'beads' || Object.is(top[k], doc.top[k]) || isJsonRoundTrip(top[k]));
    if (opts.wrote && bytes !== null && source.kind === 'store' && readsBack())
      opts.wrote({
        bytes,
        top: top as StoreDocument,
        state,
        uniqueKeys: kept?.uniqueKeys === true,
        ...(committed.beads ? { beads: committed.beads } : {}),
      });
    // A city's is kept only from a splice, which copies every member whose value is the one read as read (a `-0`, a
    // `1.0` in a changed bead too): only what it made anew must read back as itself.
    if (opts.wroteCity && bytes !== null && committed.file && readsBackAsMade(doc.top, top))
      opts.wroteCity({ bytes, file: committed.file, state });
  }

  try {
    appendAudit(source, entries);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const waiting = applied.length > 0 ? `; the lines wait in ${pendingAuditPath(source)} and the next write appends them` : '';
    const what = applied.length > 0 ? `applied ${applied.length}, not audited` : 'not audited';
    return { applied, stale, state, auditWarning: `${what}: ${why}${waiting}` };
  }
  if (applied.length > 0) {
    try {
      clearPendingAudit(source);
    } catch {
      // Harmless: the next write finds the lines already at the end of the log and only removes the record.
    }
  }
  return { applied, stale, state };
}
