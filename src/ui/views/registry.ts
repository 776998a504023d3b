// What each view shows: its table (cached per plan), the detail lines of the selected row, and
// what to say when it is empty. The components render whichever view is current through this.
// A view model is a function of its ViewInput alone: what it reads is what it depends on.
import { keysOf, keysUnheld, lastIndexOfKey, rowOfKey } from '../rows/row-list.js';
import type { AppState, Snapshot } from '../../console/state.js';
import type { Cursor, ReviewOutcome, Sort, ViewId } from '../../console/ui-state.js';
import type { MetricsSample } from '../../store/metrics-sample.js';
import type { AuditEntry } from '../../store/types.js';
import type { TemplateDetail } from '../../engine/types.js';
import { aliasDetail, aliasesTable } from '../rows/aliases.js';
import { auditDetail, auditEntryLines, auditTable } from '../rows/audit.js';
import { derive, type Derived } from '../rows/derive.js';
import { filterRows, placesOf } from '../rows/filter.js';
import { findingDetail, findingOf, findingsTable } from '../rows/findings.js';
import { poolsTable } from '../rows/pools.js';
import { repairsOfBead, repairsTable } from '../rows/repairs.js';
import { slotDetail } from '../rows/slot-detail.js';
import { SLOTS_COLUMNS, slotsTable } from '../rows/slots.js';
import { sortRows } from '../rows/sort.js';
import { templateDetail, templateLines, templatesTable } from '../rows/templates.js';
import { trendTable } from '../rows/trend.js';
import type { Row, Table } from '../rows/types.js';
import { workDetail, workTable } from '../rows/work.js';
import { firstKey } from '../keymap.js';
import { clean } from '../text.js';
import { keyPlacesSliced, type KeyLookup } from './key-places.js';
import { beadDetailOf } from '../rows/bead-details.js';

/** What a view model is made of: the snapshot, the view's filter and cursor, and what its rows need besides. */
export interface ViewInput {
  view: ViewId;
  snap: Snapshot | null;
  filter: string;
  /** The view's sort (null: its own order). */
  sort: Sort | null;
  cursor: Cursor;
  /** The slots view: the pools cursor (the pool it shows); null for the other views. */
  pools: Cursor | null;
  /** The repairs view: this session's review outcomes; null for the other views. */
  review: Record<string, ReviewOutcome> | null;
  /** The audit view: the audit log; null for the other views. */
  audit: AuditEntry[] | null;
  /** The repairs view narrowed to this bead's repairs (ui.drill); null for the other views, or all repairs. */
  bead: string | null;
  /** `bead` is a pool (its template): the repairs view narrowed to the pool's repairs. */
  pool?: boolean;
  /** The trend view: the metrics samples; null for the other views. */
  trend: readonly MetricsSample[] | null;
}

export interface ViewDef {
  id: ViewId;
  label: string;
  /** Rows that are not the plan's alone: the pool of the slots view, the queue's outcomes, the audit log. */
  uses?: 'pools' | 'review' | 'audit' | 'trend';
  table(d: Derived, pool: string | null, input: ViewInput): Table;
  detail(d: Derived, key: string, pool: string | null, input: ViewInput): string[];
  /** What `enter` opens in the inspect pane, when it is more than `detail` (the audit view: the entry in full). */
  inspect?(d: Derived, key: string, pool: string | null, input: ViewInput): string[];
  /** How the inspect pane names a row, when its key does not say it in words (an audit row: its place in the log). */
  title?(row: Row): string;
  /**
   * What `c` copies of a row, when it is not its key: the bead a row is about (a repair's, an alias's holder), or
   * why it has nothing to copy (`none`).
   */
  copyId?(row: Row): string | { none: string };
  /**
   * The pool a row is about, for `2` (the slots of that pool): the template it names and the bead whose slot to
   * select there (either null when it names none). Absent: the view's rows name no pool (the trend view's samples);
   * the repairs view's is the pool of the repair on its card, as `b` reads it (to-slots.ts).
   */
  poolOf?(d: Derived, row: Row, input: ViewInput): RowPool;
  empty: string;
}

