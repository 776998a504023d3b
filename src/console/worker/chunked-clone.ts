// Moving a 100 000-bead State and its Plan from the plan worker to the console without freezing it.
// One postMessage of the whole result would be deserialized in one go on the receiving thread (about a
// second at 100k beads, keys and clock frozen meanwhile). So the sender cuts the big arrays and records
// (state.beads, plan.detail.beads, plan.repairs, ...) into slices, serializes each (v8, i.e. structured
// clone semantics), and transfers the buffers without a copy; the receiver deserializes one slice at a
// time and yields to the event loop between slices.
//
// A refresh mostly brings back what the console already holds: one bead changed, 99 999 did not. So a
// sender and a receiver can share a memo (PackMemo, one per console on each side): the entries of every
// big collection last sent, in order. An entry equal to the one last sent under its key (a bead's id, a
// record's key) travels as its place in that list only, and the receiver takes its own copy from its memo:
// nothing to serialize or deserialize, and the console's rows kept for that object stay valid. Both sides update their memos in
// the same order (replies are unpacked in the order they were sent), so they agree. The sender may keep a print of
// each entry of a collection instead of the entry (PackOptions.print): the plan worker's memo would otherwise hold
// the last plan's 100 000 bead details only to compare them.
import { deserialize, serialize } from 'node:v8';
import { JsonNumberText } from '../../store/formats/json-text.js';
import { freeBytes } from '../../store/formats/free-bytes.js';
import { reviveNumberTexts, sendableNumberTexts } from './number-texts.js';
import { Print64 } from './print.js';
import { isPlainObject, SharedValues } from './shared-values.js';

export { SharedValues } from './shared-values.js';

/**
 * Entries per slice: a few milliseconds of deserialization each at the sizes Gas City stores have. A key pressed
 * while a slice is unpacked waits for it (and for a collection it starts): at 2 000 the first read of 100 000 beads
 * kept keys waiting up to twice as long.
 */
export const SLICE = 1000;
/**
 * How deep to look for big arrays and records: plan.pools[i].slots sits at depth 3 of a Plan, 4 of a
 * refresh result ({loaded, plan}), when a pool sends its entries (one the engine has places for sends those in the
 * head instead: slot-places.ts); state.beads at 1, plan.detail.beads at 2.
 */
const MAX_DEPTH = 5;

export type Key = string | number;

interface Piece {
  path: Key[];
  kind: 'array' | 'record';
  /** Empty when the pack was streamed (pack's `emit`): its slices went ahead, each as a PackedPart. */
  slices: Uint8Array[];
  /** The slices are memo slices (see MemoSlice): entries the receiver's memo holds travel as their place in it. */
  memo?: true;
  /**
   * A record whose every value is an object with its key as `id` (the bead details): its values travel alone, and
   * the receiver keys each by its id. Half the work of a [key, value] pair per entry on both sides.
   */
  byId?: true;
  /** Of a record read a part at a time: its values' id order, as RecordParts.idOrder made it (in the value's head). */
  idOrder?: Int32Array | null;
}

/** A piece without its slices: what the first slice of a streamed piece says of it. */
export type PieceHead = Omit<Piece, 'slices'>;

/**
 * One slice of a pack streamed as it is made (pack's `emit`), in order; the first slice of each piece names it.
 * The value's head comes last (the Packed, its pieces' slices empty).
 */
export interface PackedPart {
  piece?: PieceHead;
  slice: Uint8Array;
}

/**
 * One slice of a memo'd piece. `refs[j]` is where the slice's entry j was in the memo's entries of its
 * collection, or -1 when it travels: then it is the next one of `items`.
 */
interface MemoSlice {
  items: unknown[];
  refs: Int32Array;
  /** `items` hold numbers kept as their text, sent as String objects (number-texts.ts). */
  texts?: true;
  /** `items` hold a String object for each value the sender shares (SharedValues.wrapAll). */
  wrapped?: true;
  /** `items` travel in their collection's own form (EntryForm), with `aside`. */
  formed?: true;
  aside?: unknown;
}

/**
 * A collection's entries as they travel and as the receiver keeps them, when both differ from the entries the sender
 * has: the plan's bead details go as what the console keeps of them (bead-info-slim.ts), so the console makes nothing
 * it then throws away.
 */
export interface EntryForm {
  /** The sender's: a slice's entries as they travel, and what the receiver needs besides them. */
  send(entries: unknown[]): { items: unknown[]; aside: unknown };
  /** The receiver's: what arrived made, in place, into the entries it keeps. */
  keep(items: unknown[], aside: unknown): void;
}

/**
 * A slice's bytes: its items (a plain slice: an array), or a memo slice. Items that hold a number kept as its text
 * (a JsonNumberText) go as a slice marked `texts`, whatever its kind, so the receiver revives them (number-texts.ts).
 */
function sliceBytes(items: unknown[], refs: Int32Array | null): Buffer {
  const sent = sendableNumberTexts(items);
  if (sent !== items) return serialize({ items: sent, refs, texts: true });
  return serialize(refs ? ({ items, refs } satisfies MemoSlice) : items);
}

