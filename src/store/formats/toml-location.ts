// smol-toml returns plain values without positions; to point a person at `max_active_sessions = -1` in a
// long city.toml we find the line of a [table] / [[array]] key ourselves. Best effort: null when unsure.

const HEADER = /^\s*\[\[?\s*([A-Za-z0-9_.\-"]+)\s*\]\]?/;

/** 1-based line of `path` (e.g. ['agent', 2, 'namepool'] or ['workspace', 'max_active_sessions']), or null. */
export function tomlLineOf(text: string, path: readonly PropertyKey[]): number | null {
  const lines = text.split(/\r?\n/);
  const [table, second, third] = path;
  if (typeof table !== 'string') return null;
  const isArray = typeof second === 'number';
  const key = isArray ? third : second;
  let occurrence = -1;
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]);
    if (!m || m[1] !== table) continue;
    if (isArray !== lines[i].trim().startsWith('[[')) continue;
    occurrence++;
    if (!isArray || occurrence === second) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  if (typeof key !== 'string') return start + 1;
  const keyRe = new RegExp(`^\\s*"?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*=`);
  for (let i = start + 1; i < lines.length; i++) {
    if (HEADER.test(lines[i])) break;
    if (keyRe.test(lines[i])) return i + 1;
  }
  return start + 1;
}
