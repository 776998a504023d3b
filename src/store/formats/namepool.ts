// A namepool file: one name per line; lines are trimmed, blank and `#` lines skipped (Gas City's
// internal/config/namepool.go). Slot N takes the N-th name.
import { MAX_NAMEPOOL_BYTES, readRegularText } from '../fs/read-bounded.js';

export function parseNamepool(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Read a namepool file: a regular file of at most 1 MiB (a FIFO or /dev/zero is refused, never read). */
export function readNamepool(file: string): string[] {
  return parseNamepool(readRegularText(file, { maxBytes: MAX_NAMEPOOL_BYTES, raise: 'a namepool is a list of names' }));
}
