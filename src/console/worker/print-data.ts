// The print of any plain data (print.ts), for a collection whose entries have no printer of their own: two values
// get the same print when chunked-clone.ts's sameData says they are the same (key order and holes count), and a
// value sameData cannot compare (a Date, a Map) a print of its own. A JsonNumberText is its text, as sameData compares it.
import { JsonNumberText } from '../../store/formats/json-text.js';
import type { Print64 } from './print.js';

const hasOwn = Object.prototype.hasOwnProperty;
/** Longer lists are printed as `other`: their length would not fit a list's word. */
const MAX_LIST = 0x3fffffff;

export function printData(x: unknown, p: Print64): void {
  switch (typeof x) {
    case 'string':
      return p.str(x);
    case 'number':
      return p.num(x);
    case 'boolean':
      return p.bool(x);
    case 'undefined':
      return p.undef();
    case 'bigint':
      return p.bigint(x);
    case 'object':
      if (x === null) return p.str(null);
      if (Array.isArray(x)) return printArray(x, p);
      if (x instanceof JsonNumberText) return p.numberText(x.text);
      return isPlain(x) ? printObject(x as Record<string, unknown>, p) : p.other();
    default:
      return p.other();
  }
}

function printArray(a: unknown[], p: Print64): void {
  const n = a.length;
  if (n > MAX_LIST) return p.other();
  p.list(n);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v === undefined && !hasOwn.call(a, i)) p.hole();
    else printData(v, p);
  }
}

function printObject(o: Record<string, unknown>, p: Print64): void {
  p.open();
  for (const k in o) {
    if (!hasOwn.call(o, k)) continue;
    p.str(k);
    printData(o[k], p);
  }
  p.close();
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
