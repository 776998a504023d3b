// smol-toml returns plain values without positions; to point a person at `max_active_sessions = -1` in a
// long city.toml we find the line of a [table] / [[array]] key ourselves. Best effort: null when unsure.

/** One `[header]` or `[[header]]` line: its 0-based line index and the parts of its name (`[a."b.c"]`: a, b.c). */
interface Header {
  line: number;
  parts: string[];
  array: boolean;
  /** Its table's path, with the index of each `[[…]]` entry on it among those of its parent entry (entryPaths). */
  at: PropertyKey[];
}

/** Where the headers of one TOML text are: its lines, its headers in order, and each by its table's path. */
interface TomlIndex {
  lines: string[];
  /** 1 at each line that starts inside a value (a multi-line string, array or inline table): never a key or header. */
  inValue: Uint8Array | null;
  headers: Header[];
  /** By pathKey of `at`: the first header of that table, or the header of that entry, as an index into `headers`. */
  byPath: Map<string, number>;
}

/** A path with its entries' indexes as one Map key (`[[a]]` then `[a.c]`: a, 0, c). */
const partKey = (p: PropertyKey) => (typeof p === 'number' ? `\u0001${p}` : `\0${String(p)}`);

const MAY_GO_ON = /[[{]|"""|'''/;

function indexOf(text: string): TomlIndex {
  const lines = text.split(/\r?\n/);
  let inValue: Uint8Array | null = null;
  const headers: Header[] = [];
  const byPath = new Map<string, number>();
  const entries = new EntryCounts();
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i];
    const at = s.search(/\S/);
    if (at < 0 || s[at] === '#') continue;
    if (s[at] === '[') {
      const array = s[at + 1] === '[';
      const parts = keyParts(s, at + (array ? 2 : 1), ']');
      if (parts === null) continue;
      const path = entries.place(parts, array);
      const key = path.map(partKey).join('');
      if (!byPath.has(key)) byPath.set(key, headers.length);
      headers.push({ line: i, parts, array, at: path });
      continue;
    }
    // Only a value holding an array, an inline table or a multi-line string can go on past its line.
    if (!MAY_GO_ON.test(s)) continue;
    const key = keyAt(s, at, '=');
    if (key === null || !MAY_GO_ON.test(s.slice(key.end + 1))) continue;
    const cur = new Cursor(lines, i, key.end + 1);
    blank(cur);
    skipValue(cur);
    if (cur.line === i) continue;
    inValue ??= new Uint8Array(lines.length);
    inValue.fill(1, i + 1, cur.line + 1);
    i = cur.line;
  }
  return { lines, inValue, headers, byPath };
}

/**
 * The `[[…]]` entries met so far, for a header's path with its entries' indexes (`[[a]]`, `[[a.b]]`, `[[a]]`,
 * `[a.c]`: a,0 / a,0,b,0 / a,1 / a,1,c): a table under an array of tables is in its last entry, and an array under an
 * entry counts from 0 again in the next one.
 */
class EntryCounts {
  /** By the header's path so far, its indexes included: how many entries the array there has. */
  private readonly counts = new Map<string, number>();

  place(parts: string[], array: boolean): PropertyKey[] {
    if (!array && this.counts.size === 0) return parts;
    const out: PropertyKey[] = [];
    let key = '';
    parts.forEach((p, i) => {
      key += partKey(p);
      out.push(p);
      const n = this.counts.get(key);
      if (array && i === parts.length - 1) this.counts.set(key, (n ?? 0) + 1);
      const at = array && i === parts.length - 1 ? (n ?? 0) : n === undefined ? null : n - 1;
      if (at === null) return;
      out.push(at);
      key += partKey(at);
    });
    return out;
  }
}

/** A place in a text's lines, moved along a value as TOML reads it (a value may go on over many lines). */
class Cursor {
  constructor(
    readonly lines: readonly string[],
    public line: number,
    public col: number,
  ) {}

  /** The character here: '\n' past a line's end (but the last line's), '' past the text's end. */
  get char(): string {
    const s = this.lines[this.line];
    if (this.col < s.length) return s[this.col];
    return this.line + 1 < this.lines.length ? '\n' : '';
  }

  /** On past this character (past a line's end: to the next line's start). */
  step(): void {
    if (this.col < this.lines[this.line].length) this.col++;
    else if (this.line + 1 < this.lines.length) {
      this.line++;
      this.col = 0;
    }
  }
}

/** Past white space, line ends and comments, as between an array's elements; false at the text's end. */
function blank(cur: Cursor): boolean {
  for (;;) {
    const c = cur.char;
    if (c === '#') cur.col = cur.lines[cur.line].length;
    else if (c === ' ' || c === '\t' || c === '\n') cur.step();
    else return c !== '';
  }
}

/** Past one value starting here: a string (of any kind), an array, an inline table, or a bare value. */
function skipValue(cur: Cursor): void {
  const c = cur.char;
  if (c === '"' || c === "'") return skipString(cur, c);
  if (c !== '[' && c !== '{') {
    // A number, boolean or date (`1979-05-27 07:32:00Z` holds a space): to what ends it on its line.
    const s = cur.lines[cur.line];
    let j = cur.col;
    while (j < s.length && s[j] !== ',' && s[j] !== ']' && s[j] !== '}' && s[j] !== '#') j++;
    cur.col = j;
    return;
  }
  const close = c === '[' ? ']' : '}';
  cur.step();
  while (blank(cur)) {
    const d = cur.char;
    if (d === close) return cur.step();
    if (d === ',') {
      cur.step();
      continue;
    }
    const line = cur.line;
    const col = cur.col;
    if (close === '}') {
      const key = keyAt(cur.lines[line], col, '=');
      if (key !== null) {
        cur.col = key.end + 1;
        blank(cur);
      }
    }
    skipValue(cur);
    // Text TOML would not have read (never given to this): one character on, so the walk ends.
    if (cur.line === line && cur.col === col) cur.step();
  }
}

/** Past the string opening here with quote `q`: one-line, or multi-line (`"""…"""`, `'''…'''`) over as many lines. */
function skipString(cur: Cursor, q: '"' | "'"): void {
  let s = cur.lines[cur.line];
  // A basic string's backslash escapes the next character (`\"""` closes nothing); a literal one has none.
  const escapes = q === '"';
  if (s[cur.col + 1] !== q || s[cur.col + 2] !== q) {
    let j = cur.col + 1;
    while (j < s.length && s[j] !== q) j += escapes && s[j] === '\\' ? 2 : 1;
    cur.col = Math.min(j + 1, s.length);
    return;
  }
  let j = cur.col + 3;
  for (;;) {
    while (j < s.length && !(s[j] === q && s[j + 1] === q && s[j + 2] === q)) j += escapes && s[j] === '\\' ? 2 : 1;
    if (j < s.length) break;
    if (cur.line + 1 >= cur.lines.length) {
      cur.col = s.length;
      return;
    }
    s = cur.lines[++cur.line];
    j = 0;
  }
  // Up to two more quotes right before the closing three belong to the string (`"""a"""""`).
  j += 3;
  for (let k = 0; k < 2 && s[j] === q; k++) j++;
  cur.col = j;
}

// A loader asks for the places of every agent of one text in turn: index it once, not once per question
// (per question was quadratic: 16 s for 4,000 agents).
let last: { text: string; index: TomlIndex } | null = null;

function cachedIndex(text: string): TomlIndex {
  if (last?.text !== text) last = { text, index: indexOf(text) };
  return last.index;
}

/** Whether header `h` is named `parts` and more (a table under it). */
function under(h: Header, parts: readonly string[]): boolean {
  return h.parts.length > parts.length && parts.every((p, i) => h.parts[i] === p);
}

/** A `key = …` line in a block: its 1-based line, and whether its key names all that was asked for. */
interface KeyLine {
  line: number;
  /** All of them (or all of the key: what is deeper is inside its value), else fewer: a table they lie under. */
  full: boolean;
  /** How many parts its key has, and the column its value starts after (its `=`). */
  parts: number;
  value: number;
}

/**
 * The `key = …` line naming `names` in the block of keys after header `h` (the text before the first header for -1):
 * the key bare, quoted or dotted (`pool.max = 1`, `"pool".'max' = 1`), the first that agrees with all of `names` (or
 * whose value holds them: `pool = { max = 1 }`), else the first declaring the table they lie under (`pool.min = 1`
 * for pool.max), else null.
 */
function keyLine(index: TomlIndex, h: number, names: readonly string[]): KeyLine | null {
  const from = h < 0 ? 0 : index.headers[h].line + 1;
  const to = h + 1 < index.headers.length ? index.headers[h + 1].line : index.lines.length;
  // The line naming most of `names` so far (a table they lie under), and how many it names.
  let partial: KeyLine | null = null;
  let depth = 0;
  for (let i = from; i < to; i++) {
    if (index.inValue?.[i]) continue;
    const s = index.lines[i];
    const at = s.search(/\S/);
    if (at < 0 || s[at] === '#' || s[at] === '[') continue;
    const key = keyAt(s, at, '=');
    if (key === null) continue;
    const n = Math.min(key.parts.length, names.length);
    let t = 0;
    while (t < n && key.parts[t] === names[t]) t++;
    const found = { line: i + 1, full: t === n, parts: key.parts.length, value: key.end + 1 };
    if (found.full) return found;
    if (t > depth) {
      depth = t;
      partial = found;
    }
  }
  return partial;
}

/**
 * 1-based line of `path` (e.g. ['agent', 2, 'namepool'], ['workspace', 'max_active_sessions'], ['pack', 'requires',
 * 0, 'agent'] under a `[[pack.requires]]` header, ['rigs', 1, 'overrides', 0] under rig 1's second-level headers), or
 * null. Walked a part at a time: a `key =` line in the current table's block naming the path's next names answers
 * (dotted or quoted; what is deeper is inside its value: the line of its element or key there, lineInValue), else a
 * header naming one part more (its n-th `[[…]]` for an index, counted among those of the current entry), else the
 * line found so far: a key missing from its table points at the line declaring the table (its header, its entry's, or
 * the first dotted key under it), never into the next block; a top-level key or table that is not there has no line
 * (null).
 */
export function tomlLineOf(text: string, path: readonly PropertyKey[]): number | null {
  if (typeof path[0] !== 'string') return null;
  const index = cachedIndex(text);
  const { headers, byPath } = index;
  const parts: string[] = [];
  // The path so far with its entries' indexes (partKey), as the headers are found by.
  let at = '';
  // The header whose keys are searched (-1: the text before the first header; null: a table with no header of its
  // own, `[imports]` above `[imports.x]`), and the headers that may lie under it.
  let table: number | null = -1;
  let lo = 0;
  let hi = headers.length;
  let found: number | null = null;
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    if (typeof p !== 'string') return found;
    if (table !== null) {
      let end = i + 1;
      while (typeof path[end] === 'string') end++;
      const line = keyLine(index, table, path.slice(i, end) as string[]);
      if (line?.full) {
        const deeper = line.parts < path.length - i && line.parts <= end - i;
        return (deeper ? lineInValue(index, line, path.slice(i + line.parts)) : null) ?? line.line;
      }
      // A dotted key declaring a table the path lies under (`pool.min = 1` for pool.max): deeper than the entry.
      if (line !== null) found = line.line;
    }
    parts.push(p);
    at += partKey(p);
    const n = path[i + 1];
    let h: number | undefined;
    if (typeof n === 'number') {
      h = byPath.get(at + partKey(n));
      if (h === undefined) return found;
      at += partKey(n);
      i++;
    } else {
      h = byPath.get(at);
      if (h === undefined) {
        // `[[t]]` named without an index: its first entry.
        const first = byPath.get(at + partKey(0));
        if (first !== undefined) return headers[first].line + 1;
        let j = lo;
        while (j < hi && !under(headers[j], parts)) j++;
        if (j === hi) return found;
        // A table given only by the headers under it (`[imports.gastown]` for ['imports']): the first of them.
        if (i === path.length - 1) return headers[j].line + 1;
        table = null;
        continue;
      }
    }
    found = headers[h].line + 1;
    table = h;
    // The tables under an entry of `[[t]]` are the headers right after it; those under a `[t]` may be anywhere its
    // parent's may (`[a]`, `[b]`, `[a.c]` is one valid text).
    if (headers[h].array) {
      lo = h + 1;
      hi = lo;
      while (hi < headers.length && under(headers[hi], parts)) hi++;
    }
  }
  return found;
}

/**
 * The 1-based line, in the value of `key`, of what `rest` names there: an element of an array by its index, a key of
 * an inline table (or the first declaring a table it lies under), followed as deep as the value goes
 * (`x = [` … `{ n = 1 },` … `{ n = -1 },` … `]`: the line of the second element); null when it names nothing there.
 */
function lineInValue(index: TomlIndex, key: KeyLine, rest: readonly PropertyKey[]): number | null {
  const cur = new Cursor(index.lines, key.line - 1, key.value);
  let found: number | null = null;
  for (let r = 0; r < rest.length; ) {
    if (!blank(cur)) return found;
    const p = rest[r];
    const open = cur.char;
    cur.step();
    if (open === '[' && typeof p === 'number') {
      if (!toElement(cur, p)) return found;
      r++;
    } else if (open === '{' && typeof p === 'string') {
      let run = r;
      while (typeof rest[run] === 'string') run++;
      const named = toKey(cur, rest.slice(r, run) as string[]);
      if (named === 0) return found;
      // A key naming more than the path, through it, or a table it lies under: its line, nothing deeper.
      if (named < 0) return cur.line + 1;
      r += named;
    } else return found;
    found = cur.line + 1;
  }
  return found;
}

/** From just inside `[`, to the start of its element `n`; false when it has fewer. */
function toElement(cur: Cursor, n: number): boolean {
  for (let k = 0; ; k++) {
    if (!blank(cur) || cur.char === ']') return false;
    if (k === n) return true;
    skipValue(cur);
    if (!blank(cur) || cur.char !== ',') return false;
    cur.step();
  }
}

/**
 * From just inside `{`, to the value of the first key agreeing with all of `names` (past its `=`): how many of them
 * it names. Else at the key naming more than `names`, through them, or the first declaring a table they lie under,
 * -1; else 0.
 */
function toKey(cur: Cursor, names: readonly string[]): number {
  let partial: { line: number; col: number } | null = null;
  while (blank(cur) && cur.char !== '}') {
    if (cur.char === ',') {
      cur.step();
      continue;
    }
    const key = keyAt(cur.lines[cur.line], cur.col, '=');
    if (key === null) break;
    const n = Math.min(key.parts.length, names.length);
    let t = 0;
    while (t < n && key.parts[t] === names[t]) t++;
    if (t === n && key.parts.length > n) return -1;
    if (t === n) {
      cur.col = key.end + 1;
      return n;
    }
    if (t > 0) partial ??= { line: cur.line, col: cur.col };
    cur.col = key.end + 1;
    blank(cur);
    skipValue(cur);
  }
  if (partial === null) return 0;
  cur.line = partial.line;
  cur.col = partial.col;
  return -1;
}

interface KeyAt {
  parts: string[];
  /** The index of the character ending it (`=` or `]`). */
  end: number;
}

/** The parts of the key keyAt reads. */
function keyParts(s: string, i: number, end: string): string[] | null {
  return keyAt(s, i, end)?.parts ?? null;
}

/**
 * The key of a `key = …` line or a `[header]` (dotted, each part bare, "basic" or 'literal') from `s[i]` to its end
 * (`=` or `]`), as its parts and where it ends; null when it is none.
 */
function keyAt(s: string, i: number, end: string): KeyAt | null {
  const parts: string[] = [];
  for (;;) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    const q = s[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== q) j += q === '"' && s[j] === '\\' ? 2 : 1;
      if (j >= s.length) return null;
      const raw = s.slice(i + 1, j);
      let part = raw;
      if (q === '"')
        try {
          part = JSON.parse(`"${raw}"`) as string;
        } catch {
          // A TOML escape JSON has not (\U0001F600, \e): compared as written.
        }
      parts.push(part);
      i = j + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i, i + 256));
      if (!m) return null;
      // A bare part longer than the slice is read on.
      let j = i + m[0].length;
      while (j < s.length && /[A-Za-z0-9_-]/.test(s[j])) j++;
      parts.push(s.slice(i, j));
      i = j;
    }
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] === '.') i++;
    else return s[i] === end ? { parts, end: i } : null;
  }
}

/**
 * 1-based line of the `[header]` or `key = …` line that names most of `path` (its table and key names, and the entry
 * of each `[[…]]` by its index among those of its parent entry; a line naming more than the path, through it, counts
 * as naming all of it): where a value on `path` is declared. Lines inside a multi-line value name nothing. Null when
 * no line names its start.
 */
export function tomlDeclarationLine(text: string, path: readonly PropertyKey[]): number | null {
  const { lines, inValue, headers } = cachedIndex(text);
  let table: readonly PropertyKey[] = [];
  let next = 0;
  let best: { line: number; parts: number } | null = null;
  // A line whose names agree with the path's as far as both go; the one that goes furthest, the first of those.
  const consider = (parts: readonly PropertyKey[], line: number) => {
    const n = Math.min(parts.length, path.length);
    if (best && best.parts >= n) return;
    for (let k = 0; k < n; k++) if (parts[k] !== path[k]) return;
    best = { line, parts: n };
  };
  for (let n = 0; n < lines.length; n++) {
    if (inValue?.[n]) continue;
    if (next < headers.length && headers[next].line === n) {
      table = headers[next++].at;
      consider(table, n + 1);
      continue;
    }
    const s = lines[n];
    const i = s.search(/\S/);
    if (i < 0 || s[i] === '#' || s[i] === '[') continue;
    const key = keyParts(s, i, '=');
    if (key !== null) consider([...table, ...key], n + 1);
  }
  return (best as { line: number } | null)?.line ?? null;
}
