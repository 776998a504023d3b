// The `/` filter: the rows whose search text holds every word of the query (case-insensitive substrings), in
// the rows' order. A long list (the aliases view: 200 000 rows at 100 000 beads), and any list of rows that make
// their text when read (lazy-row.ts), gets a search index, made a slice at a time while the console idles
// (views/prepare.ts, or at a first query): each row's character bits (which letters, digits and common signs its
// text holds) and its text, the texts of CHUNK rows joined in one string. A query of single characters is answered
// by the bits alone; for a longer word, the rows without one of its characters are passed over and the others
// looked up in their chunk, by the word's next place in it (one indexOf finds it in every row up to there). At
// 200 000 rows: a plain scan 20-40 ms, the bits 2-5 ms, a longer word 4-9 ms. Joined, the texts cost their
// characters: a string of its own for each row, kept by the row, cost about 5 MB more at 100 000 beads.
// A word of a query holds no white space, so it matches a row's text only inside one of its words (its runs of
// anything else): the index keeps each word once, not a word another of the row's holds (the slots view's SLOT,
// AGENT_NAME and POOL_SLOT are most often in its ALIAS), and the words most rows of the list hold (a kind, a
// state) as bits of the row. At 100 000 beads that is about 6 MB less of the console's heap (docs/speed.md).
import { runAtOnce, runSliced, SLICE, sliceOver } from './derive.js';
import { isLazy } from './lazy-row.js';
import { rowsAt } from './row-list.js';
import { sortedPlaces } from './sort.js';
import { makeRow, type Row } from './types.js';

/** Lists shorter than this are scanned row by row: a few milliseconds, not worth an index. */
export const INDEXED_MIN = 20_000;

// The characters with a bit: letters and digits, then the signs names and ids hold (lower-cased text has no
// capitals). 32 in the low word and 21 in the high one.
const LOW = new Int32Array(128);
const HIGH = new Int32Array(128);
{
  const chars = `abcdefghijklmnopqrstuvwxyz0123456789-_/.:@#,()[]=+;'"`;
  for (let i = 0; i < chars.length; i++) {
    if (i < 32) LOW[chars.charCodeAt(i)] = 1 << i;
    else HIGH[chars.charCodeAt(i)] = 1 << (i - 32);
  }
}

/** Whether the character `ch` has a bit. */
const hasBit = (ch: string): boolean => {
  const c = ch.charCodeAt(0);
  return c < 128 && (LOW[c] | HIGH[c]) !== 0;
};

/** Rows whose texts share one string in an index (a power of two). */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;
/**
 * What separates two rows' texts in a chunk: a word of a query holds no white space, so no match runs from one row
 * into the next.
 */
const GAP = '\n';

interface SearchIndex {
  /** Each row's character bits, low and high words. */
  lo: Int32Array;
  hi: Int32Array;
  /** The rows' `search` texts, CHUNK rows' to a string, joined by GAP (a WIDE row's is empty there). */
  chunks: string[];
  /** Where each row's text starts in its chunk. */
  starts: Int32Array;
  /** The texts of the WIDE rows, by row. */
  wide: Map<number, string>;
  /** Which of `common` each row holds (a bit per word), kept out of its text. */
  side: Uint16Array;
  /** Words most rows of the list hold (at most 16), learned from its first rows. */
  common: string[];
}

/**
 * In `hi`, a row whose text holds a character beyond U+00FF (a query's bits never have it): its text is kept apart, as
 * one such character makes the whole chunk's string two bytes a character (the slots view's `≠` and `–`: every chunk
 * of its rows at 100 000 beads).
 */
const WIDE = 1 << 30;

/** Where row `i`'s text ends in its chunk. */
function endOf(index: SearchIndex, i: number): number {
  return (i + 1) & (CHUNK - 1) && i + 1 < index.starts.length ? index.starts[i + 1] - 1 : index.chunks[i >>> CHUNK_BITS].length;
}

const indexes = new WeakMap<Row[], SearchIndex>();
/** Indexes being made, so that two callers share the work. */
const making = new WeakMap<Row[], Promise<void>>();

