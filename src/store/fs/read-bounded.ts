// Reading the files a city names, which anyone who can write the city can point anywhere: a FIFO must not
// hang us, /dev/zero must not grow until the process dies, a huge file must be refused with a sentence. The
// file is opened O_NONBLOCK (an open of a FIFO returns at once), checked to be a regular file on the open
// descriptor (no window between a check and the open), and read up to a limit.
import { closeSync, openSync, readSync } from 'node:fs';
import { errnoCode } from './fs-errors.js';
import { describeOpenError, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, requireRegular } from './safe-file.js';
import { InputError } from '../types.js';

const MiB = 1024 * 1024;

/** The limit for a namepool file: a list of names, never more than a few kilobytes in practice. */
export const MAX_NAMEPOOL_BYTES = MiB;

/** The default limit for a data file (beads.json, city.toml, a store, the audit log): GC_TUI_MAX_FILE_BYTES overrides it. */
export const DEFAULT_MAX_DATA_BYTES = 1024 * MiB;

/** GC_TUI_MAX_FILE_BYTES when set to a positive integer, else 1 GiB. */
export function maxDataBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GC_TUI_MAX_FILE_BYTES;
  if (raw !== undefined && /^[0-9]+$/.test(raw.trim())) {
    const v = Number(raw.trim());
    if (Number.isSafeInteger(v) && v > 0) return v;
  }
  return DEFAULT_MAX_DATA_BYTES;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * MiB && n % (1024 * MiB) === 0) return `${n / (1024 * MiB)} GiB`;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  return `${n} bytes`;
}

export interface ReadOptions {
  /** Refuse a larger file; default maxDataBytes(). */
  maxBytes?: number;
  /** Refuse a symbolic link (for gc-tui's own files) instead of reading its target. */
  noFollow?: boolean;
  /** How to raise the limit, appended to the refusal (default: the environment variable). */
  raise?: string;
}

/** How a refusal says to raise the limit, by default. */
const RAISE = 'set GC_TUI_MAX_FILE_BYTES to raise it';

function tooLarge(file: string, size: string, max: number, raise: string): InputError {
  return new InputError(file, null, `is ${size}, over the ${formatBytes(max)} limit${raise ? ` (${raise})` : ''}`);
}

/** Refuse a file of `size` bytes over `max` (default maxDataBytes()), with the sentence every reader here says. */
export function refuseOver(file: string, size: number, max = maxDataBytes(), raise = RAISE): void {
  if (size > max) throw tooLarge(file, formatBytes(size), max, raise);
}

/**
 * `file` opened for reading as every reader here opens it (O_NONBLOCK: a FIFO does not hang the open; never through a
 * link with `noFollow`), or null when it does not exist and `missingOk`. The caller checks it is regular
 * (requireRegular) and closes it.
 */
export function openForRead(file: string, noFollow: boolean, missingOk: boolean): number | null {
  try {
    return openSync(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | (noFollow ? O_NOFOLLOW : 0));
  } catch (e) {
    if (missingOk && errnoCode(e) === 'ENOENT') return null;
    if (errnoCode(e) === 'ENXIO') throw new InputError(file, null, 'is not a regular file (a FIFO, device or socket); refusing to read it');
    throw new InputError(file, null, describeOpenError(e));
  }
}

/** Bytes `from`…`to` of the open file `fd` (fewer when it ends before `to`). */
export function bytesAt(fd: number, file: string, from: number, to: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, to - from));
  let n = 0;
  while (n < buf.length) {
    let got: number;
    try {
      got = readSync(fd, buf, n, buf.length - n, from + n);
    } catch (e) {
      throw new InputError(file, null, `cannot read: ${describeOpenError(e)}`);
    }
    if (got === 0) break;
    n += got;
  }
  return buf.subarray(0, n);
}

/**
 * The bytes of a regular file, at most `maxBytes` of them. Throws an InputError naming the file: not a regular
 * file (FIFO, device, socket, directory), a link with `noFollow`, too large, or unreadable.
 */
export function readRegularFile(file: string, opts: ReadOptions = {}): Buffer {
  return readBytes(file, opts, false)!;
}

