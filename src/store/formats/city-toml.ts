// Reading one TOML file of a city (city.toml, pack.toml, agents/<name>/agent.toml): parsed, checked against its
// schema, and every refusal naming the file and the line.
import { parse as parseToml, TomlError } from 'smol-toml';
import { readRegularText } from '../fs/read-bounded.js';
import { formatJsonPath } from './json-path.js';
import { describeIssues, schemas, summarizeProblems } from './schema.js';
import { isAgentToml, isCityToml } from './shape.js';
import { codePointName, MAX_JSON_DEPTH } from './json-text.js';
import { tomlDeclarationLine, tomlLineOf } from './toml-location.js';
import { utf16Said } from './utf8.js';
import { InputError } from '../types.js';

export type Table = Record<string, unknown>;

/** A TOML table (not an array, not a value). */
export const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A TOML file read: its text, its tables (integers as numbers), and where it holds floats (told apart only while reading). */
export interface TomlRead {
  text: string;
  data: Table;
  floats: { path: PropertyKey[]; value: number }[];
}

export function readToml(file: string): TomlRead {
  const text = readRegularText(file);
  let parsed: Table;
  try {
    // Integers come back as bigint: one past 2^53 is valid TOML (a Go int64), refused below by its key, not as invalid TOML.
    parsed = parseToml(text, { integersAsBigInt: true }) as Table;
  } catch (e) {
    if (e instanceof TomlError) {
      const utf16 = utf16Said(text);
      if (utf16) throw new InputError(file, 'line 1, column 1', utf16);
      const detail = e.message.replace(/^Invalid TOML document:\s*/, '').split('\n')[0];
      throw new InputError(file, `line ${e.line}, column ${e.column}`, `invalid TOML: ${tomlDetail(text, e, detail)}`);
    }
    throw e;
  }
  const floats: TomlRead['floats'] = [];
  return { text, data: numbered(file, text, parsed, [], floats) as Table, floats };
}

/**
 * smol-toml's words, made plain where they mislead: a one-line string left open ends at its line's end, which smol-toml
 * calls a control character in the string, so an operator looks for an invisible character instead of the missing quote.
 */
function tomlDetail(text: string, e: TomlError, detail: string): string {
  if (detail !== 'control characters are not allowed in strings') return detail;
  // The line and column as smol-toml counts them (lines split at LF or CRLF, columns in UTF-16 units).
  const c = text.split(/\r?\n/)[e.line - 1]?.[e.column - 1];
  if (c === undefined) return 'unterminated string: no closing quote before the end of the line (only a """ or \'\'\' string spans lines)';
  return `character ${codePointName(c)} inside a string (control characters must be escaped)`;
}

/** Tables and arrays nested deeper than gc-tui reads a JSON document (a dotted key or a `[header]` of 1000 parts). */
const TOO_DEEP = `nesting deeper than ${MAX_JSON_DEPTH} levels of tables and arrays`;

/**
 * Why a file with a table or array nested deeper than MAX_JSON_DEPTH (the document itself level 1, as in JSON) is
 * refused: smol-toml limits inline tables and arrays, not dotted keys or headers, and the walks of the data (this
 * one, an export's) recurse. Named by the line declaring it.
 */
function tooDeep(file: string, text: string, path: readonly PropertyKey[]): InputError {
  const line = tomlDeclarationLine(text, path);
  return new InputError(file, line === null ? null : `line ${line}`, TOO_DEEP);
}

const CAP_KEYS: ReadonlySet<PropertyKey> = new Set(['max_active_sessions', 'min_active_sessions']);

/**
 * `value` with its bigints as numbers, its floats (the numbers smol-toml gives besides the bigints) noted in `floats`.
 * An integer past Number.MAX_SAFE_INTEGER is valid TOML (Go reads it into an int64) but no number gc-tui plans with
 * exactly: refused, naming its line and key.
 */
