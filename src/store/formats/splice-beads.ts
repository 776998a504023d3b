// A rewrite of a JSON document whose only change is some items of its top-level "beads" array (and the token maps
// beside it), made from the bytes it was read from: in each changed bead only the members that changed are written
// anew (splice-members.ts), and every other byte is written from the bytes read (parts of them, no copy). At 100 000
// beads, `JSON.stringify` of the whole document and its UTF-8 encoding took about 190 ms of an `apply`; the splice
// costs a scan of the items and the changed members' own text. And a whole rewrite would write every number as a
// JS number does (`1.10` as `1.1`, `-0` as `0`, 0.12345678901234567890123 rounded): the splice keeps each as spelled.
//
// When the text around the beads is byte for byte what stringifyJson(top, layout) writes (a file gc-tui or Gas City
// wrote), it is copied without being read further; otherwise (a file laid out by hand, a token map bumped) the whole
// document is walked member by member. Either way the items' spans are read exactly, brackets counted and strings
// skipped (a search for the separator alone is fooled by separator-like text inside a bead). What is copied is copied
// as read, a raw terminal control in it too (a DEL, a C1 control, U+2028, a bidi override: another writer's bytes,
// which Gas City's own rewrite keeps raw too but for U+2028/U+2029); what is made anew is escaped (stringifyJson).
// Anything the walk cannot vouch for (a byte that is not UTF-8, a key named twice where it walks or in the text around
// the beads) answers null: the caller then refuses the file or writes it whole.
import { isUtf8 } from 'node:buffer';
import { skipSpace } from './bead-spans.js';
import { firstDuplicateKey } from './duplicate-keys.js';
import { stringifyJson, type JsonLayout } from './json-text.js';
import {
  lineIndent,
  membersOf,
  Pieces,
  piecesToBytes,
  spliceObject,
  spliceValue,
  type Piece,
  type ReadText,
  type Style,
} from './splice-members.js';
import { spaceEnd, type BeadsFound } from './store-stream.js';

/** Stands for the beads array in the stringified top; a C0 control, so the text holds it only escaped. */
const SENTINEL = 'gc-tui\u0001beads';

/** The document's text around its beads array as `stringifyJson` writes it, split where the items go. */
function frame(top: Record<string, unknown>, layout: JsonLayout): { head: string; tail: string; open: string } | null {
  const step = layout.indent;
  const text = stringifyJson({ ...top, beads: SENTINEL }, layout);
  const marker = `"beads":${step === '' ? '' : ' '}${JSON.stringify(SENTINEL)}`;
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) return null;
  // The items sit at depth 2: `[`, a new line and two steps of indent before the first, a new line and one
  // step before the `]`.
  const eol = layout.eol ?? '\n';
  const open = step === '' ? '[' : `[${eol}${step}${step}`;
  const close = step === '' ? ']' : `${eol}${step}]`;
  return {
    head: text.slice(0, at + marker.length - JSON.stringify(SENTINEL).length) + open,
    tail: close + text.slice(at + marker.length),
    open,
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACK = 0x5b;
const RBRACK = 0x5d;
const COMMA = 0x2c;

/**
 * The offset after the object or array opening at b[i] (brackets counted, strings skipped), or -1. One loop over the
 * bytes, a backslash in a string taking the byte after it (which is what an odd run of backslashes before a `"`
 * means): the strings of a bead are short, and a native search for each one's end cost more than reading it. In UTF-8
 * a byte below 0x80 is always that character.
 */
function containerEnd(b: Buffer, i: number): number {
  let depth = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i++];
    if (c === QUOTE) {
      for (;;) {
        if (i >= n) return -1;
        const d = b[i++];
        if (d === QUOTE) break;
        if (d === BACKSLASH) i++;
      }
    } else if (c === LBRACE || c === LBRACK) depth++;
    else if ((c === RBRACE || c === RBRACK) && --depth === 0) return i;
  }
  return -1;
}

/**
 * Where items 0..last of the array opening at b[open] start and end, or null when one is not an object, or when the
 * array does not hold exactly `count` items and close at b[close] (the `]` the tail holds).
 */
function itemSpans(b: Buffer, open: number, last: number, count: number, close: number): { starts: number[]; ends: number[] } | null {
  if (b[open] !== LBRACK) return null;
  const starts: number[] = [];
  const ends: number[] = [];
  let i = spaceEnd(b, open + 1, b.length);
  for (let k = 0; ; k++) {
    if (b[i] !== LBRACE) return null;
    const end = containerEnd(b, i);
    if (end < 0) return null;
    if (k <= last) {
      starts.push(i);
      ends.push(end);
    }
    i = spaceEnd(b, end, b.length);
    if (b[i] === RBRACK) return k === count - 1 && i === close ? { starts, ends } : null;
    if (b[i] !== COMMA) return null;
    i = spaceEnd(b, i + 1, b.length);
  }
}

