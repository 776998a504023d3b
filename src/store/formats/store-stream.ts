// Reading a store file without ever holding its whole text. A headless command needs the document, not the
// text: at 100 000 beads the file's bytes (37 MB), its text (37 MB) and the parsed document (50 MB) together
// made most of the peak of `gc-tui check`. So the file is read a stretch of bytes at a time, and its beads are
// parsed in batches as soon as they are whole, each batch decoded on its own (one string of its exact text, no
// copies); the rest of the document (everything but the beads' items) is parsed once at the end. The result
// is what parseJsonText gives for the file's whole text (the test compares them); anything unusual, or any
// error, answers UNUSUAL and the caller reads the file whole, which words the error exactly as before.
//
// The bytes are scanned, not the text: the characters that shape JSON are ASCII, and in UTF-8 an ASCII byte
// is always that character (never part of another). Text decoded between two ASCII bytes is the whole text's
// there, broken sequences included: WHATWG's decoder, which Node's follows, ends a broken sequence with U+FFFD
// before the next ASCII byte and never takes it in.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { memberAt, skipContainer, skipSpace, skipValue } from './bead-spans.js';
import { duplicateTopKey } from './duplicate-keys.js';
import { parseJsonText, type JsonShape } from './json-text.js';
import { inexactToken } from './token-maps.js';
import { O_NOCTTY, O_NONBLOCK, O_RDONLY } from '../fs/safe-file.js';
import { holdYoungGeneration } from './young-generation.js';

/** What the streamed read answers when the caller must read the file whole instead. */
export const UNUSUAL: unique symbol = Symbol('unusual store text');

/** How many bytes are read at a time (about 170 beads of a generated store). */
export const STREAM_CHUNK_BYTES = 64 << 10;

/**
 * A head (the bytes before the beads' `[`) longer than this is left to the whole read: it is scanned again
 * from its start at every stretch read, and a store's keys before its beads (schema, city, demand, seq) are small.
 */
const MAX_HEAD_BYTES = 8 << 20;

/** How many `}` a batch's end is looked for at, from the end of the bytes read, before the precise scan. */
const MAX_END_TRIES = 64;

const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACK = 0x5b;
const RBRACK = 0x5d;
const COMMA = 0x2c;

/** Scan results that are not offsets. */
const NEED_MORE = -1;
const ODD = -2;

/**
 * Bytes as a string of one character per byte, for bead-spans.ts' scanners: its offsets are the bytes', and a
 * byte of a multi-byte character is a character ≥ 0x80, never one that shapes JSON.
 */
function view(b: Buffer, from: number, to: number): string {
  return b.toString('latin1', from, to);
}

/** The offset after the white space at b[i], at most `n`. */
export function spaceEnd(b: Buffer, i: number, n: number): number {
  for (let c = b[i]; i < n && (c === 32 || c === 10 || c === 13 || c === 9); c = b[++i]);
  return i;
}

/**
 * The offset of the `[` of the top-level "beads" array in `s` (a BOM allowed, as bytes), NEED_MORE when `s`
 * stops before it, ODD when the text is unusual (not an object, an escaped key, "beads" not an array): what
 * bead-spans.ts calls unusual. JSON.parse would take the last of two "beads": an escaped key is left to it.
 */
function beadsOpen(s: string): number {
  const n = s.length;
  let i = skipSpace(s, s.startsWith('\xef\xbb\xbf') ? 3 : 0);
  if (i >= n) return NEED_MORE;
  if (s.charCodeAt(i) !== LBRACE) return ODD;
  i = skipSpace(s, i + 1);
  for (;;) {
    const member = memberAt(s, i);
    if (member === undefined) return NEED_MORE;
    if (member === null) return ODD;
    const key = member.key;
    i = member.value;
    if (i >= n) return NEED_MORE;
    if (key === 'beads') return s.charCodeAt(i) === LBRACK ? i : ODD;
    i = skipValue(s, i);
    if (i < 0) return NEED_MORE;
    i = skipSpace(s, i);
    if (i >= n) return NEED_MORE;
    if (s.charCodeAt(i) !== COMMA) return ODD; // `}`: no beads at all, which the whole read words
    i = skipSpace(s, i + 1);
  }
}

/**
 * Whether `s`, from the beads' `]` to the end of the file, closes the document as bead-spans.ts requires: more
 * keys (not "beads" again, none escaped), the object's `}`, nothing but white space after it.
 */
function tailOk(s: string): boolean {
  let i = skipSpace(s, 1);
  for (;;) {
    if (s.charCodeAt(i) === RBRACE) return skipSpace(s, i + 1) === s.length;
    if (s.charCodeAt(i) !== COMMA) return false;
    const member = memberAt(s, skipSpace(s, i + 1));
    if (!member || member.key === 'beads') return false;
    i = member.value;
    if (i >= s.length) return false;
    i = skipValue(s, i);
    if (i < 0) return false;
    i = skipSpace(s, i);
  }
}

