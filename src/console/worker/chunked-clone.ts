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
// the same order (replies are unpacked in the order they were sent), so they agree.
import { deserialize, serialize } from 'node:v8';

/** Entries per slice: a few milliseconds of deserialization each at the sizes Gas City stores have. */
export const SLICE = 2000;
/**
 * How deep to look for big arrays and records: plan.pools[i].slots sits at depth 3 of a Plan, 4 of a
 * refresh result ({loaded, plan}); state.beads at 1, plan.detail.beads at 2.
 */
const MAX_DEPTH = 5;

type Key = string | number;

interface Piece {
  path: Key[];
  kind: 'array' | 'record';
  slices: Uint8Array[];
  /** The slices are memo slices (see MemoSlice): entries the receiver's memo holds travel as their place in it. */
  memo?: true;
}

/**
 * One slice of a memo'd piece. `refs[j]` is where the slice's entry j was in the memo's entries of its
 * collection, or -1 when it travels: then it is the next one of `items`.
 */
interface MemoSlice {
  items: unknown[];
  refs: Int32Array;
}

/** One big collection as last packed or unpacked: its entries (array items, or a record's [key, value] pairs) in order. */
interface Collection {
  entries: unknown[];
  /** Where each key's entry is in `entries` (the sender's side only). */
  index?: Map<unknown, number>;
}

/** The entries of each big collection last packed or unpacked, by collection name (see the top). */
export class PackMemo {
  collections = new Map<string, Collection>();
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

/**
 * Where the entry with `x`'s key is in the collection last sent, or -1: most often where `x` is now (nothing
 * was added or removed before it), else found by key.
 */
function placeOf(prev: Collection, kind: Piece['kind'], x: unknown, i: number): number {
  const k = keyOf(kind, x, i);
  if (i < prev.entries.length && keyOf(kind, prev.entries[i], i) === k) return i;
  prev.index ??= new Map(prev.entries.map((e, at) => [keyOf(kind, e, at), at]));
  return prev.index.get(k) ?? -1;
}

/** Whether structured clone would make the same value of `a` and `b` (plain data; key order counts). */
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
      // A hole reads as undefined; structured clone keeps it a hole.
      if (u !== v || u === undefined) {
        if (u === undefined && v === undefined && hasOwn.call(x, i) === hasOwn.call(y, i)) continue;
        if (typeof u !== 'object' || !sameData(u, v)) return false;
      }
    }
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = ka.length;
  if (n !== kb.length) return false;
  for (let i = 0; i < n; i++) {
    const k = ka[i];
    if (k !== kb[i]) return false;
    const u = a[k];
    const v = b[k];
    if (u !== v && (typeof u !== 'object' || !sameData(u, v))) return false;
  }
  return true;
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
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export interface PackOptions {
  /** An array item equal to the memo's is swapped for the memo's object in the value packed (see memoSlice). */
  adopt?: boolean;
  /**
   * By collection name (`detail.beads`), a cheaper test of what `sameData` would say of two of its entries (two
   * record values, or two array items), for entries whose shape the caller knows.
   */
  same?: Readonly<Record<string, (a: never, b: never) => boolean>>;
}

/**
 * Pack `value` (structured-clone data); `transfer` lists the buffers to hand over with postMessage. With a
 * `memo`, the entries of big collections the receiver holds (it unpacks with the same memo) travel as their place in it,
 * and the memo then holds this value's entries.
 */
