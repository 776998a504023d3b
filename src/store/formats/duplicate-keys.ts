// A document whose top-level object names a key twice (`{"beads": [...], ..., "beads": [...]}`, a bad merge)
// parses as the last of the two: the first is silently gone from what gc-tui shows, and from the file at its next
// write. Such a file is refused instead, naming the key and where its second one is. Only the top level is looked
// at: it is where a second copy of the data hides, and walking it skips each value's text without looking inside
// (a pass over the whole text, about 45 ms at 100 000 beads), so the hot reads check the small text around the
// beads instead (store-stream.ts, store-reread.ts), and a write only when it does not copy the bytes it read.
import { memberAt, skipSpace, skipValue } from './bead-spans.js';
import { JsonSyntaxError, lineColumnAt } from './json-text.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** The key at `i` (a JSON string, escapes decoded) and the offset after it; null when not a string. */
function keyAt(s: string, i: number): { key: string; value: number } | null {
  const plain = memberAt(s, i);
  if (plain) return plain;
  if (s.charCodeAt(i) !== QUOTE) return null;
  // An escaped key: its end is the first quote not escaped; JSON.parse decodes it.
  let j = i + 1;
  for (;;) {
    j = s.indexOf('"', j);
    if (j < 0) return null;
    let k = j - 1;
    while (s.charCodeAt(k) === 0x5c) k--;
    if ((j - 1 - k) % 2 === 0) break;
    j++;
  }
  let key: string;
  try {
    key = JSON.parse(s.slice(i, j + 1)) as string;
  } catch {
    return null;
  }
  const colon = skipSpace(s, j + 1);
  return s.charCodeAt(colon) === 0x3a ? { key, value: skipSpace(s, colon + 1) } : null;
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

/** Throw the JsonSyntaxError (line and column) of a top-level key named twice in `text`. */
export function assertUniqueTopKeys(text: string): void {
  const dup = duplicateTopKey(text);
  if (dup)
    throw new JsonSyntaxError({
      ...lineColumnAt(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, dup.offset - (text.charCodeAt(0) === 0xfeff ? 1 : 0)),
      message: `the key ${JSON.stringify(dup.key)} appears twice at the top level (the second would silently replace the first); keep one`,
    });
}