/**
 * The end of the last `}` in b(at, n) followed by `,` and `{` (white space between), and where that `{` is:
 * most likely a bead's end and the next bead's start. A guess, found by native searches; parseItems proves it:
 * text from a real item's start parses as the items of an array only when it stops at the end of an item of
 * that same array (a `]` closing the beads would close parseItems' array before its end). Null when none.
 */
function guessEnd(b: Buffer, at: number, n: number): { end: number; next: number } | null {
  const space = (i: number) => spaceEnd(b, i, n);
  let k = n;
  for (let tries = 0; tries < MAX_END_TRIES; tries++) {
    k = b.lastIndexOf(RBRACE, k - 1);
    if (k <= at) return null;
    let j = space(k + 1);
    if (j >= n || b[j] !== COMMA) continue;
    j = space(j + 1);
    if (j < n && b[j] === LBRACE) return { end: k + 1, next: j };
  }
  return null;
}

/**
 * The complete items in b[at, n), `at` an item's start, read precisely: `end` after the last one followed by a
 * `,` (`next` after that comma), or by the `]` at `close`; null when an item is not an object or a separator
 * is odd (the whole read decides).
 */
function scanItems(b: Buffer, at: number, n: number): { end: number; next: number; close: number } | null {
  const s = view(b, at, n);
  let end = 0;
  let next = 0;
  const found = (close: number) => ({ end: at + end, next: at + next, close: close < 0 ? -1 : at + close });
  for (let i = 0; ; ) {
    i = skipSpace(s, i);
    if (i >= s.length) return found(-1);
    if (s.charCodeAt(i) !== LBRACE) return null;
    const e = skipContainer(s, i);
    if (e < 0) return found(-1);
    const j = skipSpace(s, e);
    if (j >= s.length) return found(-1);
    if (s.charCodeAt(j) === RBRACK) {
      end = e;
      next = j;
      return found(j);
    }
    if (s.charCodeAt(j) !== COMMA) return null;
    end = e;
    next = j + 1;
    i = next;
  }
}

/**
 * The beads whose text is b[at, end), parsed as the items of one array at the file's depth, an array in an
 * object (parseJsonText's nesting limit, its exact big integers); null when they do not parse. The bytes
 * around them (ASCII, b[at - 1] and b[end]) are set to `[` and `]` while they are decoded, so the batch's text
 * is made once, flat. Not wrapped as in the file: text that closed a wrapper's array could open another.
 */
function parseItems(b: Buffer, at: number, end: number, shape?: JsonShape): unknown[] | null {
  const before = b[at - 1];
  const after = b[end];
  b[at - 1] = LBRACK;
  b[end] = RBRACK;
  let text: string;
  try {
    text = b.toString('utf8', at - 1, end + 1);
  } finally {
    // Put back at once: the bytes may be a write's, which go on to be compared and copied (parseStoreBytes).
    b[at - 1] = before;
    b[end] = after;
  }
  try {
    return parseJsonText(text, 1, shape) as unknown[];
  } catch {
    return null;
  }
}

/** Where a streamed read's bytes come from: `buf[0, n)` are the bytes so far. */
interface ByteSource {
  buf: Buffer;
  n: number;
  /** Make more bytes available; false at the end. */
  more(): boolean;
  /** Let go of the bytes before `from`; returns how far the others moved back (0: they stay where they are). */
  drop(from: number): number;
}

/** The file's bytes in a buffer that is read into at its end and emptied from its start. */
class Bytes implements ByteSource {
  buf: Buffer;
  /** How many bytes of `buf` hold the file's. */
  n = 0;
  private pos = 0;

  constructor(
    private readonly fd: number,
    private readonly chunk: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunk);
  }

  /** Read on into the buffer (made larger when full); false at the end of the file. */
  more(): boolean {
    if (this.buf.length - this.n < this.chunk / 2) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + this.chunk));
      this.buf.copy(next, 0, 0, this.n);
      this.buf = next;
    }
    const got = readSync(this.fd, this.buf, this.n, this.buf.length - this.n, this.pos);
    this.pos += got;
    this.n += got;
    return got > 0;
  }

  /** Forget the bytes before `from`; returns how far the others moved back. */
  drop(from: number): number {
    this.buf.copyWithin(0, from, this.n);
    this.n -= from;
    return from;
  }
}

/**
 * Bytes already read whole (a write reads the file's bytes: it compares them under its lock and copies them), shown a
 * stretch at a time as a file's are read, so that each scan sees as little as the file's would; nothing is moved.
 */
class HeldBytes implements ByteSource {
  n: number;

  constructor(
    readonly buf: Buffer,
    private readonly chunk: number,
  ) {
    this.n = Math.min(chunk, buf.length);
  }

  more(): boolean {
    if (this.n === this.buf.length) return false;
    this.n = Math.min(this.n + this.chunk, this.buf.length);
    return true;
  }

  drop(): number {
    return 0;
  }
}

/** A batch's beads onto the document's, handed to `onBeads`; the young generation held (young-generation.ts). */
function take(beads: unknown[], items: unknown[], onBeads?: (beads: unknown[]) => void): void {
  for (let k = 0; k < items.length; k++) beads.push(items[k]);
  onBeads?.(items);
  holdYoungGeneration();
}

