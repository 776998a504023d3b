// Gas City decodes a bead's metadata as a StringMap (internal/beads/bdstore.go, StringMap.UnmarshalJSON): each value is
// read as a json.RawMessage; a JSON string is unquoted, and any other value is kept as its JSON text, trimmed
// (`1.0` stays "1.0", `1e2` "1e2", `-0` "-0", an object its text as written). JSON.parse has already made such a number
// a number (1, 100, 0): only the text says how it was spelled, so for the beads whose metadata holds a number, an
// object or an array, the text of each such value is read from the document's text.
import { skipSpace, skipValue } from './bead-spans.js';
import { beadsArrayAt, memberKey, nextMember } from './go-int-literals.js';
import { JsonNumberText } from './json-text.js';

const LBRACE = 0x7b;
const RBRACE = 0x7d;
const RBRACK = 0x5d;

/** A metadata value whose text JSON.parse loses: a number (not kept as text), an object or an array. */
function spelledOtherwise(v: unknown): boolean {
  return typeof v === 'number' || isContainer(v);
}

function isContainer(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !(v instanceof JsonNumberText);
}

/**
 * A member's value that is a number JavaScript writes otherwise: one with a fraction or an exponent (`1.0`, `1e2`),
 * or `-0`. An integer's digits are what String() writes (beyond 2^53 the parser keeps its text), so a file whose
 * number values are all integers, as bd writes them, is not walked. The `"` before the `:` (space between allowed, as
 * a hand-laid-out `"pool_slot" : 3.0`) keeps times inside strings (`T10:00:00.5Z`) out of it.
 */
const SPELLED_NUMBER = /"[ \t\r\n]*:[ \t\r\n]*(?:-?[0-9]+[.eE]|-0(?![0-9]))/;

function metadataOf(bead: unknown): Record<string, unknown> | null {
  const md = bead !== null && typeof bead === 'object' ? (bead as Record<string, unknown>).metadata : null;
  return md !== null && typeof md === 'object' && !Array.isArray(md) ? (md as Record<string, unknown>) : null;
}

/** Whether the text `literal` reads as the value `v` JSON.parse made of it. */
function readsAs(literal: string, v: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(literal)) === JSON.stringify(v);
  } catch {
    return false;
  }
}

/** The texts of the bead object opening at `open`'s metadata values in `md` that JSON.parse spells otherwise, or null. */
function beadTexts(text: string, open: number, md: Record<string, unknown>): Record<string, string> | null {
  let j = skipSpace(text, open + 1);
  if (text.charCodeAt(j) === RBRACE) return null;
  let at = -1;
  while (j >= 0) {
    const m = memberKey(text, j);
    if (!m) return null;
    const end = skipValue(text, m.value);
    if (end < 0) return null;
    if (m.key === 'metadata') at = m.value; // the last one, as JSON readers and Go keep
    j = nextMember(text, end);
  }
  if (at < 0 || text.charCodeAt(at) !== LBRACE) return null;
  let out: Record<string, string> | null = null;
  let k = skipSpace(text, at + 1);
  if (text.charCodeAt(k) === RBRACE) return null;
  while (k >= 0) {
    const m = memberKey(text, k);
    if (!m) return out;
    const end = skipValue(text, m.value);
    if (end < 0) return out;
    const v = md[m.key];
    if (spelledOtherwise(v)) {
      const literal = text.slice(m.value, end);
      if (readsAs(literal, v)) (out ??= {})[m.key] = literal;
    } else if (out && m.key in out) delete out[m.key]; // a later value of the key replaced it
    k = nextMember(text, end);
  }
  return out;
}

/**
 * For each bead of `beads` (the items of the array at the document's top-level member `arrayKey`, or the document
 * itself when null, in `text`) whose metadata holds a number, an object or an array: by key, that value's text as
 * written, which is the string Gas City reads. Beads without such a value are not looked at, nor the items after
 * the last one that has one; numbers only when the text holds one JavaScript writes otherwise (SPELLED_NUMBER).
 */
export function metadataTexts(text: string, arrayKey: string | null, beads: readonly unknown[]): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  let last = -1;
  let numbers: boolean | undefined;
  for (let k = 0; k < beads.length; k++) {
    const md = metadataOf(beads[k]);
    if (md)
      for (const key in md) {
        const v = md[key];
        if (isContainer(v) || (typeof v === 'number' && (numbers ??= SPELLED_NUMBER.test(text)))) last = k;
      }
  }
  if (last < 0) return out;
  const open = beadsArrayAt(text, arrayKey);
  if (open < 0) return out;
  let i = skipSpace(text, open + 1);
  if (text.charCodeAt(i) === RBRACK) return out;
  for (let k = 0; i >= 0 && k <= last; k++) {
    const end = skipValue(text, i);
    if (end < 0) return out;
    const md = metadataOf(beads[k]);
    if (md && text.charCodeAt(i) === LBRACE) {
      let any = false;
      for (const key in md) if (spelledOtherwise(md[key])) any = true;
      const texts = any ? beadTexts(text, i, md) : null;
      if (texts) out.set(k, texts);
    }
    i = nextMember(text, end);
  }
  return out;
}
