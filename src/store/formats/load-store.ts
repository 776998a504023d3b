// A gc-tui store file: one self-contained JSON document, read and written through lowdb.
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { qualifiedName } from '../../engine/model.js';
import type { State } from '../../engine/types.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { assertReadableFile, errnoCode, inputErrorFromFs } from '../fs/fs-errors.js';
import { describeValue, formatJsonPath } from './json-path.js';
import {
  DEFAULT_JSON_LAYOUT,
  detectJsonLayout,
  emitJson,
  isJsonRoundTrip,
  JsonSyntaxError,
  jsonSyntaxInputError,
  parseJsonDocument,
  parseJsonText,
  stringifyJson,
  type JsonLayout,
} from './json-text.js';
import { scanBeads } from './bead-check.js';
import { describeIssues, findDuplicate, schemas, summarizeProblems } from './schema.js';
import { isStoreTop } from './shape.js';
import { assertTokenLiterals, assertTokenMaps } from './token-maps.js';
import type { StoreReread } from './store-reread.js';
import type { KeptBytes } from './kept-bytes.js';
import { SharedStrings } from './shared-strings.js';
import { readStoreStreamed, STREAM_CHUNK_BYTES, UNUSUAL } from './store-stream.js';
import { InputError, type Loaded, type StoreDocument } from '../types.js';

/** Keys of a store document that become State; everything else is carried in Loaded.extra. */
export const STATE_KEYS: ReadonlySet<string> = new Set(['schema', 'city', 'demand', 'beads', 'decisions']);

/**
 * A store file's whole text parsed (by `reread` when given, which keeps `bytes`, what the text was decoded from, and
 * frees them once kept in their file: nothing else reads them after this), a token written `7.0` refused (token-maps.ts).
 */
function parseStoreText(text: string | (() => string), file: string, reread?: StoreReread, bytes?: Buffer): unknown {
  let made: string | undefined;
  const whole = () => (made ??= typeof text === 'string' ? text : text());
  const doc = reread ? reread.parse(whole, bytes, true) : parseJsonDocument(whole());
  // A re-read that kept beads looked at its maps' text itself.
  if (!reread || reread.parsedWhole) assertTokenLiterals(doc, whole(), file);
  return doc;
}

/** parseStoreText of a re-read's copy of the file (store-reread.ts parseKept): its text decoded only if parsed whole. */
function parseKeptText(kept: KeptBytes, file: string, reread: StoreReread): unknown {
  let text: string | undefined;
  const doc = reread.parseKept(kept, (t) => (text = t));
  if (reread.parsedWhole) assertTokenLiterals(doc, text ?? kept.text() ?? '', file);
  return doc;
}

/**
 * lowdb's DataFile with our parser (line/column on bad JSON, exact big integers), our serializer, and our
 * atomic write: lowdb's own writer creates the file anew with the default mode, so a `chmod 600` store would
 * come back 0644; writeFileAtomic keeps the existing file's mode. Every store writer goes through here.
 */
class StoreDataFile extends DataFile<unknown> {
  constructor(
    private readonly file: string,
    private readonly reread?: StoreReread,
    /** The layout every write takes; without it, the layout the file has on disk (an edit of that file). */
    private readonly layout?: JsonLayout,
  ) {
    super(file, {
      parse: (text: string) => parseStoreText(text, file, reread),
      stringify: (data: unknown) => stringifyJson(data),
    });
  }

  /**
   * The document without the file's whole text held (store-stream.ts), its beads' repeated values shared
   * (shared-strings.ts) a batch at a time as they are read; lowdb's own read of the text when that cannot be
   * (its errors are the words of every problem). A re-read keeps the text for the next one: lowdb's.
   */
  override read(): Promise<unknown> {
    if (this.reread) return this.readText(this.reread);
    const shared = new SharedStrings();
    const doc = readStoreStreamed(this.file, STREAM_CHUNK_BYTES, (beads) => shared.share(beads));
    return doc === UNUSUAL ? super.read() : Promise.resolve(doc);
  }

  /**
   * lowdb's read (null when there is no file), its bytes decoded in one go: readFile with an encoding decodes 512 KiB
   * at a time into a string of that many pieces, which the re-read's first compare then copies into one (at 100 000
   * beads, 50–100 ms more per read).
   */
  private async readText(reread: StoreReread): Promise<unknown> {
    // A re-read of a big file compared with the last one's kept file: the file copied into the next kept file, and only
    // the parts that changed read back (store-reread.ts parseKept); its bytes are never held whole here.
    if (reread.comparesInFiles()) {
      const kept = reread.copy(this.file);
      if (kept === 'missing') return null;
      if (kept) return parseKeptText(kept, this.file, reread);
    }
    let bytes: Buffer;
    try {
      bytes = await readWhole(this.file);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return null;
      throw e;
    }
    // Decoded when the re-read needs the whole text: one that changed in a few places, it reads as bytes (store-reread.ts).
    const doc = parseStoreText(() => bytes.toString('utf8'), this.file, reread, bytes);
    // A re-read's bytes are freed once written to their file (kept-bytes.ts), which the thread pool does while they are
    // parsed; but the write's callback, which frees them, waits for a turn of this thread's event loop, and the plan and
    // the reply's packing that follow the read give none: at 100 000 beads the plan worker held a re-read's 37 MB through
    // both, at the console's highest memory (docs/speed.md). So the read waits for it here.
    const freed = reread.givenFreed();
    if (freed) await freed;
    return doc;
  }

