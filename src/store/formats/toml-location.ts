// smol-toml returns plain values without positions; to point a person at `max_active_sessions = -1` in a
// long city.toml we find the line of a [table] / [[array]] key ourselves. Best effort: null when unsure.

const HEADER = /^\s*\[\[?\s*([A-Za-z0-9_.\-"]+)\s*\]\]?/;

/** Where the headers of one TOML text are: its lines, and per table name the line indexes of `[t]` and `[[t]]`. */
interface TomlIndex {
  lines: string[];
  /** Line indexes of the header lines, in order (a key's block ends at the next one). */
  headerLines: number[];
  tables: Map<string, number>;
  arrays: Map<string, number[]>;
}

function indexOf(text: string): TomlIndex {
  const lines = text.split(/\r?\n/);
  const headerLines: number[] = [];
  const tables = new Map<string, number>();
  const arrays = new Map<string, number[]>();
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]);
    if (!m) continue;
    headerLines.push(i);
    if (lines[i].trim().startsWith('[[')) {
      const list = arrays.get(m[1]);
      if (list) list.push(i);
      else arrays.set(m[1], [i]);
    } else if (!tables.has(m[1])) tables.set(m[1], i);
  }
  return { lines, headerLines, tables, arrays };
}

// A loader asks for the places of every agent of one text in turn: index it once, not once per question
// (per question was quadratic: 16 s for 4,000 agents).
let last: { text: string; index: TomlIndex } | null = null;

function cachedIndex(text: string): TomlIndex {
  if (last?.text !== text) last = { text, index: indexOf(text) };
  return last.index;
}

/** The first header line after line `start`, or the end of the text (binary search over the headers). */
function blockEnd(index: TomlIndex, start: number): number {
  const h = index.headerLines;
  let lo = 0;
  let hi = h.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (h[mid] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < h.length ? h[lo] : index.lines.length;
}

/** 1-based line of `path` (e.g. ['agent', 2, 'namepool'] or ['workspace', 'max_active_sessions']), or null. */
export function tomlLineOf(text: string, path: readonly PropertyKey[]): number | null {
  const [table, second, third] = path;
  if (typeof table !== 'string') return null;
  const index = cachedIndex(text);
  const isArray = typeof second === 'number';
  const key = isArray ? third : second;
  const start = isArray ? index.arrays.get(table)?.[second] : index.tables.get(table);
  if (start === undefined) return path.length === 1 ? (rootKeyLine(index, table) ?? subTableLine(index, table)) : null;
  if (typeof key !== 'string') return start + 1;
  const keyRe = keyPattern(key);
  const end = blockEnd(index, start);
  for (let i = start + 1; i < end; i++) {
    if (keyRe.test(index.lines[i])) return i + 1;
  }
  return start + 1;
}

/** 1-based line of `key = …` before the first header (an agent.toml's keys), or null. */
function rootKeyLine(index: TomlIndex, key: string): number | null {
  const keyRe = keyPattern(key);
  const end = index.headerLines[0] ?? index.lines.length;
  for (let i = 0; i < end; i++) if (keyRe.test(index.lines[i])) return i + 1;
  return null;
}

/** 1-based line of the first header under `table` (`[imports.gastown]`, `[[patches.agent]]`: a table given only so), or null. */
function subTableLine(index: TomlIndex, table: string): number | null {
  const under = `${table}.`;
  const found = index.headerLines.find((i) => HEADER.exec(index.lines[i])?.[1].startsWith(under));
  return found === undefined ? null : found + 1;
}

/** `key =` at the start of a line, the key bare or quoted. */
function keyPattern(key: string): RegExp {
  return new RegExp(`^\\s*"?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*=`);
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
 * 1-based line of the `[header]` or `key = …` line that names most of `path` (its table and key names, array indexes
 * left out; a line naming more than the path, through it, counts as naming all of it): where a value on `path` is declared. Best effort (a `[header]`-like line in a multi-line string may
 * be taken for one); null when no line names its start.
 */
export function tomlDeclarationLine(text: string, path: readonly PropertyKey[]): number | null {
  const names = path.filter((p): p is string => typeof p === 'string');
  const lines = text.split(/\r?\n/);
  let table: string[] = [];
  let best: { line: number; parts: number } | null = null;
  // A line whose names agree with the path's as far as both go; the one that goes furthest, the first of those.
  const consider = (parts: string[], line: number) => {
    const n = Math.min(parts.length, names.length);
    if (best && best.parts >= n) return;
    for (let k = 0; k < n; k++) if (parts[k] !== names[k]) return;
    best = { line, parts: n };
  };
  for (let n = 0; n < lines.length; n++) {
    const s = lines[n];
    const i = s.search(/\S/);
    if (i < 0 || s[i] === '#') continue;
    if (s[i] === '[') {
      const header = keyParts(s, s[i + 1] === '[' ? i + 2 : i + 1, ']');
      if (header === null) continue;
      table = header;
      consider(table, n + 1);
    } else {
      const key = keyParts(s, i, '=');
      if (key !== null) consider([...table, ...key], n + 1);
    }
  }
  return (best as { line: number } | null)?.line ?? null;
}
