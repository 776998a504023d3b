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