  override write(data: unknown): Promise<void> {
    // In the store's fixed layout (a fresh document), else the layout the file has now (an edit of it: a compact file
    // stays compact), stringifyJson's text written a part at a time as it is made (emitJson): the whole text is never held.
    return Promise.resolve().then(() => {
      const layout = this.layout ?? layoutOnDisk(this.file);
      writeFileAtomic(this.file, (write) => emitJson(write, data, layout));
    });
  }
}

/**
 * The bytes of `file`, read into one buffer of its size in pieces of READ_PIECE (and more while it grows). readFile
 * reads 512 KiB at a time, each piece a turn of this thread's event loop: some 75 at 100 000 beads, and the plan worker,
 * below the console's thread (console/worker/thread-priority.ts), waited for a CPU at each of them on a busy machine.
 */
async function readWhole(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe((await fh.stat()).size);
    for (let n = 0; n < buf.length; ) {
      const { bytesRead } = await fh.read(buf, n, Math.min(buf.length - n, READ_PIECE), null);
      if (bytesRead === 0) return buf.subarray(0, n);
      n += bytesRead;
    }
    // Read to its end as readFile does: it may have grown since its size was read.
    const parts = [buf];
    for (;;) {
      const more = Buffer.allocUnsafe(READ_MORE);
      const { bytesRead } = await fh.read(more, 0, READ_MORE, null);
      if (bytesRead === 0) return parts.length === 1 ? buf : Buffer.concat(parts);
      parts.push(more.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
}

/**
 * What readWhole reads at a time: about ten pieces at 100 000 beads. The file in one read of its size held a thread of
 * libuv's pool (normal priority, beside the last read's inflate then) for long enough that a key pressed at that moment
 * waited 40-60 ms on two CPUs (the plan landing's first keys, docs/speed.md).
 */
const READ_PIECE = 4 << 20;

/** What readWhole reads at a time past the size the file had as it was opened. */
const READ_MORE = 64 << 10;

/** How much of a file's start tells its layout (detectJsonLayout looks at the first container's first line break). */
const LAYOUT_HEAD = 4096;

/**
 * The layout of the JSON file `file` from its first bytes and its last two (ours when there is no regular file there:
 * the atomic writer then refuses what is not one, with its own words). Opened without blocking: a FIFO's open for
 * reading would wait for a writer, and the refusal it is owed would never come.
 */
function layoutOnDisk(file: string): JsonLayout {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return DEFAULT_JSON_LAYOUT;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return DEFAULT_JSON_LAYOUT;
    const size = st.size;
    const head = Buffer.alloc(Math.min(size, LAYOUT_HEAD));
    readSync(fd, head, 0, head.length, 0);
    const tail = Buffer.alloc(size > LAYOUT_HEAD ? 2 : 0);
    if (tail.length) readSync(fd, tail, 0, 2, size - 2);
    return detectJsonLayout(head.toString('utf8') + tail.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/**
 * lowdb with an explicit adapter. lowdb's presets are avoided on purpose: they switch to memory when NODE_ENV=test.
 * With `reread`, a read parses only the beads whose text changed since its last read (store-reread.ts).
 */
export function openStoreDb(file: string, reread?: StoreReread): Low<unknown> {
  return new Low<unknown>(new StoreDataFile(file, reread), null);
}

/** Read a store file through lowdb. Throws InputError naming the file and the place. */
export async function readStoreDb(file: string, reread?: StoreReread): Promise<{ db: Low<unknown>; doc: StoreDocument }> {
  assertReadableFile(file);
  const db = openStoreDb(file, reread);
  try {
    await db.read();
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw jsonSyntaxInputError(file, e);
    throw inputErrorFromFs(file, e);
  }
  // lowdb reads a missing file as null, and so is a file that holds the JSON `null` (the check below words that).
  if (db.data === null && !existsSync(file)) throw new InputError(file, null, 'no such file');
  const doc = validateStoreDocument(db.data, file, reread?.known ?? undefined);
  reread?.markValid(doc);
  return { db, doc };
}

/**
 * Check a parsed document against the store contract; returns it unchanged (key order and unknown keys kept).
 * `known[i]` = 1: bead i is an object that passed this check before (a re-read's), its shape is not checked again.
 */
export function validateStoreDocument(data: unknown, file: string, known?: Uint8Array): StoreDocument {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(file, '(top level)', `must be a JSON object with "schema", "city" and "beads", got ${describeValue(data)}`);
  }
  // The small objects get the hand-written check of shape.ts (zod decides only when it says no); the beads
  // one hand-written pass (shape and unique ids together). Any problem is worded by the full zod schema, so
  // the message is the same whichever pass found it.
  const topOk = isStoreTop(data) || schemas().storeTopSchema.safeParse(data).success;
  const beads = (data as StoreDocument).beads;
  const scan = topOk && Array.isArray(beads) ? scanBeads(beads, 'strings', known) : null;
  if (!scan || scan.badShape >= 0) {
    const result = schemas().storeSchema.safeParse(data);
    if (!result.success) {
      const { place, detail } = summarizeProblems(describeIssues(data, result.error.issues));
      throw new InputError(file, place, detail);
    }
  }
  const doc = data as StoreDocument;
  const dup =
    findDuplicate(doc.city, []) ??
    (scan?.duplicate
      ? {
          what: 'bead' as const,
          index: scan.duplicate.index,
          first: scan.duplicate.first,
          message: `duplicate bead id ${JSON.stringify(scan.duplicate.id)}`,
        }
      : null);
  if (dup) {
    const at = (i: number) =>
      formatJsonPath(dup.what === 'bead' ? ['beads', i, 'id'] : ['city', dup.what === 'rig' ? 'rigs' : 'agents', i]);
    throw new InputError(file, at(dup.index), `${dup.message} (first at ${at(dup.first)})`);
  }
  // Gas City's tokens, when the store carries them, are read as a city's beads.json holds them (token-maps.ts).
  assertTokenMaps(doc as unknown as Record<string, unknown>, file);
  // A demand for a template no agent has is a typo that would pass silently: the template meant gets none.
  if (doc.demand) {
    const agents = new Set((doc.city.agents ?? []).map(qualifiedName));
    const stray = Object.keys(doc.demand).find((t) => !agents.has(t));
    if (stray !== undefined) {
      const known = [...agents].map((a) => JSON.stringify(a)).join(', ') || 'none';
      throw new InputError(file, formatJsonPath(['demand', stray]), `no configured agent is ${JSON.stringify(stray)} (agents: ${known})`);
    }
  }
  return doc;
}

export function stateFromStoreDocument(doc: StoreDocument): State {
  const state: State = { city: doc.city, beads: doc.beads, decisions: doc.decisions ?? [] };
  if (doc.demand) state.demand = doc.demand;
  return state;
}

export function extraOfStoreDocument(doc: StoreDocument): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !STATE_KEYS.has(k)));
}

