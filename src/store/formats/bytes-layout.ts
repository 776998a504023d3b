// The layout of a JSON file (detectJsonLayout) from its bytes, without decoding all of them: a write that splices
// the bytes it read (splice-beads.ts) never needs their whole text, and decoding 37 MB at 100 000 beads only to
// look at its first line and its last two characters cost tens of milliseconds.
//
// detectJsonLayout reads a byte order mark at the start, the first `[` or `{` and at most 200 characters after it,
// and whether the text ends with `\n` or `\r\n`. In UTF-8 an ASCII byte is always that character, and the text
// decoded from just after one is the whole text's from there (a broken sequence before it ended at it), so those
// are read from the bytes alone.
import { detectJsonLayout, type JsonLayout } from './json-text.js';

/**
 * How many bytes after the first bracket are decoded: detectJsonLayout looks at 200 UTF-16 units there, and no
 * character (nor a U+FFFD for a broken sequence) takes more than 3 bytes a unit; the rest is room for a last
 * character cut in two.
 */
const WINDOW_BYTES = 1024;

/** Files up to this size are simply decoded whole. */
const SMALL_BYTES = 4 * WINDOW_BYTES;

/** detectJsonLayout of the UTF-8 text of `bytes`. */
export function layoutOfBytes(bytes: Buffer): JsonLayout {
  if (bytes.length <= SMALL_BYTES) return detectJsonLayout(bytes.toString('utf8'));
  const brace = bytes.indexOf(0x7b);
  const bracket = bytes.indexOf(0x5b);
  const open = brace < 0 ? bracket : bracket < 0 ? brace : Math.min(brace, bracket);
  if (open < 0) return detectJsonLayout('');
  // A bracket near the end: its window would meet the end, which the text read whole shows as it is.
  if (open + 1 + WINDOW_BYTES >= bytes.length) return detectJsonLayout(bytes.toString('utf8'));
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? '\ufeff' : '';
  const window = bytes.toString('utf8', open + 1, open + 1 + WINDOW_BYTES);
  const n = bytes.length;
  const end = bytes[n - 1] !== 0x0a ? '' : bytes[n - 2] === 0x0d ? '\r\n' : '\n';
  // A space keeps the window's own last character from being taken for the file's end.
  return detectJsonLayout(`${bom}${String.fromCharCode(bytes[open])}${window} ${end}`);
}
