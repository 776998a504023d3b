// smol-toml returns plain values without positions; to point a person at `max_active_sessions = -1` in a
// long city.toml we find the line of a [table] / [[array]] key ourselves. Best effort: null when unsure.

/** One `[header]` or `[[header]]` line: its 0-based line index and the parts of its name (`[a."b.c"]`: a, b.c). */
interface Header {
  line: number;
  parts: string[];
  array: boolean;
}

/** Where the headers of one TOML text are: its lines, its headers in order, and the top-level ones by name. */
interface TomlIndex {
  lines: string[];
  /** 1 at each line that starts inside a multi-line string (its text, never a key or header); null when none does. */
  inString: Uint8Array | null;
  headers: Header[];
  /** By the name's parts joined with NUL: the first `[t]` header, and every `[[t]]` header, as indexes into `headers`. */
  tables: Map<string, number>;
  arrays: Map<string, number[]>;
}

const nameKey = (parts: readonly string[]) => parts.join('\0');

function indexOf(text: string): TomlIndex {
  const lines = text.split(/\r?\n/);
  const inString = stringLines(lines);
  const headers: Header[] = [];
  const tables = new Map<string, number>();
  const arrays = new Map<string, number[]>();
  for (let i = 0; i < lines.length; i++) {
    if (inString?.[i]) continue;
    const s = lines[i];
    const at = s.search(/\S/);
    if (at < 0 || s[at] !== '[') continue;
    const array = s[at + 1] === '[';
    // A line of a multi-line array (`  [1, 2],`) is no header: keyParts finds no name ending at `]` in it.
    const parts = keyParts(s, at + (array ? 2 : 1), ']');
    if (parts === null) continue;
    const h = headers.push({ line: i, parts, array }) - 1;
    const key = nameKey(parts);
    if (array) {
      const list = arrays.get(key);
      if (list) list.push(h);
      else arrays.set(key, [h]);
    } else if (!tables.has(key)) tables.set(key, h);
  }
  return { lines, inString, headers, tables, arrays };
}

/**
 * The lines that start inside a `"""…"""` or `'''…'''` string: a `[table]` or `key = 1` there is text, not TOML.
 * Strings and comments are skipped as TOML reads them, so a `"""` inside `"…"`, `'…'` or after `#` opens nothing.
 */
function stringLines(lines: readonly string[]): Uint8Array | null {
  let inside: Uint8Array | null = null;
  let open: Quote = null;
  for (let n = 0; n < lines.length; n++) {
    const s = lines[n];
    if (open !== null) (inside ??= new Uint8Array(lines.length))[n] = 1;
    // Only a line holding three quotes in a row can open one.
    else if (!s.includes('"""') && !s.includes("'''")) continue;
    open = scanLine(s, open);
  }
  return inside;
}

/** The multi-line string a line ends inside: `"` for a basic one, `'` for a literal one, null for none. */
type Quote = '"' | "'" | null;

/** Which multi-line string is still open at the end of `s`, given the one open at its start. */
function scanLine(s: string, open: Quote): Quote {
  let i = 0;
  for (;;) {
    if (open !== null) {
      // A basic string's backslash escapes the next character (`\"""` closes nothing); a literal one has none.
      let j = i;
      while (j < s.length && !(s[j] === open && s[j + 1] === open && s[j + 2] === open)) j += open === '"' && s[j] === '\\' ? 2 : 1;
      if (j >= s.length) return open;
      // Up to two more quotes right before the closing three belong to the string (`"""a"""""`).
      i = j + 3;
      for (let k = 0; k < 2 && s[i] === open; k++) i++;
      open = null;
      continue;
    }
    while (i < s.length && s[i] !== '"' && s[i] !== "'" && s[i] !== '#') i++;
    if (i >= s.length || s[i] === '#') return null;
    const q = s[i] as '"' | "'";
    if (s[i + 1] === q && s[i + 2] === q) {
      open = q;
      i += 3;
      continue;
    }
    // A one-line string: to its closing quote.
    i++;
    while (i < s.length && s[i] !== q) i += q === '"' && s[i] === '\\' ? 2 : 1;
    i++;
  }
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
    if (index.inString?.[i]) continue;
    const s = index.lines[i];
    const at = s.search(/\S/);
    if (at < 0 || s[at] === '#' || s[at] === '[') continue;
    const key = keyParts(s, at, '=');
    if (key === null) continue;
    const n = Math.min(key.length, names.length);
    let t = 0;
    while (t < n && key[t] === names[t]) t++;
    if (t === n) return { line: i + 1, full: true };
    if (t > depth) {
      depth = t;
      partial = { line: i + 1, full: false };
    }
  }
  return partial;
}

/**
 * 1-based line of `path` (e.g. ['agent', 2, 'namepool'], ['workspace', 'max_active_sessions'], ['pack', 'requires',
 * 0, 'agent'] under a `[[pack.requires]]` header, ['rigs', 1, 'overrides', 0] under rig 1's second-level headers), or
 * null. Walked a part at a time: a `key =` line in the current table's block naming the path's next names answers
 * (dotted or quoted; what is deeper is inside its value), else a header naming one part more (its n-th `[[…]]` for an
 * index, counted among those of the current entry), else the line found so far: a key missing from its table points
 * at the line declaring the table (its header, its entry's, or the first dotted key under it), never into the next
 * block; a top-level key or table that is not there has no line (null).
 */