export async function loadStore(file: string, reread?: StoreReread): Promise<Loaded> {
  const { doc } = await readStoreDb(file, reread);
  return { source: { kind: 'store', path: file }, state: stateFromStoreDocument(doc), files: [file], extra: extraOfStoreDocument(doc) };
}

/**
 * Write a whole store document through lowdb (the store format's one writer), after checking it reads back valid;
 * one that does not is never written (the error names the file and the place).
 */
export async function writeStoreDocument(file: string, doc: unknown): Promise<void> {
  assertReadsBackValid(file, doc);
  // A fresh document (an export, an import), not an edit of what `file` held: the layout stdout gets, whatever an
  // existing file there was laid out like, so the same snapshot is the same bytes on stdout and in any file.
  const db = new Low<unknown>(new StoreDataFile(file, undefined, DEFAULT_JSON_LAYOUT), null);
  db.data = doc;
  try {
    await db.write();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, null, `cannot write: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Throw the InputError of `doc` written and read back, when it would not validate. A document that is what its text
 * reads back as (isJsonRoundTrip: an export's, an import's) is checked itself, without making its text (at 100 000
 * beads, 72 MB of it, parsed back); any other, or one that check refuses, by its text read back, which decides and
 * words the problem.
 */
function assertReadsBackValid(file: string, doc: unknown): void {
  if (isJsonRoundTrip(doc)) {
    try {
      validateStoreDocument(doc, file);
      return;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
    }
  }
  const text = stringifyJson(doc);
  try {
    validateStoreDocument(JSON.parse(text), file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // Read back as a read of the file does, which keeps an integer beyond 2^53 (a `seq` of Gas City's) digit for
    // digit; JSON.parse rounds it, and the schema refuses the rounded number. Only on failure: it walks it all again.
    validateStoreDocument(parseJsonText(text), file);
  }
}
