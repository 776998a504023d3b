// A changed value written over the text it was read from, member by member: only what differs between the value read
// (`old`) and the one to write (`next`) is made anew, and every other byte is the file's. An object keeps its own
// layout, key order and spellings (`1.10`, `1E+2`, `-0`, `"\u0061"`, a number past 2^53): a member whose value is
// the same (the same object, or an equal primitive) is copied as read, a changed one has only its value replaced (an
// object or array inside it spliced the same way), a removed one is cut with its separator, and an added one goes
// beside its neighbour in `next`'s key order, spaced as the members around it. So a write that changes a bead's
// status rewrites the text of its status and updated_at and nothing else of it: the CONTRACT's "every field you do
// not understand, exactly as found" holds for the fields of the bead it changes too.
//
// The text must be what `old` was parsed from. What the scan cannot vouch for answers null (a key named twice in an
// object it walks, whose first copy JSON readers drop; text that is not there), and the caller writes otherwise.
import { COLON, COMMA, items, LBRACE, LBRACK, QUOTE, RBRACE, skipSpace, skipString, skipValue } from './bead-spans.js';
import { escapeJsonText, isParsedObject, stringifyJson } from './json-text.js';

/** Part of the new text: the bytes [from, to) of the text read, or text made anew. */
export type Piece = readonly [from: number, to: number] | string;

/** The text read: `s` is `bytes` from `base` on as Latin-1 (a character per byte, so offsets are the bytes'). */
export interface ReadText {
  bytes: Buffer;
  s: string;
  base: number;
  /** The items of arrays read so far, by the offset of their `[`: a big array is read once. */
  items?: Map<number, Items>;
}

/** The items of an array: each one's span, and the offset after its `]`. */
interface Items {
  starts: number[];
  ends: number[];
  end: number;
}

/** How text made anew is laid out: the file's indent unit ('' = compact) and line break. */
export interface Style {
  indent: string;
  eol: '\n' | '\r\n';
}

/**
 * The pieces of the new text as they are made: a run of the text read that continues the last one joins it, so an
 * unchanged stretch of 100 000 members is one piece, not one per member.
 */
export class Pieces {
  readonly list: Piece[] = [];
  /** The bytes [from, to) of the text read. */
  copy(from: number, to: number): void {
    const last = this.list.at(-1);
    if (last !== undefined && typeof last !== 'string' && last[1] === from) this.list[this.list.length - 1] = [last[0], to];
    else if (to > from) this.list.push([from, to]);
  }
  add(p: Piece): void {
    if (typeof p === 'string') this.list.push(p);
    else this.copy(p[0], p[1]);
  }
}

/** Called with the span [start, end) (offsets into `s`) of each item of an array that is replaced, before it is. */
export type ItemHook = (start: number, end: number) => void;

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A member `next` writes: JSON text leaves out a key whose value is undefined. */
const writes = (o: Record<string, unknown>, k: string) => hasOwn(o, k) && o[k] !== undefined;

/** The white space from the start of the line to b[i], or null when something else comes before it on its line. */
export function lineIndent(b: Buffer, i: number): string | null {
  let k = i;
  while (k > 0 && (b[k - 1] === 0x20 || b[k - 1] === 0x09)) k--;
  return k === 0 || b[k - 1] === 0x0a ? b.toString('latin1', k, i) : null;
}

/**
 * `v` as new text for a place whose line is indented `indent`: in the file's layout, each further line indented as
 * that one; on one line when the place shares its line with other text (null) or the file is compact.
 */
function freshText(v: unknown, style: Style, indent: string | null): string {
  // A string is one line in any layout (most changed values: a status, a time): stringifyJson's own text for it.
  if (typeof v === 'string') return escapeJsonText(JSON.stringify(v));
  if (indent === null || style.indent === '') return stringifyJson(v, { indent: '', finalNewline: false });
  const text = stringifyJson(v, { indent: style.indent, finalNewline: false, eol: style.eol });
  return indent === '' ? text : text.replaceAll(style.eol, `${style.eol}${indent}`);
}

