// Slots view: the session beads of one pool, slot by slot. A refused duplicate sits right under
// its incumbent with the reason the incumbent won; beads that hold no slot come last.
import { compareBytes } from '../../engine/index.js';
import { repairIds, withheldAs, type Held } from '../../console/glance.js';
import type { Bead, BeadInfo } from '../../engine/types.js';
import type { Tone } from '../theme.js';
import { clean, quoted, truncateEnd } from '../text.js';
import { runAtOnce, runSliced, sliceDue, sortInSteps, type Derived } from './derive.js';
import { IndexMaker, patchedIndexSteps } from './filter.js';
import { rowList } from './row-list.js';
import { ID_COLUMN, searchText, type Column, type Row, type Table } from './types.js';
import { PackedContent, packWidths } from '../components/fit-columns.js';

const md = (b: Bead | undefined, k: string): string => {
  const v = b?.metadata?.[k];
  return typeof v === 'string' ? v : '';
};

/** The most a stale pool_slot takes of FLAGS: the flags after it stay in sight. */
const STAMP_CELLS = 12;

/**
 * A stale pool_slot as FLAGS shows it: a slot number bare, anything else quoted as the repair card shows it (`""`
 * for none, absent or empty alike), cut to STAMP_CELLS.
 */
function stamp(v: string): string {
  return truncateEnd(/^[0-9]{1,6}$/.test(v) ? v : quoted(v), STAMP_CELLS);
}

/** A slot number as a bead's pool_slot says it: digits, no leading zero. */
const SLOT_DIGITS = /^[1-9][0-9]{0,8}$/;

/**
 * The SLOT cell's number: the bead's own pool_slot string when it says that slot (most beads), not a new string. A
 * number made a string is made in the old generation (V8's number-string cache holds it), and measuring the slots
 * rows at 100 000 beads made about 1.4 MB of them, garbage until the console's next full collection.
 */
function slotText(slot: number, bead: Bead | undefined): string {
  const stamped = md(bead, 'pool_slot');
  return SLOT_DIGITS.test(stamped) && Number(stamped) === slot ? stamped : String(slot);
}

/** Whether the bead's restamp and backfill (when its flags ask for them) are withheld, and why (glance.ts withheldAs). */
interface HeldRepairs {
  restamp: Held | null;
  backfill: Held | null;
}

const NONE_HELD: HeldRepairs = { restamp: null, backfill: null };

/** ` (rejected)`, ` (withheld)`: a flag of a repair the plan does not propose, so no drift (the pools view leaves it out). */
const heldWords = (held: Held | null) => (held ? ` (${held})` : '');

/** Short words for what is wrong (or notable) with a bead, most urgent first. */
export function slotFlags(info: BeadInfo, bead: Bead | undefined, held: HeldRepairs = NONE_HELD): { text: string; tone: Tone | undefined } {
  const f: string[] = [];
  let tone: Tone | undefined;
  const bad = () => (tone = 'error');
  const warn = () => (tone = tone === 'error' ? tone : 'warn');
  if (info.duplicateOf) {
    f.push(`refused dup of ${info.duplicateOf}${info.incumbentReason ? ` (${info.incumbentReason})` : ''}`);
    bad();
  }
  if (info.aliasConflictHolder) {
    f.push(`alias conflict: ${info.identity ?? '?'} ${info.aliasConflictHolder}`);
    bad();
  }
  if (info.mismatchedAlias) {
    f.push(`alias≠${info.identity ?? '?'}`);
    warn();
  }
  if (info.stalePoolSlot) {
    // What it says against the slot the bead owns, as `alias≠` does; the POOL_SLOT column is the first to go.
    f.push(`pool_slot ${stamp(md(bead, 'pool_slot'))}≠${info.ownedSlot}${heldWords(held.restamp)}`);
    if (!held.restamp) warn();
  }
  if (info.templateBackfill) {
    f.push(`no template (from ${info.templateSource ?? '?'})${heldWords(held.backfill)}`);
    if (!held.backfill) warn();
  }
  if (info.outOfBounds) {
    f.push('out-of-bounds identity');
    warn();
  }
  if (info.stale) {
    f.push(info.deferredRollback ? 'stale create (rollback deferred)' : 'stale create');
    bad();
  } else if (info.inFlight) f.push('in-flight create');
  if (!info.knownState) {
    f.push(`unknown state ${quoted(md(bead, 'state'))}`);
    warn();
  }
  const conflict = md(bead, 'pool_alias_conflict');
  if (conflict && !info.aliasConflictHolder) f.push(`past conflict on ${conflict} ×${md(bead, 'pool_alias_conflict_count') || '?'}`);
  if (info.named) f.push('named');
  else if (!info.poolManaged) f.push('not pool-managed');
  if (info.liveWork.length) f.push(`work ${info.liveWork.length}`);
  return { text: f.join(' · '), tone };
}