/** What a row names of a pool (ViewDef.poolOf): a template, and a bead of it whose slot to select. */
export interface RowPool {
  template: string | null;
  bead: string | null;
}

/**
 * The pool of a bead: a session bead's template (its slot is the bead's row there), a work bead's route (it holds no
 * slot); none for a bead whose template resolves to nothing, or that is gone.
 */
export function poolOfBead(d: Derived, bead: string | null | undefined): RowPool {
  if (!bead) return { template: null, bead: null };
  const template = beadDetailOf(d.snap.plan, bead)?.template;
  if (template) return { template, bead };
  const route = d.workById.get(bead)?.route;
  return route ? { template: route, bead: null } : { template: null, bead };
}

/** The pool `template` names (none: `bead`'s), with `bead`'s slot when it is of that pool. */
export function poolWith(d: Derived, template: string | null | undefined, bead: string | null | undefined): RowPool {
  const of = poolOfBead(d, bead);
  const named = template ?? of.template;
  return { template: named, bead: of.template === named ? of.bead : null };
}

/** The slots view of a pool that is not configured (any more). */
const NO_SLOTS: Table = { columns: SLOTS_COLUMNS, rows: [] };

/** A row keyed by several parts (an alias claim: name, kind, holder): its first id, else the first part. */
const firstId = (row: Row) => row.ids[0] ?? row.key.split('\u0000')[0];

export const VIEWS: Record<ViewId, ViewDef> = {
  pools: {
    id: 'pools',
    label: 'pools',
    empty: 'No templates configured.',
    table: (d) => poolsTable(d),
    detail: (d, key) => slotDetailOfPool(d, key),
    poolOf: (_d, row) => ({ template: row.key, bead: null }),
  },
  slots: {
    id: 'slots',
    label: 'slots',
    empty: 'No session beads in this pool.',
    uses: 'pools',
    // A pool no longer configured (a reload of the city's config without it) shows no rows: App says it is gone.
    table: (d, pool) => (pool !== null && isPool(d, pool) ? slotsTable(d, pool) : NO_SLOTS),
    detail: (d, key) => slotDetail(d, key),
  },
  aliases: {
    id: 'aliases',
    label: 'aliases',
    empty: 'No open session bead claims a name.',
    table: (d) => aliasesTable(d),
    detail: aliasDetail,
    copyId: firstId,
    // Its holder's pool (a name no bead holds names none).
    poolOf: (d, row) => poolOfBead(d, row.ids[0]),
  },
  templates: {
    id: 'templates',
    label: 'templates',
    empty: 'No templates configured.',
    table: (d) => templatesTable(d),
    detail: templateDetail,
    poolOf: (_d, row) => ({ template: row.key, bead: null }),
  },
  work: {
    id: 'work',
    label: 'work',
    empty: 'No stalled cross-template or orphaned work.',
    table: (d) => workTable(d),
    detail: workDetail,
    // The pool it is routed to (a work repair's pool in the repairs view too); the work bead holds no slot.
    poolOf: (d, row) => poolOfBead(d, row.key),
  },
  repairs: {
    id: 'repairs',
    label: 'repairs',
    empty: 'No repairs proposed: the store is consistent.',
    uses: 'review',
    table: (d, _pool, input) =>
      input.bead !== null ? repairsOfBead(d, input.review ?? {}, input.bead, input.pool) : repairsTable(d, input.review ?? {}),
    // No detail strip: the repair card under the list shows the selected repair whole (App).
    detail: () => [],
    // Its ids are its repair and its bead (rows/repairs.ts), a decided repair gone from the plan's too.
    copyId: (row) => row.ids[1] ?? row.key,
  },
  findings: {
    id: 'findings',
    label: 'findings',
    empty: 'No findings: nothing the engine must leave to an operator.',
    table: (d) => findingsTable(d),
    detail: (d, key) => findingDetail(d, key),
    copyId: firstId,
    // Its TEMPLATE (a template-wide finding's too), else its bead's; the bead's slot when it is of that pool.
    poolOf: (d, row) => {
      const f = findingOf(d, row.key);
      return poolWith(d, f?.template, f?.beadId ?? f?.workId);
    },
  },
  audit: {
    id: 'audit',
    label: 'audit',
    empty: 'The audit log is empty: no decision or write yet.',
    uses: 'audit',
    table: (_d, _pool, input) => auditTable(input.audit ?? []),
    detail: (_d, key, _pool, input) => auditDetail(input.audit ?? [], key),
    inspect: (_d, key, _pool, input) => auditEntryLines(input.audit ?? [], key),
    // Keyed by its place in the log: named by its repair (or an export's format); its ids are its repair and bead.
    title: (row) => row.cells[4] ?? row.key,
    copyId: (row) => row.ids.at(-1) ?? { none: 'this audit entry names no repair or bead' },
    poolOf: (d, row, input) => poolOfBead(d, input.audit?.[Number(row.key)]?.beadId),
  },
  // Drawn as a chart (TrendPane); its rows, the samples, are what `E` exports.
  trend: {
    id: 'trend',
    label: 'trend',
    empty: 'No samples yet.',
    uses: 'trend',
    table: (_d, _pool, input) => trendTable(input.trend ?? []),
    detail: () => [],
  },
};