/** The index of `n` rows, row `i` given to `maker` by `add(maker, i)` (its text, or its entry in another index). */
function* indexSteps(n: number, add: (maker: IndexMaker, i: number) => void, maker = new IndexMaker(n)): Generator<void, SearchIndex> {
  // A chunk at a time, between two slices: its rows' texts (made from their cells, for most) die young, where
  // texts held across slices outlived young collections and stayed until the next full one.
  for (let from = 0; from < n; from += CHUNK) {
    if (from > 0 && sliceOver()) yield;
    for (let i = from; i < Math.min(n, from + CHUNK); i++) add(maker, i);
  }
  return maker.made(n);
}

/** The index of `rows`, from each row's text. */
const textSteps = (rows: Row[]) => indexSteps(rows.length, (maker, i) => maker.add(rows[i].search));

/**
 * `rows`' search index, made now: from the index of the list they were sorted from (itself made now if it has none),
 * reordered, or from each row's text.
 */
function indexAtOnce(rows: Row[]): SearchIndex {
  const sorted = sortedPlaces(rows);
  let index: SearchIndex;
  if (sorted) {
    let from = indexes.get(sorted.from);
    if (!from) {
      from = runAtOnce(textSteps(sorted.from));
      indexes.set(sorted.from, from);
    }
    const { at } = sorted;
    const source = from;
    index = runAtOnce(indexSteps(at.length, (maker, k) => maker.copy(source, at[k]), new IndexMaker(at.length, source.common)));
  } else index = runAtOnce(textSteps(rows));
  indexes.set(rows, index);
  return index;
}

/** Words longer than this are not counted as common: a kind or a state is short. */
const COMMON_MAX = 24;
/** How many of the first CHUNK rows hold a word for it to be common (an eighth). */
const COMMON_MIN = CHUNK >>> 3;
/** Common words at most: a bit each in the index's `side`. */
const COMMON_WORDS = 16;
/** What separates the words of a text: what a query's words are split at (filterRows). */
const SPACES = /\s+/;

/**
 * `words`, but for those another of them holds (a word of a query found in one is found in the other): each kept once,
 * in their order.
 */
function apart(words: string[]): string[] {
  if (words.length < 2) return words;
  return words.filter((w, i) => {
    for (let j = 0; j < words.length; j++) {
      if (j === i) continue;
      const o = words[j];
      if (o.length > w.length ? o.includes(w) : o === w && j < i) return false;
    }
    return true;
  });
}

/**
 * A list's index made as its rows are made (the slots and aliases tables): each row's text added as the row is made,
 * read from the row then (lazy-row.ts keeps the text of the row it made last), so a new row's cells are not made
 * again for it.
 */
export class IndexMaker {
  private readonly index: SearchIndex;
  private readonly texts: string[] = [];
  private k = 0;
  private at = 0;
  /** The common words' bits, once learned. */
  private readonly bitOf = new Map<string, number>();
  /** How many of the first rows hold each short word, until the common words are learned (at the first chunk's end). */
  private counts: Map<string, number> | null = null;

  /** For a list of `n` rows; with `common`, the common words of the index its rows are copied from (copy). */
  constructor(n: number, common?: string[]) {
    this.index = {
      lo: new Int32Array(n),
      hi: new Int32Array(n),
      chunks: [],
      starts: new Int32Array(n),
      wide: new Map(),
      side: new Uint16Array(n),
      common: common ?? [],
    };
    if (common) common.forEach((w, bit) => this.bitOf.set(w, bit));
    else this.counts = new Map();
  }

  /** The next row's text. */
  add(text: string): void {
    let l = 0;
    let h = 0;
    for (let j = 0; j < text.length; j++) {
      const ch = text.charCodeAt(j);
      if (ch < 128) {
        l |= LOW[ch];
        h |= HIGH[ch];
      } else if (ch > 0xff) h |= WIDE;
    }
    let side = 0;
    const words: string[] = [];
    for (const w of text.split(SPACES)) {
      if (w === '') continue;
      const bit = this.bitOf.get(w);
      if (bit !== undefined) side |= 1 << bit;
      else words.push(w);
    }
    if (this.counts) this.count(words);
    this.put(l, h, side, apart(words).join(' '));
  }

  /** Row `i` of `from`, an index whose common words this one was made with. */
  copy(from: SearchIndex, i: number): void {
    this.put(from.lo[i], from.hi[i], from.side[i], textAt(from, i));
  }

