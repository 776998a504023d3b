// A rewrite of a JSON document whose only change is some items of its top-level "beads" array, made from the
// bytes it was read from: each changed bead's text is replaced and every other byte is written from the bytes
// read (parts of them, no copy). At 100 000 beads, `JSON.stringify` of the whole document and its UTF-8
// encoding took about 190 ms of an `apply`; the splice costs a scan of the items up to the last changed one and
// the changed beads' own text.
//
// It answers only when the result is what stringifyJson(top, layout) would write for a file laid out as that
// writes it, and reads back as `top` whatever the layout of the beads it keeps: the text before and after the
// array's items must be byte for byte the stringified top (so the other keys, the layout and the final newline
// are as that would write them); the items' spans are read exactly, brackets counted and strings skipped (a
// search for the separator alone is fooled by separator-like text inside a bead); and the bytes kept must be
// UTF-8 that needs no escaping (escapeJsonText). Anything else answers null and the caller stringifies the
// whole document.
import { isAscii, isUtf8 } from 'node:buffer';
import { isDeepStrictEqual } from 'node:util';
import { beadSpans } from './bead-spans.js';
import { firstDuplicateKey } from './duplicate-keys.js';
import { escapeJsonText, parseJsonText, stringifyJson, type JsonLayout } from './json-text.js';
import { spaceEnd } from './store-stream.js';

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

/** The offset after the string whose `"` is at b[i], or -1. In UTF-8 a byte below 0x80 is always that character. */
function stringEnd(b: Buffer, i: number): number {
  for (let at = i + 1; ; ) {
    const q = b.indexOf(QUOTE, at);
    if (q < 0) return -1;
    // Escaped when preceded by an odd number of backslashes.
    let k = q - 1;
    while (k > i && b[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    at = q + 1;
  }
}

/** The offset after the object or array opening at b[i] (brackets counted, strings skipped), or -1. */
function containerEnd(b: Buffer, i: number): number {
  let depth = 0;
  for (const n = b.length; i < n; ) {
    const c = b[i];
    if (c === QUOTE) {
      i = stringEnd(b, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === LBRACE || c === LBRACK) depth++;
    else if ((c === RBRACE || c === RBRACK) && --depth === 0) return i + 1;
    i++;
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

/** One bead's text at the items' depth, as stringifyJson writes it inside the document. */
function beadText(bead: unknown, layout: JsonLayout): string {
  const step = layout.indent;
  const eol = layout.eol ?? '\n';
  const text = stringifyJson(bead, { indent: step, finalNewline: false, eol });
  // A raw line break occurs in JSON text only between tokens: each is a new line of this bead.
  return step === '' ? text : text.replaceAll(eol, `${eol}${step}${step}`);
}

/** Whether `bytes` can be copied as they are into a file we write: UTF-8 with nothing escapeJsonText escapes. */
function copyable(bytes: Buffer): boolean {
  if (isAscii(bytes)) return bytes.indexOf(0x7f) < 0;
  if (!isUtf8(bytes)) return false;
  const text = bytes.toString('utf8');
  return escapeJsonText(text) === text;
}

/**
 * The bytes of `top` (the document read from `bytes` with its beads `before`, now with beads `top.beads`: as
 * many, an unchanged one the same object) in `layout`, in order as parts, or null (see the top).
 */
export function spliceBeads(
  bytes: Buffer,
  layout: JsonLayout,
  before: readonly unknown[],
  top: Record<string, unknown>,
  /** Called with the text each changed bead had (and the offset of its first byte) before it is replaced: may throw. */
  replacing?: (text: string, byteOffset: number) => void,
): Buffer[] | null {
  const after = top.beads;
  if (!Array.isArray(after) || after.length !== before.length || after.length === 0) return null;
  const changed: number[] = [];
  for (let k = 0; k < after.length; k++) if (after[k] !== before[k]) changed.push(k);
  if (changed.length === 0 || !copyable(bytes)) return null;

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
    return spliceInOwnFrame(bytes, layout, before, after, top, changed, replacing);

  // The items, read exactly (brackets counted, strings skipped) from the array's `[` to its `]`, which must be the
  // tail's: then item k is before[k]. (A file naming "beads" twice has the head and the tail of its top as written,
  // with the first array's `]` elsewhere: JSON readers take the second array, which this `[` does not open.)
  const open = head.length - f.open.length;
  const last = changed[changed.length - 1];
  const spans = itemSpans(bytes, open, last, before.length, close + tail.indexOf(RBRACK));
  if (!spans) return null;

  return replaceItems(bytes, spans, changed, (k) => beadText(after[k], layout), replacing);
}

/** `bytes` with the items at `changed` (spans) replaced by `textOf(k)`, as parts; `replacing` as spliceBeads'. */
function replaceItems(
  bytes: Buffer,
  spans: { starts: number[]; ends: number[] },
  changed: readonly number[],
  textOf: (k: number) => string,
  replacing?: (text: string, byteOffset: number) => void,
): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const k of changed) {
    replacing?.(bytes.toString('utf8', spans.starts[k], spans.ends[k]), spans.starts[k]);
    parts.push(bytes.subarray(from, spans.starts[k]), Buffer.from(textOf(k), 'utf8'));
    from = spans.ends[k];
  }
  parts.push(bytes.subarray(from));
  return parts;
}

/**
 * A file whose text around its beads is not as stringifyJson writes it (laid out by hand, a number spelled
 * `1.10`, a byte order mark): that text kept byte for byte too, when it holds exactly what `top` holds besides
 * its beads (a write that changed a token map, or the decisions, declines) and names no key twice. The items are read exactly
 * (bead-spans.ts); a changed bead is written in the file's layout, indented as the line it starts on.
 */
function spliceInOwnFrame(
  bytes: Buffer,
  layout: JsonLayout,
  before: readonly unknown[],
  after: readonly unknown[],
  top: Record<string, unknown>,
  changed: readonly number[],
  replacing?: (text: string, byteOffset: number) => void,
): Buffer[] | null {
  // One character per byte: offsets are the bytes', and no byte of a multi-byte character shapes JSON.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const spans = beadSpans(bytes.toString('latin1', bom));
  if (!spans || spans.starts.length !== before.length) return null;
  const at = (i: number) => i + bom;
  const open = at(spans.open);
  const close = at(spans.close);
  const frameText = `${bytes.toString('utf8', bom, open)}[]${bytes.toString('utf8', close + 1)}`;
  // A key named twice there is the whole write's to refuse (the file then says where): no copy of it.
  if (firstDuplicateKey(frameText)) return null;
  let frameValues: unknown;
  try {
    frameValues = parseJsonText(frameText);
  } catch {
    return null;
  }
  if (!isDeepStrictEqual(frameValues, { ...top, beads: [] })) return null;
  const starts = spans.starts.map(at);
  const ends = spans.ends.map(at);
  const eol = layout.eol ?? '\n';
  return replaceItems(
    bytes,
    { starts, ends },
    changed,
    (k) => {
      const text = stringifyJson(after[k], { indent: layout.indent, finalNewline: false, eol });
      const indent = lineIndent(bytes, starts[k]);
      return layout.indent === '' || indent === null ? text : text.replaceAll(eol, `${eol}${indent}`);
    },
    replacing,
  );
}

/** The white space from the start of the line to b[i], or null when something else comes before it on its line. */
function lineIndent(b: Buffer, i: number): string | null {
  let k = i;
  while (k > 0 && (b[k - 1] === 0x20 || b[k - 1] === 0x09)) k--;
  return k === 0 || b[k - 1] === 0x0a ? b.toString('latin1', k, i) : null;
}
