// A 64-bit print of an entry, so the plan worker's memo (chunked-clone.ts) can tell that an entry is unchanged
// without keeping the entry: at 100 000 beads the bead details it kept only to compare them field by field with
// the next plan's were about 31 MB of the worker's heap, for 8 bytes a bead here.
//
// Two 32-bit lanes of different designs (MurmurHash3's body, xxHash32's round), each finished with
// MurmurHash3's avalanche and seeded at random per process, so that no store can be made, ahead of time, whose
// change keeps its print. Two different entries then share a print with a chance of about 2^-64 per changed
// entry. Every value is written with its length or its kind first, so two different sequences of fields never
// make the same sequence of words: each value's first word says its kind and, for strings and lists, its length.
import { getRandomValues } from 'node:crypto';

const seeds = getRandomValues(new Uint32Array(2));
const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);
// A string's first word is its length (strings are shorter than 2^30 characters); the other kinds' are above.
const INT = 0x40000000;
const FLOAT = 0x40000001;
// The words of a value of no length: undefined, true, false, an array's hole, a bigint (its digits follow), an
// object's start and end, and anything else (a counter follows).
const UNDEFINED = 0x40000002;
const TRUE = 0x40000003;
const FALSE = 0x40000004;
const HOLE = 0x40000005;
const BIGINT = 0x40000006;
const OPEN = 0x40000007;
const CLOSE = 0x40000008;
const OTHER = 0x40000009;
/** A string of the few a field keeps repeating: its own print follows (see `often`). */
const OFTEN = 0x4000000a;
/** A number kept as its text (JsonNumberText): the text follows. */
const NUMBER_TEXT = 0x4000000b;
/** Strings whose prints `often` keeps. */
const OFTEN_KEPT = 8;
const LIST = 0x80000000;
const NULL = 0xffffffff;
/** Values printed as `other`, in this process. */
let others = 0;

export class Print64 {
  private a = seeds[0] | 0;
  private b = seeds[1] | 0;
  private words = 0;
  /** The print, once `end` is called. */
  hi = 0;
  lo = 0;

  /** Start a new print. */
  begin(): this {
    this.a = seeds[0] | 0;
    this.b = seeds[1] | 0;
    this.words = 0;
    return this;
  }

  private word(k: number): void {
    let a = this.a;
    let m = Math.imul(k, 0xcc9e2d51);
    m = (m << 15) | (m >>> 17);
    a ^= Math.imul(m, 0x1b873593);
    a = (a << 13) | (a >>> 19);
    this.a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    const b = (this.b + Math.imul(k, 0x85ebca77)) | 0;
    this.b = Math.imul((b << 13) | (b >>> 19), 0x9e3779b1);
    this.words++;
  }

  /** A string or null. Two UTF-16 units a word (the lanes as in `word`, kept in locals: most of a print is strings). */
  str(s: string | null): void {
    if (s === null) return this.word(NULL);
    const n = s.length;
    this.word(n);
    let a = this.a;
    let b = this.b;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
      let m = Math.imul(k, 0xcc9e2d51);
      m = (m << 15) | (m >>> 17);
      a ^= Math.imul(m, 0x1b873593);
      a = (a << 13) | (a >>> 19);
      a = (Math.imul(a, 5) + 0xe6546b64) | 0;
      b = (b + Math.imul(k, 0x85ebca77)) | 0;
      b = Math.imul((b << 13) | (b >>> 19), 0x9e3779b1);
    }
    this.a = a;
    this.b = b;
    this.words += n >>> 1;
    if (i < n) this.word(s.charCodeAt(i));
  }

  /**
   * A string or null of a field whose values are a few, repeated (a template's name): its own print, made once for
   * each of the first OFTEN_KEPT such strings, instead of its characters each time. Always written the same way,
   * kept or not, so that a string's print does not depend on what came before it.
   */
  often(s: string | null): void {
    if (s === null) return this.word(NULL);
    const kept = this.kept;
    const at = kept.indexOf(s);
    let hi: number;
    let lo: number;
    if (at >= 0) {
      hi = this.keptPrints[2 * at];
      lo = this.keptPrints[2 * at + 1];
    } else {
      const own = new Print64().begin();
      own.str(s);
      own.end();
      ({ hi, lo } = own);
      if (kept.length < OFTEN_KEPT) {
        kept.push(s);
        this.keptPrints.push(hi, lo);
      }
    }
    this.word(OFTEN);
    this.word(hi);
    this.word(lo);
  }

  private readonly kept: string[] = [];
  private readonly keptPrints: number[] = [];

  /** A number, as Object.is tells numbers apart (-0 is not 0; every NaN is one). */
  num(x: number): void {
    if ((x | 0) === x && (x !== 0 || 1 / x > 0)) {
      this.word(INT);
      this.word(x);
      return;
    }
    f64[0] = x !== x ? NaN : x;
    this.word(FLOAT);
    this.word(f64Words[0]);
    this.word(f64Words[1]);
  }

  /** A 32-bit integer where the print's layout says one is (a typed column's value): one word, its kind unsaid. */
  int(x: number): void {
    this.word(x | 0);
  }

  /** A number kept as its text (JsonNumberText), told apart from the string of that text. */
  numberText(text: string): void {
    this.word(NUMBER_TEXT);
    this.str(text);
  }

  /** A list of strings. */
  strs(xs: readonly string[]): void {
    this.word(LIST | xs.length);
    for (let i = 0; i < xs.length; i++) this.str(xs[i]);
  }

  /** A list's length, its items to follow (at most 2^30 - 1). */
  list(n: number): void {
    this.word(LIST | n);
  }

  bool(b: boolean): void {
    this.word(b ? TRUE : FALSE);
  }

  undef(): void {
    this.word(UNDEFINED);
  }

  hole(): void {
    this.word(HOLE);
  }

  bigint(b: bigint): void {
    this.word(BIGINT);
    this.str(b.toString());
  }

  /** An object's start; its keys and values follow, then `close`. */
  open(): void {
    this.word(OPEN);
  }

  close(): void {
    this.word(CLOSE);
  }

  /** A value told apart from every other: a print made with it never equals another. */
  other(): void {
    this.word(OTHER);
    this.word(others++);
    this.word((others / 0x100000000) >>> 0);
  }

  end(): void {
    this.hi = mix(this.a ^ this.words) >>> 0;
    this.lo = mix(this.b ^ Math.imul(this.words, 0x27d4eb2f)) >>> 0;
  }
}

/** MurmurHash3's finalizer: every bit of the lane reaches every bit of the print. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
