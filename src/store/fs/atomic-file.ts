// Whole-file replacement: write a temp file beside the target, then rename over it, so a reader (Gas City's
// controller included) sees either the old or the new file, never half of one.
// The temp file is created exclusively without following links (safe-file.ts), fsynced, given the owner and
// mode of the file it replaces, and only then renamed: a link planted at the temp name or at the target is
// never written through, and the target is a regular file afterwards. A target that is a link, a directory, a
// FIFO or a device is refused rather than replaced (`--out /dev/null` must not replace /dev/null).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync, writevSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError, errnoCode } from './fs-errors.js';
import { adopt, createExclusive, fsyncDir, lstatOrNull, modelFor, SYMLINK_REFUSED } from './safe-file.js';
import { InputError, type FileBytes } from '../types.js';

export interface AtomicWriteOptions {
  /**
   * A fixed temp name (Gas City's `.gc/beads.json.tmp`): whatever is already there (a leftover, a link) is
   * removed first, then the name is created exclusively. Default: a unique `.<name>.<pid>.<random>.tmp`.
   */
  tmp?: string;
  /** For a new file, the file whose owner and mode it takes (else the directory's owner, mode 0644 less the umask). */
  like?: string;
  /** Called with the temp file's path once it is complete and durable, just before the rename (a write-ahead journal). */
  beforeRename?: (tmp: string) => void;
}

/** The unique temp names of `file` are `.<name>.<pid>.<hex>.tmp`; the pid says whose it is. */
function uniqueTmp(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) !== 'ESRCH';
  }
}

/**
 * Remove the temp files of `file` left by processes that no longer run (a kill mid-write), old-style
 * `.<name>.<pid>.tmp` included. Best effort: a name that cannot be removed stays.
 */
export function removeDeadTemps(file: string): void {
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(file))}\\.([0-9]+)(?:\\.[0-9a-f]+)?\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    try {
      unlinkSync(join(dirname(file), name)); // unlink removes a link itself, never its target
    } catch {
      // someone else's, or gone already
    }
  }
}

/** Create the temp file exclusively; a fixed name is cleared first (it may hold a planted link or a leftover). */
function openTemp(file: string, fixed: string | undefined, mode: number): { tmp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const tmp = fixed ?? uniqueTmp(file);
    if (fixed !== undefined) {
      const st = lstatOrNull(fixed);
      if (st?.isDirectory()) throw new InputError(fixed, null, 'the temp file name is taken by a directory; remove it');
      try {
        if (st) unlinkSync(fixed); // the name itself: a link is removed, never followed
      } catch (e) {
        if (errnoCode(e) !== 'ENOENT') throw new InputError(fixed, null, `cannot remove the old temp file: ${describeFsError(e)}`);
      }
    }
    try {
      return { tmp, fd: createExclusive(tmp, mode) };
    } catch (e) {
      // EEXIST: something was put there between the removal and the create (or a unique name collided): again.
      if (errnoCode(e) !== 'EEXIST' || attempt >= 5) throw new InputError(tmp, null, `cannot create the temp file: ${describeFsError(e)}`);
    }
  }
}

/** Buffers per writev call: Linux's IOV_MAX (libuv takes no more at once). */
const WRITEV_MAX = 1024;

/**
 * Text made a part at a time (emitJson): called once with a `write` that puts each part in the file as it comes, so
 * the whole text is never held. An exception it throws leaves no file, as a failed write does.
 */
export type TextParts = (write: (part: string) => void) => void;

function writeAll(fd: number, text: FileBytes | TextParts): void {
  if (typeof text === 'function') {
    text((part) => writeAll(fd, part));
    return;
  }
  if (typeof text !== 'string' && !Buffer.isBuffer(text)) {
    writeParts(fd, text);
    return;
  }
  if (typeof text === 'string') writeText(fd, text);
  else for (let off = 0; off < text.length; ) off += writeSync(fd, text, off, text.length - off);
}

/**
 * `text` as UTF-8 at the file's offset (or its end, O_APPEND), encoded natively by the write instead of into a Buffer
 * first (a big apply's journal is 3.5 MB, an export's part 64 K characters, each a Buffer for the collector). Only a
 * short write (a full disk reports it on the next one) makes the bytes, to write the rest.
 */
