// A number kept as its text (JsonNumberText: a Gas City `seq` or a bead's `priority` beyond 2^53) across the plan
// worker's boundary. Structured clone (v8.serialize) keeps an object's own data but not its class, so one would
// arrive as a plain `{ text }`, which the store's checks refuse ("must be a number, got an object") and a write would
// spell as an object. So the sender sends each as a String object (which no parsed JSON value is) and the receiver
// makes it a JsonNumberText again. Only a thread that ever made one looks for them (json-text.ts counts them).
import { JsonNumberText, numberTextsMade } from '../../store/formats/json-text.js';

function isPlain(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `v` with every JsonNumberText in it (in arrays and plain objects, at any depth) as a String object of its text,
 * copy-on-write: `v` itself when it holds none (always, in a thread that never made one). `v` is not changed.
 */
export function sendableNumberTexts<T>(v: T): T {
  return numberTextsMade() ? (sendable(v) as T) : v;
}

function sendable(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof JsonNumberText) return new String(v.text);
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = sendable(x);
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return out ?? v;
  }
  if (!isPlain(v)) return v;
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(v)) {
    const x = v[k];
    const y = sendable(x);
    if (y === x) continue;
    out ??= copyOf(v);
    // defineProperty: an own "__proto__" key stays plain data.
    Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true });
  }
  return out ?? v;
}

function copyOf(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * `v` as deserialized from what sendableNumberTexts made, with every String object in it made a JsonNumberText
 * again, in place (it is the receiver's own copy); returns `v`, or the JsonNumberText when `v` is one.
 */
export function reviveNumberTexts(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof String) return new JsonNumberText(v.valueOf());
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object') v[i] = reviveNumberTexts(x);
    }
    return v;
  }
  if (!isPlain(v)) return v;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === null || typeof x !== 'object') continue;
    const y = reviveNumberTexts(x);
    if (y !== x) Object.defineProperty(v, k, { value: y, enumerable: true, writable: true, configurable: true });
  }
  return v;
}
