// JSON in and out of files we share with other programs.
// - Node 20's JSON.parse names no line or column, so on failure we re-scan the text ourselves to say where.
// - Gas City's int64 maps (`fences`, `revisions`) may hold integers beyond 2^53; JSON.parse would round them
//   and our rewrite would then corrupt another program's data. Such numbers are kept as their source text.
import { InputError } from '../types.js';
import { duplicateTopKey, firstDuplicateKey } from './duplicate-keys.js';
import { utf16Said } from './utf8.js';

/** How many JsonNumberText were ever made in this process: none, and no value can hold one (no walk needed). */
let numberTextsMadeCount = 0;

/** Whether any JsonNumberText was ever made in this process (when not, no value here can hold one). */
export function numberTextsMade(): boolean {
  return numberTextsMadeCount > 0;
}

/** A number literal a JS number would change (an integer past 2^53, one beyond the float range), carried through verbatim. */
export class JsonNumberText {
  constructor(readonly text: string) {
    numberTextsMadeCount++;
  }
  toJSON(): number {
    return Number(this.text);
  }
}

/**
 * An integer read from JSON (a safe `number`, or `JsonNumberText` beyond 2^53) plus one, digit-exact: BigInt
 * arithmetic, kept as JsonNumberText when the sum is no longer a safe integer. Null when `v` is not an integer.
 */
export function jsonIntegerPlusOne(v: unknown): number | JsonNumberText | null {
  let n: bigint;
  if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (v instanceof JsonNumberText && /^-?[0-9]+$/.test(v.text)) n = BigInt(v.text);
  else return null;
  const next = n + 1n;
  const asNumber = Number(next);
  return Number.isSafeInteger(asNumber) && BigInt(asNumber) === next ? asNumber : new JsonNumberText(next.toString());
}

export interface JsonSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** 1-based line and column of a UTF-16 offset (columns count code points, as editors do). */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = Array.from(text.slice(lineStart, Math.min(offset, text.length))).length + 1;
  return { line, column };
}

class Fail extends Error {
  constructor(
    readonly offset: number,
    readonly why: string,
  ) {
    super(why);
  }
}

/**
 * The deepest nesting of arrays and objects we read. Real files nest a handful of levels; a limit (Go's decoder
 * has one too) turns a hostile 5,000-deep document into a located error instead of a stack overflow somewhere
 * downstream (validation, serialization, the worker's structured clone).
 */
export const MAX_JSON_DEPTH = 1000;

