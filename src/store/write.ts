// Locked compare-and-set writes. Under the input's flock we re-read the file, check that every `before` of a
// repair still holds on disk and that a fresh plan still proposes the same change, apply what passes in one
// atomic rename, and log each repair's outcome. Someone else's change made meanwhile is never overwritten.
import { Low } from 'lowdb';
import { applyRepairs, beforesHold, compareBytes, fieldValue, plan, sameChanges } from '../engine/index.js';
import type { Bead, Change, Repair, State } from '../engine/types.js';
import { writeFileAtomic } from './fs/atomic-file.js';
import {
  appendAudit,
  assertAuditWritable,
  clearPendingAudit,
  pendingAuditPath,
  recoverPendingAudit,
  writePendingAudit,
  type Recovery,
} from './audit.js';
import { readCityDecisions } from './decisions.js';
import { inputErrorFromFs } from './fs/fs-errors.js';
import { describeValue, formatJsonPath } from './formats/json-path.js';
import { jsonIntegerPlusOne, stringifyJson } from './formats/json-text.js';
import { parseBeadsText } from './formats/beads-file.js';
import { cityPaths, readBeadsJson, readCityConfig } from './formats/load-city.js';
import { readStoreDb, stateFromStoreDocument, validateStoreDocument } from './formats/load-store.js';
import { withFileLock } from './fs/lock.js';
import { lockPathOf } from './fs/paths.js';
import { showValue } from './output/plan-view.js';
import { formatZ } from './time.js';
import { InputError, type AuditEntry, type Source, type StaleRepair, type WriteResult } from './types.js';

/** Called once the new file is complete in its temp file `tmp`, just before the rename: the audit journal. */
type BeforeRename = (tmp: string, text: string) => void;

/** A data file opened under the lock: its state for the engine, its raw document, and how to replace it. */
interface OpenDoc {
  /** The data file, for messages. */
  file: string;
  state: State;
  /** The top-level document exactly as in the file (every key, in file order; big integers as JsonNumberText). */
  top: Record<string, unknown>;
  /** The beads exactly as in the file (every unknown field, bd-written non-string metadata), in file order. */
  rawBeads: Record<string, unknown>[];
  /** Write `top` (the patched document), after checking it reads back valid, atomically; returns the state as written. */
  commit(top: Record<string, unknown>, beforeRename: BeforeRename): Promise<State>;
}

async function openStoreForWrite(file: string): Promise<OpenDoc> {
  const { doc } = await readStoreDb(file);
  return {
    file,
    state: stateFromStoreDocument(doc),
    top: doc,
    rawBeads: doc.beads as Record<string, unknown>[],
    async commit(top, beforeRename) {
      // Never write what we could not read back: serialize, re-parse, re-validate first.
      const text = stringifyJson(top);
      const reread = validateStoreDocument(JSON.parse(text), file);
      // Through lowdb, with an adapter that writes the checked text by the safe atomic writer (exclusive temp
      // file, no links followed, owner and mode kept) and journals the audit lines before the rename.
      const db = new Low<unknown>(
        { read: async () => null, write: async () => writeFileAtomic(file, text, { beforeRename: (tmp) => beforeRename(tmp, text) }) },
        top,
      );
      await db.write().catch((e: unknown) => {
        throw inputErrorFromFs(file, e);
      });
      return stateFromStoreDocument(reread);
    },
  };
}

