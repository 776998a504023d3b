// A file gc-tui rewrites must be UTF-8. Node's decoder (as Go's) reads a byte that is not UTF-8 as U+FFFD, so a write
// that makes a file anew from what was parsed would replace such a byte, even in a bead it does not change: data
// altered without anyone asking. Such a write is refused instead, naming where the first such byte is.
import { isUtf8 } from 'node:buffer';
import { InputError } from '../types.js';

/** The offset of the first byte of `b` that does not start or continue a UTF-8 sequence (WHATWG's rules), or -1. */
export function firstNonUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    // The sequence's length and the range its second byte must be in (overlongs, surrogates and > U+10FFFF excluded).
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < n; k++) {
      const d = b[i + k];
      // A broken sequence: its first byte is the one named.
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n;
  }
  return -1;
}

/**
 * Refuse to rewrite `file` (an InputError naming the line and column of its first byte that is not UTF-8) unless the
 * bytes it was read from are UTF-8 throughout. One native pass (buffer.isUtf8); the place is looked for only when
 * the file is not.
 */
export function assertRewritableUtf8(file: string, bytes: Buffer): void {
  const bad = nonUtf8Byte(bytes);
  if (!bad) return;
  throw new InputError(
    file,
    `line ${bad.line}, column ${bad.column}`,
    `byte ${bad.hex} is not UTF-8: a write would replace it with U+FFFD, so nothing was written; make the file UTF-8 first`,
  );
}

/**
 * The first byte of `bytes` that is not UTF-8 (`0xe9`), with its 1-based line and column (characters counted as code
 * points), or null when they are UTF-8 throughout. One native pass (buffer.isUtf8); the place is looked for only when
 * they are not.
 */
export function nonUtf8Byte(bytes: Buffer): { hex: string; line: number; column: number } | null {
  if (isUtf8(bytes)) return null;
  const at = firstNonUtf8(bytes);
  if (at < 0) return null;
  const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
  // The line up to that byte is UTF-8 (it is the first that is not): its characters are counted as code points.
  const column = Array.from(bytes.toString('utf8', lineStart, at)).length + 1;
  return { hex: `0x${bytes[at].toString(16).padStart(2, '0')}`, line, column };
}

/** How many UTF-16 units of a text isUtf8Of encodes at a time (at most 3 bytes each). */
const UNITS = 1 << 18;
let scratch: Buffer | null = null;

/**
 * Whether `bytes` are `text` in UTF-8, byte for byte: the text encoded a part at a time into one small buffer and
 * compared, so no second copy of a big file is made (at 100 000 beads a 39 MB one, whose allocation also started a
 * collection of the whole heap: about 0.1 s more). A surrogate pair is never split between parts.
 */
export function isUtf8Of(bytes: Uint8Array, text: string): boolean {
  const buf = (scratch ??= Buffer.allocUnsafe(3 * UNITS));
  let at = 0;
  for (let i = 0; i < text.length; ) {
    let j = Math.min(text.length, i + UNITS);
    const last = text.charCodeAt(j - 1);
    if (j < text.length && last >= 0xd800 && last < 0xdc00) j--;
    const n = buf.write(text.slice(i, j), 0, 'utf8');
    if (at + n > bytes.length || buf.compare(bytes, at, at + n, 0, n) !== 0) return false;
    at += n;
    i = j;
  }
  return at === bytes.length;
}

/**
 * What a refusal says of `text` (a file's bytes read as UTF-8) that does not parse and looks like UTF-16 or UTF-32, with
 * or without a byte order mark, or null: JSON and TOML files are UTF-8, and a parser would only name a U+FFFD or a zero
 * byte. UTF-32 is looked for first: its little-endian mark (ff fe 00 00) starts as UTF-16's does.
 */
export function utf16Said(text: string): string | null {
  const wide = utf32Start(text);
  if (wide) return `the file looks like UTF-32 (it starts with the bytes ${wide}), not UTF-8: save it as UTF-8`;
  const start = utf16Mark(text) ?? utf16Unmarked(text);
  return start && `the file looks like UTF-16 (it starts with the bytes ${start}), not UTF-8: save it as UTF-8`;
}

/**
 * The bytes a UTF-32 file starts `text` with, when it looks like one: its byte order mark, `ff fe 00 00` (two U+FFFD read
 * as UTF-8, then two zero bytes) or `00 00 fe ff`; or, without one, an ASCII character with three zero bytes after it
 * (little endian) or before it (big endian).
 */
function utf32Start(text: string): string | null {
  if (text.startsWith('\ufffd\ufffd\0\0')) return "ff fe 00 00, UTF-32's byte order mark (little endian)";
  if (text.startsWith('\0\0\ufffd\ufffd')) return "00 00 fe ff, UTF-32's byte order mark (big endian)";
  if (text.length < 4) return null;
  const ascii = (i: number): boolean => text.charCodeAt(i) > 0 && text.charCodeAt(i) < 0x80;
  const hex = (i: number): string => text.charCodeAt(i).toString(16).padStart(2, '0');
  if (ascii(0) && text.startsWith('\0\0\0', 1))
    return `${hex(0)} 00 00 00: three zero bytes after the first character, as UTF-32 little endian without a byte order mark writes it`;
  if (text.startsWith('\0\0\0') && ascii(3))
    return `00 00 00 ${hex(3)}: three zero bytes before the first character, as UTF-32 big endian without a byte order mark writes it`;
  return null;
}

/**
 * The bytes a UTF-16 file's byte order mark starts `text` with, when it looks like one: read as UTF-8, `ff fe` and `fe ff`
 * are two U+FFFD, and the first character after them (ASCII, as JSON and TOML start) has its zero byte after it (ff fe, little
 * endian) or before it (fe ff).
 */
function utf16Mark(text: string): string | null {
  if (!text.startsWith('\ufffd\ufffd')) return null;
  const mark = text[3] === '\0' ? 'ff fe' : text[2] === '\0' ? 'fe ff' : null;
  return mark && `${mark}, UTF-16's byte order mark`;
}

/**
 * The bytes a UTF-16 file without a byte order mark starts `text` with, when it looks like one: JSON (and TOML) starts with
 * ASCII (white space, `{`, `[`), which UTF-16 writes as its byte with a zero byte after it (little endian) or before it (big
 * endian). Its first two characters (four bytes) are looked at. Valid JSON never looks so: a raw zero byte is not JSON
 * text, in a string or out of one (nor TOML text).
 */
function utf16Unmarked(text: string): string | null {
  const n = Math.min(text.length - (text.length % 2), 4);
  if (n < 2) return null;
  const ascii = (i: number): boolean => text.charCodeAt(i) > 0 && text.charCodeAt(i) < 0x80;
  const zero = (i: number): boolean => text.charCodeAt(i) === 0;
  let little = true;
  let big = true;
  for (let i = 0; i < n; i += 2) {
    little &&= ascii(i) && zero(i + 1);
    big &&= zero(i) && ascii(i + 1);
  }
  if (!little && !big) return null;
  const bytes = [...text.slice(0, n)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');
  return `${bytes}: a zero byte ${little ? 'after' : 'before'} each character, as UTF-16 ${little ? 'little' : 'big'} endian without a byte order mark writes it`;
}
