// Go's decoder refuses an integer written with a fraction or an exponent in an `int` field: `"priority": 1.0` or
// `1e2` fails `strconv.ParseInt` (`encoding/json` `literalStore`), so Gas City cannot read the file. JSON.parse
// reads them as the numbers 1 and 100, the same as `1` and `100`: only the text tells them apart. One search of
// the text for such a literal after one of the keys is all a file costs (Go writes none: it encodes an int as
// digits); when the search finds one, a walk of the text says whether it is a bead's own field (not a metadata
// key of that name, nor a nested object's) and which bead. The keys: `priority` (Go `*int`), and in a capture
// `is_blocked` (bd's optionalBool tries a Go `int` after a bool, so `1.0` fails it too).
// A key spelled with `\u` escapes (`"priorit\u0079"`, which Go reads as `priority`) escapes the search; Go escapes
// no letter, so such a file is walked whenever one is escaped (escapesALetter). A key in another case (Go matches
// keys case-insensitively) is refused before this runs (go-keys.ts).
import { isGoIntText } from './bead-check.js';
import { COLON, COMMA, LBRACE, LBRACK, QUOTE, RBRACE, RBRACK, skipSpace, skipString, skipValue } from './bead-spans.js';

const hints = new Map<string, RegExp>();

/**
 * The search for a number literal with a fraction or an exponent right after the key `key` (a plain name). One
 * search per key: a search that starts with the whole quoted key skips through the text; an alternation of keys
 * would be tried at every quote.
 */
function hintFor(key: string): RegExp {
  let re = hints.get(key);
  if (!re) hints.set(key, (re = new RegExp(`"${key}"\\s*:\\s*-?[0-9]+[.eE]`)));
  return re;
}

/**
 * Whether `text` holds an ASCII letter written as a `\u` escape (`\u0073` for s), as a key can be: Go's decoder
 * reads `"revi\u0073ions"` as `revisions`. Go itself escapes no letter (only `<`, `>`, `&`, controls and U+2028/U+2029),
 * so in a file Gas City wrote the native search finds only those and says no.
 */
export function escapesALetter(text: string): boolean {
  for (let at = text.indexOf('\\u00'); at >= 0; at = text.indexOf('\\u00', at + 4)) {
    const code = parseInt(text.slice(at + 4, at + 6), 16);
    if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true;
  }
  return false;
}

/** A bead's field written as a number Go's `int` does not take: the bead's index in its array, the key and the text. */
export interface InexactInt {
  index: number;
  key: string;
  literal: string;
}

/** The key of the member opening at `i` (unescaped) and where its value starts; null when the text is unusual. */
export function memberKey(s: string, i: number): { key: string; value: number } | null {
  if (s.charCodeAt(i) !== QUOTE) return null;
  const end = skipString(s, i);
  if (end < 0) return null;
  const raw = s.slice(i + 1, end - 1);
  const key = raw.includes('\\') ? (JSON.parse(s.slice(i, end)) as string) : raw;
  const colon = skipSpace(s, end);
  if (s.charCodeAt(colon) !== COLON) return null;
  return { key, value: skipSpace(s, colon + 1) };
}

/** After a member's or an item's value ending at `end`: the next one's offset, or -1 when its container ends (or the text is odd). */
export function nextMember(s: string, end: number): number {
  if (end < 0) return -1;
  const i = skipSpace(s, end);
  return s.charCodeAt(i) === COMMA ? skipSpace(s, i + 1) : -1;
}

/** Where the value of the document's top-level member `key` starts (the last one, if named twice), or -1. */
export function topMemberAt(s: string, key: string): number {
  const start = skipSpace(s, s.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (s.charCodeAt(start) !== LBRACE) return -1;
  let found = -1;
  let i = skipSpace(s, start + 1);
  if (s.charCodeAt(i) === RBRACE) return -1;
  while (i >= 0) {
    const m = memberKey(s, i);
    if (!m) return -1;
    if (m.key === key) found = m.value;
    i = nextMember(s, skipValue(s, m.value));
  }
  return found;
}

/** The offset of the `[` of the beads array: the document itself (`arrayKey` null) or its top-level member `arrayKey`. */
export function beadsArrayAt(s: string, arrayKey: string | null): number {
  if (arrayKey === null) {
    const start = skipSpace(s, s.charCodeAt(0) === 0xfeff ? 1 : 0);
    return s.charCodeAt(start) === LBRACK ? start : -1;
  }
  const at = topMemberAt(s, arrayKey);
  return at >= 0 && s.charCodeAt(at) === LBRACK ? at : -1;
}

/**
 * The first bead of the beads array (the document, or its member `arrayKey`) whose own field named in `keys` is a
 * number literal Go's `int` does not take, or null. Run on text that parsed, whose beads passed bead-check.ts.
 */
export function inexactInt(s: string, arrayKey: string | null, keys: readonly string[]): InexactInt | null {
  if (!keys.some((k) => hintFor(k).test(s)) && !escapesALetter(s)) return null;
  const open = beadsArrayAt(s, arrayKey);
  if (open < 0) return null;
  let i = skipSpace(s, open + 1);
  if (s.charCodeAt(i) === RBRACK) return null;
  for (let index = 0; i >= 0; index++) {
    if (s.charCodeAt(i) !== LBRACE) {
      i = nextMember(s, skipValue(s, i));
      continue;
    }
    let j = skipSpace(s, i + 1);
    let end = -1;
    if (s.charCodeAt(j) === RBRACE) end = j + 1;
    while (j >= 0 && end < 0) {
      const m = memberKey(s, j);
      if (!m) return null;
      const valueEnd = skipValue(s, m.value);
      if (valueEnd < 0) return null;
      if (keys.includes(m.key)) {
        const literal = s.slice(m.value, valueEnd);
        const c = literal.charCodeAt(0);
        if ((c === 45 || (c >= 48 && c <= 57)) && !isGoIntText(literal)) return { index, key: m.key, literal };
      }
      const after = skipSpace(s, valueEnd);
      if (s.charCodeAt(after) === RBRACE) end = after + 1;
      else j = s.charCodeAt(after) === COMMA ? skipSpace(s, after + 1) : -1;
    }
    if (end < 0) return null;
    i = nextMember(s, end);
  }
  return null;
}
