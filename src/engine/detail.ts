// The console's per-bead detail (plan.detail.beads), built from the plan's session table only when read.
// `plan.detail.beads` is a getter: the first read builds every BeadInfo (in file order, as a plain record)
// and later reads return the same record; JSON.stringify, structured clone and Object.keys see an
// ordinary property. `beadDetail(plan, id)` builds one bead's record without building the others.
import type { CityModel, SessionTable } from './model.js';
import {
  BACKFILL,
  CLOSING,
  DEFERRED,
  IN_FLIGHT,
  KNOWN_STATE,
  LIVE,
  MISMATCHED_ALIAS,
  NAMED,
  OUT_OF_BOUNDS,
  POOL_MANAGED,
  REFUSED,
  RESTAMP,
  STALE,
  identityOf,
  liveTable,
} from './model.js';
import { slotReason } from './rules/identity.js';
import { TEMPLATE_SOURCES } from './rules/templates.js';
import type { BeadInfo, Plan } from './types.js';

/**
 * The live work ids (sorted) of session `i`, made when first asked and kept for the plan's later reads; undefined for a
 * session that has none. `seen` gives them without keeping them: a list the next call of `seen` writes over, for a
 * reader done with it at once (detailInputs' print of every session's row, which kept a list for every session with
 * live work, about 2 MB at 100 000 beads, for as long as the plan lived).
 */
export interface LiveWork {
  (i: number): string[] | undefined;
  seen(i: number): readonly string[] | undefined;
}

/** What the plan concluded per session, by session index (see plan.ts). */
export interface DetailSource {
  city: CityModel;
  table: SessionTable;
  /** Live work ids (sorted) of a session that has some, made when first asked; undefined for one that has none. */
  liveWork: LiveWork;
  /** Why the incumbent of the bead's slot won (R3), on incumbents with duplicates and on duplicates. */
  reasons: Map<number, string>;
  /** Who holds the wanted alias when it is unavailable (R5). */
  conflictHolders: Map<number, string>;
}

type Detail = Plan['detail'];

interface Lazy {
  src: DetailSource | null;
  all: Record<string, BeadInfo> | null;
  /** Records built one at a time, reused when the whole record is built. */
  built: Map<number, BeadInfo>;
  byId: Map<string, number> | null;
}

const lazies = new WeakMap<object, Lazy>();

// R6 restamps and R1 backfills the beads whose flags ask for it, but the plan's pass skips refused duplicates and
// beads being closed (plan.ts): on those the bits say nothing.
const restampDue = (f: number) => (f & (RESTAMP | REFUSED | CLOSING)) === RESTAMP;
const backfillDue = (f: number) => (f & (BACKFILL | REFUSED | CLOSING)) === BACKFILL;

// What this reads, and nothing else, detailInputs writes: a field that reads more must be written there too.
function beadInfo(src: DetailSource, i: number): BeadInfo {
  const { city } = src;
  const table = liveTable(src.table);
  const b = table.beads[i];
  const f = table.flags[i];
  const pm = (f & POOL_MANAGED) !== 0;
  const template = table.name[i] >= 0 ? city.configuredNames[table.name[i]] : null;
  const t = table.agent[i] >= 0 ? city.templates[table.agent[i]] : null;
  const owned = table.owned[i];
  const dup = table.duplicateOf[i];
  return {
    id: b.id,
    template,
    templateSource: template !== null ? TEMPLATE_SOURCES[table.source[i]] : null,
    poolManaged: pm,
    named: (f & NAMED) !== 0,
    live: (f & LIVE) !== 0,
    knownState: (f & KNOWN_STATE) !== 0,
    agentSlot: table.agentSlot[i],
    aliasSlot: table.aliasSlot[i],
    sessionNameSlot: table.sessionNameSlot[i],
    ownedSlot: owned,
    slotReason:
      pm && t
        ? slotReason(t, b, table, i)
        : pm
          ? template
            ? `${template} is not a configured agent`
            : 'template unresolved'
          : 'not pool-managed',
    identity: t && owned > 0 ? identityOf(t, owned) : t?.canonical && pm ? t.qualified : null,
    duplicateOf: dup >= 0 ? table.beads[dup].id : null,
    incumbentReason: src.reasons.get(i) ?? null,
    mismatchedAlias: (f & MISMATCHED_ALIAS) !== 0,
    aliasConflictHolder: src.conflictHolders.get(i) ?? null,
    outOfBounds: (f & OUT_OF_BOUNDS) !== 0,
    inFlight: (f & IN_FLIGHT) !== 0,
    stale: (f & STALE) !== 0,
    deferredRollback: (f & DEFERRED) !== 0,
    stalePoolSlot: restampDue(f),
    templateBackfill: backfillDue(f),
    liveWork: src.liveWork(i) ?? [],
  };
}