export interface Member {
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** The key whose string is s[i, end), as JSON reads it (escapes decoded; UTF-8 from the bytes). */
function keyOf(t: ReadText, i: number, end: number): string {
  let plain = true;
  for (let k = i + 1; k < end - 1 && plain; k++) {
    const c = t.s.charCodeAt(k);
    plain = c < 0x80 && c !== 0x5c;
  }
  if (plain) return t.s.slice(i + 1, end - 1);
  const raw = t.bytes.toString('utf8', t.base + i, t.base + end);
  return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
}

/**
 * The members of the object opening at s[open], in text order, and the offset after its `}` (which must be `end` when
 * given); null when unusual or a key is named twice. `arrays`: the arrays among its values are read item by item as
 * they are skipped (itemsOf), for a caller that will splice one of them.
 */
export function membersOf(
  t: ReadText,
  open: number,
  opts: { end?: number; arrays?: boolean } = {},
): { members: Member[]; end: number } | null {
  const s = t.s;
  const members: Member[] = [];
  const done = (close: number) => (opts.end === undefined || close === opts.end - 1 ? { members, end: close + 1 } : null);
  let i = skipSpace(s, open + 1);
  if (s.charCodeAt(i) === RBRACE) return done(i);
  const seen = new Set<string>();
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) return null;
    const keyEnd = skipString(s, i);
    if (keyEnd < 0) return null;
    const key = keyOf(t, i, keyEnd);
    if (seen.has(key)) return null;
    seen.add(key);
    const colon = skipSpace(s, keyEnd);
    if (s.charCodeAt(colon) !== COLON) return null;
    const valueStart = skipSpace(s, colon + 1);
    const valueEnd = opts.arrays && s.charCodeAt(valueStart) === LBRACK ? (itemsOf(t, valueStart)?.end ?? -1) : skipValue(s, valueStart);
    if (valueEnd < 0) return null;
    members.push({ key, keyStart: i, keyEnd, valueStart, valueEnd });
    i = skipSpace(s, valueEnd);
    const c = s.charCodeAt(i);
    if (c === RBRACE) return done(i);
    if (c !== COMMA) return null;
    i = skipSpace(s, i + 1);
  }
}

/** The items of the array opening at s[open] (read once: t.items); null when unusual. */
function itemsOf(t: ReadText, open: number): Items | null {
  const known = t.items?.get(open);
  if (known) return known;
  const read = items(t.s, open, skipValue);
  if (!read) return null;
  const found = { starts: read.starts, ends: read.ends, end: read.close + 1 };
  (t.items ??= new Map()).set(open, found);
  return found;
}

/**
 * Adds to `out` the pieces that spell `next` where s[i, end) spells `old` (see the top); false when the text does not
 * hold `old` as expected (`out` is then to be dropped). `indent` is that of the line the value's member or item starts
 * on (null: not at a line's start); `hook` sees each item replaced when the value is an array.
 */
export function spliceValue(
  t: ReadText,
  i: number,
  end: number,
  old: unknown,
  next: unknown,
  style: Style,
  indent: string | null,
  out: Pieces,
  hook?: ItemHook,
): boolean {
  if (Object.is(old, next)) {
    out.copy(t.base + i, t.base + end);
    return true;
  }
  const c = t.s.charCodeAt(i);
  if (c === LBRACE && isParsedObject(old) && isParsedObject(next)) {
    const read = membersOf(t, i, { end });
    return read !== null && spliceObject(t, i, end, read.members, old, next, style, indent, out);
  }
  if (c === LBRACK && Array.isArray(old) && Array.isArray(next) && next.length >= old.length)
    return spliceArray(t, i, end, old, next, style, indent, out, hook);
  out.add(freshText(next, style, indent));
  return true;
}