const TOO_DEEP = `nesting deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;

const TOO_DEEP_FOUND = 1;
const BIG_NUMBER_FOUND = 2;
const OBJECT_PAIR_FOUND = 4;

/**
 * What a walk of `v` (at nesting level `d`) finds: TOO_DEEP_FOUND when arrays and objects nest deeper than
 * MAX_JSON_DEPTH, BIG_NUMBER_FOUND when a number is beyond ±2^53 (JSON.parse may have rounded its digits),
 * OBJECT_PAIR_FOUND when an array holds two objects side by side (`v` itself too, unless `top`: see JsonShape).
 * No allocation per value; the recursion stops one level past the limit, well within the stack.
 */
function walk(v: object, d: number, top = false): number {
  if (d > MAX_JSON_DEPTH) return TOO_DEEP_FOUND;
  let found = 0;
  if (Array.isArray(v)) {
    let object = false; // the item before is an object (not an array)
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) {
        const array = Array.isArray(x);
        if (object && !array && !top) found |= OBJECT_PAIR_FOUND;
        object = !array;
        if ((found |= walk(x, d + 1)) & TOO_DEEP_FOUND) return found;
      } else {
        object = false;
        if (typeof x === 'number' && (x > Number.MAX_SAFE_INTEGER || x < -Number.MAX_SAFE_INTEGER)) found |= BIG_NUMBER_FOUND;
      }
    }
    return found;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'object') {
      if (x !== null && (found |= walk(x, d + 1)) & TOO_DEEP_FOUND) return found;
    } else if (typeof x === 'number' && (x > Number.MAX_SAFE_INTEGER || x < -Number.MAX_SAFE_INTEGER)) found |= BIG_NUMBER_FOUND;
  }
  return found;
}

/** walk() of a parsed value at nesting level `depth` of its document (a bare number at the top is a value too). */
function walkDocument(root: unknown, depth: number): number {
  if (typeof root === 'number') return root > Number.MAX_SAFE_INTEGER || root < -Number.MAX_SAFE_INTEGER ? BIG_NUMBER_FOUND : 0;
  return root !== null && typeof root === 'object' ? walk(root, depth + 1, true) : 0;
}

/**
 * What parseJsonText found of a text's shape besides its value. `objectPairs`: some array inside the value (not the
 * value itself) holds two objects side by side; it is set, never cleared, so one record serves many parses (a store's
 * batches of beads: then no bead holds such an array, and no text in them but a separator between two beads is a `}`,
 * a `,` and a `{` outside strings, with white space between: splice-beads.ts finds the beads by that separator).
 */
export interface JsonShape {
  objectPairs: boolean;
}

/**
 * The offset of the first `[` or `{` that opens level MAX_JSON_DEPTH + 1, or -1. A linear scan that skips
 * string contents, for text JSON.parse accepted (so brackets balance and strings terminate); run only once
 * tooDeep said so, to say where.
 */
function excessDepthAt(s: string, depth: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      // a string: jump to its closing quote (one preceded by an even number of backslashes)
      for (;;) {
        const j = s.indexOf('"', i + 1);
        if (j < 0) return -1;
        let k = j - 1;
        while (s.charCodeAt(k) === 0x5c) k--;
        i = j;
        if ((j - 1 - k) % 2 === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** A strict JSON reader (RFC 8259) that knows where it is. */
class Reader {
  pos = 0;
  constructor(
    private readonly s: string,
    private depth: number,
    /** Every number a JS number would write otherwise (`1.10`, `-0`, `1e2`) kept as written, not only the ones it would change. */
    private readonly spelled = false,
  ) {}

  describe(offset: number): string {
    if (offset >= this.s.length) return 'end of file';
    const ch = this.s[offset];
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return `character ${codePointName(ch)}`;
    return `'${ch}'`;
  }

  fail(why: string, at = this.pos): never {
    throw new Fail(at, why);
  }

  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  document(): unknown {
    const utf16 = utf16Said(this.s);
    if (utf16) this.fail(utf16);
    this.ws();
    if (this.pos >= this.s.length) this.fail('the file is empty (expected a JSON document)');
    const v = this.value();
    this.ws();
    if (this.pos < this.s.length) this.fail(`unexpected ${this.describe(this.pos)} after the end of the JSON document`);
    return v;
  }

  value(): unknown {
    const c = this.s[this.pos];
    switch (c) {
      case '{':
      case '[': {
        if (++this.depth > MAX_JSON_DEPTH) this.fail(TOO_DEEP);
        const v = c === '{' ? this.object() : this.array();
        this.depth--;
        return v;
      }
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        this.fail(`unexpected ${this.describe(this.pos)} (expected a value)`);
    }
  }

  literal(word: string, v: unknown): unknown {
    if (this.s.startsWith(word, this.pos)) {
      this.pos += word.length;
      return v;
    }
    this.fail(`unexpected ${this.describe(this.pos)} (expected a value)`);
  }

  object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++; // {
    this.ws();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') {
        if (this.s[this.pos] === '}') this.fail("trailing comma before '}'");
        this.fail(`unexpected ${this.describe(this.pos)} (expected a double-quoted property name)`);
      }
      const key = this.string();
      this.ws();
      if (this.s[this.pos] !== ':') this.fail(`unexpected ${this.describe(this.pos)} (expected ':' after property name)`);
      this.pos++;
      this.ws();
      // defineProperty, not assignment: a "__proto__" key must stay plain data.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return out;
      }
      this.fail(`unexpected ${this.describe(this.pos)} (expected ',' or '}' after a property value)`);
    }
  }

  array(): unknown[] {
    const out: unknown[] = [];
    this.pos++; // [
    this.ws();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] === ']') this.fail("trailing comma before ']'");
      if (this.pos >= this.s.length) this.fail('unexpected end of file (expected a value)');
      out.push(this.value());
      this.ws();
      const c = this.s[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return out;
      }
      this.fail(`unexpected ${this.describe(this.pos)} (expected ',' or ']' after an array element)`);
    }
  }

  string(): string {
    const s = this.s;
    const start = this.pos;
    this.pos++; // "
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail('unterminated string', start);
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) {
        out += s.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail(`${this.describe(this.pos)} inside a string (control characters must be escaped)`);
      if (c === 0x5c) {
        out += s.slice(chunk, this.pos);
        const e = s[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(s.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          this.fail('invalid escape sequence in a string');
        }
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  number(): number | JsonNumberText {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.pos, this.pos + 400));
    if (!m) this.fail('invalid number');
    const text = m[0];
    const next = this.s[this.pos + text.length];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) this.fail('invalid number', this.pos + text.length);
    this.pos += text.length;
    // Kept as written when a JS number would change it (Gas City's int64 tokens past 2^53, `1e400`,
    // `12345678901234567890e0`): a rewrite of the file leaves another program's values as they were.
    const n = Number(text);
    if (this.spelled) return JSON.stringify(n) === text ? n : new JsonNumberText(text);
    return !Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n)) ? new JsonNumberText(text) : n;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export class JsonSyntaxError extends Error {
  constructor(readonly problem: JsonSyntaxProblem) {
    super(`line ${problem.line}, column ${problem.column}: ${problem.message}`);
  }
}

/**
 * Parse JSON text, keeping oversized integers exact. Throws JsonSyntaxError with line and column.
 * The fast path is the native parser; our own reader runs only when it must (big digits, or an error).
 * `depth`: how many arrays and objects hold the text's value in its document (a part of a document parsed on
 * its own meets the nesting limit where the whole would). `shape`, when given, gets what was found of the text's
 * shape (JsonShape).
 */
export function parseJsonText(text: string, depth = 0, shape?: JsonShape): unknown {
  const body = stripBom(text);
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    v = undefined; // fall through: our reader says where
  }
  if (v === undefined && shape) shape.objectPairs = true; // not known: our reader does not say
  if (v !== undefined) {
    // One walk of what JSON.parse made: too deep is an error; a number beyond 2^53 (an integer JSON.parse may
    // have rounded) sends the text to our reader, which keeps such integers digit for digit.
    const found = walkDocument(v, depth);
    if (shape && found & OBJECT_PAIR_FOUND) shape.objectPairs = true;
    if (found & TOO_DEEP_FOUND)
      throw new JsonSyntaxError({ ...lineColumnAt(body, Math.max(0, excessDepthAt(body, depth))), message: TOO_DEEP });
    if (!(found & BIG_NUMBER_FOUND)) return v;
  }
  try {
    return new Reader(body, depth).document();
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    throw new JsonSyntaxError({ ...lineColumnAt(body, e.offset), message: e.why });
  }
}

/**
 * Parse JSON text with every number a JS number would write otherwise (`1.0`, `1e2`, `-0`) kept as written, a
 * JsonNumberText, not only the ones it would change: what a number's spelling is read from (number-spellings.ts). The
 * text must be valid JSON (a part of a document already parsed); throws JsonSyntaxError otherwise.
 */
export function parseJsonSpelled(text: string): unknown {
  try {
    return new Reader(stripBom(text), 0, true).document();
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    throw new JsonSyntaxError({ ...lineColumnAt(text, e.offset), message: e.why });
  }
}

/** A JSON object as parsed (not an array, nor a JsonNumberText). */
export function isParsedObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `next` (the document `old`, parsed from `text`, changed copy-on-write: what it shares with `old` is the same object
 * or an equal primitive) with every number it shares with `old` spelled as `text` spells it: for a whole rewrite, which
 * would otherwise write each as a JS number does (`1.10` as `1.1`, `-0` as `0`, `0.12345678901234567890123` rounded).
 * `text` is read again for it (our own reader: slow, for a write that cannot be spliced).
 */
export function withNumberSpellings(text: string, old: unknown, next: unknown): unknown {
  let spelled: unknown;
  try {
    spelled = new Reader(stripBom(text), 0, true).document();
  } catch {
    return next; // not what `old` was parsed from: the caller's own checks word it
  }
  const graft = (was: unknown, as: unknown, now: unknown): unknown => {
    if (Object.is(was, now)) return as;
    if (isParsedObject(was) && isParsedObject(as) && isParsedObject(now)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(now)) {
        const v =
          Object.prototype.hasOwnProperty.call(was, k) && Object.prototype.hasOwnProperty.call(as, k)
            ? graft(was[k], as[k], now[k])
            : now[k];
        // defineProperty: a "__proto__" key stays plain data.
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (Array.isArray(was) && Array.isArray(as) && Array.isArray(now))
      return now.map((x: unknown, i) => (i < was.length && i < as.length ? graft(was[i], as[i], x) : x));
    return now;
  };
  return graft(old, spelled, next);
}

/** A JSON number literal (RFC 8259), as the reader takes it (it looks at most 400 characters ahead). */
const NUMBER_LITERAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * Whether parseJsonText of stringifyJson(v) gives back `v` value for value, so that a check of `v` is a check of what
 * its text reads back as, without making the text: plain objects and arrays (no holes, no toJSON, no member JSON leaves
 * out or writes as null), strings, booleans, null, numbers read back as themselves (finite, not -0, safe when integers),
 * and JsonNumberText the reader itself would make of its text (a valid literal a JS number would change). False also
 * beyond MAX_JSON_DEPTH levels (the reader refuses those) and for a cycle (it never ends within that depth).
 */
export function isJsonRoundTrip(v: unknown, depth = 0): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) && (Number.isSafeInteger(v) || !Number.isInteger(v));
    case 'object':
      break;
    default:
      return false;
  }
  if (v === null) return true;
  if (v instanceof JsonNumberText) {
    const n = Number(v.text);
    return (
      v.text.length <= 400 && NUMBER_LITERAL.test(v.text) && (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n)))
    );
  }
  if (++depth > MAX_JSON_DEPTH) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  if (Array.isArray(v)) {
    if (proto !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) if (!(i in v) || !isJsonRoundTrip(v[i], depth)) return false;
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const o = v as Record<string, unknown>;
  for (const k in o) if (!isJsonRoundTrip(o[k], depth)) return false;
  return true;
}

function containsNumberText(v: unknown): boolean {
  return numberTextsMadeCount > 0 && holdsNumberText(v);
}

function holdsNumberText(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof JsonNumberText) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (holdsNumberText(v[i])) return true;
    return false;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) if (holdsNumberText(o[k])) return true;
  return false;
}

/** How a JSON file is laid out: its indent unit ('' = compact, one line) and whether it ends with a newline. */
export interface JsonLayout {
  indent: string;
  finalNewline: boolean;
  /** The line break between tokens and at the end (a file saved on Windows: `\r\n`); `\n` when absent. */
  eol?: '\n' | '\r\n';
  /** The text starts with a byte order mark, kept on a rewrite. */
  bom?: boolean;
}

/** Our own files' layout: 2-space indent, final newline. */
export const DEFAULT_JSON_LAYOUT: JsonLayout = { indent: '  ', finalNewline: true };

/**
 * The layout of JSON text, so a rewrite keeps it: compact when the first value does not open onto a new line,
 * else the whitespace before the first member (spaces or tabs); JSON text without any container gets ours.
 */
export function detectJsonLayout(text: string): JsonLayout {
  const finalNewline = text.endsWith('\n');
  const open = text.search(/[[{]/);
  if (open < 0) return DEFAULT_JSON_LAYOUT;
  const after = /^[ \t]*(\r?\n)?([ \t]*)/.exec(text.slice(open + 1, open + 1 + 200))!;
  // Line breaks and a byte order mark as the file has them (only when it has them: the layout of most files is ours).
  const crlf = after[1] === '\r\n' || (!after[1] && text.endsWith('\r\n'));
  const marks = { ...(crlf ? { eol: '\r\n' as const } : {}), ...(text.charCodeAt(0) === 0xfeff ? { bom: true } : {}) };
  if (!after[1]) return { indent: '', finalNewline, ...marks };
  // An empty container (`{\n}`) says nothing about the unit: ours.
  return { indent: after[2] === '' ? DEFAULT_JSON_LAYOUT.indent : after[2], finalNewline, ...marks };
}

function write(v: unknown, indent: string, step: string): string {
  if (v instanceof JsonNumberText) return v.text;
  const compact = step === '';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = indent + step;
    const items = v.map((x) => (x === undefined ? 'null' : write(x, inner, step)));
    return compact ? `[${items.join(',')}]` : `[\n${inner}${items.join(`,\n${inner}`)}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + step;
    if (compact) return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${write(x, inner, step)}`).join(',')}}`;
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${write(x, inner, step)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Whether `text` is ASCII without DEL: nothing escapeJsonText would change, and its UTF-8 is its characters, one byte
 * each. ASCII text (its UTF-8 is as long as it) can hold only DEL of the controls escaped, which a native search finds:
 * at 100 000 beads, testing `check --json`'s 15 MB with escapeJsonText's regex took 10-15 ms.
 */
function isPlainAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length && text.indexOf('\x7f') < 0;
}

/** A character as Unicode names it in an error (`U+001B`): one spelling for every reader's messages. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What output/sanitize.ts's CONTROL_CLASS holds above C0 (its comment says why each is there): DEL, C1, the line and
 * paragraph separators, and every format character but the two joiners, tag characters included. As the inside of a
 * character class for a regex with the `u` flag. Kept here, beside the one JSON writer that escapes them.
 */
export const CONTROL_CLASS_ABOVE_C0 =
  '\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b\\u200e\\u200f' +
  '\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb' +
  '\\u{110bd}\\u{110cd}\\u{13430}-\\u{1343f}\\u{1bca0}-\\u{1bca3}\\u{1d173}-\\u{1d17a}\\u{e0001}\\u{e0020}-\\u{e007f}';

// JSON.stringify escapes C0 but writes these raw.
const RAW_CONTROLS = new RegExp(`[${CONTROL_CLASS_ABOVE_C0}]`, 'gu');

/** A character as JSON's `\\uXXXX` escapes, one per UTF-16 unit (a tag character is a surrogate pair). */
export const jsonUnitsEscaped = (ch: string): string =>
  ch.length === 1
    ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
    : `\\u${ch.charCodeAt(0).toString(16)}\\u${ch.charCodeAt(1).toString(16)}`;

/**
 * JSON text with DEL, C1, the bidi controls and the other format characters sanitize() shows escaped written as
 * \u escapes (JSON.stringify escapes only C0), so no file or stdout we write carries a raw terminal control or an
 * invisible character. They can only occur inside string literals: the value is unchanged.
 */
export function escapeJsonText(json: string): string {
  if (isPlainAscii(json)) return json;
  RAW_CONTROLS.lastIndex = 0;
  if (!RAW_CONTROLS.test(json)) return json;
  return json.replace(RAW_CONTROLS, jsonUnitsEscaped);
}

/**
 * JSON text in `layout` (default: 2-space indented with a final newline), writing preserved big integers back
 * digit for digit, and DEL, C1, bidi and the other format characters escaped (escapeJsonText).
 */
export function stringifyJson(value: unknown, layout: JsonLayout = DEFAULT_JSON_LAYOUT): string {
  const { indent } = layout;
  // JSON.stringify takes at most 10 characters of indent; our writer takes any.
  const native = !containsNumberText(value) && indent.length <= 10;
  const text = !native ? write(value, '', indent) : indent === '' ? JSON.stringify(value) : JSON.stringify(value, null, indent);
  const eol = layout.eol ?? '\n';
  // A raw line break in JSON text is only ever one between tokens (strings hold theirs escaped).
  const lines = eol === '\n' ? escapeJsonText(text) : escapeJsonText(text).replace(/\n/g, eol);
  return (layout.bom ? '\ufeff' : '') + lines + (layout.finalNewline ? eol : '');
}

/**
 * How deep emitJsonText opens objects and arrays itself (a plan's slots sit at level 4 of an export); deeper
 * values are one JSON.stringify each.
 */
const PART_DEPTH = 5;

/** An array of at most this many items is opened item by item (a plan's few pools, each holding many slots). */
const OPEN_ITEMS = 8;

/**
 * A big array's items per JSON.stringify: its text (a few hundred characters an item) stays under V8's large
 * object size (128 KB), so it dies young with the other garbage of the output instead of taking pages of
 * its own: `check --json` at 100 000 beads peaked about 9 MB higher with 500 items a part.
 */
const ITEMS_PER_PART = 100;

/** Parts are handed on joined to about this many characters: one write per part would be a system call each. */
const PART_CHARS = 1 << 16;

/**
 * A part at least this long (a big array's slice) is handed on by itself, not joined with the small parts around it:
 * joining copied every character once more (at 100 000 beads the json export's 72 MB of text, as garbage).
 */
const OWN_PART_CHARS = 1 << 13;

/** An object or array JSON.stringify writes member by member (no toJSON of its own, a plain prototype). */
function openable(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return Array.isArray(v) || proto === Object.prototype || proto === null;
}

/** A member JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(x: unknown): boolean {
  return x === undefined || typeof x === 'function' || typeof x === 'symbol';
}

/** One of these calls toJSON with its key, which differs when it is written on its own: such values are not split off. */
function hasToJson(x: unknown): boolean {
  return x !== null && typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * JSON text of `v` as it reads at nesting level `depth` of a document: JSON.stringify of `v` wrapped in `depth`
 * arrays, without the wrappers' brackets and indentation, so the native writer does the indenting.
 */
function nativeAt(v: unknown, depth: number, indent: string): string {
  let w = v;
  for (let d = 0; d < depth; d++) w = [w];
  const text = indent === '' ? JSON.stringify(w) : JSON.stringify(w, null, indent);
  if (indent === '') return depth === 0 ? text : text.slice(depth, text.length - depth);
  const before = 2 * depth + (indent.length * depth * (depth + 1)) / 2;
  const after = 2 * depth + (indent.length * depth * (depth - 1)) / 2;
  return text.slice(before, text.length - after);
}

function emitParts(emit: (part: string) => void, v: unknown, depth: number, indent: string, itemsPerPart: number): void {
  if (depth >= PART_DEPTH || !openable(v)) {
    emit(nativeAt(v, depth, indent));
    return;
  }
  const nl = indent === '' ? '' : '\n';
  const inner = nl + indent.repeat(depth + 1);
  const close = nl + indent.repeat(depth);
  if (Array.isArray(v)) {
    if (v.length === 0 || (v.length > OPEN_ITEMS && v.length <= itemsPerPart) || v.some(hasToJson)) {
      emit(nativeAt(v, depth, indent));
      return;
    }
    if (v.length <= OPEN_ITEMS) {
      emit('[');
      for (let i = 0; i < v.length; i++) {
        emit((i === 0 ? '' : ',') + inner);
        emitParts(emit, v[i], depth + 1, indent, itemsPerPart);
      }
      emit(close + ']');
      return;
    }
    // Items a slice at a time: the slice's text without its brackets is those items' lines in the document. The
    // comma goes on its own, so the slice's text is handed on as the one flat string it is (not copied into another).
    emit('[');
    for (let i = 0; i < v.length; i += itemsPerPart) {
      const text = nativeAt(v.slice(i, i + itemsPerPart), depth, indent);
      if (i > 0) emit(',');
      emit(text.slice(1, text.length - 1 - close.length));
    }
    emit(close + ']');
    return;
  }
  const keys = Object.keys(v).filter((k) => !omitted(v[k]));
  if (keys.length === 0 || keys.some((k) => hasToJson(v[k]))) {
    emit(nativeAt(v, depth, indent));
    return;
  }
  emit('{');
  keys.forEach((k, i) => {
    emit(`${i === 0 ? '' : ','}${inner}${JSON.stringify(k)}:${indent === '' ? '' : ' '}`);
    emitParts(emit, v[k], depth + 1, indent, itemsPerPart);
  });
  emit(close + '}');
}

/**
 * Where emitJsonText's parts go; `ascii` is true for a part of ASCII characters only (its UTF-8 is its characters, one
 * byte each: what it is written with need not encode it).
 */
export type JsonPartSink = (part: string, ascii?: boolean) => void;

/**
 * `JSON.stringify(value, null, layout.indent)` (toJSON and all) with DEL, C1 and bidi controls escaped and the
 * line breaks, byte order mark and final newline of `layout`, handed to `emit` in parts as it is made (their concatenation is that text). A big
 * array is written `itemsPerPart` items per JSON.stringify, so no string holds the whole document (a part
 * written is garbage at once), and a character beyond Latin-1 in one part (an arrow in a repair's reason) does
 * not make all of it two-byte text, twice as slow to scan and to encode.
 */
export function emitJsonText(emit: JsonPartSink, value: unknown, layout: JsonLayout, itemsPerPart = ITEMS_PER_PART): void {
  let pending: string[] = [];
  let chars = 0;
  const eol = layout.eol ?? '\n';
  // A raw line break is only ever one between tokens (as in stringifyJson); escaping is per character, so a part
  // escaped on its own reads as it would in the whole text. Whether it is ASCII is found anyway, and said.
  const send = (text: string): void => {
    const ascii = isPlainAscii(text);
    const escaped = ascii ? text : escapeJsonText(text);
    emit(eol === '\n' ? escaped : escaped.replace(/\n/g, eol), ascii);
  };
  const flush = (): void => {
    if (pending.length) send(pending.length === 1 ? pending[0] : pending.join(''));
    pending = [];
    chars = 0;
  };
  if (layout.bom) emit('\ufeff');
  emitParts(
    (part) => {
      if (part.length >= OWN_PART_CHARS) {
        flush();
        send(part);
        return;
      }
      pending.push(part);
      if ((chars += part.length) >= PART_CHARS) flush();
    },
    value,
    0,
    layout.indent.slice(0, 10), // as JSON.stringify takes it
    itemsPerPart,
  );
  if (layout.finalNewline) pending.push('\n');
  flush();
}

/** stringifyJson's text handed to `emit` in parts (emitJsonText, unless big integers need our own writer). */
export function emitJson(
  emit: JsonPartSink,
  value: unknown,
  layout: JsonLayout = DEFAULT_JSON_LAYOUT,
  itemsPerPart = ITEMS_PER_PART,
): void {
  if (containsNumberText(value) || layout.indent.length > 10) emit(stringifyJson(value, layout));
  else emitJsonText(emit, value, layout, itemsPerPart);
}

/**
 * A whole data file's document (parseJsonText), with a top-level key named twice refused as a JsonSyntaxError at the
 * second one (duplicate-keys.ts): JSON.parse would keep the last and lose the first.
 */
export function parseJsonDocument(text: string): unknown {
  const value = parseJsonText(text);
  assertUniqueTopKeys(text);
  return value;
}

const topKeyTwice = (key: string) =>
  `the key ${JSON.stringify(key)} appears twice at the top level (the second would silently replace the first); keep one`;

/** The JsonSyntaxError (line and column) of a top-level key of `text` named twice; nothing when there is none. */
export function assertUniqueTopKeys(text: string): void {
  const dup = duplicateTopKey(text);
  if (!dup) return;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  throw new JsonSyntaxError({
    ...lineColumnAt(text.slice(bom), dup.offset - bom),
    message: topKeyTwice(dup.key),
  });
}

/**
 * The JsonSyntaxError (line and column in all of `text`) of a key named twice in one object of text[from, to) (at any
 * depth: what a write makes anew from the parsed value holds only the last of the two); null when none. `document`:
 * the span is a whole document (its outermost keys are the top level), not a part of one such as a bead's text.
 */
export function duplicateKeyError(text: string, from = 0, to = text.length, document = from === 0): JsonSyntaxError | null {
  const dup = firstDuplicateKey(text, from, to);
  if (!dup) return null;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return new JsonSyntaxError({
    ...lineColumnAt(text.slice(bom), dup.offset - bom),
    message:
      dup.depth === 1 && document
        ? topKeyTwice(dup.key)
        : `the key ${JSON.stringify(dup.key)} appears twice in one object (a rewrite would keep only the second); keep one`,
  });
}

/** duplicateKeyError of the whole document `text`, thrown. */
export function assertUniqueKeys(text: string): void {
  const e = duplicateKeyError(text);
  if (e) throw e;
}

/** Parse JSON text (parseJsonDocument); bad JSON becomes an InputError naming the file, line and column. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return parseJsonDocument(text);
  } catch (e) {
    throw e instanceof JsonSyntaxError ? jsonSyntaxInputError(file, e) : e;
  }
}

export function jsonSyntaxInputError(file: string, e: JsonSyntaxError): InputError {
  return new InputError(file, `line ${e.problem.line}, column ${e.problem.column}`, e.problem.message);
}