function buildAll(lazy: Lazy): Record<string, BeadInfo> {
  const src = lazy.src!;
  const out: Record<string, BeadInfo> = {};
  const open = src.table.open;
  for (let d = 0; d < open.length; d++) {
    const i = open[d];
    const info = lazy.built.get(i) ?? beadInfo(src, i);
    // As Object.fromEntries would: `__proto__` is an own key, not the prototype.
    if (info.id === '__proto__') Object.defineProperty(out, info.id, { value: info, enumerable: true, writable: true, configurable: true });
    else out[info.id] = info;
  }
  lazy.src = null;
  lazy.built.clear();
  lazy.byId = null;
  return out;
}

/** `detail` with a `beads` record built on first read from `src`. */
export function lazyBeadDetail(src: DetailSource, rest: Omit<Detail, 'beads'>): Detail {
  const lazy: Lazy = { src, all: null, built: new Map(), byId: null };
  const detail: Detail = {
    get beads(): Record<string, BeadInfo> {
      return (lazy.all ??= buildAll(lazy));
    },
    set beads(value: Record<string, BeadInfo>) {
      lazy.all = value;
      lazy.src = null;
    },
    ...rest,
  };
  lazies.set(detail, lazy);
  return detail;
}

/**
 * Where `plan.detail.beads[id]` comes from: `{ record }` once the whole record is built (or was replaced), else
 * the session index of `id` (the last bead of an id wins, as in the whole record); null for an id that is not
 * an open session bead.
 */
function lookUp(plan: Pick<Plan, 'detail'>, id: string): { record: BeadInfo } | { lazy: Lazy; src: DetailSource; i: number } | null {
  const lazy = lazies.get(plan.detail);
  if (!lazy || !lazy.src) {
    const all = plan.detail.beads;
    return Object.prototype.hasOwnProperty.call(all, id) ? { record: all[id] } : null;
  }
  const src = lazy.src;
  const i = indexById(lazy, src).get(id);
  return i === undefined ? null : { lazy, src, i };
}

/** The session index of each open session bead's id; the last bead of an id wins, as in the whole record. */
function indexById(lazy: Lazy, src: DetailSource): Map<string, number> {
  if (!lazy.byId) {
    const byId = new Map<string, number>();
    const { beads, open } = src.table;
    for (let d = 0; d < open.length; d++) byId.set(beads[open[d]].id, open[d]);
    lazy.byId = byId;
  }
  return lazy.byId;
}

/** A string that a record enumerates among the array indexes, ahead of the other keys and in numeric order. */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The keys and places beadDetailParts gave a plan's record, and the open sessions' ids they were made from: the next
 * plan's, when its open sessions have the same places and ids (a refresh that changed no session's place or id), are
 * the same. Making them again took 50–100 ms of the plan worker a refresh at 100 000 beads (a Map of 72 000 ids).
 */
export interface DetailIds {
  readonly ids: string[];
  readonly at: Int32Array;
  /** The table's open sessions and the id of each, in its order. */
  readonly open: Int32Array;
  readonly openIds: readonly string[];
}

/**
 * `plan.detail.beads` while it is not built, as its keys in the record's order and each key's BeadInfo made when
 * asked and not kept: a reader of every record once, a part at a time (the plan worker's reply), then holds only the
 * part it is at instead of every record at once (at 100 000 beads about 49 MB, all of it old by the time the last is
 * made). Null once the record is built, or when an id is an array index (a record enumerates those first). `last`:
 * the keys an earlier plan's parts had (`keys`), taken again when they still hold.
 */
export function beadDetailParts(
  plan: Pick<Plan, 'detail'>,
  last?: DetailIds | null,
): { ids: string[]; at(k: number): BeadInfo; inputs: DetailInputs; keys: DetailIds } | null {
  const lazy = lazies.get(plan.detail);
  if (!lazy?.src) return null;
  const src = lazy.src;
  const keys = last && sameOpenIds(last, src.table) ? last : detailIds(lazy, src);
  if (!keys) return null;
  const at = keys.at;
  return { ids: keys.ids, at: (k) => lazy.built.get(at[k]) ?? beadInfo(src, at[k]), inputs: detailInputs(src, at), keys };
}

