// Whole-file replacement: write a temp file beside the target, then rename over it, so a reader (Gas City's
// controller included) sees either the old or the new file, never half of one.
import { chmodSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from './fs-errors.js';
import { InputError } from '../types.js';

/**
 * Replace `file` with `text` atomically. An existing file keeps its permission bits (a `chmod 600` store stays
 * 0600, whatever the umask); a new one is created 0644 (less the umask), as Gas City creates its own.
 */
export function writeFileAtomic(file: string, text: string, opts: { tmp?: string } = {}): void {
  const tmp = opts.tmp ?? join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let mode: number | null = null;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // new file
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text, { mode: mode ?? 0o644 });
    // writeFileSync's mode is filtered by the umask and ignored for a leftover temp file: set it exactly.
    if (mode !== null) chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(file, null, `cannot write: ${describeFsError(e)}`);
  }
}