/**
 * Where a read of bytes held whole (parseStoreBytes) found the beads array: the offsets of its `[` and `]`, and whether
 * an array inside a bead holds two objects side by side (JsonShape: when none does, a `}`, `,` and `{` outside strings
 * with white space between are a separator of two beads, and nothing else is).
 */
export interface BeadsFound {
  open: number;
  close: number;
  objectPairs: boolean;
}

/**
 * The document of the file `bytes` reads, stretch by stretch; UNUSUAL for anything the whole read must decide. `found`
 * gets where the beads array is (offsets into bytes that are never dropped: HeldBytes).
 */
function streamDocument(bytes: ByteSource, onBeads?: (beads: unknown[]) => void, found?: BeadsFound): unknown {
  const shape: JsonShape = { objectPairs: false };
  let open: number;
  for (;;) {
    open = beadsOpen(view(bytes.buf, 0, bytes.n));
    if (open >= 0) break;
    if (open === ODD || bytes.n > MAX_HEAD_BYTES || !bytes.more()) return UNUSUAL;
  }
  const head = bytes.buf.toString('utf8', 0, open + 1);
  const beads: unknown[] = [];
  // b[at - 1] stays in the buffer (parseItems sets it to `[`).
  let at = open + 1;
  let close = -1;
  // The first item, or an empty array.
  for (;;) {
    at = spaceEnd(bytes.buf, at, bytes.n);
    if (at < bytes.n) {
      if (bytes.buf[at] === RBRACK) close = at;
      break;
    }
    if (!bytes.more()) return UNUSUAL;
  }
  // Until the `]`: b[at] starts an item, after white space.
  while (close < 0) {
    const b = bytes.buf;
    const guess = guessEnd(b, at, bytes.n);
    const items = guess && parseItems(b, at, guess.end, shape);
    if (guess && items) {
      take(beads, items, onBeads);
      at = guess.next;
      continue;
    }
    const scan = scanItems(b, at, bytes.n);
    if (!scan) return UNUSUAL;
    if (scan.end > at) {
      const items = parseItems(b, at, scan.end, shape);
      if (!items) return UNUSUAL;
      take(beads, items, onBeads);
    }
    if (scan.close >= 0) {
      close = scan.close;
      break;
    }
    at = scan.next;
    at -= bytes.drop(at - 1);
    if (!bytes.more()) return UNUSUAL;
  }
  close -= bytes.drop(close);
  while (bytes.more());
  if (!tailOk(view(bytes.buf, close, bytes.n))) return UNUSUAL;
  const tail = bytes.buf.toString('utf8', close, bytes.n);
  let doc: unknown;
  try {
    doc = parseJsonText(head + tail);
  } catch {
    return UNUSUAL;
  }
  // A key named twice, or a token Go's int64 does not take (`7.0`): the whole read says where (duplicate-keys.ts,
  // token-maps.ts).
  if (duplicateTopKey(head + tail) || inexactToken(doc, head + tail)) return UNUSUAL;
  (doc as { beads: unknown[] }).beads = beads;
  if (found) Object.assign(found, { open, close, objectPairs: shape.objectPairs });
  return doc;
}

/**
 * The document of the store file `file`, as parseJsonText gives it for the file's UTF-8 text, read without
 * holding that text (see the top); UNUSUAL when the file must be read whole: it cannot be opened or read, its
 * text is unusual or does not parse (the whole read says why), or it is longer than a string can be (the
 * whole read's error says so).
 */
export function readStoreStreamed(file: string, chunk = STREAM_CHUNK_BYTES, onBeads?: (beads: unknown[]) => void): unknown {
  let fd: number;
  try {
    // Not blocking on a FIFO put in the file's place since it was checked: anything but a regular file is
    // left to the whole read, as before.
    fd = openSync(file, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  } catch {
    return UNUSUAL;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > bufferConstants.MAX_STRING_LENGTH) return UNUSUAL;
    return streamDocument(new Bytes(fd, chunk), onBeads);
  } catch {
    return UNUSUAL;
  } finally {
    closeSync(fd);
  }
}

/**
 * readStoreStreamed of bytes already read whole (a write's read: src/store/write.ts), without decoding them into one
 * text: the same document, parsed a batch of beads at a time, or UNUSUAL when the whole parse must decide (it words
 * the error). The bytes are as they were when it returns. `found`, when given, gets where the beads array is in them
 * (BeadsFound) when the document is read.
 */
export function parseStoreBytes(
  bytes: Buffer,
  chunk = STREAM_CHUNK_BYTES,
  onBeads?: (beads: unknown[]) => void,
  found?: BeadsFound,
): unknown {
  if (bytes.length > bufferConstants.MAX_STRING_LENGTH) return UNUSUAL;
  try {
    return streamDocument(new HeldBytes(bytes, chunk), onBeads, found);
  } catch {
    return UNUSUAL;
  }
}