/** The record's keys and places made anew; null when an id is an array index. */
function detailIds(lazy: Lazy, src: DetailSource): DetailIds | null {
  // The Map keeps each id where it first came and the index of its last bead: the record's key order and values.
  const byId = indexById(lazy, src);
  const ids: string[] = [];
  const at = new Int32Array(byId.size);
  for (const [id, i] of byId) {
    if (ARRAY_INDEX.test(id) && Number(id) < 2 ** 32 - 1) return null;
    at[ids.length] = i;
    ids.push(id);
  }
  const { beads, open } = src.table;
  // Every id once: the keys are the open sessions' ids, in their order.
  const openIds = ids.length === open.length ? ids : Array.from(open, (i) => beads[i].id);
  return { ids, at, open, openIds };
}

/** Whether `table`'s open sessions are at `last`'s places with its ids: then its record has `last`'s keys and places. */
function sameOpenIds(last: DetailIds, table: SessionTable): boolean {
  const { beads, open } = table;
  const n = open.length;
  if (n !== last.open.length) return false;
  const was = last.open;
  const ids = last.openIds;
  for (let d = 0; d < n; d++) {
    const i = open[d];
    if (i !== was[d] || beads[i].id !== ids[d]) return false;
  }
  return true;
}

/** Where detailInputs writes what it reads: numbers and texts, in order (the plan worker's print, print.ts). */
export interface InputSink {
  /** A 32-bit integer, of a typed column: one word, in a place of its own (what comes before it has a fixed length). */
  int(x: number): void;
  str(s: string | null): void;
  strs(xs: readonly string[]): void;
}

/**
 * Everything beadDetailParts' detail `k` is made of (beadInfo reads nothing else): the city's names and templates,
 * the same for every detail; the bead, an object a plan never changes; and its row of the session table. Two plans
 * whose city and row write the same, of the same bead object, give equal details: the plan worker then need not make
 * and print the detail of each unchanged bead again to know it is unchanged (at 100 000 beads most of 0.2 s a refresh).
 */
export interface DetailInputs {
  city(sink: InputSink): void;
  bead(k: number): object;
  row(k: number, sink: InputSink): void;
}

function detailInputs(src: DetailSource, at: Int32Array): DetailInputs {
  const { city, table } = src;
  return {
    city(sink) {
      sink.strs(city.configuredNames);
      sink.int(city.templates.length);
      for (const t of city.templates) {
        // What slotReason and identityOf read of a template.
        sink.str(t.qualified);
        sink.int((t.bounded ? 1 : 0) | (t.canonical ? 2 : 0));
        sink.str(t.agentMax === null ? null : String(t.agentMax));
        sink.int(t.namepoolSize);
        sink.strs(t.slotNames);
      }
    },
    bead: (k) => table.beads[at[k]],
    row(k, sink) {
      liveTable(table);
      const i = at[k];
      sink.int(table.flags[i]);
      sink.int(table.name[i]);
      sink.int(table.source[i]);
      sink.int(table.agent[i]);
      sink.int(table.agentSlot[i]);
      sink.int(table.aliasSlot[i]);
      sink.int(table.sessionNameSlot[i]);
      sink.int(table.poolSlot[i]);
      sink.int(table.owned[i]);
      sink.int(table.slotCase[i]);
      const dup = table.duplicateOf[i];
      sink.str(dup >= 0 ? table.beads[dup].id : null);
      sink.str(src.reasons.get(i) ?? null);
      sink.str(src.conflictHolders.get(i) ?? null);
      sink.strs(src.liveWork.seen(i) ?? NO_INPUT_WORK);
    },
  };
}

const NO_INPUT_WORK: readonly string[] = [];

/** The fields of a BeadInfo a table of every bead needs (the csv export), without its reason texts. */
export type BeadBrief = Pick<BeadInfo, 'template' | 'ownedSlot' | 'named' | 'poolManaged'>;

/**
 * `plan.detail.beads[id]`'s template, owned slot, named and pool-managed for any id of the plan (undefined for an
 * id that is not an open session bead), read from the plan's session table: building the whole record for
 * 100 000 beads (a reason string each) costs more than the rest of an export. The table is found once, for a
 * table of every bead.
 */