/**
 * A memo slice's bytes, its repeated values one String object each (SharedValues.wrapAll), unless it holds a number
 * kept as its text, whose String objects say so (then its values are shared here and made one string each there).
 * `formed`: the items are in their collection's form (EntryForm.send), with what goes aside.
 */
function memoSliceBytes(items: unknown[], refs: Int32Array, shared: SharedValues, formed: { aside: unknown } | null): Buffer {
  const form = formed ? { formed: true as const, aside: formed.aside } : {};
  const sent = sendableNumberTexts(items);
  if (sent !== items) {
    // Shared in the sender's own items (what it keeps); the copies sent carry equal strings either way.
    shared.shareAll(items);
    return serialize({ items: sent, refs, texts: true, ...form } satisfies MemoSlice);
  }
  return shared.wrapAll(items, () => serialize({ items, refs, wrapped: true, ...form } satisfies MemoSlice));
}

/** One big collection as last packed or unpacked: its entries (array items, or a record's [key, value] pairs) in order. */
interface Collection {
  /**
   * How its entries were read: items, or a record's [key, value] pairs. A path can hold a long list in one read and a
   * long record in the next: the entries of the one cannot be read as the other (the sender's side only).
   */
  kind?: Piece['kind'];
  /** Empty when `printed`. */
  entries: unknown[];
  /** A record sent as its values alone (Piece.byId): its entries are values, not pairs. */
  byId?: boolean;
  /** Where each key's entry is (the sender's side only). */
  index?: Map<unknown, number>;
  /** A collection the sender keeps as prints (PackOptions.print): each entry's key, and its print, two words an entry. */
  printed?: Printed;
}

/** Two words of `a` from `i` and of `b` from `j`: the same print. */
const samePrint = (a: Uint32Array, i: number, b: Uint32Array, j: number) => a[i] === b[j] && a[i + 1] === b[j + 1];

/**
 * The `n` entries of a memo slice: each made when asked (`at`, once each at most), and for values read a part at a time
 * that say what they are made of, their keys and that (then an entry unchanged is not made at all).
 */
interface SliceEntries {
  n: number;
  at(j: number): unknown;
  /**
   * `keys`: every key of the collection, in order, a list its sender keeps unchanged (RecordParts.ids): the memo keeps
   * it as its keys rather than a copy.
   */
  made?: { of: MadeOf; shared: Uint32Array; key(j: number): unknown; keys: readonly unknown[] };
}

const listed = (entries: unknown[]): SliceEntries => ({ n: entries.length, at: (j) => entries[j] });

interface Printed {
  /** Each entry's key; the sender's own list of them when it has one (SliceEntries.made.keys), never written then. */
  keys: readonly unknown[];
  prints: Uint32Array;
  /** Of values read a part at a time whose parts say what they are made of (RecordParts.madeOf): what each was. */
  made?: { shared: Uint32Array; sources: unknown[]; rows: Uint32Array };
}

/** The entries of each big collection last packed or unpacked, by collection name (see the top). */
export class PackMemo {
  collections = new Map<string, Collection>();
  /** The receiver's repeated values, one string each, kept across values (see SharedValues). */
  readonly shared = new SharedValues();

  /**
   * `entries`: how the receiver keeps a collection's new entries (the same data in a form of its own), if not as
   * unpacked; `forms`: the collections whose entries may arrive in a form of their own (EntryForm).
   */
  constructor(
    readonly entries?: (collection: string) => ((x: unknown) => unknown) | undefined,
    readonly forms?: (collection: string) => EntryForm | undefined,
  ) {}
}

/** What wraps a State or a Plan in a job's result ({loaded: {state}, plan}, {result: {state}, plan}): not part of a collection's name. */
const WRAPPERS = new Set<Key>(['loaded', 'result', 'plan']);

/** A collection's name, the same whichever job's result it came in: state.beads, detail.beads, repairs, ... */
function collectionOf(path: Key[]): string {
  return (WRAPPERS.has(path[0]) ? path.slice(1) : path).join('.');
}