/** How many cells a slot's row has (SLOTS_COLUMNS). */
const SLOT_CELLS = 7;

/** A bead's row's cells: its detail, its bead, whether it sits under its incumbent, its withheld repairs. */
function slotCells(info: BeadInfo, bead: Bead | undefined, child: boolean, held: HeldRepairs): string[] {
  const cells = new Array<string>(SLOT_CELLS);
  for (let c = 0; c < SLOT_CELLS; c++) cells[c] = slotCell(c, info, bead, child, held);
  return cells;
}

/** A slot's cell of `column` alone (a sort reads one column of every row). */
function slotCell(column: number, info: BeadInfo, bead: Bead | undefined, child: boolean, held: HeldRepairs): string {
  switch (column) {
    case 0:
      return info.ownedSlot > 0 ? (child ? `↳ ${slotText(info.ownedSlot, bead)}` : slotText(info.ownedSlot, bead)) : '–';
    case 1:
      return clean(info.id);
    case 2:
      return clean(md(bead, 'alias'));
    case 3:
      return clean(md(bead, 'agent_name'));
    case 4:
      return clean(md(bead, 'pool_slot'));
    case 5:
      return clean(md(bead, 'state'));
    default:
      return clean(slotFlags(info, bead, held).text);
  }
}

/**
 * A pool's slots list, held as columns (row-list.ts): row `k` is the detail `infos[order.at[k]]`, under its incumbent
 * when `order.child[k]`, with its bead, its withheld repairs (a few rows have them) and its cells' widths (packWidths).
 * A row is an object only while it is read (SlotRow). As an object of its own per row (four fields), the 72 000 rows at
 * 100 000 beads were 4.0 MB of the console's heap and their lists 0.3 MB, held from the views' making to the next read.
 */
interface SlotList {
  infos: readonly BeadInfo[];
  order: SlotOrder;
  /** Each row's bead (d.beadById's). */
  beads: (Bead | undefined)[];
  /** The withheld repairs of each row that has some. */
  held: Map<number, HeldRepairs>;
  lo: Int32Array;
  hi: Int32Array;
}

/**
 * Row `k` of a slots list, made when read and dropped after: what it is made of read from the list's columns into its
 * own fields, so that a row kept longer (by a frame, a selection) holds its detail and bead, not the whole list of its read.
 */
class SlotRow implements Row {
  readonly info: BeadInfo;
  readonly bead: Bead | undefined;
  readonly child: boolean;
  readonly held: HeldRepairs;
  readonly widthsLo: number;
  readonly widthsHi: number;

  constructor(list: SlotList, k: number) {
    this.info = list.infos[list.order.at[k]];
    this.bead = list.beads[k];
    this.child = list.order.child[k] === 1;
    this.held = list.held.get(k) ?? NONE_HELD;
    this.widthsLo = list.lo[k];
    this.widthsHi = list.hi[k];
  }

  get key(): string {
    return this.info.id;
  }

  get ids(): string[] {
    return [this.info.id];
  }

  get cells(): string[] {
    return slotCells(this.info, this.bead, this.child, this.held);
  }

  get search(): string {
    return searchText(this.cells);
  }

  get tone(): Tone | undefined {
    return this.child ? 'dim' : undefined;
  }