/** The object s[open, end) holding `members` (read as `old`) made to spell `next`. */
export function spliceObject(
  t: ReadText,
  open: number,
  end: number,
  members: readonly Member[],
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  style: Style,
  indent: string | null,
  out: Pieces,
  hooks?: Readonly<Record<string, ItemHook>>,
): boolean {
  const n = members.length;
  const oldKeys = Object.keys(old);
  if (n !== oldKeys.length) return false;
  for (let k = 0; k < n; k++) {
    const m = members[k];
    // A key read from the text is a new string, which every property lookup by it looks up in V8's string table
    // first; the object's own key of the same text (most often at the same place: JSON.parse keeps the text's order)
    // is the one its properties are stored under. At `apply --all` on 100 000 beads, 11-16 ms of the splice's lookups.
    if (m.key === oldKeys[k]) m.key = oldKeys[k];
    else if (!hasOwn(old, m.key)) return false;
  }
  const close = end - 1;
  const base = t.base;
  if (n === 0) {
    out.add(freshText(next, style, indent));
    return true;
  }

  // What the object holds now, in order: the members read that stay (an index), in text order, and each added key
  // after the key before it in `next` (else before the one after it). Runs once per changed bead and per object in
  // it, so the usual case (no key added) is made without the search for an added key's place.
  const list: (number | string)[] = [];
  for (let k = 0; k < n; k++) if (writes(next, members[k].key)) list.push(k);
  const keys = Object.keys(next);
  let added = false;
  for (let j = 0; j < keys.length && !added; j++) added = next[keys[j]] !== undefined && !hasOwn(old, keys[j]);
  if (added) placeAdded(list, members, old, next);
  if (list.length === 0) {
    out.add('{}');
    return true;
  }

  // Between members: the separator read there when both were neighbours, else one read beside them (a new line and
  // the members' indent, or a comma and a space), else one made like the space after `{`.
  const first = members[0];
  const sepAfter = (k: number) => out.copy(base + members[k].valueEnd, base + members[k + 1].keyStart);
  const gap = (a: number | string, b: number | string) => {
    if (typeof a === 'number' && a < n - 1) sepAfter(a);
    else if (typeof b === 'number' && b > 0) sepAfter(b - 1);
    else if (typeof a === 'number' && a > 0) sepAfter(a - 1);
    else if (n > 1) sepAfter(0);
    else {
      const lead = t.s.slice(open + 1, first.keyStart);
      const spaced = lead !== '' || t.s.slice(first.keyEnd, first.valueStart).includes(' ');
      out.add(lead.includes('\n') ? `,${lead}` : spaced ? ', ' : ',');
    }
  };
  out.copy(base + open, base + first.keyStart);
  for (let e = 0; e < list.length; e++) {
    const entry = list[e];
    if (e > 0) gap(list[e - 1], entry);
    if (typeof entry === 'string') {
      // Spaced as its neighbour read: the same `: ` and the same indent.
      const near = members[neighbour(list, e) ?? 0];
      out.add(stringifyJson(entry, { indent: '', finalNewline: false }));
      out.copy(base + near.keyEnd, base + near.valueStart);
      out.add(freshText(next[entry], style, lineIndent(t.bytes, base + near.keyStart)));
      continue;
    }
    const m = members[entry];
    const was = old[m.key];
    const now = next[m.key];
    if (Object.is(was, now)) {
      out.copy(base + m.keyStart, base + m.valueEnd);
      continue;
    }
    out.copy(base + m.keyStart, base + m.valueStart);
    if (!spliceValue(t, m.valueStart, m.valueEnd, was, now, style, lineIndent(t.bytes, base + m.keyStart), out, hooks?.[m.key]))
      return false;
  }
  out.copy(base + members[n - 1].valueEnd, base + close + 1);
  return true;
}

