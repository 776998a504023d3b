// Locked compare-and-set writes. Under the input's flock we re-read the file, check that every `before` of a
// repair still holds on disk and that a fresh plan still proposes the same change, apply what passes in one
// atomic rename, and log each repair's outcome. Someone else's change made meanwhile is never overwritten.
import { applyRepairs, beforesHold, fieldValue, plan, sameChanges } from '../engine/index.js';
import type { Bead, Repair, State } from '../engine/types.js';
import { writeFileAtomic } from './atomic-file.js';
import { appendAudit } from './audit.js';
import { decodeBeadsDocument, parseBeadsText } from './beads-file.js';
import { readCityDecisions } from './decisions.js';
import { inputErrorFromFs, readTextIfExists } from './fs-errors.js';
import { stringifyJson } from './json-text.js';
import { cityPaths, readCityConfig } from './load-city.js';
import { readStoreDb, stateFromStoreDocument, validateStoreDocument } from './load-store.js';
import { withFileLock } from './lock.js';
import { lockPathOf } from './paths.js';
import { showValue } from './plan-view.js';
import { formatZ } from './time.js';
import type { AuditEntry, Source, StaleRepair, StoreDocument, WriteResult } from './types.js';

/** A data file opened under the lock: its state for the engine, its raw document, and how to replace it. */
interface OpenDoc {
  state: State;
  /** The beads exactly as in the file (every unknown field, bd-written non-string metadata), in file order. */
  rawBeads: Record<string, unknown>[];
  /** Put `beads` (the patched raw beads) in the document, validate it and replace the file atomically; returns the state as written. */
  commit(beads: Record<string, unknown>[]): Promise<State>;
}

async function openStoreForWrite(file: string): Promise<OpenDoc> {
  const { db, doc } = await readStoreDb(file);
  return {
    state: stateFromStoreDocument(doc),
    rawBeads: doc.beads as Record<string, unknown>[],
    async commit(beads) {
      doc.beads = beads as StoreDocument['beads'];
      // Never write what we could not read back: serialize, re-parse, re-validate first.
      const text = stringifyJson(doc);
      const reread = validateStoreDocument(JSON.parse(text), file);
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
  const text = readTextIfExists(paths.beads);
  const file = text === null ? decodeBeadsDocument({ seq: 0, beads: [] }, paths.beads) : parseBeadsText(text, paths.beads);
  const decisions = readCityDecisions(paths.decisions);
  return {
    state: { city: config, beads: file.beads, decisions },
    rawBeads: (file.raw.beads ?? []) as Record<string, unknown>[],
    async commit(beads) {
      file.raw.beads = beads;
      const out = stringifyJson(file.raw);
      const reread = parseBeadsText(out, paths.beads);
      // Gas City's protocol: the fixed temp name beads.json.tmp, then rename over beads.json.
      writeFileAtomic(paths.beads, out, { tmp: paths.beadsTmp });
      return { city: config, beads: reread.beads, decisions };
    },
  };
}

/** Why `repair` may not be applied to what is on disk now, or null when it may. */
function staleness(repair: Repair, bead: Bead | undefined, fresh: Repair | undefined): StaleRepair | null {
  const first = repair.changes[0] ?? { field: 'id', before: repair.beadId, after: repair.beadId };
  if (!bead) return { repair, change: first, actual: null, why: `bead ${repair.beadId} no longer exists`, replanned: null };
  const change = beforesHold(bead, repair);
  if (change) {
    const actual = fieldValue(bead, change.field);
    return { repair, change, actual, why: `${change.field} is now ${showValue(actual)} (expected ${showValue(change.before)})`, replanned: fresh ?? null };
  }
  if (!fresh) return { repair, change: first, actual: first.before, why: 'a fresh plan of the file on disk no longer proposes it', replanned: null };
  if (!sameChanges(repair.changes, fresh.changes)) {
    const k = fresh.changes.findIndex((c, i) => !repair.changes[i] || !sameChanges([c], [repair.changes[i]]));
    const d = fresh.changes[k] ?? fresh.changes[0];
    const why = d ? `re-planned: a fresh plan now proposes ${d.field} ${showValue(d.before)} → ${showValue(d.after)}` : 're-planned: a fresh plan proposes different changes';
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
  timeoutMs?: number;
}

/**
 * Apply `repairs` (as proposed by a plan the caller showed) in one locked, atomic write.
 * Returns what was applied and what was stale; appends one audit line per repair.
 */
export async function applyRepairsLocked(source: Source, repairs: Repair[], opts: ApplyOptions): Promise<WriteResult> {
  return withFileLock(lockPathOf(source), () => applyRepairsUnderLock(source, repairs, opts), { timeoutMs: opts.timeoutMs });
}

/** The write itself: the caller holds the input's lock (`lockPathOf(source)`), in this thread or another. */
export async function applyRepairsUnderLock(source: Source, repairs: Repair[], opts: ApplyOptions): Promise<WriteResult> {
  const unique = [...new Map(repairs.map((r) => [r.id, r])).values()];
  const doc = source.kind === 'store' ? await openStoreForWrite(source.path) : await openCityForWrite(source.dir);
  const fresh = new Map(plan(doc.state, opts.now).repairs.map((r) => [r.id, r]));
  const beads = new Map(doc.state.beads.map((b) => [b.id, b]));
  const applied: Repair[] = [];
  const stale: StaleRepair[] = [];
  for (const r of unique) {
    const s = staleness(r, beads.get(r.beadId), fresh.get(r.id));
    if (s) stale.push(s);
    // The fresh plan's copy: same changes, but a conflict is stamped with this write's time.
    else applied.push(fresh.get(r.id)!);
  }

  let state = doc.state;
  if (applied.length > 0) {
    // The engine's own application, on the raw beads: copy-on-write, key order kept, every field it does not
    // change (unknown ones included) carried as found, `updated_at` stamped.
    const raw = { city: doc.state.city, beads: doc.rawBeads as unknown as Bead[] };
    state = await doc.commit(applyRepairs(raw, applied, { now: opts.now }).beads as unknown as Record<string, unknown>[]);
  }

  const time = formatZ(opts.now);
  const entry = (r: Repair, result: AuditEntry['result']): AuditEntry => ({
    time,
    operator: opts.by,
    action: opts.action ?? 'apply',
    repair: r.id,
    kind: r.kind,
    beadId: r.beadId,
    changes: r.changes,
    reason: r.reason,
    note: opts.note ?? '',
    result,
  });
  appendAudit(source, [...applied.map((r) => entry(r, 'applied')), ...stale.map((s) => entry(s.repair, 'stale'))]);
  return { applied, stale, state };
}