async function openCityForWrite(dir: string): Promise<OpenDoc> {
  const paths = cityPaths(dir);
  const { config } = readCityConfig(dir);
  const file = readBeadsJson(paths.beads);
  const decisions = readCityDecisions(paths.decisions);
  return {
    file: paths.beads,
    state: { city: config, beads: file.beads, decisions },
    top: file.raw,
    rawBeads: (file.raw.beads ?? []) as Record<string, unknown>[],
    async commit(top, beforeRename) {
      const out = stringifyJson(top);
      const reread = parseBeadsText(out, paths.beads);
      // Gas City's protocol: the fixed temp name beads.json.tmp (cleared, then created exclusively), then
      // rename over beads.json.
      writeFileAtomic(paths.beads, out, { tmp: paths.beadsTmp, beforeRename: (tmp) => beforeRename(tmp, out) });
      return { city: config, beads: reread.beads, decisions };
    },
  };
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

/** `map` (absent or null = empty) with each of `ids` bumped by one; key order kept (see above). */
function bumpMap(map: unknown, ids: string[], file: string, key: string): Record<string, unknown> {
  if (map !== undefined && map !== null && !isPlainObject(map)) {
    throw new InputError(file, formatJsonPath([key]), `must be an object of bead id → integer to be bumped, got ${describeValue(map)}`);
  }
  const entries = Object.entries(map ?? {});
  const sorted = entries.every(([k], i) => i === 0 || compareBytes(entries[i - 1][0], k) < 0);
  const index = new Map(entries.map(([k], i) => [k, i]));
  for (const id of ids) {
    const i = index.get(id);
    const next = jsonIntegerPlusOne(i === undefined ? 0 : entries[i][1]);
    if (next === null)
      throw new InputError(file, formatJsonPath([key, id]), `must be an integer to be bumped, got ${describeValue(entries[i!][1])}`);
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
export function stalenessOf(repair: Repair, bead: Bead | undefined, fresh: Repair | undefined): StaleRepair | null {
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
  if (!fresh)
    return { repair, change: first, actual: first.before, why: 'a fresh plan of the file on disk no longer proposes it', replanned: null };
  if (!sameChanges(repair.changes, fresh.changes)) {
    const k = fresh.changes.findIndex((c, i) => !repair.changes[i] || !sameChanges([c], [repair.changes[i]]));
    const d = fresh.changes[k] ?? fresh.changes[0];
    const why = d
      ? `re-planned: a fresh plan now proposes ${d.field} ${showValue(d.before)} → ${showValue(d.after)}`
      : 're-planned: a fresh plan proposes different changes';
    return { repair, change: first, actual: first.before, why, replanned: fresh };
  }
  return null;
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
}

/** What a locked write did; `auditWarning` when its audit lines could not be appended (see applyRepairsUnderLock). */
export interface ApplyResult extends WriteResult {
  /**
   * Set when the write was committed (or found only stale repairs) but its audit lines could not be appended:
   * the repairs in `applied` WERE written. The lines wait in the pending record and the next write appends them.
   */
  auditWarning?: string;
}

/**
 * Apply `repairs` (as proposed by a plan the caller showed) in one locked, atomic write.
 * Returns what was applied and what was stale; appends one audit line per repair.
 */
export async function applyRepairsLocked(source: Source, repairs: Repair[], opts: ApplyOptions): Promise<ApplyResult> {
  return withFileLock(lockPathOf(source), () => applyRepairsUnderLock(source, repairs, opts), { timeoutMs: opts.timeoutMs });
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
  const doc = source.kind === 'store' ? await openStoreForWrite(source.path) : await openCityForWrite(source.dir);
  const fresh = new Map(plan(doc.state, opts.now).repairs.map((r) => [r.id, r]));
  const beads = new Map(doc.state.beads.map((b) => [b.id, b]));
  /** Each applied repair as the caller passed it (what the operator saw) and as written. */
  const pairs: { asked: Repair; written: Repair }[] = [];
  const stale: StaleRepair[] = [];
  for (const r of unique) {
    const s = stalenessOf(r, beads.get(r.beadId), fresh.get(r.id));
    if (s) stale.push(s);
    // The fresh plan's copy is written: same changes, but a conflict is stamped with this write's time.
    else pairs.push({ asked: r, written: fresh.get(r.id)! });
  }
  const applied = pairs.map((p) => p.written);

  const time = formatZ(opts.now);
  // `changes` are the caller's (what the operator saw, what a saved plan said); `written` only when the file
  // got something else (the conflict time restamped); `batch` only when given.
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
    // The audit lines are journaled before the rename: if that fails, nothing is written.
    state = await doc.commit(stampTokens(doc.top, doc.rawBeads, written, doc.file), (tmp, text) =>
      writePendingAudit(source, tmp, text, entries),
    );
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