export function beadBriefs(plan: Pick<Plan, 'detail'>): (id: string) => BeadBrief | undefined {
  const lazy = lazies.get(plan.detail);
  if (!lazy?.src) {
    const all = plan.detail.beads;
    return (id) => (Object.prototype.hasOwnProperty.call(all, id) ? all[id] : undefined);
  }
  const { city, table } = lazy.src;
  const byId = indexById(lazy, lazy.src);
  return (id) => {
    const i = byId.get(id);
    if (i === undefined) return undefined;
    const f = liveTable(table).flags[i];
    return {
      template: table.name[i] >= 0 ? city.configuredNames[table.name[i]] : null,
      ownedSlot: table.owned[i],
      named: (f & NAMED) !== 0,
      poolManaged: (f & POOL_MANAGED) !== 0,
    };
  };
}

/**
 * What the plan concluded about one open session bead: `plan.detail.beads[id]`, without building the
 * record of every bead when it has not been read yet. Undefined for an id that is not an open session bead.
 */
export function beadDetail(plan: Pick<Plan, 'detail'>, id: string): BeadInfo | undefined {
  const at = lookUp(plan, id);
  if (!at) return undefined;
  if ('record' in at) return at.record;
  let info = at.lazy.built.get(at.i);
  if (!info) at.lazy.built.set(at.i, (info = beadInfo(at.src, at.i)));
  return info;
}

/** The fields of a BeadInfo that need no text made (no reason, identity or live work): what a count of every bead reads. */
export type BeadFacts = Pick<
  BeadInfo,
  | 'id'
  | 'template'
  | 'live'
  | 'knownState'
  | 'ownedSlot'
  | 'duplicateOf'
  | 'mismatchedAlias'
  | 'aliasConflictHolder'
  | 'outOfBounds'
  | 'inFlight'
  | 'stale'
  | 'stalePoolSlot'
  | 'templateBackfill'
>;

/**
 * `visit` each record of `plan.detail.beads` as its facts (BeadFacts), read from the plan's session table while
 * the records are not built: building 100 000 of them (a reason string each) takes as long as the plan, and a
 * count of them (the console's first look) needs none of their texts. `visit` gets one object, refilled for each
 * bead: it must not keep it.
 */
export function eachBeadFacts(plan: Pick<Plan, 'detail'>, visit: (facts: Readonly<BeadFacts>) => void): void {
  const lazy = lazies.get(plan.detail);
  if (!lazy?.src) {
    const all = plan.detail.beads;
    for (const id in all) visit(all[id]);
    return;
  }
  const src = lazy.src;
  const { city, conflictHolders } = src;
  const table = liveTable(src.table);
  const byId = indexById(lazy, src);
  const facts: BeadFacts = {
    id: '',
    template: null,
    live: false,
    knownState: false,
    ownedSlot: 0,
    duplicateOf: null,
    mismatchedAlias: false,
    aliasConflictHolder: null,
    outOfBounds: false,
    inFlight: false,
    stale: false,
    stalePoolSlot: false,
    templateBackfill: false,
  };
  const { beads, open } = table;
  for (let d = 0; d < open.length; d++) {
    const i = open[d];
    // The record holds the last bead of an id.
    if (byId.get(beads[i].id) !== i) continue;
    const f = table.flags[i];
    const dup = table.duplicateOf[i];
    facts.id = beads[i].id;
    facts.template = table.name[i] >= 0 ? city.configuredNames[table.name[i]] : null;
    facts.live = (f & LIVE) !== 0;
    facts.knownState = (f & KNOWN_STATE) !== 0;
    facts.ownedSlot = table.owned[i];
    facts.duplicateOf = dup >= 0 ? beads[dup].id : null;
    facts.mismatchedAlias = (f & MISMATCHED_ALIAS) !== 0;
    facts.aliasConflictHolder = conflictHolders.size > 0 ? (conflictHolders.get(i) ?? null) : null;
    facts.outOfBounds = (f & OUT_OF_BOUNDS) !== 0;
    facts.inFlight = (f & IN_FLIGHT) !== 0;
    facts.stale = (f & STALE) !== 0;
    facts.stalePoolSlot = restampDue(f);
    facts.templateBackfill = backfillDue(f);
    visit(facts);
  }
}