/** readRegularFile, or null when the file does not exist. */
export function readRegularFileIfExists(file: string, opts: ReadOptions = {}): Buffer | null {
  return readBytes(file, opts, true);
}

/**
 * readRegularFile of a file that was read before as `prior`: `prior` itself when the file holds those bytes still,
 * else its bytes as read now. A write re-reads its input under the lock only to find it unchanged, most often: at
 * 100 000 beads a second 39 MB buffer cost about 110 ms of page faults alone and a compare 50 ms more, while the
 * bytes read a stretch at a time into one small buffer and compared as they come cost under 10 ms.
 */
export function readRegularFileOrSame(file: string, prior: Buffer, opts: ReadOptions = {}): Buffer {
  return readBytes(file, opts, false, prior)!;
}

/** How many bytes a read compared with earlier bytes takes at a time (a stretch that stays in the CPU's cache). */
const COMPARED_BYTES = 256 * 1024;

function readBytes(file: string, opts: ReadOptions, missingOk: boolean, prior?: Buffer): Buffer | null {
  const max = opts.maxBytes ?? maxDataBytes();
  const raise = opts.raise ?? RAISE;
  const fd = openForRead(file, opts.noFollow ?? false, missingOk);
  if (fd === null) return null;
  try {
    const st = requireRegular(fd, file);
    refuseOver(file, st.size, max, raise);
    const read = (into: Buffer, at: number) => {
      try {
        return readSync(fd, into, at, into.length - at, null);
      } catch (e) {
        throw new InputError(file, null, `cannot read: ${describeOpenError(e)}`);
      }
    };
    // The bytes that match `prior` so far are not kept: on the first that differs they are copied from it.
    let n = 0;
    let got = 0;
    let scratch: Buffer | null = null;
    if (prior !== undefined && st.size === prior.length) {
      scratch = Buffer.allocUnsafe(Math.min(COMPARED_BYTES, prior.length + 1));
      for (;;) {
        got = read(scratch, 0);
        if (got === 0) {
          if (n === prior.length) return prior;
          break;
        }
        if (n + got > prior.length || scratch.compare(prior, n, n + got, 0, got) !== 0) break;
        n += got;
      }
    }
    if (n + got > max) throw tooLarge(file, `over ${formatBytes(max)} (it grew while being read)`, max, raise);
    // The file may grow while we read: read up to one byte past the limit to notice.
    let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(st.size + 1, n + got + 1, 4096)));
    if (scratch !== null) {
      prior!.copy(buf, 0, 0, n);
      scratch.copy(buf, n, 0, got);
      n += got;
      if (got === 0) return buf.subarray(0, n);
    }
    for (;;) {
      if (n === buf.length) {
        if (n > max) throw tooLarge(file, `over ${formatBytes(max)} (it grew while being read)`, max, raise);
        const next = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
        buf.copy(next, 0, 0, n);
        buf = next;
      }
      got = read(buf, n);
      if (got === 0) break;
      n += got;
    }
    if (n > max) throw tooLarge(file, `over ${formatBytes(max)} (it grew while being read)`, max, raise);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** A regular file's text (UTF-8), with the limits of readRegularFile. */
export function readRegularText(file: string, opts: ReadOptions = {}): string {
  return bytesAsText(file, readRegularFile(file, opts));
}

/** A file's bytes as UTF-8 text; a file too large for a string is refused naming it. */
export function bytesAsText(file: string, bytes: Buffer): string {
  try {
    return bytes.toString('utf8');
  } catch {
    // V8's longest string is about 512 MiB: a file larger than that cannot be held as text at all.
    throw new InputError(file, null, `is ${formatBytes(bytes.length)}, too large to read as text in this Node.js`);
  }
}

/** readRegularText, or null when the file does not exist. */
export function readRegularTextIfExists(file: string, opts: ReadOptions = {}): string | null {
  const bytes = readBytes(file, opts, true);
  return bytes === null ? null : bytesAsText(file, bytes);
}

/** The last `bytes` bytes of a regular file as text (never through a link), or null when it does not exist. */
export function readFileTail(file: string, bytes: number): string | null {
  const fd = openForRead(file, true, true);
  if (fd === null) return null;
  try {
    const st = requireRegular(fd, file);
    return bytesAt(fd, file, Math.max(0, st.size - bytes), st.size).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
