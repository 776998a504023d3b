// A namepool file, read as Gas City reads it (`internal/config/namepool.go` `LoadNamepool`): a `bufio.Scanner`
// over the bytes, one line at a time (split at `\n`, one `\r` before it dropped), each line `strings.TrimSpace`d,
// blank lines and lines starting with `#` skipped. Slot N takes the N-th name.
// As Go has it, not as JavaScript would: nothing strips a byte order mark (Go's TrimSpace trims Unicode white
// space, and U+FEFF is not white space), so a file saved "with BOM" has the mark in its first name (or its first
// line is no longer a `#` comment, and is a name); and a line of 64 KiB or more ends the list there (the
// scanner's longest line; LoadNamepool does not look at its error).
// A file Gas City cannot read at all is no error to it: `loadNamepools` (`internal/config/compose.go`) skips the
// error of LoadNamepool ("silent fallback to numeric names") and leaves the agent without names.
// A file that looks like UTF-16 (or UTF-32), or is not UTF-8 (Latin-1: read as U+FFFD), or has a name holding a control character (a NUL, an escape, a tab
// inside it), is read as Gas City reads it, its lines as they are, with a warning: Gas City names its sessions so, and a
// plan that named them otherwise would have gc-tui and the controller rename them back and forth; the warning says to
// save the file as UTF-8 names.
import { isUtf8 } from 'node:buffer';
import { accessSync, closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { describeFsError } from '../fs/fs-errors.js';
import { bytesAsText, MAX_NAMEPOOL_BYTES, readRegularFile } from '../fs/read-bounded.js';
import { O_NOCTTY, O_NONBLOCK, O_RDONLY } from '../fs/safe-file.js';
import { codePointName } from './json-text.js';
import { nonUtf8Byte, utf16Said } from './utf8.js';

/** The longest line, `\n` included, bufio.Scanner reads (`bufio.MaxScanTokenSize`). */
const MAX_SCAN_LINE_BYTES = 64 * 1024;

/** Go's `unicode.IsSpace`: ASCII \t \n \v \f \r and space, U+0085, U+00A0, and the White_Space characters above. */
function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Go's `strings.TrimSpace` (String.prototype.trim differs: it also trims U+FEFF, and not U+0085). */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** A namepool's names, each with its 1-based line. */
export function parseNamepoolLines(text: string): { name: string; line: number }[] {
  const names: { name: string; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (Buffer.byteLength(raw, 'utf8') + 1 > MAX_SCAN_LINE_BYTES) break;
    const line = goTrimSpace(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (line !== '' && !line.startsWith('#')) names.push({ name: line, line: i + 1 });
  }
  return names;
}

/** A control character (C0, DEL, C1): never in a name gc-tui proposes. */
const CONTROL = /\p{Cc}/u;

/**
 * The first line read as a name whose bytes are not UTF-8, and its first such byte, or null: a byte in a `#` comment or
 * past the last line scanned names no session, and is no reason to set the names aside.
 */
function nonUtf8NameLine(bytes: Buffer, lines: readonly { line: number }[]): { line: number; hex: string } | null {
  if (isUtf8(bytes) || lines.length === 0) return null;
  const nameLines = new Set(lines.map((l) => l.line));
  const last = lines[lines.length - 1].line;
  for (let line = 1, start = 0; line <= last; line++) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl;
    const bad = nameLines.has(line) ? nonUtf8Byte(bytes.subarray(start, end)) : null;
    if (bad) return { line, hex: bad.hex };
    if (nl < 0) break;
    start = nl + 1;
  }
  return null;
}

/**
 * Why gc-tui takes no names from a namepool's text though Gas City would read it, with its short form, or null: it
 * looks like UTF-16 or UTF-32, or is not UTF-8 (the line of its first such byte is named), or a name holds a control
 * character (the first such line is named).
 */
function notNames(
  bytes: Buffer,
  text: string,
  lines: readonly { name: string; line: number }[],
): { unread: string; garbled: string } | null {
  const wide = utf16Said(text);
  if (wide) return { unread: wide, garbled: `looks like ${/UTF-\d+/.exec(wide)?.[0] ?? 'UTF-16'}, not UTF-8` };
  // Latin-1 or another 8-bit encoding (`café` saved as 63 61 66 e9): each such byte reads as U+FFFD, here and in the
  // session names Gas City writes to its beads (Go's JSON encoder writes a byte that is not UTF-8 as U+FFFD).
  const bad = nonUtf8NameLine(bytes, lines);
  if (bad)
    return {
      unread: `line ${bad.line}: byte ${bad.hex} is not UTF-8 (Latin-1 or another 8-bit encoding?), read as U+FFFD; a namepool is a list of names, as UTF-8 text`,
      garbled: `line ${bad.line} is not UTF-8 (byte ${bad.hex}: Latin-1?)`,
    };
  for (const { name, line } of lines) {
    const c = CONTROL.exec(name);
    if (!c) continue;
    const code = codePointName(c[0]);
    return {
      unread: `line ${line}: the name holds a control character (${code}); a namepool is a list of names, as UTF-8 text`,
      garbled: `line ${line} holds a control character (${code})`,
    };
  }
  return null;
}

/**
 * Why Go's `os.ReadFile` fails on `file` (the open fails: missing, permission denied, a loop of links; or it is a
 * directory, whose read fails), or null when it would read it. Opened without blocking: a FIFO is no failure
 * here, and readNamepool refuses it.
 */
export function goReadFailure(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  } catch (e) {
    return describeFsError(e);
  }
  try {
    return fstatSync(fd).isDirectory() ? 'is a directory, not a file' : null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Why Go's `os.ReadFile` fails on `file`, found without opening it (stat, then access for reading), or null when it
 * would read it: for a path outside the city, which gc-tui never opens.
 */
export function goReadFailureUnopened(file: string): string | null {
  try {
    if (statSync(file).isDirectory()) return 'is a directory, not a file';
    accessSync(file, constants.R_OK);
    return null;
  } catch (e) {
    return describeFsError(e);
  }
}

/**
 * Read a namepool file: its names, or `unread` (why) where Gas City cannot read it and goes on without names; its names
 * with `unread` and `garbled` (briefly) where they are not names as UTF-8 text (UTF-16, a control character in a name),
 * taken as Gas City takes them. A file Gas City would read but gc-tui will not hold is refused, an InputError: not a regular
 * file (a FIFO or /dev/zero is never read), or over 1 MiB.
 */
export function readNamepool(file: string): { names: string[]; unread?: string; garbled?: string } | { unread: string } {
  const unread = goReadFailure(file);
  if (unread !== null) return { unread };
  const bytes = readRegularFile(file, { maxBytes: MAX_NAMEPOOL_BYTES, raise: 'a namepool is a list of names' });
  const text = bytesAsText(file, bytes);
  const lines = parseNamepoolLines(text);
  const names = lines.map((n) => n.name);
  const odd = notNames(bytes, text, lines);
  return odd ? { names, ...odd } : { names };
}