/** A byte that may follow a string's closing quote in JSON text: white space, `,`, `:`, `}` or `]`. */
const AFTER_STRING = new Set([0x20, 0x09, 0x0a, 0x0d, COMMA, 0x3a, RBRACE, RBRACK]);

/**
 * itemSpans found by a native search for the separator the frame's layout puts between two items (`},{`, or `},` and
 * the new line and indent of `open`, the frame's text after `[`, before `{`), for a read that knows no bead holds an
 * array with two objects side by side (BeadsFound.objectPairs false). Each separator found is a `}`, `,` and `{` outside
 * strings: the indented one holds a raw line break, never inside a string, and the compact one is taken only when a `"`
 * follows it and then a byte that cannot follow a string's end (so that `"` opens a key, and the `{` before it is
 * outside strings). Outside strings such a run is only ever between two objects side by side in an array, and the only
 * such array is the beads': so when `count - 1` are found, they are every separator between the beads, and the items are
 * the text between them. Null otherwise (the exact scan decides): a separator laid out otherwise, a bead that is
 * `{}`, a separator-like run the rule above cannot vouch for. `first` is where the first item must start, `end` where
 * the last must end. At `apply --all` on 100 000 beads the exact scan read every byte, about 90 ms of CPU.
 */
function itemSpansBySeparators(
  b: Buffer,
  open: string,
  first: number,
  end: number,
  last: number,
  count: number,
): { starts: number[]; ends: number[] } | null {
  if (b[first] !== LBRACE || b[end - 1] !== RBRACE) return null;
  const compact = open === '[';
  const sep = Buffer.from(`},${open.slice(1)}{`, 'latin1');
  const starts: number[] = [first];
  const ends: number[] = [];
  let found = 0;
  for (let at = b.indexOf(sep, first); at >= 0 && at < end; at = b.indexOf(sep, at + sep.length - 1)) {
    const next = at + sep.length;
    if (compact && (b[next] !== QUOTE || AFTER_STRING.has(b[next + 1]))) return null;
    if (++found >= count) return null;
    // Separator k (from 1) ends item k - 1 and starts item k.
    if (found <= last + 1) ends.push(at + 1);
    if (found <= last) starts.push(next - 1);
  }
  if (found !== count - 1) return null;
  if (last === count - 1) ends.push(end);
  return { starts, ends };
}

/** Called with the text each changed bead had (and the offset of its first byte) before it is replaced: may throw. */
export type Replacing = (text: string, byteOffset: number) => void;

/**
 * The bytes of `top` (the document read from `bytes` as `was`, now with beads `top.beads`: as many, an unchanged one
 * the same object) in `layout`, in order as parts, or null (see the top).
 */
export const spliceBeads = (...args: Parameters<typeof spliceBeadsPlaced>): Buffer[] | null => spliceBeadsPlaced(...args)?.parts ?? null;

/**
 * spliceBeads, and where the beads array is in the bytes made (`beads`), when its `[` and `]` are copied as read: the
 * next write of a decision to those bytes then walks only the text around it (spliceAroundBeads). `found`: what the
 * streamed read of these very bytes found of their beads array (parseStoreBytes), when it read them.
 */
export function spliceBeadsPlaced(
  bytes: Buffer,
  layout: JsonLayout,
  was: Record<string, unknown>,
  top: Record<string, unknown>,
  replacing?: Replacing,
  found?: BeadsFound,
): Spliced | null {
  const before = was.beads;
  const after = top.beads;
  if (!Array.isArray(before) || !Array.isArray(after) || after.length !== before.length || after.length === 0) return null;
  const changed: number[] = [];
  for (let k = 0; k < after.length; k++) if (after[k] !== before[k]) changed.push(k);
  // A byte that is not UTF-8 would be copied where a whole rewrite would write U+FFFD: the caller refuses the file.
  if (changed.length === 0 || !isUtf8(bytes)) return null;
  const style: Style = { indent: layout.indent, eol: layout.eol ?? '\n' };
  // The text around the beads can be as stringifyJson writes `top` only when nothing else changed (a write that bumps
  // a token map goes straight to the walk: that text is not `top`'s, and making it would cost a stringify of the map).
  const onlyBeads = sameOutsideBeads(was, top);
  const made =
    (onlyBeads ? spliceInFrame(bytes, layout, style, before, after, top, changed, replacing, found) : null) ??
    spliceDocument(bytes, style, was, top, replacing);
  if (!made) return null;
  const beads = placed(made.pieces, made.open, made.close);
  return { parts: piecesToBytes(bytes, made.pieces), ...(beads ? { beads } : {}) };
}