function slotDetailOfPool(d: Derived, template: string): string[] {
  const p = d.snap.plan.pools.find((x) => x.template === template);
  return p ? poolDetail(d.templateDetail.get(template), p.duplicates) : [];
}

/** The pools view's detail lines of a pool: its template's first lines, then its refused duplicates. */
export function poolDetail(t: TemplateDetail | undefined, duplicates: readonly string[]): string[] {
  const lines = t ? templateLines(t).slice(0, 3) : [];
  if (duplicates.length)
    lines.push(`refused duplicates: ${duplicates.slice(0, 20).map(clean).join(', ')}${duplicates.length > 20 ? ', …' : ''}`);
  return lines;
}

/** Whether `template` is a configured pool now (the city's config makes it). */
export function isPool(d: Derived, template: string): boolean {
  return d.templateDetail.has(template);
}

/**
 * The pool the slots view shows: the one selected in the pools view (`c`, its cursor), else the first. A pool a
 * reload took out of the config stays the one shown (App says it is gone): the view never turns to another pool
 * under the operator; they pick one (`[` `]`, the pools view).
 */
export function currentPool(c: Cursor, d: Derived): string | null {
  if (c.key !== null) return c.key;
  const names = d.poolNames;
  if (names.length === 0) return null;
  return names[Math.min(Math.max(c.index, 0), names.length - 1)];
}

/**
 * What the slots view of `vm` says when its pool is no longer configured: the empty list's line, the status line's
 * (it stays while the view shows the pool) and the detail lines under the list (null when the pool is there).
 */
export function poolGone(vm: ViewModel): { empty: string; context: string; detail: string[] } | null {
  const pool = vm.view.id === 'slots' ? vm.pool : null;
  if (pool === null || isPool(vm.derived, pool)) return null;
  const name = clean(pool);
  return {
    empty: `Pool ${name} is no longer in the city's config.`,
    context: `pool ${name} is gone: ${firstKey('slots', 'prev-pool')} ${firstKey('slots', 'next-pool')} another pool · ${firstKey('slots', 'clear-filter')} the pools view`,
    detail: [
      'A reload took it out of the config; configured again, it shows here again.',
      'Its beads that fit no other pool are findings now (unresolved template).',
    ],
  };
}

const keyIndexCache = new WeakMap<Row[], KeyLookup>();
/** Rows a lookup scans rather than index the whole table (a few microseconds). */
const SCAN_MAX = 4096;

/**
 * The same index made a slice at a time, awaiting `pause` in between: before a long list's first visit (the aliases
 * view's 216 000 keys at 100 000 beads took about 60 ms in that visit's frame, each row's key made as it was read).
 * Its places sorted by key (key-places.ts), not a Map: the same answers in a tenth of the memory.
 */