function numbered(file: string, text: string, value: unknown, path: PropertyKey[], floats: TomlRead['floats']): unknown {
  if (path.length >= MAX_JSON_DEPTH && typeof value === 'object' && value !== null && !(value instanceof Date))
    throw tooDeep(file, text, path);
  if (typeof value === 'number') floats.push({ path, value });
  else if (typeof value === 'bigint') {
    if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value);
    const why = CAP_KEYS.has(path[path.length - 1])
      ? `must be an integer ≥ 0, got ${value}` + (value > 0n ? `: too large for a cap (at most ${Number.MAX_SAFE_INTEGER})` : '')
      : `the integer ${value} is too large for gc-tui to read exactly (at most ±${Number.MAX_SAFE_INTEGER})`;
    throw new InputError(file, tomlPlace(text, path), why);
  }
  if (Array.isArray(value)) return value.map((v, i) => numbered(file, text, v, [...path, i], floats));
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const table = value as Table;
    for (const key of Object.keys(table)) table[key] = numbered(file, text, table[key], [...path, key], floats);
  }
  return value;
}

/** `line 12 (agent[1].max_active_sessions)`, or the path alone when no line was found. */
function placeText(line: number | null, path: readonly PropertyKey[]): string {
  const p = formatJsonPath(path);
  return line === null ? p : `line ${line} (${p})`;
}

/** A TOML place: `line 12 (agent[1].max_active_sessions)` when the line can be found. */
export function tomlPlace(text: string, path: readonly PropertyKey[]): string {
  return placeText(tomlLineOf(text, path), path);
}

/** tomlPlace, else the line declaring the nearest part of `path` (a key under a header the locator cannot place). */
export function keyPlace(text: string, path: readonly PropertyKey[]): string {
  return placeText(tomlLineOf(text, path) ?? tomlDeclarationLine(text, path), path);
}

export function validateToml(file: string, read: TomlRead, kind: 'city' | 'agent'): void {
  const { text, data } = read;
  // shape.ts's check lets a valid table through without zod; zod decides, and words, when it says no.
  if (!(kind === 'city' ? isCityToml(data) : isAgentToml(data))) {
    const result = (kind === 'city' ? schemas().cityTomlSchema : schemas().agentTomlSchema).safeParse(data);
    if (!result.success) {
      const problems = describeIssues(data, result.error.issues);
      const { detail } = summarizeProblems(problems);
      throw new InputError(file, tomlPlace(text, problems[0].path), detail);
    }
  }
  const float = floatForInteger(read.floats, kind);
  if (float) {
    const shown = Number.isInteger(float.value) ? float.value.toFixed(1) : String(float.value);
    throw new InputError(
      file,
      keyPlace(text, float.path),
      `must be an integer ≥ 0, got the float ${shown}: Gas City's TOML decoder puts no float in an integer field ` +
        '(BurntSushi/toml unifyInt) and refuses the file; write it without a fraction or exponent',
    );
  }
}

/** The integer keys gc-tui reads (Go `*int` in Gas City's Agent, Rig and Workspace), `*` standing for every item of an array. */
const INTEGER_KEYS: Record<'city' | 'agent', readonly (readonly string[])[]> = {
  city: [
    ['workspace', 'max_active_sessions'],
    ['rigs', '*', 'max_active_sessions'],
    ['agent', '*', 'max_active_sessions'],
    ['agent', '*', 'min_active_sessions'],
    ['patches', 'agent', '*', 'max_active_sessions'],
    ['patches', 'agent', '*', 'min_active_sessions'],
    ['patches', 'agent', '*', 'pool', 'min'],
    ['patches', 'agent', '*', 'pool', 'max'],
    ...(['overrides', 'patches'] as const).flatMap((kind) => [
      ['rigs', '*', kind, '*', 'max_active_sessions'],
      ['rigs', '*', kind, '*', 'min_active_sessions'],
      ['rigs', '*', kind, '*', 'pool', 'min'],
      ['rigs', '*', kind, '*', 'pool', 'max'],
    ]),
  ],
  agent: [['max_active_sessions'], ['min_active_sessions']],
};

/** Whether `path` is one `pattern` names (`*` standing for any index). */
const matches = (path: readonly PropertyKey[], pattern: readonly string[]) =>
  path.length === pattern.length && pattern.every((p, i) => (p === '*' ? typeof path[i] === 'number' : p === path[i]));

/**
 * An integer key written as a TOML float (`max_active_sessions = 1.0`, `1e2`): a number would read it as 1 or 100,
 * as it reads `1`; Gas City's decoder refuses it (a float is no int to BurntSushi/toml). readToml told the floats apart.
 */
function floatForInteger(floats: TomlRead['floats'], kind: 'city' | 'agent'): { path: PropertyKey[]; value: number } | null {
  for (const pattern of INTEGER_KEYS[kind]) for (const f of floats) if (matches(f.path, pattern)) return f;
  return null;
}
