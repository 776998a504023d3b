// Moving a 100 000-bead State and its Plan from the plan worker to the console without freezing it.
// One postMessage of the whole result would be deserialized in one go on the receiving thread (about a
// second at 100k beads, keys and clock frozen meanwhile). So the sender cuts the big arrays and records
// (state.beads, plan.detail.beads, plan.repairs, ...) into slices, serializes each (v8, i.e. structured
// clone semantics), and transfers the buffers without a copy; the receiver deserializes one slice at a
// time and yields to the event loop between slices.
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

/** Pack `value` (structured-clone data); `transfer` lists the buffers to hand over with postMessage. */
export function pack(value: unknown, slice = SLICE): { packed: Packed; transfer: ArrayBuffer[] } {
  const pieces: Piece[] = [];
  const cut = (v: unknown, path: Key[], depth: number): unknown => {
    if (Array.isArray(v)) {
      if (v.length > slice) {
        const slices: Uint8Array[] = [];
        for (let i = 0; i < v.length; i += slice) slices.push(serialize(v.slice(i, i + slice)));
        pieces.push({ path, kind: 'array', slices });
        return [];
      }
      return depth < MAX_DEPTH ? v.map((x, i) => cut(x, [...path, i], depth + 1)) : v;
    }
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length > slice) {
        const slices: Uint8Array[] = [];
        for (let i = 0; i < keys.length; i += slice) slices.push(serialize(keys.slice(i, i + slice).map((k) => [k, v[k]])));
        pieces.push({ path, kind: 'record', slices });
        return {};
      }
      if (depth >= MAX_DEPTH) return v;
      const out: Record<string, unknown> = {};
      for (const k of keys) out[k] = cut(v[k], [...path, k], depth + 1);
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

/** Unpack what `pack` made, one slice per turn of the event loop (input and timers run in between). */
export async function unpack<T>(packed: Packed): Promise<T> {
  const root = deserialize(bytesOf(packed.head)) as T;
  for (const piece of packed.pieces) {
    const target = at(root, piece.path);
    for (const s of piece.slices) {
      await yieldToLoop();
      const items = deserialize(bytesOf(s)) as unknown[];
      if (piece.kind === 'array') {
        const arr = target as unknown[];
        for (const x of items) arr.push(x);
      } else {
        const rec = target as Record<string, unknown>;
        for (const [k, x] of items as [string, unknown][]) setKey(rec, k, x);
      }
    }
  }
  return root;
}

/** The same, at once (tests, and a sender that wants a copy). */
export function unpackSync<T>(packed: Packed): T {
  const root = deserialize(bytesOf(packed.head)) as T;
  for (const piece of packed.pieces) {
    const target = at(root, piece.path);
    for (const s of piece.slices) {
      const items = deserialize(bytesOf(s)) as unknown[];
      if (piece.kind === 'array') for (const x of items) (target as unknown[]).push(x);
      else for (const [k, x] of items as [string, unknown][]) setKey(target as Record<string, unknown>, k, x);
    }
  }
  return root;
}