export async function warmKeyIndex(rows: Row[], pause: () => Promise<void>): Promise<void> {
  if (keyIndexCache.has(rows)) return;
  const places = await keyPlacesSliced(rows, pause);
  await pause();
  keyIndexCache.set(rows, places);
}

/**
 * Each key's place in `rows` (the last row with it), made on the first lookup: a table's rows stay over many keys. None
 * for a long list that tells a row's key from its parts, without making it (its columns, rows/row-list.ts ListKeys, or
 * `Row.hasKey`), and that no idle moment indexed (the aliases view's 216 000 rows at 100 000 beads): a Map of their keys, made at the first lookup (typing in the
 * filter, a refresh that moved the cursor's row), held about 20 MB (the keys, made three parts a row, and the Map) from
 * then until the next refresh; a scan that makes no key, its answer kept for the list, left the filter's CPU per
 * character no higher (scanForKey; docs/speed.md).
 */
function keyIndex(rows: Row[]): KeyLookup | null {
  let m = keyIndexCache.get(rows);
  if (!m) {
    if (rows.length > SCAN_MAX && keysUnheld(rows)) return null;
    const keyAt = keysOf(rows);
    m = new Map(Array.from({ length: rows.length }, (_, i) => [keyAt(i), i]));
    keyIndexCache.set(rows, m);
  }
  return m;
}

/**
 * The last row of `rows` whose key is `key` (-1 if none), read without making a row or its key where the list can tell
 * (lastIndexOfKey: a long list's columns compared with the key's parts). The
 * answer kept for the list: a key's frame reads the view's model more than once (the list, the status line, the
 * footer), each time of the same rows.
 */
function scanForKey(rows: Row[], key: string): number {
  const known = scanned.get(rows);
  if (known?.key === key) return known.at;
  const at = lastIndexOfKey(rows, key);
  scanned.set(rows, { key, at });
  return at;
}

/** The last scan's answer for each list (tables and filters are never changed in place). */
const scanned = new WeakMap<Row[], { key: string; at: number }>();

/**
 * Where `key` is in `rows` (the last row with it, -1 if none), `rows` being `sorted` or a filter of it. A filtered
 * list is new with each character typed: its row is found by the place of the key in `sorted` (a binary search of
 * the filter's places), not by a scan of every row shown, when `sorted` has a key index; a long list without one (see
 * keyIndex) is scanned, once a list and key.
 */
function indexOfKey(rows: Row[], key: string, sorted: Row[]): number {
  if (rows === sorted) {
    const all = keyIndex(sorted);
    return all ? (all.get(key) ?? -1) : scanForKey(rows, key);
  }
  const places = placesOf(rows);
  // A short list is scanned rather than the whole table indexed. With keys that repeat, the last row of `sorted`
  // with the key may be filtered out while an earlier one shows.
  const index = places?.from === sorted && (rows.length > SCAN_MAX || keyIndexCache.has(sorted)) ? keyIndex(sorted) : null;
  if (!index || index.size !== sorted.length) return scanForKey(rows, key);
  const want = index.get(key);
  if (want === undefined) return -1;
  const at = places!.at;
  let lo = 0;
  let hi = at.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid] === want) return mid;
    if (at[mid] < want) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export interface ViewModel {
  /** What it was made of. */
  input: ViewInput;
  view: ViewDef;
  derived: Derived;
  pool: string | null;
  table: Table;
  /** Rows after the sort and the filter. */
  rows: Row[];
  /** Cursor row index in `rows` (0 when empty). */
  index: number;
  /** First row of the window as last scrolled; the renderer clamps it around the cursor. */
  top: number;
  /**
   * The cursor's row is gone from the table (not merely hidden by the filter): `index` is then only where
   * the next move starts from. The repairs view keeps showing the vanished repair's card until that move.
   */
  missing: boolean;
  /**
   * The cursor's row is in the table but the filter hides it (a refresh changed what it matches, or the filter
   * changed): `index` is then only where the next move starts from, as for `missing`.
   */
  hidden: boolean;
}

