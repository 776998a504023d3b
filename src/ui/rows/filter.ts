// The `/` filter: the rows whose search text holds every word of the query (case-insensitive substrings), in
// the rows' order. A long list (the aliases view: 200 000 rows at 100 000 beads) gets a search index, made a
// slice at a time while the console idles (views/prepare.ts, or after a first query found none): each row's
// character bits (which letters, digits and common signs its text holds) and its text, in arrays by row. A query
// of single characters is answered by the bits alone; for a longer word, the rows without one of its characters
// are passed over and the others checked from the array (a row's `search` is a load from objects of many shapes,
// which made the plain loop slow). At 200 000 rows: a plain scan 20-40 ms, the bits 2-5 ms, a longer word 4-9 ms.
import { runSliced, SLICE, sliceDue } from './derive.js';
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

interface SearchIndex {
  /** Each row's character bits, low and high words. */
  lo: Int32Array;
  hi: Int32Array;
  /** Each row's `search`. */
  searches: string[];
}

const indexes = new WeakMap<Row[], SearchIndex>();
/** Indexes being made, so that two callers share the work. */
const making = new WeakMap<Row[], Promise<void>>();

function* indexSteps(rows: Row[]): Generator<void, SearchIndex> {
  const n = rows.length;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const searches = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    if (sliceDue(i)) yield;
    const s = rows[i].search;
    let l = 0;
    let h = 0;
    for (let j = 0; j < s.length; j++) {
      const ch = s.charCodeAt(j);
      if (ch < 128) {
        l |= LOW[ch];
        h |= HIGH[ch];
      }
    }
    lo[i] = l;
    hi[i] = h;
    searches[i] = s;
  }
  return { lo, hi, searches };
}

/** Make `rows`' search index a slice at a time, awaiting `pause` in between (while the console idles). */
export function warmSearchIndex(rows: Row[], pause: () => Promise<void>): Promise<void> {
  if (indexes.has(rows)) return Promise.resolve();
  let p = making.get(rows);
  if (!p) {
    p = runSliced(indexSteps(rows), pause).then((index) => {
      indexes.set(rows, index);
      // Room for every row's place now, not grown while the operator types the first character.
      if (found.length < rows.length) found = new Int32Array(rows.length);
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
    for (const q of ['b', 'bu', 'bui', 'builder-1', 'builder-12', '1', '12 a', 'x', 'zz', 'zz 1']) filterRows(rows, q);
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
  const index = indexes.get(rows);
  // A long list queried before its index was made (a sorted one, or one the console had no time to make it
  // for): scanned this time, and indexed in the gaps between keys for the next characters.
  if (!index && rows.length >= INDEXED_MIN) void warmSearchIndex(rows, pause);
  const n = index ? checkIndexed(index, prev?.at ?? null, words) : checkEach(rows, prev?.at ?? null, words);
  const at = found.slice(0, n);
  const out = new Array<Row>(n);
  for (let k = 0; k < n; k++) out[k] = rows[at[k]];
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

/** Into `found`, the places of the rows (those at `only`, or all) that hold every word, through the index; their count. */
function checkIndexed(index: SearchIndex, only: Int32Array | null, words: string[]): number {
  const { lo, hi, rest } = settle(words);
  let k = 0;
  if (only) {
    for (let j = 0; j < only.length; j++) {
      const i = only[j];
      if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi && holdsAll(index.searches[i], rest)) keep(k++, i);
    }
  } else if (rest.length === 0) {
    for (let i = 0; i < index.lo.length; i++) if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi) keep(k++, i);
  } else {
    for (let i = 0; i < index.lo.length; i++)
      if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi && holdsAll(index.searches[i], rest)) keep(k++, i);
  }
  return k;
}
