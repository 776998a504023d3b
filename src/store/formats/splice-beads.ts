// A rewrite of a JSON document whose only change is some items of its top-level "beads" array, made from the
// bytes it was read from: each changed bead's text is replaced and every other byte is written from the bytes
// read (parts of them, no copy). At 100 000 beads, `JSON.stringify` of the whole document and its UTF-8
// encoding took about 190 ms of an `apply`; the splice costs a native search for the item separators and the
// changed beads' own text.
//
// It answers only when the result is provably what stringifyJson(top, layout) would write for the unchanged
// parts: the text before and after the array's items must be byte for byte the stringified top (so the other
// keys, the layout and the final newline are as that would write them), the items must be separated by
// exactly the separator that layout writes, found exactly once per gap (a count, so no separator-like text
// inside a bead can shift an item), each replaced text must be the old bead as that layout writes it, and
// the bytes kept must be UTF-8 that needs no escaping (escapeJsonText). Anything else answers null and the
// caller stringifies the whole document.
import { isAscii, isUtf8 } from 'node:buffer';
import { escapeJsonText, stringifyJson, type JsonLayout } from './json-text.js';

/** Stands for the beads array in the stringified top; a C0 control, so the text holds it only escaped. */
const SENTINEL = 'gc-tui\u0001beads';

/** The document's text around its beads array as `stringifyJson` writes it, split where the items go. */
function frame(top: Record<string, unknown>, layout: JsonLayout): { head: string; tail: string } | null {
  const step = layout.indent;
  const text = stringifyJson({ ...top, beads: SENTINEL }, layout);
  const marker = `"beads":${step === '' ? '' : ' '}${JSON.stringify(SENTINEL)}`;
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) return null;
  // The items sit at depth 2: `[`, a new line and two steps of indent before the first, a new line and one
  // step before the `]`.
  const open = step === '' ? '[' : `[\n${step}${step}`;
  const close = step === '' ? ']' : `\n${step}]`;
  return { head: text.slice(0, at + marker.length - JSON.stringify(SENTINEL).length) + open, tail: close + text.slice(at + marker.length) };
}

/** One bead's text at the items' depth, as stringifyJson writes it inside the document. */
function beadText(bead: unknown, layout: JsonLayout): string {
  const step = layout.indent;
  const text = stringifyJson(bead, { indent: step, finalNewline: false });
  // A raw line break occurs in JSON text only between tokens: each is a new line of this bead.
  return step === '' ? text : text.replace(/\n/g, `\n${step}${step}`);
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
export function spliceBeads(bytes: Buffer, layout: JsonLayout, before: readonly unknown[], top: Record<string, unknown>): Buffer[] | null {
  const after = top.beads;
  if (!Array.isArray(after) || after.length !== before.length || after.length === 0) return null;
  const changed: number[] = [];
  for (let k = 0; k < after.length; k++) if (after[k] !== before[k]) changed.push(k);
  if (changed.length === 0 || !copyable(bytes)) return null;

  const f = frame(top, layout);
  if (!f) return null;
  const head = Buffer.from(f.head, 'utf8');
  const tail = Buffer.from(f.tail, 'utf8');
  if (head.length + tail.length > bytes.length) return null;
  if (bytes.compare(head, 0, head.length, 0, head.length) !== 0) return null;
  const close = bytes.length - tail.length;
  if (bytes.compare(tail, 0, tail.length, close, bytes.length) !== 0) return null;

  // The items are bytes [head.length, close); between two of them, exactly this.
  const step = layout.indent;
  const sep = Buffer.from(step === '' ? '},{' : `\n${step}${step}},\n${step}${step}{`, 'utf8');
  /** Where each item ends (after its `}`) and where the next starts (its `{`), from a separator's offset. */
  const endAfter = step === '' ? 1 : 2 + 2 * step.length;
  const starts = new Array<number>(after.length);
  const ends = new Array<number>(after.length);
  starts[0] = head.length;
  let found = 0;
  for (let at = head.length; ; ) {
    const s = bytes.indexOf(sep, at);
    if (s < 0 || s + sep.length > close) break;
    if (++found >= after.length) return null;
    ends[found - 1] = s + endAfter;
    starts[found] = s + sep.length - 1;
    at = s + sep.length;
  }
  if (found !== after.length - 1) return null;
  ends[after.length - 1] = close;

  // The count proves the spans; what is replaced must also be the old bead as this layout writes it.
  const parts: Buffer[] = [];
  let from = 0;
  for (const k of changed) {
    if (bytes.toString('utf8', starts[k], ends[k]) !== beadText(before[k], layout)) return null;
    parts.push(bytes.subarray(from, starts[k]), Buffer.from(beadText(after[k], layout), 'utf8'));
    from = ends[k];
  }
  parts.push(bytes.subarray(from));
  return parts;
}