  get cellTones(): (Tone | undefined)[] {
    const { info, bead, held } = this;
    return [
      undefined,
      undefined,
      info.mismatchedAlias ? 'warn' : undefined,
      undefined,
      info.stalePoolSlot && !held.restamp ? 'warn' : undefined,
      info.live ? 'ok' : 'dim',
      slotFlags(info, bead, held).tone,
    ];
  }
}

/**
 * The table last made for each pool, by template: its list and rows. A refresh through the plan worker hands back the
 * very objects of an unchanged bead and its detail (chunked-clone.ts), so their row is the last table's (its widths and
 * its entry of the search index taken): at the same place when no detail's place in the order changed
 * (slotRowsSteps), else found by its detail (a Map of the last rows' places, made then and let go). Not a WeakMap from
 * every detail to its row: at 100 000 beads, with the aliases view's, that held about 8 MB for the first read, which
 * has no rows to hand back.
 */
interface LastTable {
  list: SlotList;
  rows: Row[];
}

const lastTables = new Map<string, LastTable>();

type LastPlaces = Map<BeadInfo, number> | null;

/** The places of `last`'s rows, by detail; null if none. */
function* lastPlacesSteps(last: LastTable | undefined): Generator<void, LastPlaces> {
  if (!last) return null;
  const m = new Map<BeadInfo, number>();
  const { infos, order } = last.list;
  for (let k = 0; k < order.at.length; k++) {
    if (sliceDue(k)) yield;
    m.set(infos[order.at[k]], k);
  }
  return m;
}

/** `table` the last of `template`'s; the tables of pools `d` does not have are forgotten. */
function keepTable(d: Derived, template: string, table: LastTable): void {
  lastTables.set(template, table);
  if (lastTables.size > 1) for (const t of lastTables.keys()) if (!d.poolNames.includes(t)) lastTables.delete(t);
}

/** Which of the repairs `info` asks for the plan withholds (a new plan can reject one of a bead whose detail is the same). */
function heldOf(d: Derived, info: BeadInfo): HeldRepairs {
  if (!info.stalePoolSlot && !info.templateBackfill) return NONE_HELD;
  const { proposed, rejected } = d.once('repairIds', () => repairIds(d.snap.plan));
  const restamp = info.stalePoolSlot ? withheldAs(`restamp-slot:${info.id}`, proposed, rejected) : null;
  const backfill = info.templateBackfill ? withheldAs(`backfill-template:${info.id}`, proposed, rejected) : null;
  return restamp || backfill ? { restamp, backfill } : NONE_HELD;
}

const sameHeld = (a: HeldRepairs, b: HeldRepairs) => a.restamp === b.restamp && a.backfill === b.backfill;

/**
 * Row `k` of `list` (its detail's), its bead, withheld repairs and widths put in: taken from row `p` of `last` (the last
 * row of that detail) when its bead, place under an incumbent and withheld repairs are as they were, else measured
 * from its cells. Its cells when they were made (a new row's), else null.
 */
function slotRow(d: Derived, list: SlotList, k: number, last: SlotList | undefined, p: number): string[] | null {
  const info = list.infos[list.order.at[k]];
  const child = list.order.child[k] === 1;
  const bead = d.beadById.get(info.id);
  const held = heldOf(d, info);
  list.beads[k] = bead;
  if (held !== NONE_HELD) list.held.set(k, held);
  if (
    last &&
    p >= 0 &&
    last.beads[p] === bead &&
    last.order.child[p] === list.order.child[k] &&
    sameHeld(last.held.get(p) ?? NONE_HELD, held)
  ) {
    list.lo[k] = last.lo[p];
    list.hi[k] = last.hi[p];
    return null;
  }
  const cells = slotCells(info, bead, child, held);
  const widths = packWidths(cells)!;
  list.lo[k] = widths[0];
  list.hi[k] = widths[1];
  return cells;
}

/** Bead ids in the contract's byte order (UTF-8), not UTF-16 order: they differ for astral characters. */
const byId = (a: BeadInfo, b: BeadInfo) => compareBytes(a.id, b.id);