/** An entry's key: a record's key; an array item's id when it has one (a bead, a repair, a work item), else its position. */
function keyOf(kind: Piece['kind'], x: unknown, i: number): unknown {
  if (kind === 'record') return (x as [string, unknown])[0];
  const id = x !== null && typeof x === 'object' ? (x as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : i;
}

const hasOwn = Object.prototype.hasOwnProperty;

const keyAt = (c: Collection, kind: Piece['kind'], i: number): unknown => (c.printed ? c.printed.keys[i] : keyOf(kind, c.entries[i], i));
const sizeOf = (c: Collection): number => (c.printed ? c.printed.keys.length : c.entries.length);

/**
 * Where the entry with key `k` is in the collection last sent, or -1: most often at `i`, where the entry is now
 * (nothing was added or removed before it), else found by key.
 */
function placeOf(prev: Collection, kind: Piece['kind'], k: unknown, i: number): number {
  const n = sizeOf(prev);
  if (i < n && keyAt(prev, kind, i) === k) return i;
  if (!prev.index) {
    prev.index = new Map();
    for (let at = 0; at < n; at++) prev.index.set(keyAt(prev, kind, at), at);
  }
  return prev.index.get(k) ?? -1;
}

/**
 * Whether structured clone would make the same value of `a` and `b` (plain data; key order counts), a JsonNumberText
 * as its text.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || a !== 0 || Object.is(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  const arr = Array.isArray(a);
  if (arr !== Array.isArray(b)) return false;
  if (arr) {
    const x = a as unknown[];
    const y = b as unknown[];
    const n = x.length;
    if (n !== y.length) return false;
    for (let i = 0; i < n; i++) {
      const u = x[i];
      const v = y[i];
      if (u === v) {
        // A hole reads as undefined; structured clone keeps it a hole.
        if (u === undefined ? hasOwn.call(x, i) !== hasOwn.call(y, i) : u === 0 && !Object.is(u, v)) return false;
      } else if (!sameOther(u, v)) return false;
    }
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return sameNumberText(a, b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = ka.length;
  if (n !== kb.length) return false;
  for (let i = 0; i < n; i++) {
    const k = ka[i];
    if (k !== kb[i]) return false;
    const u = a[k];
    const v = b[k];
    if (u === v ? u === 0 && !Object.is(u, v) : !sameOther(u, v)) return false;
  }
  return true;
}

/**
 * Two numbers kept as their text (JsonNumberText: a priority beyond 2^53) with the same text: each travels as that
 * text (number-texts.ts) and arrives as an equal one. Looked at only once an object is not plain, off the common path.
 */
function sameNumberText(a: object, b: object): boolean {
  return a instanceof JsonNumberText && b instanceof JsonNumberText && a.text === b.text;
}

/** sameData of two values that are not ===: objects alike, or both NaN (Object.is, as at the top). */
function sameOther(u: unknown, v: unknown): boolean {
  return typeof u === 'object' ? sameData(u, v) : u !== u && v !== v;
}

/** An entry the receiver's memo should hold and does not: the two memos no longer agree. */
export class MemoOutOfStep extends Error {
  constructor(collection: string, at: number) {
    super(`the plan worker referred to entry ${at} of ${collection}, which this console does not hold`);
  }
}

/** A value packed for postMessage: a small head (the value with its big parts emptied) plus the slices. */
export interface Packed {
  head: Uint8Array;
  pieces: Piece[];
  /** The head holds numbers kept as their text (number-texts.ts), sent as String objects. */
  texts?: true;
}

/** Writes an entry's every value into `p` (between p.begin and p.end), so that entries sameData tells apart get different prints. */
export type Printer = (entry: never, p: Print64) => void;

export interface PackOptions {
  /** An array item equal to the memo's is swapped for the memo's object in the value packed (see memoSlice); not in a printed collection. */
  adopt?: boolean;
  /**
   * How to print the entries (record values, or array items) of the collection of this name (`detail.beads`), if at
   * all. The memo then keeps each entry's key and print instead of the entry, and an entry is unchanged when its
   * print is the one last sent under its key (see print.ts for the odds of a wrong "unchanged").
   */
  print?: (collection: string) => Printer | undefined;
  /**
   * Hand each slice over as soon as it is made instead of keeping it in the Packed: the receiver unpacks it
   * (unpackStream) while the rest is still being packed.
   */
  emit?: (part: PackedPart, transfer: ArrayBuffer[]) => void;
  /**
   * A record at `owner[key]` that can be read a part at a time without being made whole (the plan's bead details,
   * built all at once when first read): its keys in order, and the value of each, made when asked. It is packed as
   * the record would be (by id), and only one slice of its values is alive at a time.
   */
  parts?: (owner: object, key: string) => RecordParts | null;
  /** The collections whose entries travel in a form of their own (EntryForm; memo'd packs only): the receiver's memo must know it. */
  forms?: (collection: string) => EntryForm | undefined;
}

/** A record's keys, in its order, and each key's value (an object whose `id` is its key), made when asked. */
export interface RecordParts {
  /** Never changed once handed here: a memo that prints the values keeps this very list as its keys. */
  ids: readonly string[];
  at(k: number): unknown;
  /**
   * The places of `ids` in JavaScript's order of strings (null: in that order already), made by the sender for the
   * receiver (sentIdOrder), once the values are packed: the receiver unpacks them meanwhile.
   */
  idOrder?(): Int32Array | null;
  /** What each value is made of, for a memo that prints the values (see MadeOf). */
  madeOf?: MadeOf;
}

/**
 * What the values of a RecordParts are made of (the plan's bead details: engine/detail.ts DetailInputs): what all of
 * them read (`shared`), the object value `k` is made from (`source`, never changed in place) and the rest it reads
 * (`row`). A value whose source is the object the value last sent under its key was made from, with the same prints of
 * `shared` and `row`, is that value again: the memo keeps the last print for it and neither makes nor prints it (at
 * 100 000 beads, 72 000 details made and printed took most of 0.2 s of the plan worker a refresh).
 */
export interface MadeOf {
  shared(p: Print64): void;
  source(k: number): object;
  row(k: number, p: Print64): void;
}

/**
 * Pack `value` (structured-clone data); `transfer` lists the buffers to hand over with postMessage. With a
 * `memo`, the entries of big collections the receiver holds (it unpacks with the same memo) travel as their place in it,
 * and the memo then holds this value's entries.
 */
export function pack(value: unknown, slice = SLICE, memo?: PackMemo, opts: PackOptions = {}): { packed: Packed; transfer: ArrayBuffer[] } {
  return packer(slice, memo, opts).done(value);
}

/**
 * A pack made in steps: `ahead` packs a part of the value already at hand (a read's state, while its plan is
 * still to be made), `done` the value it is part of (that part, at that path, is not packed again). Streamed
 * (`emit`), the receiver unpacks that part meanwhile. The memo holds the value's entries only once done.
 */
export interface Packer {
  ahead(part: object, path: Key[]): void;
  done(value: unknown): { packed: Packed; transfer: ArrayBuffer[] };
}

export function packer(
  slice = SLICE,
  memo?: PackMemo,
  { adopt = false, print: printerOf, emit, parts: partsOf, forms: formOf }: PackOptions = {},
): Packer {
  const pieces: Piece[] = [];
  /** What `ahead` made of each part: its head, and where it is in the value. */
  const early = new Map<object, { head: unknown; at: string }>();
  const memoNext = new Map<string, Collection>();
  const p = new Print64();
  /**
   * Serialize `entries` (array items, or a record's [key, value] pairs) from position `start` of collection `name`
   * as a memo slice. With `adopt`, an array item equal to the memo's takes the memo's object in `whole` (the array
   * packed): a sender that keeps what it packs (the worker's states) then holds one copy of an unchanged entry,
   * not one per read.
   */
  const memoSlice = (
    name: string,
    kind: Piece['kind'],
    entries: SliceEntries,
    start: number,
    total: number,
    whole?: unknown[],
    byId = false,
  ) => {
    const printer = printerOf?.(name) as ((x: unknown, p: Print64) => void) | undefined;
    const last = memo!.collections.get(name);
    // Entries of the other shape (pairs, values), or kept the other way, cannot be compared: nothing of them is referred to.
    const prev = last && last.kind === kind && !!last.byId === byId && !!last.printed === !!printer ? last : undefined;
    const made = printer ? entries.made : undefined;
    let next = memoNext.get(name);
    if (!next) {
      // Every list made at the collection's length, each entry put at its place: grown an entry at a time, each list
      // left its smaller copies as garbage and kept up to half its length unused, held until the next change (at
      // 100 000 beads about 2 MB of this thread's heap).
      const printed: Printed | undefined = printer
        ? {
            keys: made?.keys ?? new Array<unknown>(total),
            prints: new Uint32Array(2 * total),
            made: made ? { shared: made.shared, sources: new Array<unknown>(total), rows: new Uint32Array(2 * total) } : undefined,
          }
        : undefined;
      // Every field set, in one order: one shape for every collection, so the code that reads them stays optimized
      // whichever collections a city has (the refresh warm-up's part lacked some a city's first read had).
      memoNext.set(name, (next = { kind, entries: printer ? [] : new Array<unknown>(total), byId, index: undefined, printed }));
    }
    // What the last values were made of, when it can tell this slice's apart: the same shared print.
    const before = made && prev?.printed?.made && samePrint(prev.printed.made.shared, 0, made.shared, 0) ? prev.printed : undefined;
    const n = entries.n;
    const refs = new Int32Array(n);
    const items: unknown[] = [];
    const valueOf = kind === 'array' ? (e: unknown) => e : (e: unknown) => (e as [string, unknown])[1];
    for (let j = 0; j < n; j++) {
      const w = 2 * (start + j);
      let x = made ? undefined : entries.at(j);
      const k = made ? made.key(j) : keyOf(kind, x, start + j);
      const at = prev ? placeOf(prev, kind, k, start + j) : -1;
      let same = false;
      if (printer) {
        const { keys, prints } = next.printed!;
        if (keys !== made?.keys) (keys as unknown[])[start + j] = k;
        if (made) {
          const own = next.printed!.made!;
          const source = made.of.source(start + j);
          made.of.row(start + j, p.begin());
          p.end();
          own.sources[start + j] = source;
          own.rows[w] = p.hi;
          own.rows[w + 1] = p.lo;
          if (at >= 0 && before && before.made!.sources[at] === source && samePrint(before.made!.rows, 2 * at, own.rows, w)) {
            prints[w] = before.prints[2 * at];
            prints[w + 1] = before.prints[2 * at + 1];
            same = true;
          } else x = entries.at(j);
        }
        if (!same) {
          printer(valueOf(x), p.begin());
          p.end();
          prints[w] = p.hi;
          prints[w + 1] = p.lo;
          same = at >= 0 && prev!.printed!.prints[2 * at] === p.hi && prev!.printed!.prints[2 * at + 1] === p.lo;
        }
      } else {
        const was = at < 0 ? undefined : prev!.entries[at];
        same = at >= 0 && sameData(valueOf(was), valueOf(x));
        if (same && whole) whole[start + j] = was;
        next.entries[start + j] = same && whole ? was : x;
      }
      refs[j] = same ? at : -1;
      if (!same) items.push(x);
    }
    // What travels is what the sender keeps (its states, the memo's entries): its repeated values made one string
    // each here too (a read's beads hold a string per value as parsed), and sent once a slice.
    const form = formOf?.(name);
    const formed = form ? form.send(items) : null;
    return memoSliceBytes(formed ? formed.items : items, refs, memo!.shared, formed);
  };
  const transfer: ArrayBuffer[] = [];
  /**
   * Always a copy into memory of our own: v8.serialize's buffer is external memory freed through this thread's
   * environment, which must not travel (the receiver crashed once this thread was gone).
   */
  const own = (b: Buffer): Uint8Array => new Uint8Array(b);
  /** A new piece at `path`; `add` then takes its slices one by one, streamed or kept. */
  const begin = (path: Key[], kind: Piece['kind'], byId = false) => {
    const piece: Piece = { path, kind, slices: [], ...(memo ? { memo: true as const } : {}), ...(byId ? { byId: true as const } : {}) };
    pieces.push(piece);
    let first = true;
    return (s: Buffer) => {
      const u = own(s);
      if (!emit) {
        piece.slices.push(u);
        transfer.push(u.buffer as ArrayBuffer);
        return;
      }
      const { slices: _, ...head } = piece;
      emit(first ? { piece: head, slice: u } : { slice: u }, [u.buffer as ArrayBuffer]);
      first = false;
    };
  };
  const cut = (v: unknown, path: Key[], depth: number): unknown => {
    const made = v !== null && typeof v === 'object' ? early.get(v) : undefined;
    if (made && made.at === path.join('.')) return made.head;
    if (Array.isArray(v)) {
      if (v.length > slice) {
        const add = begin(path, 'array');
        const name = collectionOf(path);
        for (let i = 0; i < v.length; i += slice) {
          const part = v.slice(i, i + slice);
          add(memo ? memoSlice(name, 'array', listed(part), i, v.length, adopt ? v : undefined) : sliceBytes(part, null));
        }
        return [];
      }
      return depth < MAX_DEPTH ? v.map((x, i) => cut(x, [...path, i], depth + 1)) : v;
    }
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length > slice) {
        const values = keys.map((k) => v[k]);
        const byId = values.every((x, i) => isPlainObject(x) && x.id === keys[i]);
        const add = begin(path, 'record', byId);
        const name = collectionOf(path);
        for (let i = 0; i < keys.length; i += slice) {
          const part = values.slice(i, i + slice);
          // By id: the values alone, memo'd as an array of items with ids is.
          const entries = byId ? part : part.map((x, j) => [keys[i + j], x]);
          add(
            memo ? memoSlice(name, byId ? 'array' : 'record', listed(entries), i, keys.length, undefined, byId) : sliceBytes(entries, null),
          );
        }
        return {};
      }
      if (depth >= MAX_DEPTH) return v;
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const parts = partsOf?.(v, k);
        setKey(out, k, parts && parts.ids.length > slice ? cutParts(parts, [...path, k]) : cut(v[k], [...path, k], depth + 1));
      }
      return out;
    }
    return v;
  };
  /** A record read a part at a time (PackOptions.parts), packed as `cut` packs a big record by id. */
  const cutParts = (parts: RecordParts, path: Key[]): unknown => {
    const n = parts.ids.length;
    const add = begin(path, 'record', true);
    const piece = pieces[pieces.length - 1];
    const name = collectionOf(path);
    const of = memo ? parts.madeOf : undefined;
    let shared: Uint32Array | undefined;
    if (of) {
      of.shared(p.begin());
      p.end();
      shared = Uint32Array.of(p.hi, p.lo);
    }
    for (let i = 0; i < n; i += slice) {
      const m = Math.min(slice, n - i);
      if (!memo) {
        const part: unknown[] = [];
        for (let j = i; j < i + m; j++) part.push(parts.at(j));
        add(sliceBytes(part, null));
        continue;
      }
      const entries: SliceEntries = {
        n: m,
        at: (j) => parts.at(i + j),
        ...(of ? { made: { of, shared: shared!, key: (j) => parts.ids[i + j], keys: parts.ids } } : {}),
      };
      add(memoSlice(name, 'array', entries, i, n, undefined, true));
    }
    if (parts.idOrder) piece.idOrder = parts.idOrder();
    return {};
  };
  return {
    ahead(part, path) {
      early.set(part, { head: cut(part, path, path.length), at: path.join('.') });
    },
    done(value) {
      const whole = cut(value, [], 0);
      const sent = sendableNumberTexts(whole);
      const head = own(serialize(sent));
      transfer.unshift(head.buffer as ArrayBuffer);
      if (memo) {
        memo.collections = memoNext;
        memo.shared.settle();
      }
      return { packed: { head, pieces, ...(sent !== whole ? { texts: true as const } : {}) }, transfer };
    },
  };
}