/** Puts each key `next` adds (not in `old`) into `list` after the key before it in `next`, else before the one after it. */
function placeAdded(
  list: (number | string)[],
  members: readonly Member[],
  old: Record<string, unknown>,
  next: Record<string, unknown>,
): void {
  const nameOf = (e: number | string) => (typeof e === 'number' ? members[e].key : e);
  const place = (key: string) => list.findIndex((e) => nameOf(e) === key);
  const keys = Object.keys(next).filter((k) => next[k] !== undefined);
  keys.forEach((key, j) => {
    if (hasOwn(old, key)) return;
    let to = -1;
    for (let p = j - 1; p >= 0 && to < 0; p--) {
      const q = place(keys[p]);
      if (q >= 0) to = q + 1;
    }
    for (let p = j + 1; p < keys.length && to < 0; p++) to = hasOwn(old, keys[p]) ? place(keys[p]) : -1;
    list.splice(to < 0 ? list.length : to, 0, key);
  });
}

/** The index of the member read nearest to list[e] (before it first), or undefined when none stays. */
function neighbour(list: readonly (number | string)[], e: number): number | undefined {
  for (let d = 1; d < list.length; d++) {
    const before = list[e - d];
    if (typeof before === 'number') return before;
    const after = list[e + d];
    if (typeof after === 'number') return after;
  }
  return undefined;
}

/** The array s[open, end) (read as `old`) made to spell `next`: its items replaced where they differ, new ones appended. */
function spliceArray(
  t: ReadText,
  open: number,
  end: number,
  old: readonly unknown[],
  next: readonly unknown[],
  style: Style,
  indent: string | null,
  out: Pieces,
  hook?: ItemHook,
): boolean {
  const at = (a: number, b: number): Piece => [t.base + a, t.base + b];
  const items = itemsOf(t, open);
  if (!items || items.end !== end || items.starts.length !== old.length) return false;
  const { starts, ends } = items;
  const n = old.length;
  if (n === 0) {
    out.add(freshText(next, style, indent));
    return true;
  }
  let from = open;
  for (let k = 0; k < n; k++) {
    if (Object.is(old[k], next[k])) continue;
    hook?.(starts[k], ends[k]);
    out.add(at(from, starts[k]));
    if (!spliceValue(t, starts[k], ends[k], old[k], next[k], style, lineIndent(t.bytes, t.base + starts[k]), out)) return false;
    from = ends[k];
  }
  if (next.length > n) {
    // Appended after the last item, each spaced as the last two items are (else as the first is from `[`).
    out.add(at(from, ends[n - 1]));
    from = ends[n - 1];
    const lead = t.s.slice(open + 1, starts[0]);
    const sep: Piece = n > 1 ? at(ends[n - 2], starts[n - 1]) : `,${lead.includes('\n') ? lead : lead === '' ? '' : ' '}`;
    const itemIndent = lineIndent(t.bytes, t.base + starts[n - 1]);
    for (let k = n; k < next.length; k++) {
      out.add(sep);
      out.add(freshText(next[k], style, itemIndent));
    }
  }
  out.add(at(from, end));
  return true;
}

/** The pieces as the bytes to write: runs of the text read as parts of `bytes` (no copy), text made anew encoded. */
export function piecesToBytes(bytes: Buffer, pieces: readonly Piece[]): Buffer[] {
  // The text made anew is encoded in one go when it is ASCII (as bytes as characters, so each piece's bytes are found
  // by its length): `apply --all` at 100 000 beads makes about 13 000 small pieces, a Buffer each took about 20 ms.
  let made = '';
  for (const p of pieces) if (typeof p === 'string') made += p;
  const ascii = made.length > 0 && Buffer.byteLength(made, 'utf8') === made.length ? Buffer.from(made, 'latin1') : null;
  const parts: Buffer[] = [];
  let at = 0;
  for (const p of pieces) {
    if (typeof p !== 'string') parts.push(bytes.subarray(p[0], p[1]));
    else if (p === '') continue;
    else if (ascii === null) parts.push(Buffer.from(p, 'utf8'));
    else parts.push(ascii.subarray(at, (at += p.length)));
  }
  return parts;
}