/**
 * The cursor's own row: the row at the cursor, or, while a refresh has the filter hiding it, that row by its key
 * (the repairs view keeps its card); undefined when it left the data. Never the row that took its place.
 */
export function cursorRow(vm: ViewModel): Row | undefined {
  if (vm.missing) return undefined;
  const key = vm.input.cursor.key;
  if (vm.hidden && key !== null) return rowOfKey(vm.table.rows, key);
  return vm.rows[vm.index];
}

/** A row in words, as a message names it: the view's own name for it (an audit row: its repair), else its key's parts. */
export function rowTitle(view: ViewDef, row: Row): string {
  return clean(view.title?.(row) ?? row.key.split('\u0000').filter(Boolean).join(' · '));
}

/** What `view`'s model reads of the console state (the fields its view does not use are null). */
export function viewInput(s: AppState, view: ViewId, snap: Snapshot | null = s.current): ViewInput {
  const uses = VIEWS[view].uses;
  return {
    view,
    snap,
    filter: s.ui.filters[view],
    sort: s.ui.sorts[view],
    cursor: s.ui.cursors[view],
    pools: uses === 'pools' ? s.ui.cursors.pools : null,
    review: uses === 'review' ? s.ui.review : null,
    audit: uses === 'audit' ? s.audit : null,
    bead: view === 'repairs' ? (s.ui.drill?.bead ?? null) : null,
    pool: view === 'repairs' && s.ui.drill?.pool === true,
    trend: uses === 'trend' ? s.trend.samples : null,
  };
}

/** The key the cursor was last found on in each table's rows (tables are never changed in place). */
const cursorFound = new WeakMap<Row[], string>();

/** Resolve a view against its snapshot: the cursor follows its row key across refreshes. */
export function viewModelOf(input: ViewInput): ViewModel | null {
  const { view, snap } = input;
  if (!snap) return null;
  const derived = derive(snap);
  const pool = input.pools ? currentPool(input.pools, derived) : null;
  const table = VIEWS[view].table(derived, pool, input);
  const sorted = sortRows(table.rows, input.sort);
  const rows = filterRows(sorted, input.filter);
  const c = input.cursor;
  // Where the cursor was last put, when its row is still there (a key, a page, a view switch back): the whole
  // table need not be indexed to find it. The aliases view's first visit indexed its 216 000 keys at 100 000 beads
  // right after its first frame (170-340 ms before the next key was read, and some 35 MiB kept).
  let index = c.key === null ? -1 : rows[c.index]?.key === c.key ? c.index : indexOfKey(rows, c.key, sorted);
  if (index >= 0) cursorFound.set(table.rows, c.key!);
  // A row the filter hides is not gone from a table it was last found in: typing a filter that hides the cursor's row
  // would otherwise index the whole table to tell (the aliases view's 216 000 keys: ~200 ms on that character).
  const missing = c.key !== null && index < 0 && cursorFound.get(table.rows) !== c.key && indexOfKey(table.rows, c.key, table.rows) < 0;
  const hidden = c.key !== null && index < 0 && !missing;
  if (index < 0) index = Math.min(Math.max(c.index, 0), Math.max(rows.length - 1, 0));
  return { input, view: VIEWS[view], derived, pool, table, rows, index, top: c.top, missing, hidden };
}

/** The model of `view` in the console state `s` (key handlers: read fresh on every key). */
export function viewModel(s: AppState, view: ViewId, snap: Snapshot | null = s.current): ViewModel | null {
  return viewModelOf(viewInput(s, view, snap));
}

/** The window's first row: as close to the last one as keeps the cursor visible. */
export function windowTop(top: number, index: number, height: number, total: number): number {
  if (height <= 0) return 0;
  let t = Math.min(top, index);
  if (index >= t + height) t = index - height + 1;
  return Math.max(0, Math.min(t, Math.max(0, total - height)));
}
