// Value rules shared by every rule module: slot numbers, instants, byte order, metadata access.
import type { Bead } from './types.js';

const SLOT_RE = /^[1-9][0-9]{0,5}$/;

/** A slot number as the rules read it: `[1-9][0-9]*`, at most 999999; anything else is 0 (absent). */
export function parseSlotNumber(text: string): number {
  return SLOT_RE.test(text) ? Number(text) : 0;
}

// Go's time.Parse(time.RFC3339, …), general parser: T and Z upper case, a 1- or 2-digit hour, `.` or `,` before a
// fraction, an offset up to 24:60.
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})([.,]\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A Date at a UTC wall time of any year (set field by field: Date.UTC reads years 0–99 as 1900–1999). */
function wall(y: number, month: number, day: number, h = 0, mi = 0, s = 0): Date {
  const t = new Date(0);
  t.setUTCFullYear(y, month - 1, day);
  t.setUTCHours(h, mi, s, 0);
  return t;
}

/** Milliseconds since the epoch for an RFC 3339 time, or null when it does not parse. */
export function parseInstant(text: string | undefined): number | null {
  if (!text) return null;
  const m = RFC3339_RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  // As strict as Go's time.Parse: a real calendar day, no leap second, an offset within a day.
  // The day before the first of the next month.
  const daysInMonth = wall(Number(y), month + 1, 0).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return null;
  }
  if (zone.length === 6 && (Number(zone.slice(1, 3)) > 24 || Number(zone.slice(4, 6)) > 60)) return null;
  let ms = wall(Number(y), month, day, Number(h), Number(mi), Number(s)).getTime();
  if (frac) ms += Number(`.${frac.slice(1, 10)}`) * 1000;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ms;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form Gas City stamps conflict times and updated_at with. */
export function formatInstant(now: Date): string {
  return now.toISOString().slice(0, 19) + 'Z';
}

/** Compare instants where one that does not parse sorts last. */
export function compareInstants(a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
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

/** Parse a Go-style duration such as "30s", "1m30s", "500ms"; null when it does not parse. */
export function parseDurationMs(text: string | undefined): number | null {
  if (!text) return null;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    matched = re.lastIndex;
  }
  return matched === text.length && matched > 0 ? total : null;
}
