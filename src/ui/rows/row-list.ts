// A long list held as columns (typed arrays, a few lists shared with its making), not as an object per row: its
// rows are made when read (the window on screen, the cursor's row, a sort's or a key lookup's reads) and dropped
// after. To every reader it is a Row[] (a Proxy over an empty array: `length`, `rows[i]`, slice, map, find and
// iteration as an array's), read only. The aliases view's 216 000 rows at 100 000 beads were 10.4 MB of row
// objects and their list 0.9 MB, held from the views' making to the next read (docs/speed.md).
import { rowHasKey, type Row } from './types.js';

/**
 * What a list held as columns reads of a row without making it. "Which row has key K": `hasKey`, whether row `i`'s key
 * is `key`, read from its columns (an aliases row's key is three parts joined, a string made at each read of `Row.key`:
 * its name, kind and holder are compared with the key's instead); `keyOf`, row `i`'s key, for a list that holds its
 * keys as strings anyway (a slots row's is its bead's id), which also answers `hasKey`. A read of every row (a sort, an
 * export): `cellOf`, row `i`'s cell of a column alone, and `childOf`, whether the row is a child row (Row.child).
 */
export interface ListKeys {
  keyOf?: (i: number) => string;
  hasKey?: (i: number, key: string) => boolean;
  cellOf?: (i: number, column: number) => string;
  childOf?: (i: number) => boolean;
}

/** Each list's maker of its row `i`, by list: also what tells a list made here. */
const makers = new WeakMap<object, (i: number) => Row>();
/** How each list made here that can tell its rows' keys without the rows does so. */
const keyers = new WeakMap<object, ListKeys>();

/** How many rows a list keeps of those read last: a screen's window, with room (a frame, the cursor's moves). */
const RECENT = 256;

/** The place `p` names, when it is an array index (a string of digits), else -1. */
function placeOf(p: string | symbol): number {
  if (typeof p !== 'string' || p.length === 0) return -1;
  const c = p.charCodeAt(0);
  if (c < 48 || c > 57) return -1;
  const n = Number(p);
  return Number.isInteger(n) && String(n) === p ? n : -1;
}

/**
 * A read-only list of `length` rows whose row `i` is `make(i)`, made at each read; with `keys`, how a row's key is told
 * without the row (what a lookup by key reads of every row: keysOf, lastIndexOfKey).
 */
export function rowList(length: number, make: (i: number) => Row, keys?: ListKeys): Row[] {
  // The rows read last, by place, kept (at most RECENT): the window drawn frame after frame is the same objects, so
  // a table line whose row did not change is not drawn again (Table.tsx's memo), as with rows held whole.
  const recent = new Map<number, Row>();
  const read = (i: number): Row => {
    let row = recent.get(i);
    if (row === undefined) {
      row = make(i);
      if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
      recent.set(i, row);
    }
    return row;
  };
  const list = new Proxy<Row[]>([], {
    get(target, p, receiver) {
      if (p === 'length') return length;
      const i = placeOf(p);
      if (i >= 0) return i < length ? read(i) : undefined;
      return Reflect.get(target, p, receiver) as unknown;
    },
    has(target, p) {
      const i = placeOf(p);
      return i >= 0 ? i < length : Reflect.has(target, p);
    },
    getOwnPropertyDescriptor(target, p) {
      const i = placeOf(p);
      if (i >= 0) return i < length ? { value: read(i), writable: false, enumerable: true, configurable: true } : undefined;
      const own = Reflect.getOwnPropertyDescriptor(target, p);
      return p === 'length' && own ? { ...own, value: length } : own;
    },
    ownKeys(target) {
      const keys: (string | symbol)[] = [];
      for (let i = 0; i < length; i++) keys.push(String(i));
      return keys.concat(Reflect.ownKeys(target));
    },
    set() {
      throw new TypeError('a list of rows made when read is not changed in place');
    },
    deleteProperty() {
      throw new TypeError('a list of rows made when read is not changed in place');
    },
    defineProperty() {
      throw new TypeError('a list of rows made when read is not changed in place');
    },
  });
  makers.set(list, read);
  if (keys) keyers.set(list, keys);
  return list;
}