const yieldToLoop = () => new Promise<void>((res) => setImmediate(res));

function at(root: unknown, path: Key[]): unknown {
  let v = root;
  for (const k of path) v = (v as Record<Key, unknown>)[k];
  return v;
}

/** An own property even for `__proto__` (a bead id is data, not a prototype). */
function setKey(rec: Record<string, unknown>, k: string, x: unknown): void {
  if (k === '__proto__') Object.defineProperty(rec, k, { value: x, enumerable: true, writable: true, configurable: true });
  else rec[k] = x;
}

const bytesOf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The values of each big record unpacked here, in the order Object.values gives them (see recordValues). */
const valuesOfRecord = new WeakMap<object, unknown[]>();

/** A key JavaScript enumerates before the others, in numeric order (an array index): Object.values' order differs from insertion then. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;
const isArrayIndex = (k: string) => ARRAY_INDEX.test(k) && Number(k) < 4294967295;

/**
 * `Object.values(rec)`, without its cost for a big record this module unpacked: Object.values of a 100 000-key
 * record (the bead details) takes 80–160 ms in one go, while the values were at hand, in order, as it was
 * filled a slice at a time. The record must not have changed since it was unpacked (a plan is not).
 */
export function recordValues<T>(rec: Record<string, T>): T[] {
  return (valuesOfRecord.get(rec) as T[] | undefined) ?? Object.values(rec);
}