export const SLOTS_COLUMNS: Column[] = [
  { title: 'SLOT', width: 6, align: 'right' },
  { title: 'BEAD', ...ID_COLUMN },
  { title: 'ALIAS', flex: 2, min: 8, cut: 'middle' },
  { title: 'AGENT_NAME', flex: 2, min: 8, cut: 'middle' },
  { title: 'POOL_SLOT', width: 10, align: 'right', drop: 2 },
  { title: 'STATE', width: 11, drop: 1 },
  // Its first words before the names are whole: `pool_slot 5≠2`, cut to `pool_slot 5…` at 80 columns, said neither
  // what against; `pool_slot 123≠45` and `not pool-managed` fit.
  { title: 'FLAGS', flex: 3, min: 8, first: 16 },
];

/**
 * The slots view's order, made in steps (sorting a big pool's holders in one go is 10-20 ms at 100 000 beads, a stall
 * of the keys meanwhile): each row's bead detail, as its place in the pool's details, and whether the row sits under
 * the one above it (a refused duplicate under its incumbent). Typed lists made at their length: a pair per row (72 000
 * at 100 000 beads) were about 5 MB, and arrays grown by push left each smaller copy of themselves behind (about 2.5
 * MB); both outlived the table's making in slices, held until the console's next full collection.
 */
interface SlotOrder {
  at: Int32Array;
  child: Uint8Array;
}

export function* slotOrderSteps(infos: readonly BeadInfo[]): Generator<void, SlotOrder> {
  // Holders and those without a slot, as places in `infos`, each list in a part of a list as long as the pool's.
  const holders = new Int32Array(infos.length);
  const orphans = new Int32Array(infos.length);
  let nHolders = 0;
  let nOrphans = 0;
  const dupsOf = new Map<string, number[]>();
  for (let k = 0; k < infos.length; k++) {
    if (sliceDue(k)) yield;
    const i = infos[k];
    if (i.ownedSlot <= 0) orphans[nOrphans++] = k;
    else if (i.duplicateOf) {
      const list = dupsOf.get(i.duplicateOf);
      if (list) list.push(k);
      else dupsOf.set(i.duplicateOf, [k]);
    } else holders[nHolders++] = k;
  }
  const bySlot = holders.subarray(0, nHolders);
  const byIdOnly = orphans.subarray(0, nOrphans);
  const placeById = (a: number, b: number) => byId(infos[a], infos[b]);
  yield* sortInSteps(bySlot, (a, b) => infos[a].ownedSlot - infos[b].ownedSlot || placeById(a, b));
  yield* sortInSteps(byIdOnly, placeById);
  // Every detail is placed once: a holder, a duplicate (under its incumbent or on its own), or one without a slot.
  const order: SlotOrder = { at: new Int32Array(infos.length), child: new Uint8Array(infos.length) };
  let n = 0;
  const add = (k: number, child: boolean) => {
    order.at[n] = k;
    order.child[n++] = child ? 1 : 0;
  };
  const placed = new Set<number>();
  // In steps too: the rows' order of a big pool (30 000 holders at 100 000 beads) was 10-15 ms in one go.
  for (let j = 0; j < bySlot.length; j++) {
    if (sliceDue(j)) yield;
    const h = bySlot[j];
    add(h, false);
    for (const dup of (dupsOf.get(infos[h].id) ?? []).sort(placeById)) {
      add(dup, true);
      placed.add(dup);
    }
  }
  // A duplicate whose incumbent is not among this pool's beads still has to be visible: on its own, not under a
  // holder it does not belong to (its flags name the incumbent).
  for (const list of dupsOf.values()) for (const dup of list) if (!placed.has(dup)) add(dup, false);
  for (let j = 0; j < byIdOnly.length; j++) {
    if (sliceDue(j)) yield;
    add(byIdOnly[j], false);
  }
  return order;
}

/**
 * Whether `infos` sort as `was` did: each detail at the same place has the id, owned slot and incumbent the order is
 * made of (slotOrderSteps reads nothing else). A refresh that changed a bead's state, the most common, keeps them.
 */