export function writeText(fd: number, text: string): void {
  const n = writeSync(fd, text);
  if (n === Buffer.byteLength(text, 'utf8')) return;
  const bytes = Buffer.from(text, 'utf8');
  for (let off = n; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Parts written in order, many per call (one call per part costs a system call each: 13 000 for a big apply). */
function writeParts(fd: number, parts: readonly Buffer[]): void {
  for (let i = 0; i < parts.length; ) {
    const batch = parts.slice(i, i + WRITEV_MAX);
    let n = writevSync(fd, batch);
    for (const part of batch) {
      i++;
      if (n >= part.length) {
        n -= part.length;
        continue;
      }
      // A short write: the rest of this part, then the parts after it in the next call.
      writeAll(fd, part.subarray(n));
      break;
    }
  }
}

/** The signals that end a process with no listener for them: a terminal's ^C, a hang-up, a kill. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * For a process that has no listener of its own for a signal that ends it (a headless command): from now until the
 * event loop next turns, the signal waits and then ends the process as it would have, instead of ending it where it
 * lands. The write is synchronous, so the signal is heard once the file is whole and renamed (or the write failed
 * and its temp is removed): a ^C during a long write no longer leaves the temp file behind. A process with listeners
 * (the console) handles its signals itself.
 */
function deferSignals(): void {
  const mine = ENDING_SIGNALS.filter((sig) => process.listenerCount(sig) === 0);
  if (mine.length === 0) return;
  const end = (sig: NodeJS.Signals) => {
    done();
    process.kill(process.pid, sig);
  };
  const done = () => {
    for (const sig of mine) process.off(sig, end);
  };
  for (const sig of mine) process.on(sig, end);
  // A signal that came meanwhile is heard in the loop's poll phase. Written from a poll callback (a module loaded,
  // a file read), the check phase right after it comes before the next poll: the second turn's check is after one.
  setImmediate(() => setImmediate(done));
}

/**
 * Replace `file` with `text` (or its UTF-8 bytes, or the parts it writes: TextParts) atomically. An existing file keeps its owner (when run as root) and permission
 * bits (a `chmod 600` store stays 0600, whatever the umask); a new one takes `opts.like`'s, else its
 * directory's owner and mode 0644 less the umask, as Gas City creates its own. A link at `file` is refused.
 */
export function writeFileAtomic(file: string, text: FileBytes | TextParts, opts: AtomicWriteOptions = {}): void {
  const existing = lstatOrNull(file);
  if (existing?.isSymbolicLink()) throw new InputError(file, null, SYMLINK_REFUSED);
  if (existing?.isDirectory()) throw new InputError(file, null, 'is a directory, not a file');
  if (existing && !existing.isFile())
    throw new InputError(file, null, 'is not a regular file (a FIFO, device or socket); refusing to replace it');
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    throw new InputError(file, null, `cannot write: ${describeFsError(e)}`);
  }
  const model = existing ? { uid: existing.uid, gid: existing.gid, mode: existing.mode & 0o777 } : modelFor(file, opts.like);
  // Written a part at a time, a big file takes long enough for a ^C to land meanwhile (half a second at 72 MB).
  if (typeof text === 'function') deferSignals();
  let tmp: string | null = null;
  let renamed = false;
  try {
    const t = openTemp(file, opts.tmp, model?.mode ?? 0o644);
    tmp = t.tmp;
    try {
      writeAll(t.fd, text);
      adopt(t.fd, model);
      fsyncSync(t.fd);
    } finally {
      closeSync(t.fd);
    }
    opts.beforeRename?.(tmp);
    renameSync(tmp, file);
    renamed = true;
    fsyncDir(dirname(file));
  } catch (e) {
    if (tmp !== null && !renamed) rmSync(tmp, { force: true });
    if (e instanceof InputError) throw e;
    throw new InputError(file, null, `cannot write: ${describeFsError(e)}`);
  }
  if (opts.tmp === undefined) removeDeadTemps(file);
}