/**
 * A record unpacked by id and not read yet: its values, in the order the record would give them, by the record's
 * owner and key (see unpackedById). At 100 000 beads the bead details' record, a dictionary grown key by key as the
 * first read came in, was some 3 MB held and as much again in smaller copies, at the console's peak; the console reads
 * the values and looks an id up without it (src/ui/rows/bead-details.ts).
 */
const unreadById = new WeakMap<object, Map<string, unknown[]>>();

/** The values of the record at `owner[key]` if it was unpacked by id and has not been made yet (see unreadById). */
export function unpackedById(owner: object, key: string): unknown[] | undefined {
  return unreadById.get(owner)?.get(key);
}

/** The id order the sender made of values unpackedById hands out (RecordParts.idOrder), by those values. */
const idOrders = new WeakMap<readonly unknown[], Int32Array | null>();

/**
 * The places of `values` (unpackedById's) in JavaScript's order of their ids, as their sender made them: null when
 * they came in that order, undefined when it did not say.
 */
export function sentIdOrder(values: readonly unknown[]): Int32Array | null | undefined {
  return idOrders.get(values);
}

/** A value by id put in order; a key enumerated out of order (an array index) puts every value in the record at once. */
function keptById(
  values: unknown[] | null,
  id: string,
  x: unknown,
  rec: Record<string, unknown>,
  put: (k: string, x: unknown) => void,
): unknown[] | null {
  if (values && !isArrayIndex(id)) {
    values.push(x);
    return values;
  }
  if (values) fillById(rec, values);
  put(id, x);
  return null;
}

