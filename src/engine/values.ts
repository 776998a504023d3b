// Value rules shared by every rule module: slot numbers, instants, byte order, metadata access.
import type { Bead, Change, Repair } from './types.js';

/** A slot number as the rules read it: `[1-9][0-9]*`, at most 999999; anything else is 0 (absent). */
export function parseSlotNumber(text: string): number {
  return parseSlotAt(text, 0);
}

/** parseSlotNumber(text.slice(from)), without making the slice: it runs for several fields of every bead. */
export function parseSlotAt(text: string, from: number): number {
  // By hand rather than /^[1-9][0-9]{0,5}$/.
  const n = text.length;
  if (n - from < 1 || n - from > 6) return 0;
  let v = text.charCodeAt(from) - 48;
  if (v < 1 || v > 9) return 0;
  for (let i = from + 1; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 0;
    v = v * 10 + d;
  }
  return v;
}

// As Go's time.Parse(time.RFC3339, …) reads it (its general parser, after the strict form fails): an upper-case T
// and Z only (RFC 3339 allows t, z and a space; Go does not, and a time Go cannot read is one Gas City never wrote, so
// a stale-create rule must not act on it); an hour of one digit or two; a fraction after `.` or `,`; an offset of up
// to 24 hours and 60 minutes.
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})([.,]\d+)?(Z|[+-]\d{2}:\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Milliseconds since the epoch of a UTC wall time: any year (Date.UTC reads 0–99 as 1900–1999). */
function utcMs(y: number, month: number, day: number, h: number, mi: number, s: number): number {
  // Every time Gas City stamps: no Date made (this runs for every bead's times).
  if (y >= 100) return Date.UTC(y, month - 1, day, h, mi, s);
  const t = new Date(Date.UTC(2000, 0, 1, h, mi, s));
  t.setUTCFullYear(y, month - 1, day);
  return t.getTime();
}

/**
 * An instant to the nanosecond, as Gas City stamps them (RFC 3339 with up to 9 digits): `ms` whole milliseconds
 * since the epoch, `ns` the nanoseconds after them (0 to 999 999). One number of milliseconds cannot hold both: at
 * today's 1.8e12 ms a double resolves about 0.24 µs, and two creates in one tick are nanoseconds apart.
 */
export interface Instant {
  readonly ms: number;
  readonly ns: number;
}

/** The instant of an RFC 3339 time (digits past the ninth ignored), or null when it does not parse. */
export function parseInstantNs(text: string | undefined): Instant | null {
  if (!text) return null;
  const m = RFC3339_RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  // As strict as Go's time.Parse: a real calendar day, no leap second, an offset within a day.
  const daysInMonth = month === 2 && leapYear(Number(y)) ? 29 : DAYS_IN_MONTH[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return null;
  }
  if (zone.length === 6 && (Number(zone.slice(1, 3)) > 24 || Number(zone.slice(4, 6)) > 60)) return null;
  let ms = utcMs(Number(y), month, day, Number(h), Number(mi), Number(s));
  let ns = 0;
  if (frac) {
    // ".123456789": milliseconds from the first three digits, nanoseconds from the next six, each exact.
    const digits = (frac.slice(1) + '000000000').slice(0, 9);
    ms += Number(digits.slice(0, 3));
    ns = Number(digits.slice(3));
  }
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return { ms, ns };
}

/** Milliseconds since the epoch for an RFC 3339 time, or null when it does not parse (below a µs, approximate). */
export function parseInstant(text: string | undefined): number | null {
  const at = parseInstantNs(text);
  return at === null ? null : at.ms + at.ns / 1e6;
}

/** The first whole millisecond at or after `at` + `spanMs`: where a clock counting milliseconds reaches it. */
export function reachedAt(at: Instant, spanMs: number): number {
  return at.ms + spanMs + (at.ns > 0 ? 1 : 0);
}

/** Is `at` + `spanMs` at or before `nowMs` (whole milliseconds, the clock's unit)? Exact to the nanosecond. */
export function reached(at: Instant, spanMs: number, nowMs: number): boolean {
  return nowMs >= reachedAt(at, spanMs);
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form Gas City stamps conflict times and updated_at with. */
export function formatInstant(now: Date): string {
  return now.toISOString().slice(0, 19) + 'Z';
}

/** Compare instants, to the nanosecond, where one that does not parse sorts last. */
export function compareInstants(a: Instant | null, b: Instant | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
}

/** Byte order of the UTF-8 encodings, which equals code point order. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort above every BMP code unit in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Whether a text has a surrogate (an astral code point): only then does compareBytes differ from `<` on it. */
export function hasSurrogate(text: string): boolean {
  return SURROGATE.test(text);
}

/**
 * compareBytes of texts that have no surrogate: the native comparison, in UTF-16 order, which is then byte order.
 * A sort's comparator runs before its code is optimized (a plan sorts each list once), where compareBytes' loop over
 * the characters costs several times the native comparison.
 */
export function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `items` sorted by compareBytes of their keys, in place (stable, as Array.prototype.sort). Without a surrogate
 * in any key (nearly always), UTF-16 order is code point order, which is byte order: the native comparison then
 * gives the same order, several times faster than comparing in JS (thousands of repair ids at 100 000 beads).
 */
export function sortByBytes<T>(items: T[], key: (x: T) => string): T[] {
  for (let k = 0; k < items.length; k++) if (hasSurrogate(key(items[k]))) return items.sort((a, b) => compareBytes(key(a), key(b)));
  return items.sort((a, b) => compareUnits(key(a), key(b)));
}

/** Metadata value, with absent and "" meaning the same. */
export function meta(bead: Bead, key: string): string {
  const v = bead.metadata?.[key];
  return typeof v === 'string' ? v : '';
}

/** Metadata value as a change reports it: null when absent. */
export function metaBefore(bead: Bead, key: string): string | null {
  const md = bead.metadata;
  if (!md || !Object.prototype.hasOwnProperty.call(md, key)) return null;
  const v = md[key];
  return typeof v === 'string' ? v : String(v);
}

export const LIVE_STATES: ReadonlySet<string> = new Set(['creating', 'active', 'awake', 'draining']);

export const KNOWN_STATES: ReadonlySet<string> = new Set([
  'creating',
  'active',
  'awake',
  'asleep',
  'suspended',
  'draining',
  'drained',
  'archived',
  'quarantined',
  'failed-create',
  'stopped',
  'orphaned',
  'closed',
  '',
]);

export const STALE_CREATE_MS = 10 * 60_000;
export const ROLLBACK_BUDGET = 5;

const MAX_DURATION_MS = 9_223_372_036_854;
const DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  '\u00b5s': 1e-3,
  '\u03bcs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * The patrol interval's parser, the one the plan's ETAs and the console's patrol timer share: a Go duration
 * (Go's time.ParseDuration: "30s", "1m30s", "1.5h", "500ms", "0") in milliseconds, or null when it is absent,
 * not a Go duration, or not positive. Gas City reads `patrol_interval` with time.ParseDuration and falls back
 * to 30 s only when it is empty or unparseable; "0s" parses, but its patrol ticker (time.NewTicker) refuses a
 * non-positive interval, so no patrol ever runs at one. Null here: the caller's default (30 s) stands in.
 */
export function parseDurationMs(text: string | undefined): number | null {
  if (!text) return null;
  let rest = text;
  let sign = 1;
  if (rest[0] === '-' || rest[0] === '+') {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return null;
  const re = /(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < rest.length) {
    re.lastIndex = at;
    const m = re.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * DURATION_UNIT_MS[m[3]];
    at = re.lastIndex;
  }
  const ms = sign * total;
  // Go's durations are int64 nanoseconds: about 2 562 047 h at most.
  return at > 0 && ms > 0 && ms <= MAX_DURATION_MS ? ms : null;
}

/** The field a conflict clear stamps with the time of the plan that proposes it (sameChanges leaves it out). */
export const CONFLICT_AT = 'metadata.pool_alias_conflict_at';

/** The conflict time `r` stamps, when it stamps one. */
export function conflictStamp(r: Pick<Repair, 'changes'>): string | undefined {
  const at = r.changes.find((c) => c.field === CONFLICT_AT)?.after;
  return typeof at === 'string' ? at : undefined;
}

/** `r` stamping `at` as its conflict time instead of its own. */
export function withConflictStamp<T extends Pick<Repair, 'changes'>>(r: T, at: string): T {
  return { ...r, changes: r.changes.map((c) => (c.field === CONFLICT_AT ? { ...c, after: at } : c)) };
}

/**
 * The entries of a conflict record that write another value: a key that already holds it is no change to show,
 * audit or apply. The time stamp stays whatever it is: whether it equals the plan's time depends on the second the
 * plan was made, and a repair's changes must not (a rejected repair would come back, a saved plan turn stale).
 */
export function conflictWrites(changes: Change[]): Change[] {
  return changes.filter((c) => c.before !== c.after || c.field === CONFLICT_AT);
}

/**
 * A value quoted in a reason or a message: in double quotes, its own backslashes and quotes escaped (`"a\"b"`), so
 * that where a value ends is never in doubt; its controls are the outputs' to make visible (sanitize: `\e`, `\x07`),
 * as they do for the changes' values beside it (the same spelling: `"a\"b\\\e"`).
 */
export function inQuotes(value: string): string {
  // Most values hold neither character: no regular expression runs for them (reasons quote values by the thousand).
  if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) return `"${value}"`;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const unset = (v: string | null) => v === null || v === '';

/**
 * A change's symbol, terraform's, wherever a diff is shown (the console's card, `apply --dry-run`): `+` a value where
 * there was none, `-` none where there was one (absent or `""` alike), `~` a change.
 */
export function diffSymbol(c: Change): '+' | '-' | '~' {
  if (unset(c.before) && !unset(c.after)) return '+';
  if (!unset(c.before) && unset(c.after)) return '-';
  return '~';
}
