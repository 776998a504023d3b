// A document whose top-level object names a key twice (`{"beads": [...], ..., "beads": [...]}`, a bad merge)
// parses as the last of the two: the first is silently gone from what gc-tui shows, and from the file at its next
// write. Such a file is refused instead, naming the key and where its second one is. Only the top level is looked
// at: it is where a second copy of the data hides, and walking it skips each value's text without looking inside
// (a pass over the whole text, about 45 ms at 100 000 beads), so the hot reads check the small text around the
// beads instead (store-stream.ts, store-reread.ts), and a write only when it does not copy the bytes it read.
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