  /** Chunk `c` of `from` (its `n` rows), taken whole: the next rows are that chunk's, at a chunk's start here. */
  share(from: SearchIndex, c: number, n: number): void {
    const k = this.k;
    if (this.texts.length > 0 || k !== c << CHUNK_BITS) throw new Error(`chunk ${c} shared at row ${k}`);
    const i = this.index;
    i.lo.set(from.lo.subarray(k, k + n), k);
    i.hi.set(from.hi.subarray(k, k + n), k);
    i.side.set(from.side.subarray(k, k + n), k);
    i.starts.set(from.starts.subarray(k, k + n), k);
    for (let j = k; j < k + n; j++) if (from.hi[j] & WIDE) i.wide.set(j, from.wide.get(j)!);
    i.chunks.push(from.chunks[c]);
    this.k += n;
  }

  private put(l: number, h: number, side: number, kept: string): void {
    const k = this.k++;
    this.index.lo[k] = l;
    this.index.hi[k] = h;
    this.index.side[k] = side;
    this.index.starts[k] = this.at;
    if (h & WIDE) this.index.wide.set(k, kept);
    const inChunk = h & WIDE ? '' : kept;
    this.texts.push(inChunk);
    this.at += inChunk.length + 1;
    if (this.texts.length === CHUNK) this.flush();
  }