function* sameOrder(was: readonly BeadInfo[], infos: readonly BeadInfo[]): Generator<void, boolean> {
  if (was.length !== infos.length) return false;
  for (let k = 0; k < infos.length; k++) {
    if (sliceDue(k)) yield;
    const a = was[k];
    const b = infos[k];
    if (a !== b && (a.id !== b.id || a.ownedSlot !== b.ownedSlot || a.duplicateOf !== b.duplicateOf)) return false;
  }
  return true;
}

/**
 * The rows of `list`, made when read. Made here, not in slotRowsSteps: a closure holds its whole scope's context, and
 * there that held the last table (the rows' makers each held the one before, every read's list kept).
 */
function slotRows(list: SlotList): Row[] {
  const { infos, order } = list;
  return rowList(infos.length, (k) => new SlotRow(list, k), {
    keyOf: (k) => infos[order.at[k]].id,
    cellOf: (k, column) => slotCell(column, infos[order.at[k]], list.beads[k], order.child[k] === 1, list.held.get(k) ?? NONE_HELD),
    childOf: (k) => order.child[k] === 1,
  });
}

/**
 * The table's rows and their search index, in steps; the rows' array made at its length, as the aliases table's. When
 * the details sort as the last table's did, its order is kept, each row is the last table's row at its place unless its
 * detail, bead or withheld repairs changed, and the index is the last one with the new rows' entries put in (at 100 000
 * beads the order, the Map of the last rows and the index made anew were about 130 ms of the console's thread).
 */
function* slotRowsSteps(d: Derived, template: string): Generator<void, LastTable> {
  const infos = d.infosByTemplate.get(template) ?? [];
  const was = lastTables.get(template);
  const kept = was && (yield* sameOrder(was.list.infos, infos)) ? was : undefined;
  const order = kept ? kept.list.order : yield* slotOrderSteps(infos);
  const n = infos.length;
  const list: SlotList = {
    infos,
    order,
    beads: new Array<Bead | undefined>(n),
    held: new Map(),
    lo: new Int32Array(n),
    hi: new Int32Array(n),
  };
  const rows = slotRows(list);
  const content = new PackedContent(SLOTS_COLUMNS);
  if (kept) {
    const texts = new Map<number, string>();
    const known = kept.list;
    for (let k = 0; k < n; k++) {
      if (sliceDue(k)) yield;
      const cells = slotRow(d, list, k, known.infos[order.at[k]] === infos[order.at[k]] ? known : undefined, k);
      if (cells) texts.set(k, searchText(cells));
      content.add(list.lo[k], list.hi[k]);
    }
    yield* patchedIndexSteps(
      kept.rows,
      rows,
      (k) => (texts.has(k) ? -1 : k),
      (k) => texts.get(k)!,
    );
  } else {
    const last = yield* lastPlacesSteps(was);
    const index = new IndexMaker(n);
    for (let k = 0; k < n; k++) {
      if (sliceDue(k)) yield;
      const info = infos[order.at[k]];
      const cells =
        slotRow(d, list, k, was?.list, last?.get(info) ?? -1) ??
        slotCells(info, list.beads[k], order.child[k] === 1, list.held.get(k) ?? NONE_HELD);
      index.add(searchText(cells));
      content.add(list.lo[k], list.hi[k]);
    }
    index.done(rows);
  }
  content.done(rows);
  return { list, rows };
}

const tableKey = (template: string) => `slots:${template}`;

export function slotsTable(d: Derived, template: string): Table {
  return d.table(tableKey(template), () => {
    const made = runAtOnce(slotRowsSteps(d, template));
    keepTable(d, template, made);
    return { columns: SLOTS_COLUMNS, rows: made.rows };
  });
}

/** The same table made a slice of rows at a time, awaiting `pause` in between (ahead of its first frame). */
export async function warmSlotsTable(d: Derived, template: string, pause: () => Promise<void>): Promise<void> {
  if (d.has(tableKey(template))) return;
  const made = await runSliced(slotRowsSteps(d, template), pause);
  await pause();
  d.table(tableKey(template), () => {
    keepTable(d, template, made);
    return { columns: SLOTS_COLUMNS, rows: made.rows };
  });
}