/** The bytes a splice made, as parts, and where the beads array is in them when that is known. */
export interface Spliced {
  parts: Buffer[];
  beads?: BeadsAt;
}

/** Pieces of a document's bytes, and the offsets of its beads array's `[` and `]` in the bytes read. */
interface Made {
  pieces: Piece[];
  open: number;
  close: number;
}

/**
 * Where the bytes `open` (a `[`) and `close` (its `]`) of the bytes read are in what `pieces` make, when each is in one
 * run copied as read and in no other; null otherwise (one was made anew, or copied twice).
 */
function placed(pieces: readonly Piece[], open: number, close: number): BeadsAt | null {
  let length = 0;
  let head = -1;
  let end = -1;
  for (const p of pieces) {
    if (typeof p === 'string') {
      length += Buffer.byteLength(p, 'utf8');
      continue;
    }
    const [from, to] = p;
    if (from <= open && open < to) head = head === -1 ? length + open - from : -2;
    if (from <= close && close < to) end = end === -1 ? length + close - from : -2;
    length += to - from;
  }
  return head >= 0 && end > head ? { head, tail: length - end - 1 } : null;
}

/**
 * The bytes of `top`, the document read from `bytes` as `was` changed anywhere but in its beads (a decision appended
 * to a store): the whole document walked member by member, every byte it does not change as read; null as spliceBeads.
 */
export function spliceDocumentBytes(
  bytes: Buffer,
  layout: JsonLayout,
  was: Record<string, unknown>,
  top: Record<string, unknown>,
): Buffer[] | null {
  if (!isUtf8(bytes)) return null;
  const made = spliceDocument(bytes, { indent: layout.indent, eol: layout.eol ?? '\n' }, was, top);
  return made && piecesToBytes(bytes, made.pieces);
}

/** Where a document's top-level beads array is in its bytes: how many come before its `[` and after its `]`. */
export interface BeadsAt {
  head: number;
  tail: number;
}

/**
 * spliceDocumentBytes of a change outside the beads (`top.beads` is `was.beads`: a decision appended) when where the
 * beads array is in `bytes` is known (`at`, found by a read of these bytes): the same bytes, made without reading the
 * array. The walk reads the text around the beads with the array's text as `[]`, which is exactly what spliceDocument
 * reads around it (it reads the array only to splice it, and copies it whole when it is the same); its pieces are then
 * those of the whole text with the array's bytes in place of `[]`. Also where the array is in what is made. Null when
 * the beads changed, `at` is not the place of the top-level beads array (another array's, or none), or the walk does not
 * copy the array whole: the caller then walks all.
 */
export function spliceAroundBeads(
  bytes: Buffer,
  layout: JsonLayout,
  was: Record<string, unknown>,
  top: Record<string, unknown>,
  at: BeadsAt,
): { parts: Buffer[]; beads: BeadsAt } | null {
  const start = at.head;
  const end = bytes.length - at.tail;
  if (was.beads !== top.beads || start < 0 || end < start + 2 || bytes[start] !== LBRACK || bytes[end - 1] !== RBRACK) return null;
  if (!isUtf8(bytes)) return null;
  const frame = Buffer.concat([bytes.subarray(0, start), Buffer.from('[]'), bytes.subarray(end)]);
  const none: unknown[] = [];
  const made = spliceDocument(frame, { indent: layout.indent, eol: layout.eol ?? '\n' }, { ...was, beads: none }, { ...top, beads: none });
  // The `[]` put in place of the array must be the value of the member named "beads" (not another array of the text).
  if (!made || made.open !== start) return null;
  const { pieces } = made;
  const delta = end - start - 2;
  const out: Piece[] = [];
  let length = 0;
  let head = -1;
  for (const p of pieces) {
    if (typeof p === 'string') {
      out.push(p);
      length += Buffer.byteLength(p, 'utf8');
      continue;
    }
    let [from, to] = p;
    if (from >= start + 2) {
      from += delta;
      to += delta;
    } else if (to > start) {
      // The one piece that holds the array: it must hold all of it, once.
      if (head >= 0 || from > start || to < start + 2) return null;
      head = length + start - from;
      to += delta;
    }
    out.push([from, to]);
    length += to - from;
  }
  if (head < 0) return null;
  return { parts: piecesToBytes(bytes, out), beads: { head, tail: length - head - (end - start) } };
}

