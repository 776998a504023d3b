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
const LIST = 0x80000000;
const NULL = 0xffffffff;

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

  /** A string or null. Two UTF-16 units a word. */
  str(s: string | null): void {
    if (s === null) return this.word(NULL);
    const n = s.length;
    this.word(n);
    let i = 0;
    for (; i + 1 < n; i += 2) this.word(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    if (i < n) this.word(s.charCodeAt(i));
  }

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

  /** A list of strings. */
  strs(xs: readonly string[]): void {
    this.word(LIST | xs.length);
    for (let i = 0; i < xs.length; i++) this.str(xs[i]);
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