function fillById(rec: Record<string, unknown>, values: unknown[]): void {
  for (const x of values as { id: string }[]) setKey(rec, x.id, x);
}

/** `owner[key]` made from `values` when first read (or replaced when first written): until then unpackedById hands them out. */
function lazyRecord(
  owner: Record<string, unknown>,
  key: string,
  rec: Record<string, unknown>,
  values: unknown[],
  idOrder: Int32Array | null | undefined,
): void {
  let byKey = unreadById.get(owner);
  if (!byKey) unreadById.set(owner, (byKey = new Map()));
  byKey.set(key, values);
  if (idOrder !== undefined) idOrders.set(values, idOrder);
  const settle = (v: unknown) => {
    byKey.delete(key);
    Object.defineProperty(owner, key, { value: v, enumerable: true, writable: true, configurable: true });
  };
  Object.defineProperty(owner, key, {
    get() {
      fillById(rec, values);
      valuesOfRecord.set(rec, values);
      settle(rec);
      return rec;
    },
    set: settle,
    enumerable: true,
    configurable: true,
  });
}

/** A piece being filled: its own array or record, put in place in the head once the value is whole. */
interface Filling {
  piece: PieceHead;
  name: string;
  target: unknown[] | Record<string, unknown>;
  /** A big record's values as they go in: what recordValues hands out (null once a key breaks the order). */
  values: unknown[] | null;
  /**
   * A memo'd piece's entries as they go in, in order: the memo's next entries of its collection, and the piece's own
   * list too (an array's `target`; a record by id's `values`, while they are its values), not a copy of it. Made at the
   * length of the collection last unpacked, and cut to `count` once whole.
   */
  entries: unknown[] | null;
  count: number;
}