  /** Each short word of a row counted once. */
  private count(words: string[]): void {
    const counts = this.counts!;
    for (let j = 0; j < words.length; j++) {
      const w = words[j];
      if (w.length <= COMMON_MAX && words.indexOf(w) === j) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }

  /** The words most of the first rows held, from now on kept as bits of a row. */
  private learn(): void {
    const counts = this.counts!;
    this.counts = null;
    const common = [...counts].filter(([, n]) => n >= COMMON_MIN).sort((a, b) => b[1] - a[1]);
    for (const [w] of common.slice(0, COMMON_WORDS)) {
      this.bitOf.set(w, this.index.common.length);
      this.index.common.push(w);
    }
  }

  private flush(): void {
    if (this.texts.length === 0) return;
    this.index.chunks.push(this.texts.join(GAP));
    this.texts.length = 0;
    this.at = 0;
    if (this.counts) this.learn();
  }

  /** The index of the `n` rows whose texts were added. */
  made(n: number): SearchIndex {
    this.flush();
    if (this.k !== n) throw new Error(`an index of ${this.k} rows for a list of ${n}`);
    return this.index;
  }

  /** The index of `rows`, the rows whose texts were added, in order. */
  done(rows: Row[]): void {
    indexes.set(rows, this.made(rows.length));
    room(rows.length);
  }
}

/**
 * The index of `rows`, a refresh of `from` whose row `k` is `from`'s row at `lastPlace(k)`, or a new row where that is
 * -1: the kept rows' entries are copied from `from`'s index, and only the new rows' texts (`text(k)`, by default the
 * row's) are read. A chunk whose rows are all `from`'s at the same places is `from`'s chunk: its joined text is the
 * same string, not a copy. At 100 000 beads, making a pool's index from every row's text was about 60 ms of the
 * console's thread a refresh, and the aliases index's texts joined anew about 8 MB that outlived young collections
 * (docs/speed.md). Every row's text is read when `from` has no index.
 */
export function* patchedIndexSteps(
  from: Row[],
  rows: Row[],
  lastPlace: (k: number) => number,
  text: (k: number) => string = (k) => rows[k].search,
): Generator<void, void> {
  const source = indexes.get(from);
  let index: SearchIndex;
  if (source) {
    const maker = new IndexMaker(rows.length, source.common);
    const n = rows.length;
    const was = source.lo.length;
    for (let start = 0; start < n; start += CHUNK) {
      if (start > 0 && sliceOver()) yield;
      const end = Math.min(n, start + CHUNK);
      let same = end - start === Math.min(was, start + CHUNK) - start;
      for (let k = start; k < end && same; k++) same = lastPlace(k) === k;
      if (same) maker.share(source, start >>> CHUNK_BITS, end - start);
      else
        for (let k = start; k < end; k++) {
          const at = lastPlace(k);
          if (at >= 0) maker.copy(source, at);
          else maker.add(text(k));
        }
    }
    index = maker.made(n);
  } else index = yield* textSteps(rows);
  indexes.set(rows, index);
  room(rows.length);
}

/** Whether `rows` has a search index (patchedIndexSteps can start from it). */
export const hasIndex = (rows: Row[]): boolean => indexes.has(rows);

/** `row`, its text added to `index` (as a table makes its rows). */
export function indexed<R extends Row>(index: IndexMaker, row: R): R {
  index.add(row.search);
  return row;
}

/** Row `i`'s text, as `index` holds it. */
const textAt = (index: SearchIndex, i: number): string =>
  index.hi[i] & WIDE ? index.wide.get(i)! : index.chunks[i >>> CHUNK_BITS].slice(index.starts[i], endOf(index, i));

/** Make `rows`' search index a slice at a time, awaiting `pause` in between (while the console idles). */
export function warmSearchIndex(rows: Row[], pause: () => Promise<void>): Promise<void> {
  if (indexes.has(rows)) return Promise.resolve();
  let p = making.get(rows);
  if (!p) {
    p = runSliced(textSteps(rows), pause).then((index) => {
      indexes.set(rows, index);
      room(rows.length);
      making.delete(rows);
    });
    making.set(rows, p);
  }
  return p;
}

const pause = () => new Promise<void>((res) => setImmediate(res));

let codeWarmed = false;

/**
 * Once per process, each way of filtering run a few times over a made-up list (about 100 ms of CPU, while the
 * console idles): V8 runs a function's first calls unoptimized, and the operator's first characters paid for it
 * (at 200 000 rows: 15-40 ms each instead of 3-6).
 */
export async function warmFilterCode(pause: () => Promise<void>): Promise<void> {
  if (codeWarmed) return;
  codeWarmed = true;
  const made = Array.from({ length: 2 * SLICE }, (_, i): Row => {
    // Made as the views make rows, so that the code is optimized for rows of their shape.
    const text = `pool-${i % 13}/builder-${i} gx-${(i * 37).toString(36)} ${i % 5 ? 'asleep' : 'awake'}`;
    return makeRow(String(i), [text], []);
  });
  for (let round = 0; round < 4; round++) {
    // A new list each round: its index is made again, and the first query scans it whole.
    const rows = [...made];
    await warmSearchIndex(rows, pause);
    // A pause after each query: a round's queries in one go were 15-20 ms while the console's first read landed.
    for (const q of ['b', 'bu', 'bui', 'builder-1', 'builder-12', '1', '12 a', 'x', 'zz', 'zz 1']) {
      filterRows(rows, q);
      await pause();
    }
    checkEach(made, null, ['builder-1']);
    await pause();
  }
}

interface Filtered {
  query: string;
  rows: Row[];
  /** Where each row of `rows` is in the list it was filtered from (ascending). */
  at: Int32Array;
}

/** The last query per list, and what it kept. */
const filterCache = new WeakMap<Row[], Filtered>();
/** A filtered list's rows' places in the list it came from (the cursor's row is found by its place). */
const places = new WeakMap<Row[], { from: Row[]; at: Int32Array }>();

/**
 * Rows matching every word of the query (case-insensitive substrings). Cached per row list; as the operator
 * types, a query that only narrows the last one (each earlier word is inside some new word) checks only the last
 * result's rows.
 */
export function filterRows(rows: Row[], query: string): Row[] {
  const q = query.trim().toLowerCase();
  if (q === '') return rows;
  const hit = filterCache.get(rows);
  if (hit && hit.query === q) return hit.rows;
  const words = q.split(/\s+/);
  const prev = hit && narrows(hit.query.split(/\s+/), words) ? hit : null;
  // A list of rows that keep no text, queried before its index was made (a sorted one, or one the console had no
  // time to make it for): indexed now (a sorted one from the unsorted list's index), as a scan would make every
  // row's text anyway. Another long list is scanned
  // this time, and indexed in the gaps between keys for the next characters.
  let index = indexes.get(rows);
  if (!index && isLazy(rows)) {
    index = indexAtOnce(rows);
    room(rows.length);
  } else if (!index && rows.length >= INDEXED_MIN) void warmSearchIndex(rows, pause);
  const n = index ? checkIndexed(index, prev?.at ?? null, words) : checkEach(rows, prev?.at ?? null, words);
  const at = found.slice(0, n);
  // A list held as columns (row-list.ts) gives a list of the same kind: no row made for what the filter keeps.
  const out = rowsAt(rows, at);
  filterCache.set(rows, { query: q, rows: out, at });
  places.set(out, { from: rows, at });
  return out;
}

/**
 * The places of the rows a search found, in order. One buffer reused by every search, and copied once to the
 * result's size: 100 000 places pushed into growing arrays are young garbage, and a collection that copies
 * what survives of them stalled the first characters typed by 10-20 ms.
 */
let found = new Int32Array(1024);

/** Room in `found` for every row's place of a list of `n`, not grown while the operator types the first character. */
function room(n: number): void {
  if (found.length < n) found = new Int32Array(n);
}

function keep(k: number, i: number): void {
  if (k === found.length) {
    const more = new Int32Array(found.length * 2);
    more.set(found);
    found = more;
  }
  found[k] = i;
}

/** Where a list filterRows returned came from, and each of its rows' place there; undefined for any other list. */
export function placesOf(filtered: Row[]): { from: Row[]; at: Int32Array } | undefined {
  return places.get(filtered);
}

/** Whether every row matching `words` also matches `before`: each earlier word is a substring of a new one. */
function narrows(before: string[], words: string[]): boolean {
  return before.every((b) => words.some((w) => w.includes(b)));
}

/** Into `found`, the places of the rows of `rows` (those at `only`, or all) that hold every word; their count. */
function checkEach(rows: Row[], only: Int32Array | null, words: string[]): number {
  let k = 0;
  const n = only ? only.length : rows.length;
  for (let j = 0; j < n; j++) {
    const i = only ? only[j] : j;
    if (holdsAll(rows[i].search, words)) keep(k++, i);
  }
  return k;
}

function holdsAll(search: string, words: string[]): boolean {
  for (let i = 0; i < words.length; i++) if (!search.includes(words[i])) return false;
  return true;
}

/** What the character bits of `words` settle: the bits a row must have, and the words left to look for. */
function settle(words: string[]): { lo: number; hi: number; rest: string[] } {
  let lo = 0;
  let hi = 0;
  for (const w of words)
    for (let j = 0; j < w.length; j++) {
      const ch = w.charCodeAt(j);
      if (ch < 128) {
        lo |= LOW[ch];
        hi |= HIGH[ch];
      }
    }
  // A one-character word whose character has a bit is settled by the bits alone.
  return { lo, hi, rest: words.filter((w) => w.length > 1 || !hasBit(w)) };
}

/**
 * A word looked for in an index's chunks, the rows asked about in ascending order: where it is next in the chunk of
 * the last row asked about, from that row's start on (or past the chunk's end: nowhere more). The rows up to there
 * are answered without looking again.
 */
interface Seek {
  word: string;
  chunk: number;
  next: number;
  /** The bits of the index's common words that hold the word. */
  side: number;
}

/** Whether row `i`'s text holds the word of `seek` (asked for rows in ascending order). */
function holds(index: SearchIndex, seek: Seek, i: number): boolean {
  if (index.side[i] & seek.side) return true;
  if (index.hi[i] & WIDE) return index.wide.get(i)!.includes(seek.word);
  const c = i >>> CHUNK_BITS;
  const start = index.starts[i];
  if (seek.chunk !== c || seek.next < start) {
    const text = index.chunks[c];
    const at = text.indexOf(seek.word, start);
    seek.chunk = c;
    seek.next = at < 0 ? text.length + 1 : at;
  }
  return seek.next < endOf(index, i);
}

function holdsEach(index: SearchIndex, seeks: Seek[], i: number): boolean {
  for (let w = 0; w < seeks.length; w++) if (!holds(index, seeks[w], i)) return false;
  return true;
}

/** Into `found`, the places of the rows (those at `only`, or all) that hold every word, through the index; their count. */
function checkIndexed(index: SearchIndex, only: Int32Array | null, words: string[]): number {
  const { lo, hi, rest } = settle(words);
  const side = (word: string) => index.common.reduce((bits, w, bit) => (w.includes(word) ? bits | (1 << bit) : bits), 0);
  const seeks: Seek[] = rest.map((word) => ({ word, chunk: -1, next: 0, side: side(word) }));
  let k = 0;
  if (only) {
    for (let j = 0; j < only.length; j++) {
      const i = only[j];
      if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi && holdsEach(index, seeks, i)) keep(k++, i);
    }
  } else if (rest.length === 0) {
    for (let i = 0; i < index.lo.length; i++) if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi) keep(k++, i);
  } else {
    for (let i = 0; i < index.lo.length; i++)
      if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi && holdsEach(index, seeks, i)) keep(k++, i);
  }
  return k;
}
