// The `/` filter: the rows whose search text holds every word of the query (case-insensitive substrings), in
// the rows' order. A long list (the aliases view: 200 000 rows at 100 000 beads) gets a search index, made a
// slice at a time while the console idles (views/prepare.ts, or after a first query found none):
//   - each row's character bits (which letters, digits and common signs its text holds): a query of single
//     characters is answered by the bits alone, and a row without one of a word's characters is skipped;
//   - the rows' texts joined in chunks, so a longer word is found by one native search over each chunk
//     instead of one `includes` per row (a row's text ends with a newline, which no word holds, so a match
//     never spans two rows).
// At 200 000 rows a plain scan costs 20-40 ms, the bits 2-5 ms and the chunks 4-7 ms.
import { runSliced, SLICE } from './derive.js';
import type { Row } from './types.js';

/** Lists shorter than this are scanned row by row: a few milliseconds, not worth an index. */
export const INDEXED_MIN = 20_000;
/** Rows per chunk of joined text, and per slice of the index's making. */
const CHUNK = SLICE;
/**
 * A query that narrows a result shorter than the list by this factor checks that result row by row; a longer
 * one is searched in the chunks (at 200 000 rows, 100 000 checked: ~10 ms; 50 000: ~5 ms; the chunks: 5-7 ms).
 */
const NARROW_RATIO = 3;

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
  /** Each row's `search`: read from one array of strings, not from rows of many shapes (a megamorphic load). */
  searches: string[];
  /** The texts of rows [c * CHUNK, (c + 1) * CHUNK), each followed by a newline. */
  texts: string[];
  /** Where each row's text starts in its chunk's: CHUNK + 1 entries a chunk, the last its text's length. */
  starts: Int32Array;
}

const indexes = new WeakMap<Row[], SearchIndex>();
/** Indexes being made, so that two callers share the work. */
const making = new WeakMap<Row[], Promise<void>>();

function* indexSteps(rows: Row[]): Generator<void, SearchIndex> {
  const n = rows.length;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const searches = new Array<string>(n);
  const texts: string[] = [];
  const starts = new Int32Array(n + Math.ceil(n / CHUNK));
  for (let c = 0; c * CHUNK < n; c++) {
    const end = Math.min(n, (c + 1) * CHUNK);
    let at = c * (CHUNK + 1);
    let pos = 0;
    for (let i = c * CHUNK; i < end; i++) {
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
      starts[at++] = pos;
      pos += s.length + 1;
    }
    starts[at] = pos;
    // Joined with an empty last part for the newline after the last row: one flat string (a `+ '\n'` would make a
    // pair that the first search copies whole, 10 MB at 200 000 rows).
    const parts = searches.slice(c * CHUNK, end);
    parts.push('');
    texts.push(parts.join('\n'));
    yield;
  }
  return { lo, hi, searches, texts, starts };
}

/** Make `rows`' search index a chunk at a time, awaiting `pause` in between (while the console idles). */
export function warmSearchIndex(rows: Row[], pause: () => Promise<void>): Promise<void> {
  if (indexes.has(rows)) return Promise.resolve();
  let p = making.get(rows);
  if (!p) {
    p = runSliced(indexSteps(rows), pause).then((index) => {
      indexes.set(rows, index);
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
  const made = Array.from({ length: 2 * CHUNK }, (_, i): Row => {
    const search = `pool-${i % 13}/builder-${i} gx-${(i * 37).toString(36)} ${i % 5 ? 'asleep' : 'awake'}`;
    return { key: String(i), cells: [search], ids: [], search };
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
 * types, a query that only narrows the last one (each earlier word is inside some new word) checks the last
 * result when it is short; a long list is otherwise searched through its index.
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
  let n: number;
  if (!index) n = checkEach(rows, prev?.at ?? null, words);
  else if (prev && prev.rows.length * NARROW_RATIO < rows.length) n = checkIndexed(index, prev.at, words);
  else n = searchIndexed(index, words);
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
  for (const w of words) if (!search.includes(w)) return false;
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

/** Into `found`, the places of the rows at `only` that hold every word, checked one by one through the index. */
function checkIndexed(index: SearchIndex, only: Int32Array, words: string[]): number {
  const { lo, hi, rest } = settle(words);
  let k = 0;
  for (let j = 0; j < only.length; j++) {
    const i = only[j];
    if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi && holdsAll(index.searches[i], rest)) keep(k++, i);
  }
  return k;
}

/** Into `found`, the places of the rows that hold every word, through the index; their count. */
function searchIndexed(index: SearchIndex, words: string[]): number {
  const { lo, hi, rest } = settle(words);
  let k = 0;
  if (rest.length === 0) {
    for (let i = 0; i < index.lo.length; i++) if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi) keep(k++, i);
    return k;
  }
  // The longest word is the rarest, most likely: it is searched for, and the others are checked where it is.
  let word = rest[0];
  for (const w of rest) if (w.length > word.length) word = w;
  const others = rest.filter((w) => w !== word);
  for (let c = 0; c < index.texts.length; c++) {
    const text = index.texts[c];
    const first = c * CHUNK;
    const base = c * (CHUNK + 1);
    let r = 0;
    for (let p = text.indexOf(word); p >= 0; p = text.indexOf(word, index.starts[base + r + 1])) {
      while (index.starts[base + r + 1] <= p) r++;
      const i = first + r;
      if ((index.lo[i] & lo) === lo && (index.hi[i] & hi) === hi && holdsAll(index.searches[i], others)) keep(k++, i);
    }
  }
  return k;
}