export function pack(
  value: unknown,
  slice = SLICE,
  memo?: PackMemo,
  { adopt = false, same: sameBy = {} }: PackOptions = {},
): { packed: Packed; transfer: ArrayBuffer[] } {
  const pieces: Piece[] = [];
  const memoNext = new Map<string, Collection>();
  /**
   * Serialize `entries` (array items, or a record's [key, value] pairs) from position `start` of collection `name`
   * as a memo slice. With `adopt`, an array item equal to the memo's takes the memo's object in `whole` (the array
   * packed): a sender that keeps what it packs (the worker's states) then holds one copy of an unchanged entry,
   * not one per read.
   */
  const memoSlice = (name: string, kind: Piece['kind'], entries: unknown[], start: number, whole?: unknown[]) => {
    const prev = memo!.collections.get(name);
    let next = memoNext.get(name);
    if (!next) memoNext.set(name, (next = { entries: [] }));
    const refs = new Int32Array(entries.length);
    const items: unknown[] = [];
    const equal = (Object.prototype.hasOwnProperty.call(sameBy, name) ? sameBy[name] : sameData) as (a: unknown, b: unknown) => boolean;
    for (let j = 0; j < entries.length; j++) {
      const x = entries[j];
      const at = prev ? placeOf(prev, kind, x, start + j) : -1;
      const was = at < 0 ? undefined : prev!.entries[at];
      const same = at >= 0 && (kind === 'array' ? equal(was, x) : equal((was as [string, unknown])[1], (x as [string, unknown])[1]));
      refs[j] = same ? at : -1;
      if (!same) items.push(x);
      if (same && whole) whole[start + j] = was;
      next.entries.push(same && whole ? was : x);
    }
    return serialize({ items, refs } satisfies MemoSlice);
  };
  const cut = (v: unknown, path: Key[], depth: number): unknown => {
    if (Array.isArray(v)) {
      if (v.length > slice) {
        const slices: Uint8Array[] = [];
        const name = collectionOf(path);
        for (let i = 0; i < v.length; i += slice) {
          const part = v.slice(i, i + slice);
          slices.push(memo ? memoSlice(name, 'array', part, i, adopt ? v : undefined) : serialize(part));
        }
        pieces.push({ path, kind: 'array', slices, ...(memo ? { memo: true as const } : {}) });
        return [];
      }
      return depth < MAX_DEPTH ? v.map((x, i) => cut(x, [...path, i], depth + 1)) : v;
    }
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length > slice) {
        const slices: Uint8Array[] = [];
        const name = collectionOf(path);
        for (let i = 0; i < keys.length; i += slice) {
          const pairs = keys.slice(i, i + slice).map((k) => [k, v[k]]);
          slices.push(memo ? memoSlice(name, 'record', pairs, i) : serialize(pairs));
        }
        pieces.push({ path, kind: 'record', slices, ...(memo ? { memo: true as const } : {}) });
        return {};
      }
      if (depth >= MAX_DEPTH) return v;
      const out: Record<string, unknown> = {};
      for (const k of keys) setKey(out, k, cut(v[k], [...path, k], depth + 1));
      return out;
    }
    return v;
  };
  const head = serialize(cut(value, [], 0));
  const transfer: ArrayBuffer[] = [];
  const own = (b: Buffer): Uint8Array => {
    // Always a copy into memory of our own: v8.serialize's buffer is external memory freed through this
    // thread's environment, which must not travel (the receiver crashed once this thread was gone).
    const u = new Uint8Array(b);
    transfer.push(u.buffer as ArrayBuffer);
    return u;
  };
  const packed: Packed = {
    head: own(head as Buffer),
    pieces: pieces.map((p) => ({ ...p, slices: p.slices.map((s) => own(s as Buffer)) })),
  };
  if (memo) memo.collections = memoNext;
  return { packed, transfer };
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

/** Unpacks one packed value's slices into its head, keeping the memo's next entries until the value is whole. */
class Unpacker<T> {
  readonly root: T;
  private readonly next = new Map<string, Collection>();

  constructor(
    private readonly packed: Packed,
    private readonly memo?: PackMemo,
  ) {
    this.root = deserialize(bytesOf(packed.head)) as T;
  }

  /** Each slice as a step (unpack yields between them). */
  *steps(): Generator<void> {
    for (const piece of this.packed.pieces) {
      const target = at(this.root, piece.path);
      const name = collectionOf(piece.path);
      // A big record's values as they go in (cut() sent it empty): what recordValues hands out.
      let values: unknown[] | null = piece.kind === 'record' ? [] : null;
      for (const s of piece.slices) {
        yield;
        let items = deserialize(bytesOf(s)) as unknown[];
        if (piece.memo) items = this.fromMemo(name, items as unknown as MemoSlice);
        if (piece.kind === 'array') {
          const arr = target as unknown[];
          for (const x of items) arr.push(x);
        } else {
          const rec = target as Record<string, unknown>;
          for (const [k, x] of items as [string, unknown][]) {
            setKey(rec, k, x);
            // An array index is enumerated out of insertion order: then Object.values decides.
            if (values && isArrayIndex(k)) values = null;
            values?.push(x);
          }
        }
      }
      if (values) valuesOfRecord.set(target as object, values);
    }
  }

  /** A memo slice's entries, those the memo holds taken from it; they go into the memo's next entries. */
  private fromMemo(name: string, slice: MemoSlice): unknown[] {
    if (!this.memo) throw new Error('a memo slice needs the memo it was packed against');
    const prev = this.memo.collections.get(name)?.entries;
    let next = this.next.get(name);
    if (!next) this.next.set(name, (next = { entries: [] }));
    const out = new Array<unknown>(slice.refs.length);
    let c = 0;
    for (let j = 0; j < out.length; j++) {
      const r = slice.refs[j];
      if (r < 0) out[j] = slice.items[c++];
      else {
        if (!prev || r >= prev.length) throw new MemoOutOfStep(name, r);
        out[j] = prev[r];
      }
      next.entries.push(out[j]);
    }
    return out;
  }

  /** The value is whole: the memo holds its entries from now on. */
  done(): T {
    if (this.memo) this.memo.collections = this.next;
    return this.root;
  }
}

/**
 * Unpack what `pack` made, one slice per turn of the event loop (input and timers run in between). A value
 * packed with a memo needs the receiver's memo, which then holds its entries.
 */
export async function unpack<T>(packed: Packed, memo?: PackMemo): Promise<T> {
  const u = new Unpacker<T>(packed, memo);
  for (const _ of u.steps()) await yieldToLoop();
  return u.done();
}

/** The same, at once (tests, and a sender that wants a copy). */
export function unpackSync<T>(packed: Packed, memo?: PackMemo): T {
  const u = new Unpacker<T>(packed, memo);
  for (const _ of u.steps());
  return u.done();
}
