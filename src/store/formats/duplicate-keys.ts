// A document whose top-level object names a key twice (`{"beads": [...], ..., "beads": [...]}`, a bad merge)
// parses as the last of the two: the first is silently gone from what gc-tui shows, and from the file at its next
// write. Such a file is refused instead, naming the key and where its second one is. Reads look only at the top
// level: it is where a second copy of the data hides, and walking it skips each value's text without looking inside
// (a pass over the whole text, about 45 ms at 100 000 beads), so the hot reads check the small text around the
// beads instead (store-stream.ts, store-reread.ts). A write looks at every level of the text it makes anew (the
// changed beads' own text, or the whole document when it does not copy the bytes it read): a key named twice inside
// a bead would lose its first copy there (firstDuplicateKey).
import { memberAt, skipSpace, skipString, skipValue } from './bead-spans.js';

const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** The key at `i` (a JSON string, escapes decoded) and the offset of its value; null when not a member. */
function keyAt(s: string, i: number): { key: string; value: number } | null {
  const plain = memberAt(s, i);
  if (plain) return plain;
  // An escaped key (memberAt leaves those to the parser): JSON.parse decodes it.
  const end = s.charCodeAt(i) === QUOTE ? skipString(s, i) : -1;
  if (end < 0) return null;
  const colon = skipSpace(s, end);
  return s.charCodeAt(colon) === COLON ? { key: JSON.parse(s.slice(i, end)) as string, value: skipSpace(s, colon + 1) } : null;
}

/** The first key of the top-level object of `text` (valid JSON) named a second time, and where; null when none. */
export function duplicateTopKey(text: string): { key: string; offset: number } | null {
  let i = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (text.charCodeAt(i) !== LBRACE) return null;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === RBRACE) return null;
  const seen = new Set<string>();
  for (;;) {
    const member = keyAt(text, i);
    if (!member) return null; // not what JSON.parse accepted: its own error says so
    if (seen.has(member.key)) return { key: member.key, offset: i };
    seen.add(member.key);
    i = skipValue(text, member.value);
    if (i < 0) return null;
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== COMMA) return null;
    i = skipSpace(text, i + 1);
  }
}

const LBRACK = 0x5b;
const RBRACK = 0x5d;
const BACKSLASH = 0x5c;

/** How many keys an object holds before firstDuplicateKey looks its keys up in a set. */
const MANY_KEYS = 32;

/** Whether s[a, a + n) and s[b, b + n) hold the same characters. */
function sameText(s: string, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (s.charCodeAt(a + k) !== s.charCodeAt(b + k)) return false;
  return true;
}

/** The key whose quotes are at s[a - 1] and s[b] (its raw text between them), as JSON reads it. */
function keyText(s: string, a: number, b: number): string {
  const raw = s.slice(a, b);
  return raw.includes('\\') ? (JSON.parse(s.slice(a - 1, b + 1)) as string) : raw;
}

/**
 * The first key named twice in one object, at any depth, of the JSON text s[from, to) (valid JSON: JSON.parse
 * accepted it), where its second one is and how deep its object is (1: the outermost); null when none. Keys compare as JSON reads them (escapes decoded).
 * Each key is compared in place with the keys before it in its object (objects hold a few keys): no string is made
 * per key, so a whole 100 000-bead document takes a pass of its text. An object past MANY_KEYS keys (a sealed city's
 * `revisions`, one per bead) has its keys looked up in a set instead: compared in place, 100 000 keys took minutes.
 */
export function firstDuplicateKey(s: string, from = 0, to = s.length): { key: string; offset: number; depth: number } | null {
  // The raw text [starts[j], ends[j]) of the keys of every open object, innermost last; per open container, where
  // its keys begin in them (-1: an array), and its keys as read once it holds more than MANY_KEYS.
  const starts: number[] = [];
  const ends: number[] = [];
  /** Whether the key holds an escape (then it is compared as JSON reads it). */
  const escaped: boolean[] = [];
  const firstKey: number[] = [];
  const keySets: (Set<string> | null)[] = [];
  let keyNext = false;
  for (let i = from; i < to; ) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      const end = skipString(s, i);
      if (end < 0) return null;
      const first = firstKey.length > 0 ? firstKey[firstKey.length - 1] : -1;
      if (keyNext && first >= 0) {
        const a = i + 1;
        const b = end - 1;
        let esc = false;
        for (let k = a; k < b && !esc; k++) esc = s.charCodeAt(k) === BACKSLASH;
        let set = keySets[keySets.length - 1];
        if (!set && starts.length - first >= MANY_KEYS) {
          set = keySets[keySets.length - 1] = new Set();
          for (let j = first; j < starts.length; j++) set.add(keyText(s, starts[j], ends[j]));
        }
        if (set) {
          const key = keyText(s, a, b);
          if (set.has(key)) return { key, offset: i, depth: firstKey.length };
          set.add(key);
        } else
          for (let j = first; j < starts.length; j++) {
            const same =
              esc || escaped[j]
                ? keyText(s, starts[j], ends[j]) === keyText(s, a, b)
                : ends[j] - starts[j] === b - a && sameText(s, starts[j], a, b - a);
            // depth: 1 for the keys of the object s[from, to) opens with.
            if (same) return { key: keyText(s, a, b), offset: i, depth: firstKey.length };
          }
        starts.push(a);
        ends.push(b);
        escaped.push(esc);
        keyNext = false;
      }
      i = end;
      continue;
    }
    if (c === LBRACE) {
      firstKey.push(starts.length);
      keySets.push(null);
      keyNext = true;
    } else if (c === LBRACK) {
      firstKey.push(-1);
      keySets.push(null);
      keyNext = false;
    } else if (c === RBRACE || c === RBRACK) {
      keySets.pop();
      const first = firstKey.pop() ?? -1;
      if (first >= 0) starts.length = ends.length = escaped.length = first;
      keyNext = false;
    } else if (c === COMMA) keyNext = firstKey.length > 0 && firstKey[firstKey.length - 1] >= 0;
    i++;
  }
  return null;
}
