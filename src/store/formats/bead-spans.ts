// Where each bead's text is in a store document's text, found without parsing it: the top-level "beads"
// array and the span of every item. A re-read (store-reread.ts) then parses only the items whose text
// changed. The scan trusts nothing it cannot check cheaply: anything unusual (no "beads" array, two of
// them, an escaped top-level key, an item that is not an object, text after the document) answers null,
// and the caller parses the whole text, which words any error.

/**
 * The "beads" array's brackets and each item's text, as [starts[i], ends[i]) offsets into the text: two typed columns,
 * kept by a re-read from one read to the next (a text's offsets fit: V8's longest string is under 2^30 characters).
 */
export interface BeadSpans {
  /** Offset of the array's `[` and of its `]`. */
  open: number;
  close: number;
  starts: Int32Array;
  ends: Int32Array;
}

export const QUOTE = 34;
const BACKSLASH = 92;
export const LBRACE = 123;
export const RBRACE = 125;
export const LBRACK = 91;
export const RBRACK = 93;
export const COMMA = 44;
export const COLON = 58;

export function skipSpace(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = s.charCodeAt(++i));
  return i;
}

/** The offset after the string opening at `i`, or -1 when it does not close. */
export function skipString(s: string, i: number): number {
  const from = i + 1;
  for (let at = from; ; ) {
    const q = s.indexOf('"', at);
    if (q < 0) return -1;
    // Escaped when preceded by an odd number of backslashes.
    let k = q - 1;
    while (k >= from && s.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    at = q + 1;
  }
}

/** The offset after the object or array opening at `i` (brackets counted, strings skipped), or -1. */
export function skipContainer(s: string, i: number): number {
  let depth = 0;
  for (const n = s.length; i < n; ) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(s, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === LBRACE || c === LBRACK) depth++;
    else if (c === RBRACE || c === RBRACK) {
      if (--depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** The offset after a scalar (number, true, false, null) starting at `i`: up to the next delimiter. */
function skipScalar(s: string, i: number): number {
  for (let c = s.charCodeAt(i); i < s.length; c = s.charCodeAt(++i)) {
    if (c === COMMA || c === RBRACE || c === RBRACK || c === 32 || c === 10 || c === 13 || c === 9) break;
  }
  return i;
}

export function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i);
  if (c === LBRACE || c === LBRACK) return skipContainer(s, i);
  const end = skipScalar(s, i);
  return end > i ? end : -1;
}

/**
 * Where the item starting at `at` ends, or -1 when it is unusual. The default reads an object's brackets; a
 * caller that knows what text to expect there can answer without reading it (store-reread.ts).
 */
export type ItemEnd = (s: string, at: number) => number;

/** An object item's end, found by reading its brackets. */
export function objectEnd(s: string, at: number): number {
  return s.charCodeAt(at) === LBRACE ? skipContainer(s, at) : -1;
}

/**
 * The member whose key opens at `i` (a string, then `:`): its key and the offset of its value (after white
 * space); null when unusual (not a string, an escaped key, no `:`), undefined when the text stops first.
 */
export function memberAt(s: string, i: number): { key: string; value: number } | null | undefined {
  if (i >= s.length) return undefined;
  if (s.charCodeAt(i) !== QUOTE) return null;
  const keyEnd = skipString(s, i);
  if (keyEnd < 0) return undefined;
  const key = s.slice(i + 1, keyEnd - 1);
  // An escaped key could spell "beads"; JSON.parse would then take the last of two: leave it to the parser.
  if (key.includes('\\')) return null;
  i = skipSpace(s, keyEnd);
  if (i >= s.length) return undefined;
  if (s.charCodeAt(i) !== COLON) return null;
  return { key, value: skipSpace(s, i + 1) };
}

/** The items of the array opening at `open`: their spans, and the offset of its `]`; null when unusual. */
export function items(s: string, open: number, itemEnd: ItemEnd): { close: number; starts: number[]; ends: number[] } | null {
  const starts: number[] = [];
  const ends: number[] = [];
  let i = skipSpace(s, open + 1);
  if (s.charCodeAt(i) === RBRACK) return { close: i, starts, ends };
  for (;;) {
    const end = itemEnd(s, i);
    if (end < 0) return null;
    starts.push(i);
    ends.push(end);
    i = skipSpace(s, end);
    const c = s.charCodeAt(i);
    if (c === RBRACK) return { close: i, starts, ends };
    if (c !== COMMA) return null;
    i = skipSpace(s, i + 1);
  }
}

/** The spans of the beads of a store document's text (a BOM allowed), or null (see the top). */
export function beadSpans(s: string, itemEnd: ItemEnd = objectEnd): BeadSpans | null {
  let i = skipSpace(s, s.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (s.charCodeAt(i) !== LBRACE) return null;
  let found: BeadSpans | null = null;
  i = skipSpace(s, i + 1);
  if (s.charCodeAt(i) === RBRACE) return null;
  for (;;) {
    const member = memberAt(s, i);
    if (!member) return null;
    const key = member.key;
    i = member.value;
    if (key === 'beads') {
      if (found || s.charCodeAt(i) !== LBRACK) return null;
      const at = items(s, i, itemEnd);
      if (!at) return null;
      found = { open: i, close: at.close, starts: Int32Array.from(at.starts), ends: Int32Array.from(at.ends) };
      i = at.close + 1;
    } else {
      i = skipValue(s, i);
      if (i < 0) return null;
    }
    i = skipSpace(s, i);
    const c = s.charCodeAt(i);
    if (c === RBRACE) break;
    if (c !== COMMA) return null;
    i = skipSpace(s, i + 1);
  }
  return skipSpace(s, i + 1) === s.length ? found : null;
}