/** Unpacks one packed value a slice at a time, keeping the memo's next entries until the value is whole. */
class Unpacker<T> {
  private readonly next = new Map<string, Collection>();
  private readonly filled: Filling[] = [];

  /** Without a memo, the values of this one value are shared among themselves. */
  private readonly shared: SharedValues;

  constructor(private readonly memo?: PackMemo) {
    this.shared = memo?.shared ?? new SharedValues();
  }

  /** The next slice; `piece` with the first slice of each piece. */
  add(slice: Uint8Array, piece?: PieceHead): void {
    for (const steps = this.addInSteps(slice, piece); !steps.next().done; );
  }

  /**
   * `add` in three steps, yielding after the slice is deserialized and after its values are shared: a 1 000-entry
   * slice took 8-40 ms in one go at 100 000 beads on a loaded machine (deserialize, shareAll and the record's puts
   * about a third each), and a key pressed meanwhile waited for all of it (docs/speed.md). Entries the memo keeps in
   * a form of the receiver's own (PackMemo.entries: the beads) are made in a fourth.
   */
  *addInSteps(slice: Uint8Array, piece?: PieceHead): Generator<void, void> {
    if (piece) {
      const kind = piece.kind;
      const name = collectionOf(piece.path);
      // A refresh's collection most often has as many entries as the last one: its list is made at that length, not
      // grown entry by entry (each smaller copy left behind, in the large-object space from 16 000 entries: garbage
      // that outlived young collections, with a list of each slice's entries, at every refresh).
      const entries = piece.memo && this.memo ? new Array<unknown>(this.memo.collections.get(name)?.entries.length ?? 0) : null;
      this.filled.push({
        piece,
        name,
        target: kind === 'array' ? (entries ?? []) : {},
        values: kind === 'record' ? (piece.byId && entries ? entries : []) : null,
        entries,
        count: 0,
      });
    }
    const f = this.filled.at(-1);
    if (!f) throw new Error('a packed slice arrived before the piece it belongs to');
    const raw = deserialize(bytesOf(slice)) as unknown[] | MemoSlice;
    // A plain slice is its items; one marked `texts` (either kind) holds numbers kept as text, revived here.
    const marked = Array.isArray(raw) ? null : raw;
    if (marked?.texts) reviveNumberTexts(marked.items);
    const items = marked ? marked.items : (raw as unknown[]);
    yield;
    this.shared.shareAll(items, marked?.wrapped === true);
    yield;
    if (marked?.formed) {
      const form = this.memo?.forms?.(f.name);
      if (!form) throw new Error(`entries of ${f.name} arrived in a form this console does not read`);
      form.keep(items, marked.aside);
    } else {
      const keep = this.memo?.entries?.(f.name);
      if (keep && items.length > 0) {
        for (let j = 0; j < items.length; j++) items[j] = keep(items[j]);
        // A step of its own: the beads made again (bead-shapes.ts), about 1-2 ms a 1 000-bead slice at load 10.
        yield;
      }
    }
    if (f.piece.memo) {
      this.fromMemo(f, raw as MemoSlice);
      return;
    }
    if (f.piece.kind === 'array') {
      const arr = f.target as unknown[];
      for (const x of items) arr.push(x);
    } else {
      const rec = f.target as Record<string, unknown>;
      const put = (k: string, x: unknown) => {
        setKey(rec, k, x);
        // An array index is enumerated out of insertion order: then Object.values decides.
        if (f.values && isArrayIndex(k)) f.values = null;
        f.values?.push(x);
      };
      // By id, the record is made only if read (see done): its values, in order, are what it would hold.
      if (f.piece.byId) for (const x of items as { id: string }[]) f.values = keptById(f.values, x.id, x, rec, put);
      else for (const [k, x] of items as [string, unknown][]) put(k, x);
    }
  }

  /**
   * A memo slice's entries, those the memo holds taken from it, put in the piece's list (Filling.entries), which is
   * the memo's next entries of the collection, and in its record if it is one.
   */
  private fromMemo(f: Filling, slice: MemoSlice): void {
    const list = f.entries;
    if (!this.memo || !list) throw new Error('a memo slice needs the memo it was packed against');
    const prev = this.memo.collections.get(f.name)?.entries;
    const { refs, items } = slice;
    const rec = f.piece.kind === 'record' ? (f.target as Record<string, unknown>) : null;
    let c = 0;
    for (let j = 0; j < refs.length; j++) {
      const r = refs[j];
      let x: unknown;
      if (r < 0) x = items[c++];
      else {
        if (!prev || r >= prev.length) throw new MemoOutOfStep(f.name, r);
        x = prev[r];
      }
      const n = f.count++;
      list[n] = x;
      if (!rec) continue;
      if (f.piece.byId) {
        const id = (x as { id: string }).id;
        if (f.values && isArrayIndex(id)) {
          // An array index is enumerated out of insertion order: the record is made now, Object.values decides.
          for (let k = 0; k < n; k++) setKey(rec, (list[k] as { id: string }).id, list[k]);
          f.values = null;
        }
        if (!f.values) setKey(rec, id, x);
      } else {
        const [k, v] = x as [string, unknown];
        setKey(rec, k, v);
        if (f.values && isArrayIndex(k)) f.values = null;
        f.values?.push(v);
      }
    }
  }

