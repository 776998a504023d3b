// The numbers of a city's beads outside their metadata (a field gc-tui does not know, `extra: {"score": 2.50}`, a list
// `[1.0, -0]`) as the file spells them where JavaScript writes them otherwise: JSON.parse has made `2.50` the number 2.5,
// and the console's `y` pane would show it as `2.5`. Gas City keeps such fields as written, and so does a write of
// gc-tui's (splice-beads.ts); the pane shows them as written too (State.storedNumbers). Metadata has its own texts
// (metadata-text.ts: Gas City reads them as strings). Only the beads holding a number outside metadata and `priority`
// (an integer as Go reads it, go-int-literals.ts: spelled as JavaScript does unless it is -0) are read again, by our own
// reader; a file with none (Gas City writes none) pays for a look at each bead's values, not at its text.
import { skipSpace, skipValue } from './bead-spans.js';
import { beadsArrayAt, nextMember } from './go-int-literals.js';
import { JsonNumberText, parseJsonSpelled } from './json-text.js';

/** Where a number is in a bead (its keys and indexes, from the bead's top) and its text as the file spells it. */
export type NumberSpelling = [path: (string | number)[], text: string];

const RBRACK = 0x5d;

/** Whether `v` (a value as parsed, inside a bead) holds a number, at any depth; a JsonNumberText is kept as written already. */
function holdsNumber(v: unknown): boolean {
  const left: unknown[] = [v];
  while (left.length > 0) {
    const x = left.pop();
    if (typeof x === 'number') return true;
    if (x !== null && typeof x === 'object' && !(x instanceof JsonNumberText)) for (const y of Object.values(x)) left.push(y);
  }
  return false;
}

/** Whether bead `b` holds a number whose text JavaScript may write otherwise, outside its metadata (see the top). */
function mayBeSpelled(b: unknown): boolean {
  if (b === null || typeof b !== 'object') return false;
  const o = b as Record<string, unknown>;
  for (const k in o) {
    if (k === 'metadata') continue;
    const v = o[k];
    if (typeof v === 'string') continue;
    if (k === 'priority' ? Object.is(v, -0) : holdsNumber(v)) return true;
  }
  return false;
}

/**
 * By bead id, every number of the beads (outside `metadata`) whose text in `text` JavaScript writes otherwise, with
 * its path: the items of the array at the document's top-level member `arrayKey` (null: the document is the array),
 * parsed as `beads`. Undefined when there is none.
 */
export function numberSpellings(
  text: string,
  arrayKey: string | null,
  beads: readonly unknown[],
): Record<string, NumberSpelling[]> | undefined {
  let last = -1;
  let marked: boolean[] | null = null;
  for (let k = 0; k < beads.length; k++)
    if (mayBeSpelled(beads[k])) {
      (marked ??= [])[k] = true;
      last = k;
    }
  if (!marked) return undefined;
  const open = beadsArrayAt(text, arrayKey);
  if (open < 0) return undefined;
  let out: Record<string, NumberSpelling[]> | undefined;
  let i = skipSpace(text, open + 1);
  if (text.charCodeAt(i) === RBRACK) return undefined;
  for (let k = 0; i >= 0 && k <= last; k++) {
    const end = skipValue(text, i);
    if (end < 0) break;
    const bead = beads[k] as Record<string, unknown>;
    if (marked[k]) {
      const found: NumberSpelling[] = [];
      collect(bead, parseJsonSpelled(text.slice(i, end)), [], found);
      if (found.length > 0 && typeof bead.id === 'string') (out ??= {})[bead.id] = found;
    }
    i = nextMember(text, end);
  }
  return out;
}

/** Adds to `found` each number of `value` (as JSON.parse made it) that `spelled` (the same text, our reader's) keeps as its text. */
function collect(value: unknown, spelled: unknown, path: (string | number)[], found: NumberSpelling[]): void {
  if (spelled instanceof JsonNumberText) {
    if (typeof value === 'number') found.push([path, spelled.text]);
    return;
  }
  if (spelled === null || typeof spelled !== 'object' || value === null || typeof value !== 'object') return;
  if (Array.isArray(spelled)) {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < spelled.length && i < value.length; i++) collect(value[i], spelled[i], [...path, i], found);
    return;
  }
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(spelled)) {
    if (path.length === 0 && k === 'metadata') continue; // Gas City reads it as text: State.storedMetadata
    if (Object.hasOwn(v, k)) collect(v[k], (spelled as Record<string, unknown>)[k], [...path, k], found);
  }
}

/**
 * `bead` (as a read holds it) with each number `spellings` names written as the file spells it (a JsonNumberText, which
 * stringifyJson writes as its text), copy-on-write; a path that no longer holds a number is left as it is.
 */
export function withSpellings<T>(bead: T, spellings: readonly NumberSpelling[] | undefined): T {
  let out: unknown = bead;
  for (const [path, text] of spellings ?? []) out = setAt(out, path, 0, text);
  return out as T;
}

function setAt(v: unknown, path: readonly (string | number)[], at: number, text: string): unknown {
  if (at === path.length) return typeof v === 'number' ? new JsonNumberText(text) : v;
  if (v === null || typeof v !== 'object' || v instanceof JsonNumberText) return v;
  const key = path[at];
  if (Array.isArray(v)) {
    if (typeof key !== 'number' || key >= v.length) return v;
    const next = setAt(v[key], path, at + 1, text);
    if (next === v[key]) return v;
    const copy = v.slice();
    copy[key] = next;
    return copy;
  }
  const o = v as Record<string, unknown>;
  if (typeof key !== 'string' || !Object.hasOwn(o, key)) return v;
  const next = setAt(o[key], path, at + 1, text);
  if (next === o[key]) return v;
  const copy: Record<string, unknown> = {};
  // defineProperty: an own "__proto__" key stays plain data.
  for (const k of Object.keys(o))
    Object.defineProperty(copy, k, { value: k === key ? next : o[k], enumerable: true, writable: true, configurable: true });
  return copy;
}
