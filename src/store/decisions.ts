// Operator decisions on repairs. For a city they live in `.gc/gc-tui/decisions.json` (a JSON array), for a
// store in its own `decisions` array. Both are written under a lock, re-read first, never overwritten blind.
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Decision } from '../engine/types.js';
import { writeFileAtomic } from './fs/atomic-file.js';
import { readRegularFile, readRegularFileIfExists, readRegularTextIfExists } from './fs/read-bounded.js';
import { assertRewritableUtf8 } from './formats/utf8.js';
import { decisionLockFile, ensureOwnDir } from './fs/paths.js';
import { recoverPendingAudit } from './audit.js';
import { describeValue, formatJsonPath } from './formats/json-path.js';
import {
  assertUniqueKeys,
  detectJsonLayout,
  jsonSyntaxInputError,
  JsonSyntaxError,
  parseJsonFile,
  parseJsonText,
  stringifyJson,
  withNumberSpellings,
} from './formats/json-text.js';
import { spliceAroundBeads, spliceDocumentBytes, type BeadsAt } from './formats/splice-beads.js';
import { withFileLock } from './fs/lock.js';
import { validateStoreDocument } from './formats/load-store.js';
import { InputError, type FileBytes, type Source, type StoreDocument } from './types.js';

export function readCityDecisions(file: string): Decision[] {
  const text = readRegularTextIfExists(file, { noFollow: true });
  if (text === null) return [];
  const data = parseJsonFile(text, file);
  if (!Array.isArray(data)) throw new InputError(file, '(top level)', `must be a JSON array of decisions, got ${describeValue(data)}`);
  data.forEach((d, i) => {
    if (d === null || typeof d !== 'object' || typeof (d as Decision).repair !== 'string') {
      throw new InputError(file, formatJsonPath([i]), `must be a decision object with a "repair" string, got ${describeValue(d)}`);
    }
  });
  return data as Decision[];
}

function cityDecisionsFile(dir: string): string {
  return join(dir, '.gc', 'gc-tui', 'decisions.json');
}

/**
 * The lock a decision is recorded under: the store's own, or the city's decisions file's (never Gas City's).
 * For a city it also makes `.gc/gc-tui/` when missing, so the first decision of a fresh city can open its lock
 * (every caller locks this path before anything else writes there).
 */
export function decisionLockPath(source: Source): string {
  if (source.kind === 'city') ensureOwnDir(source);
  return decisionLockFile(source);
}

/** Append one decision, under its lock (see decisionLockPath); re-read first, never overwritten blind. */
export async function recordDecision(source: Source, decision: Decision): Promise<Decision[]> {
  return withFileLock(decisionLockPath(source), () => recordDecisionUnderLock(source, decision));
}

/** A store file read under its lock: its bytes, their text, and the document parsed from it and checked (validateStoreDocument). */
export interface StoreRead {
  bytes: Buffer;
  text: string;
  doc: StoreDocument;
  /** The text is known to name no key twice in any object (write.ts KeptRead): it is not searched again. */
  uniqueKeys?: boolean;
  /** Where the beads array is in the bytes, when a read of them found it: the write does not read the array again. */
  beads?: BeadsAt;
}

/**
 * What a decision's write put in a store file: its bytes and the document they spell. Its text names no key twice: the
 * text read was searched (or known to be so) and what is made anew is a JS value's.
 */
export interface DecisionWritten {
  bytes: FileBytes;
  top: StoreDocument;
  /** Where its beads array is, when the write placed it (read.beads known). */
  beads?: BeadsAt;
}

/**
 * The append itself: the caller holds `decisionLockPath(source)`, in this thread or another. `read`: the store file as
 * the caller read it under this same lock (checkDecision's), which is then not read and parsed again.
 */
export async function recordDecisionUnderLock(
  source: Source,
  decision: Decision,
  read?: StoreRead,
  wrote?: (written: DecisionWritten) => void,
): Promise<Decision[]> {
  if (source.kind === 'city') {
    const file = cityDecisionsFile(source.dir);
    ensureOwnDir(source);
    // Written whole from what was parsed: a key named twice in one decision would lose its first copy.
    const bytes = readRegularFileIfExists(file, { noFollow: true });
    if (bytes) assertRewritableUtf8(file, bytes);
    assertUniqueKeysOf(file, bytes && bytes.toString('utf8'));
    const all = [...readCityDecisions(file), decision];
    writeFileAtomic(file, stringifyJson(all));
    return all;
  }
  // The store's decision lock is its write lock: settle an audit record a killed write left first (audit.ts).
  recoverPendingAudit(source);
  // One read of the text (the caller's under this lock, when given): parsed, and checked for a key named twice in one
  // object (the document is written whole from what was parsed, which would lose its first copy); the caller's document
  // was parsed and checked by the same rules. The write keeps the file's layout (load-store.ts).
  const bytes = read?.bytes ?? readRegularFile(source.path);
  assertRewritableUtf8(source.path, bytes);
  const text = read?.text ?? bytes.toString('utf8');
  if (!read?.uniqueKeys) assertUniqueKeysOf(source.path, text);
  const doc = read?.doc ?? validateStoreDocument(parseJsonFile(text, source.path), source.path);
  const next = { ...doc, decisions: [...(doc.decisions ?? []), decision] };
  // What is new is the decisions (the beads were checked as read): checked as they will be written, without the beads,
  // and read back as a read of the file does (JSON.parse would round a `seq` beyond 2^53, which the schema refuses).
  validateStoreDocument(parseJsonText(stringifyJson({ ...next, beads: [] })), source.path);
  // Only the decisions are made anew: every other byte as read, each number as spelled (splice-beads.ts); a file that
  // cannot be spliced is written whole in its layout, its numbers still as spelled.
  // Where the read found the beads array, the text around it alone is walked (the same bytes: spliceAroundBeads).
  const layout = detectJsonLayout(text);
  const around = read?.beads ? spliceAroundBeads(bytes, layout, doc, next, read.beads) : null;
  const written =
    around?.parts ?? spliceDocumentBytes(bytes, layout, doc, next) ?? stringifyJson(withNumberSpellings(text, doc, next), layout);
  // Through lowdb, with an adapter that writes those bytes by the safe atomic writer (owner and mode kept).
  const db = new Low<unknown>({ read: async () => null, write: async () => writeFileAtomic(source.path, written) }, next);
  await db.write();
  wrote?.({ bytes: written, top: next, ...(around ? { beads: around.beads } : {}) });
  return next.decisions;
}

/** A key named twice in one object of `file`'s `text` (any depth): an InputError naming where (duplicate-keys.ts). */
function assertUniqueKeysOf(file: string, text: string | null): void {
  if (text === null) return;
  try {
    assertUniqueKeys(text);
  } catch (e) {
    throw e instanceof JsonSyntaxError ? jsonSyntaxInputError(file, e) : e;
  }
}
