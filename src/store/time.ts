// Clock values that cross the command line or land in files: thin wrappers over the engine's instants, so
// `--now`, bead times and audit times are all read and written by the same (Go-strict) rules.
import { formatInstant, parseInstantNs } from '../engine/index.js';

/**
 * An RFC 3339 timestamp as a Date, or null when it is not one. As strict as Go's time.Parse: a real calendar
 * day (no Feb 30), no leap second (`:60`), an offset within a day (no `+25:00`), no surrounding blanks.
 */
export function parseRfc3339(text: string): Date | null {
  // Cut to its millisecond (a Date holds no finer): a fraction of .999999999 must not round up to the next second.
  const at = parseInstantNs(text);
  return at === null ? null : new Date(at.ms);
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form the contract uses for `updated_at` and audit times. */
export function formatZ(d: Date): string {
  return formatInstant(d);
}