/** The keys of `rows`, by place: read without making the rows where their list holds them (ListKeys.keyOf). */
export function keysOf(rows: readonly Row[]): (i: number) => string {
  return keyers.get(rows)?.keyOf ?? ((i) => rows[i].key);
}

/**
 * Whether `rows` hold no key strings but tell a key from its parts (ListKeys.hasKey, Row.hasKey): a Map or places of
 * their keys would make a string a row (216 000 at 100 000 beads for the aliases view's), a scan (lastIndexOfKey) none.
 */
export function keysUnheld(rows: readonly Row[]): boolean {
  const keys = keyers.get(rows);
  return keys?.hasKey ? !keys.keyOf : rows.length > 0 && rows[0].hasKey !== undefined;
}

/** Whether row `i` of `rows` has the key `key`: from the list's columns where it can tell (no row, no key made), else the row's answer. */
function keyTest(rows: readonly Row[]): (i: number, key: string) => boolean {
  const { keyOf, hasKey } = keyers.get(rows) ?? {};
  return hasKey ?? (keyOf ? (i, key) => keyOf(i) === key : (i, key) => rowHasKey(rows[i], key));
}

/** The place of the first row of `rows` whose key is `key`, -1 if none: no row made where the list can tell keys (ListKeys). */
export function indexOfKey(rows: readonly Row[], key: string): number {
  const test = keyTest(rows);
  for (let i = 0; i < rows.length; i++) if (test(i, key)) return i;
  return -1;
}

/** The place of the last row of `rows` whose key is `key`, -1 if none: as indexOfKey, from the end. */
export function lastIndexOfKey(rows: readonly Row[], key: string): number {
  const test = keyTest(rows);
  for (let i = rows.length - 1; i >= 0; i--) if (test(i, key)) return i;
  return -1;
}

/** The first row of `rows` whose key is `key`: read at its place only (indexOfKey). */
export function rowOfKey(rows: readonly Row[], key: string): Row | undefined {
  const i = indexOfKey(rows, key);
  return i < 0 ? undefined : rows[i];
}

/**
 * Row `i`'s cell of `column`, and whether it is a child row, for a read of every row of `rows` (a sort): from the list's
 * columns where it can (no row made, no other cell), else from the row. Through the Proxy, each row made and its six
 * cells, a sort of the aliases view's 216 000 rows took about twice main's held rows (docs/speed.md).
 */
export function cellsOf(rows: readonly Row[]): { cell: (i: number, column: number) => string; child: (i: number) => boolean } {
  const { cellOf, childOf } = keyers.get(rows) ?? {};
  if (cellOf) return { cell: cellOf, child: childOf ?? (() => false) };
  return { cell: (i, column) => rows[i].cells[column], child: (i) => rows[i].child === true };
}

/**
 * Every row's cells, in order (an export of the view): from the list's columns where it can, the rows not made, else
 * the rows'.
 */
export function allCells(rows: readonly Row[], columns: number): string[][] {
  const { cellOf } = keyers.get(rows) ?? {};
  const out = new Array<string[]>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (!cellOf) out[i] = rows[i].cells;
    else {
      const cells = new Array<string>(columns);
      for (let c = 0; c < columns; c++) cells[c] = cellOf(i, c);
      out[i] = cells;
    }
  }
  return out;
}

/** Whether `rows` is a list made by rowList (its rows made when read). */
export const isRowList = (rows: readonly Row[]): boolean => makers.has(rows);

/**
 * The rows of `from` at `at` (a sort's order, a filter's finds), in that order: a rowList too when `from` is one
 * (no row made for it), else an array of them.
 */
export function rowsAt(from: readonly Row[], at: Int32Array): Row[] {
  const make = makers.get(from);
  if (make) {
    const { keyOf, hasKey, cellOf, childOf } = keyers.get(from) ?? {};
    return rowList(at.length, (k) => make(at[k]), {
      keyOf: keyOf && ((k) => keyOf(at[k])),
      hasKey: hasKey && ((k, key) => hasKey(at[k], key)),
      cellOf: cellOf && ((k, column) => cellOf(at[k], column)),
      childOf: childOf && ((k) => childOf(at[k])),
    });
  }
  const out = new Array<Row>(at.length);
  for (let k = 0; k < at.length; k++) out[k] = from[at[k]];
  return out;
}
