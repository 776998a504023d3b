// Appending whole lines to a log (the audit log, JSON Lines) so that a crash never costs more than its own line.
// One write(2) with O_APPEND per call, so concurrent appenders never interleave inside a line; the file is
// opened without following links and must be a regular file; a last line torn by an earlier crash (no final
// newline) is closed first, so the new lines start on a line of their own instead of being glued to it.
import { closeSync, fstatSync, fsyncSync, readSync, writeSync } from 'node:fs';
import { writeText } from './atomic-file.js';
import { describeFsError } from './fs-errors.js';
import { describeOpenError, O_APPEND, O_RDWR, openOrCreate } from './safe-file.js';
import { InputError } from '../types.js';

/** Whether the last byte of the open file is a newline (true for an empty file). */
function endsWithNewline(fd: number, size: number): boolean {
  if (size === 0) return true;
  const b = Buffer.alloc(1);
  return readSync(fd, b, 0, 1, size - 1) === 1 && b[0] === 0x0a;
}

/**
 * Append `text` (whole lines, each ending in "\n"; or their UTF-8) to `file` in one write, durable (fsync) when this
 * returns. Throws an InputError naming the file: a link, not a regular file, or the write failed.
 */
export function appendLines(file: string, text: string | Buffer, opts: { like?: string } = {}): void {
  if (text.length === 0) return;
  let fd: number;
  try {
    fd = openOrCreate(file, O_RDWR | O_APPEND, opts.like);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, null, `cannot append: ${describeOpenError(e)}`);
  }
  try {
    const st = fstatSync(fd);
    // O_APPEND: each write lands at the end, whatever others appended meanwhile; the rest of a short write too.
    const closed = endsWithNewline(fd, st.size);
    if (typeof text === 'string') writeText(fd, closed ? text : `\n${text}`);
    else {
      const bytes = closed ? text : Buffer.concat([Buffer.from('\n'), text]);
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    }
    fsyncSync(fd);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, null, `cannot append: ${describeFsError(e)}`);
  } finally {
    closeSync(fd);
  }
}