export function tomlLineOf(text: string, path: readonly PropertyKey[]): number | null {
  if (typeof path[0] !== 'string') return null;
  const index = cachedIndex(text);
  const { headers } = index;
  const parts: string[] = [];
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
      if (line?.full) return line.line;
      // A dotted key declaring a table the path lies under (`pool.min = 1` for pool.max): deeper than the entry.
      if (line !== null) found = line.line;
    }
    parts.push(p);
    const key = nameKey(parts);
    const n = path[i + 1];
    // The top level's tables and entries straight from the index; an entry's own, among the headers under it.
    const top = lo === 0 && hi === headers.length;
    const entries = top ? index.arrays.get(key) : arraysIn(index, key, lo, hi);
    let h: number | undefined;
    if (typeof n === 'number') {
      h = entries?.[n];
      i++;
    } else if (top) h = index.tables.get(key);
    else for (let j = lo; j < hi && h === undefined; j++) if (!headers[j].array && nameKey(headers[j].parts) === key) h = j;
    if (h === undefined) {
      if (typeof n === 'number') return found;
      // `[[t]]` named without an index: its first entry.
      const first = entries?.[0];
      if (first !== undefined) return headers[first].line + 1;
      let j = lo;
      while (j < hi && !under(headers[j], parts)) j++;
      if (j === hi) return found;
      // A table given only by the headers under it (`[imports.gastown]` for ['imports']): the first of them.
      if (i === path.length - 1) return headers[j].line + 1;
      table = null;
      continue;
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

/** The `[[…]]` headers named `key` among headers lo..hi (an entry's own), as indexes. */
function arraysIn(index: TomlIndex, key: string, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let j = lo; j < hi; j++) if (index.headers[j].array && nameKey(index.headers[j].parts) === key) out.push(j);
  return out;
}

/**
 * The key of a `key = …` line or a `[header]` (dotted, each part bare, "basic" or 'literal') from `s[i]` to its end
 * (`=` or `]`), as its parts; null when it is none.
 */
function keyParts(s: string, i: number, end: string): string[] | null {
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
    else return s[i] === end ? parts : null;
  }
}

/**
 * 1-based line of the `[header]` or `key = …` line that names most of `path` (its table and key names, and the entry
 * of each `[[…]]` by its index among those of its parent entry; a line naming more than the path, through it, counts
 * as naming all of it): where a value on `path` is declared. Lines inside a multi-line string name nothing. Null when
 * no line names its start.
 */
export function tomlDeclarationLine(text: string, path: readonly PropertyKey[]): number | null {
  const { lines, inString } = cachedIndex(text);
  const entries = new ArrayEntries();
  let table: PropertyKey[] = [];
  let best: { line: number; parts: number } | null = null;
  // A line whose names agree with the path's as far as both go; the one that goes furthest, the first of those.
  const consider = (parts: readonly PropertyKey[], line: number) => {
    const n = Math.min(parts.length, path.length);
    if (best && best.parts >= n) return;
    for (let k = 0; k < n; k++) if (parts[k] !== path[k]) return;
    best = { line, parts: n };
  };
  for (let n = 0; n < lines.length; n++) {
    if (inString?.[n]) continue;
    const s = lines[n];
    const i = s.search(/\S/);
    if (i < 0 || s[i] === '#') continue;
    if (s[i] === '[') {
      const array = s[i + 1] === '[';
      const header = keyParts(s, array ? i + 2 : i + 1, ']');
      if (header === null) continue;
      table = entries.place(header, array);
      consider(table, n + 1);
    } else {
      const key = keyParts(s, i, '=');
      if (key !== null) consider([...table, ...key], n + 1);
    }
  }
  return (best as { line: number } | null)?.line ?? null;
}

/**
 * The `[[…]]` entries met so far, for a header's path with its entries' indexes (`[[a]]`, `[[a.b]]`, `[[a]]`,
 * `[a.c]`: a,0 / a,0,b,0 / a,1 / a,1,c): a table under an array of tables is in its last entry, and an array under an
 * entry counts from 0 again in the next one.
 */
class ArrayEntries {
  /** By the header's path so far, its indexes included: how many entries the array there has. */
  private readonly counts = new Map<string, number>();

  place(parts: string[], array: boolean): PropertyKey[] {
    if (!array && this.counts.size === 0) return parts;
    const out: PropertyKey[] = [];
    let key = '';
    parts.forEach((p, i) => {
      key += `\0${p}`;
      out.push(p);
      const n = this.counts.get(key);
      if (array && i === parts.length - 1) this.counts.set(key, (n ?? 0) + 1);
      const at = array && i === parts.length - 1 ? (n ?? 0) : n === undefined ? null : n - 1;
      if (at === null) return;
      out.push(at);
      key += `\u0001${at}`;
    });
    return out;
  }
}
