// Whole-file replacement: write a temp file beside the target, then rename over it, so a reader (Gas City's
// controller included) sees either the old or the new file, never half of one.
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from './fs-errors.js';
import { InputError } from './types.js';

export function writeFileAtomic(file: string, text: string, opts: { tmp?: string } = {}): void {
  const tmp = opts.tmp ?? join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // new file: 0644, as Gas City creates its own
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(file, null, `cannot write: ${describeFsError(e)}`);
  }
}
