// The file-system primitives every gc-tui write is made of, so that an operator running gc-tui (as root,
// say) on a directory someone else can write never follows a link planted there, never writes into a FIFO or
// a device, and leaves the files and directories it makes owned as what they sit beside.
// - Files are created with O_CREAT | O_EXCL | O_NOFOLLOW: a name already taken (by a link or anything else)
//   fails instead of being written through.
// - Files appended to or locked are opened O_NOFOLLOW | O_NONBLOCK and checked to be regular after the open.
// - Run as root, a new file or directory takes the owner of a model (the data file it belongs to, else the
//   directory it is made in); a rewritten file keeps the owner and mode of the one it replaces.
// The directory itself is trusted as named: Node has no openat(2), so a parent directory swapped for a link
// between our check and our open is outside what this can prevent (gc-tui's own `.gc/gc-tui` is checked).
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  chmodSync,
  chownSync,
  type Stats,
} from 'node:fs';
import { dirname } from 'node:path';
import { describeFsError, errnoCode } from './fs-errors.js';
import { InputError } from '../types.js';

export const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = constants;

/** Whether this process may give files away (chown to another user): run as root. */
export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** lstat, or null when nothing is there. Other failures are InputErrors naming the path. */
export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw new InputError(path, null, describeFsError(e));
  }
}

export const SYMLINK_REFUSED =
  'is a symbolic link; gc-tui does not follow links for the files it writes, appends to or locks (replace it with the real file or directory)';

/** Why an open with O_NOFOLLOW failed, in words: a link where a file must be is refused as such. */
export function describeOpenError(e: unknown): string {
  return errnoCode(e) === 'ELOOP' ? SYMLINK_REFUSED : describeFsError(e);
}

/** A regular file's identity from its descriptor, or an InputError saying what it is instead. */
export function requireRegular(fd: number, path: string): Stats {
  const st = fstatSync(fd);
  if (st.isDirectory()) throw new InputError(path, null, 'is a directory, not a file');
  if (!st.isFile()) throw new InputError(path, null, 'is not a regular file (a FIFO, device or socket); refusing to use it');
  return st;
}

/** Owner and permission bits a new file or directory should take. */
export interface Model {
  uid: number;
  gid: number;
  mode: number;
}

/**
 * What a new file at `path` should look like: the model file's owner and mode when `like` names one that
 * exists, else the owner of the directory it is made in (and `fallbackMode`). Null mode means "as created".
 * The owner can always read and write it: a lock, an audit log or a pending file copied from a read-only (0444)
 * data file would stop the next write's lock (Gas City opens its lock read-write) and the audit trail.
 */
export function modelFor(path: string, like?: string): { uid: number; gid: number; mode: number | null } | null {
  const model = like === undefined ? null : lstatOrNull(like);
  if (model && model.isFile()) return { uid: model.uid, gid: model.gid, mode: (model.mode & 0o666) | 0o600 };
  const dir = lstatOrNull(dirname(path));
  return dir ? { uid: dir.uid, gid: dir.gid, mode: null } : null;
}

/** Give the open file `fd` the model's owner (root only: others cannot give files away) and mode. */
export function adopt(fd: number, model: { uid: number; gid: number; mode: number | null } | null): void {
  if (!model) return;
  if (model.mode !== null) fchmodSync(fd, model.mode);
  if (runningAsRoot()) {
    const st = fstatSync(fd);
    if (st.uid !== model.uid || st.gid !== model.gid) fchownSync(fd, model.uid, model.gid);
  }
}

/**
 * Create `path` exclusively (O_CREAT | O_EXCL | O_NOFOLLOW): nothing that is already there, link or file, is
 * ever opened. Returns the descriptor, write-only unless `flags` says otherwise.
 */
export function createExclusive(path: string, mode: number, flags = O_WRONLY): number {
  return openSync(path, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, mode);
}

/**
 * Open `path` with `flags` (access mode plus e.g. O_APPEND), never through a link and without blocking on a
 * FIFO; a missing one is created exclusively and given `like`'s owner and mode (modelFor). The result must be
 * a regular file. Throws the open's own error (errno; see describeOpenError) or an InputError.
 */
export function openOrCreate(path: string, flags: number, like: string | undefined): number {
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT' || attempt >= 3) throw e;
      const model = modelFor(path, like);
      try {
        fd = createExclusive(path, model?.mode ?? 0o644, flags);
      } catch (e2) {
        if (errnoCode(e2) === 'EEXIST') continue; // made meanwhile (or a link planted): open what is there
        throw e2;
      }
      try {
        adopt(fd, model);
      } catch (e2) {
        closeSync(fd);
        throw e2;
      }
    }
    try {
      requireRegular(fd, path);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return fd;
  }
}

/** fsync a directory so a rename or a create in it is durable; not every file system allows it. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, O_RDONLY | O_NOCTTY);
    fsyncSync(fd);
  } catch {
    // best effort (some file systems refuse fsync on a directory)
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Fail unless `dir` is a real directory (not a link to one). */
export function assertRealDir(dir: string): void {
  const st = lstatOrNull(dir);
  if (!st) throw new InputError(dir, null, 'no such directory');
  if (st.isSymbolicLink()) throw new InputError(dir, null, SYMLINK_REFUSED);
  if (!st.isDirectory()) throw new InputError(dir, null, 'is not a directory');
}

/**
 * Make `dir` when missing, never through a link: with the owner and mode of the directory it sits in (so a
 * root-run gc-tui does not lock the city's owner out of `.gc/gc-tui/`). An existing one must be a real
 * directory, unless `allowLink` (a directory that is not gc-tui's own, such as Gas City's `.gc`).
 */
export function ensureDirLikeParent(dir: string, opts: { allowLink?: boolean } = {}): void {
  try {
    mkdirSync(dir, 0o700);
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw new InputError(dir, null, `cannot create the directory: ${describeFsError(e)}`);
    if (!opts.allowLink) assertRealDir(dir);
    return;
  }
  const parent = lstatOrNull(dirname(dir));
  try {
    if (parent) {
      if (runningAsRoot()) chownSync(dir, parent.uid, parent.gid);
      chmodSync(dir, parent.mode & 0o7777);
    } else chmodSync(dir, 0o755);
  } catch (e) {
    throw new InputError(dir, null, `cannot set the new directory's owner and mode: ${describeFsError(e)}`);
  }
}

/**
 * A new, empty file named `<stem>.<ext>`, else `<stem>-2.<ext>`, `-3`, … : the first name nobody holds, taken
 * exclusively, so two runs in the same second never get the same one (the caller then writes it, replacing it
 * atomically). Returns the name taken.
 */
export function claimFreshName(stem: string, ext: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? `${stem}.${ext}` : `${stem}-${i}.${ext}`;
    let fd: number;
    try {
      fd = createExclusive(name, 0o644);
    } catch (e) {
      if (errnoCode(e) === 'EEXIST' && i < 1000) continue;
      throw new InputError(name, null, `cannot create: ${describeFsError(e)}`);
    }
    closeSync(fd);
    return name;
  }
}
