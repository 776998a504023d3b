// Sorting a view's rows by one of its columns (`<`/`>` pick the column, `I` reverses), as htop does. Cells are
// display text, so the order is read from the text: numbers by value ("9" before "10", "1 234" as 1234), ids
// and names naturally ("x-2" before "x-10"), blanks ("", "–") last either way. Stable: rows that tie keep the
// view's own order. Cached per row list and sort, so a keystroke that does not change the sort costs nothing.
import type { Sort } from '../../console/ui-state.js';
import { isLazy } from './lazy-row.js';
import { cellsOf, rowsAt } from './row-list.js';
import type { Column, Row } from './types.js';

interface SortKey {
  blank: boolean;
  num: number | null;
  /** Lower-cased text split into runs of digits and non-digits (digits at odd indexes, their leading zeros cut). */
  parts: string[];
  /** The lower-cased text: what breaks a tie of equal values written differently (`7` and `007`). */
  text: string;
}

const BLANKS = new Set(['', '–', '-', '?']);
/** A decoration before a value that is not part of it: the `↳` of a refused duplicate's slot. */
const LEAD = /^[↳\s]+/u;
/** Whole-number or decimal text, with the digit groups groupDigits() puts in. */
const NUMBER = /^[-+]?\d{1,3}(?:[ ,]\d{3})*(?:\.\d+)?$|^[-+]?\d+(?:\.\d+)?$/;

function keyOf(cell: string | undefined): SortKey {
  const text = (cell ?? '').replace(LEAD, '').trim();
  if (BLANKS.has(text)) return { blank: true, num: null, parts: [], text: '' };
  const num = NUMBER.test(text) ? Number(text.replace(/[ ,]/g, '')) : null;
  const lower = text.toLowerCase();
  // Zeros cut once per cell here, not once per comparison: a sort of 100 000 rows compares ~1.7 million times.
  const parts = lower.split(/(\d+)/).map((p, i) => (i % 2 === 1 ? p.replace(/^0+(?=\d)/, '') : p));
  return { blank: false, num, parts, text: lower };
}

/** Digit runs by value (any length: ids can hold long numbers), other runs by code unit. */
function compareParts(a: SortKey, b: SortKey): number {
  const n = Math.min(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const x = a.parts[i];
    const y = b.parts[i];
    if (x === y) continue;
    if (i % 2 === 1 && x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : 1;
  }
  if (a.parts.length !== b.parts.length) return a.parts.length - b.parts.length;
  // Equal values written differently (`a-7`, `a-007`): the shorter text first, so the order is total.
  return a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
}

function compareKeys(a: SortKey, b: SortKey, dir: number): number {
  // Blanks say nothing: they go last whichever way the column sorts.
  if (a.blank || b.blank) return a.blank === b.blank ? 0 : a.blank ? 1 : -1;
  if (a.num !== null && b.num !== null) return dir * (a.num - b.num);
  if (a.num !== null) return -dir;
  if (b.num !== null) return dir;
  return dir * compareParts(a, b);
}

/** The natural order of two cells, ascending: numbers by value, digit runs by value, blanks last. */
export function compareCells(a: string, b: string): number {
  return compareKeys(keyOf(a), keyOf(b), 1);
}

const cache = new WeakMap<Row[], Map<string, Row[]>>();
/** A sorted list of rows that keep no search text: the list it was sorted from, and each row's place there. */
const sortedFrom = new WeakMap<Row[], { from: Row[]; at: Int32Array }>();

/** Where a list sortRows returned came from, and each of its rows' place there (rows that keep no search text only). */
export function sortedPlaces(sorted: Row[]): { from: Row[]; at: Int32Array } | undefined {
  return sortedFrom.get(sorted);
}

/**
 * `rows` in the order of `sort` (the same array when there is none); ties keep their order, and a child row keeps
 * its place under the row before it (the group sorts by that row).
 */
export function sortRows(rows: Row[], sort: Sort | null): Row[] {
  if (!sort) return rows;
  const id = `${sort.column}:${sort.desc ? 'd' : 'a'}`;
  let byId = cache.get(rows);
  if (!byId) {
    byId = new Map();
    cache.set(rows, byId);
  }
  let out = byId.get(id);
  if (!out) {
    // A child row (a refused duplicate) stays under the row it belongs to: rows sort as groups, by the first row's cell.
    // Each row's cell read once; a list held as columns reads it from its columns, no row made (row-list.ts).
    const read = cellsOf(rows);
    const starts: number[] = [];
    const keys: SortKey[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && read.child(i)) continue;
      starts.push(i);
      keys.push(keyOf(read.cell(i, sort.column)));
    }
    const dir = sort.desc ? -1 : 1;
    const order = starts.map((_s, g) => g);
    order.sort((g, k) => compareKeys(keys[g], keys[k], dir) || g - k);
    // Where each row came from, for a list whose rows keep no search text: the filter's index of the sorted list is
    // then the unsorted one's, reordered (filter.ts), not made again from every row's cells.
    const at = new Int32Array(rows.length);
    let n = 0;
    for (const g of order) for (let i = starts[g], end = starts[g + 1] ?? rows.length; i < end; i++) at[n++] = i;
    out = rowsAt(rows, at);
    byId.set(id, out);
    if (isLazy(rows)) sortedFrom.set(out, { from: rows, at });
  }
  return out;
}

/** The arrow a sorted column's title carries. */
export function sortArrow(sort: Sort): string {
  return sort.desc ? '↓' : '↑';
}

/**
 * The next sort when the operator steps the column (`>`: step 1, `<`: step -1) over `count` columns: from the
 * view's own order to the first (or last) column, column by column, and past the end back to the view's order.
 * The direction stays as it was.
 */
export function stepSort(sort: Sort | null, count: number, step: 1 | -1): Sort | null {
  if (count <= 0) return null;
  const at = sort ? sort.column + step : step === 1 ? 0 : count - 1;
  if (at < 0 || at >= count) return null;
  return { column: at, desc: sort?.desc ?? false };
}

/**
 * The columns as the table heads them under `sort`: the sorted column's title carries the arrow, and it is
 * given room for it (its content width and any fixed width grow by what the arrow needs).
 */
export function markSorted(columns: Column[], content: number[], sort: Sort | null): { columns: Column[]; content: number[] } {
  const c = sort ? columns[sort.column] : undefined;
  if (!sort || !c) return { columns, content };
  const title = `${c.title}${sortArrow(sort)}`;
  const need = [...title].length;
  const marked: Column = {
    ...c,
    title,
    // The short form, shown where the title has no room, carries the arrow too.
    ...(c.short !== undefined ? { short: `${c.short}${sortArrow(sort)}` } : {}),
    ...(c.width !== undefined ? { width: Math.max(c.width, need) } : {}),
  };
  return {
    columns: columns.map((x, i) => (i === sort.column ? marked : x)),
    content: content.map((w, i) => (i === sort.column ? Math.max(w, need) : w)),
  };
}

/** How the view bar says the sort: `sort pool ↑`. */
export function sortLabel(columns: readonly Column[], sort: Sort | null): string | null {
  const c = sort ? columns[sort.column] : undefined;
  return sort && c ? `sort ${c.title.toLowerCase()} ${sortArrow(sort)}` : null;
}