  /** The value is whole (`packed` names the pieces its slices filled): the memo holds its entries from now on. */
  done(packed: Packed): T {
    if (packed.pieces.length !== this.filled.length) throw new Error('a packed value arrived without all its pieces');
    for (const f of this.filled)
      if (f.entries) {
        f.entries.length = f.count;
        this.next.set(f.name, { entries: f.entries });
      }
    let root = deserialize(bytesOf(packed.head)) as unknown;
    if (packed.texts) root = reviveNumberTexts(root);
    for (let i = 0; i < this.filled.length; i++) {
      const f = this.filled[i];
      const path = f.piece.path;
      // cut() sent the piece's place empty: the piece filled here goes there.
      const parent = path.length === 0 ? null : at(root, path.slice(0, -1));
      const k = path[path.length - 1];
      if (f.piece.byId && f.values && isPlainObject(parent)) {
        // A streamed piece's order came with the head, after its slices (RecordParts.idOrder).
        lazyRecord(parent, String(k), f.target as Record<string, unknown>, f.values, packed.pieces[i].idOrder);
        continue;
      }
      if (f.piece.byId && f.values) fillById(f.target as Record<string, unknown>, f.values);
      if (path.length === 0) root = f.target;
      else if (Array.isArray(parent)) parent[k as number] = f.target;
      else setKey(parent as Record<string, unknown>, String(k), f.target);
      if (f.values) valuesOfRecord.set(f.target, f.values);
    }
    if (this.memo) this.memo.collections = this.next;
    this.shared.settle();
    return root as T;
  }
}

/** The slices of a pack that was not streamed, in order. */
function* slicesOf(packed: Packed): Generator<[Uint8Array, PieceHead | undefined]> {
  for (const { slices, ...piece } of packed.pieces) for (let i = 0; i < slices.length; i++) yield [slices[i], i === 0 ? piece : undefined];
}

/**
 * Unpack what `pack` made, one slice per turn of the event loop (input and timers run in between). A value
 * packed with a memo needs the receiver's memo, which then holds its entries.
 */
export async function unpack<T>(packed: Packed, memo?: PackMemo): Promise<T> {
  const u = new Unpacker<T>(memo);
  for (const [slice, piece] of slicesOf(packed)) await addInTurns(u, slice, piece);
  return u.done(packed);
}

/** One slice unpacked a step per turn of the event loop (Unpacker.addInSteps); `check` runs before each step. */
async function addInTurns(u: Unpacker<unknown>, slice: Uint8Array, piece?: PieceHead, check = () => {}): Promise<void> {
  const steps = u.addInSteps(slice, piece);
  do {
    await yieldToLoop();
    check();
  } while (!steps.next().done);
}

/** The same, at once (tests, and a sender that wants a copy). */
export function unpackSync<T>(packed: Packed, memo?: PackMemo): T {
  const u = new Unpacker<T>(memo);
  for (const [slice, piece] of slicesOf(packed)) u.add(slice, piece);
  return u.done(packed);
}

/**
 * A streamed pack on the receiving side (pack's `emit`): parts are given as they arrive, and unpacked one per turn
 * of the event loop while the sender is still packing the rest; `end` gives the head. Nothing of the value (nor
 * of the memo) is used until it is whole; `fail` drops it.
 */
export class PackedStream<T> {
  private readonly parts: PackedPart[] = [];
  private head: Packed | null = null;
  private failed: { e: unknown } | null = null;
  private wake: (() => void) | null = null;
  /** The value, once whole; rejects when the stream fails or a part cannot be unpacked. */
  readonly value: Promise<T>;

  constructor(memo?: PackMemo, after: Promise<unknown> = Promise.resolve()) {
    this.value = after.then(() => this.run(new Unpacker<T>(memo)));
    this.value.catch(() => undefined); // whoever awaits it sees the failure
  }

  push(part: PackedPart): void {
    this.parts.push(part);
    this.poke();
  }

  end(packed: Packed): void {
    this.head = packed;
    this.poke();
  }

  fail(e: unknown): void {
    this.failed ??= { e };
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private throwIfFailed(): void {
    if (this.failed) throw this.failed.e;
  }

  private async run(u: Unpacker<T>): Promise<T> {
    let i = 0;
    for (;;) {
      this.throwIfFailed();
      if (i < this.parts.length) {
        const { slice, piece } = this.parts[i];
        this.parts[i++] = undefined as unknown as PackedPart;
        await addInTurns(u, slice, piece, () => this.throwIfFailed());
        // Unpacked: its bytes go now, not at the next collection (at 100 000 beads the console's thread held up to 70
        // MB of slices it had unpacked, 75 MB arriving on a first read).
        freeBytes(slice);
      } else if (this.head) return u.done(this.head);
      else await new Promise<void>((res) => (this.wake = res));
    }
  }
}