/** Whether `top` holds what `was` holds besides its beads: the same keys in the same order, the same values. */
function sameOutsideBeads(was: Record<string, unknown>, top: Record<string, unknown>): boolean {
  const a = Object.keys(was);
  const b = Object.keys(top);
  return a.length === b.length && a.every((k, i) => k === b[i] && (k === 'beads' || Object.is(was[k], top[k])));
}

/**
 * A file whose text around its beads is as stringifyJson writes `top` (the usual case): that text is copied without
 * being read further, the items are read up to the last changed one, and each changed bead is spliced member by member.
 * Its pieces, and where the array's `[` and `]` are in `bytes` (the frame's: copied as read).
 */
function spliceInFrame(
  bytes: Buffer,
  layout: JsonLayout,
  style: Style,
  before: readonly unknown[],
  after: readonly unknown[],
  top: Record<string, unknown>,
  changed: readonly number[],
  replacing?: Replacing,
  found?: BeadsFound,
): Made | null {
  const f = frame(top, layout);
  if (!f) return null;
  const head = Buffer.from(f.head, 'utf8');
  const tail = Buffer.from(f.tail, 'utf8');
  const close = bytes.length - tail.length;
  if (
    head.length + tail.length > bytes.length ||
    bytes.compare(head, 0, head.length, 0, head.length) !== 0 ||
    bytes.compare(tail, 0, tail.length, close, bytes.length) !== 0
  )
    return null;
  // The items, read exactly (brackets counted, strings skipped) from the array's `[` to its `]`, which must be the
  // tail's: then item k is before[k]. (A file naming "beads" twice has the head and the tail of its top as written,
  // with the first array's `]` elsewhere: JSON readers take the second array, which this `[` does not open.)
  const open = head.length - f.open.length;
  const last = changed[changed.length - 1];
  const shut = close + tail.indexOf(RBRACK);
  // Where the read that parsed `before` from these bytes found the same array, the separators are searched for instead.
  const searched =
    found && !found.objectPairs && found.open === open && found.close === shut
      ? itemSpansBySeparators(bytes, f.open, head.length, close, last, before.length)
      : null;
  const spans = searched ?? itemSpans(bytes, open, last, before.length, shut);
  if (!spans) return null;
  const out = new Pieces();
  let from = 0;
  for (const k of changed) {
    const start = spans.starts[k];
    const end = spans.ends[k];
    replacing?.(bytes.toString('utf8', start, end), start);
    const t: ReadText = { bytes, s: bytes.toString('latin1', start, end), base: start };
    out.copy(from, start);
    if (!spliceValue(t, 0, end - start, before[k], after[k], style, lineIndent(bytes, start), out)) return null;
    from = end;
  }
  out.copy(from, bytes.length);
  return { pieces: out.list, open, close: shut };
}

/**
 * Any other file (laid out by hand, a number spelled `1.10` outside the beads, a byte order mark, a token map the
 * write bumps): the whole document spliced member by member from `was` to `top`, its text around the beads checked
 * for a key named twice (the file then is the whole write's to refuse, naming where). Its pieces: runs of `bytes` and
 * text made anew; and where its beads array's `[` and `]` are in `bytes`.
 */
function spliceDocument(
  bytes: Buffer,
  style: Style,
  was: Record<string, unknown>,
  top: Record<string, unknown>,
  replacing?: Replacing,
): Made | null {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const t: ReadText = { bytes, s: bytes.toString('latin1', bom), base: bom };
  const open = skipSpace(t.s, 0);
  if (t.s.charCodeAt(open) !== LBRACE) return null;
  // The beads array is read item by item once, here, and spliced from what was read.
  const read = membersOf(t, open, { arrays: true });
  if (!read || skipSpace(t.s, read.end) !== t.s.length) return null;
  const beads = read.members.find((m) => m.key === 'beads');
  if (!beads || t.s.charCodeAt(beads.valueStart) !== LBRACK) return null;
  const frameText = `${t.s.slice(0, beads.valueStart)}[]${t.s.slice(beads.valueEnd)}`;
  if (firstDuplicateKey(frameText)) return null;
  const hooks = {
    beads: (start: number, stop: number) => replacing?.(bytes.toString('utf8', bom + start, bom + stop), bom + start),
  };
  const out = new Pieces();
  out.copy(0, bom + open);
  if (!spliceObject(t, open, read.end, read.members, was, top, style, '', out, hooks)) return null;
  out.copy(bom + read.end, bytes.length);
  return { pieces: out.list, open: bom + beads.valueStart, close: bom + beads.valueEnd - 1 };
}
