// Gas City's writers serialize on an exclusive flock(2) of a sibling `.lock` file; we must take the same lock
// or a running controller and gc-tui would overwrite each other's changes. fs-ext gives us flock itself
// (not fcntl/lockfile emulations, which would not exclude Gas City's Go writer).
import { closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeFsError } from './fs-errors.js';
import { describeOpenError, O_RDONLY, openOrCreate } from './safe-file.js';
import { InputError } from '../types.js';

type FsExt = { flockSync(fd: number, flags: 'exnb' | 'un'): void };
let loaded: FsExt | null = null;

/**
 * fs-ext, loaded on the first lock. It keeps V8 handles in C++ statics, so it must be loaded in one thread
 * only: locks are taken on the main thread; the console's worker does the I/O of a write while the main
 * thread holds the lock (flock belongs to the open file, not to a thread), and never loads it.
 */
function fsExt(): FsExt {
  return (loaded ??= createRequire(import.meta.url)('fs-ext') as FsExt);
}

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const POLL_MS = 25;

export class LockTimeoutError extends InputError {
  constructor(lockPath: string, timeoutMs: number) {
    super(lockPath, null, `timed out after ${timeoutMs / 1000} s (another writer still holds it)`);
    this.message = `timed out waiting for lock on ${lockPath} after ${timeoutMs / 1000} s (another writer still holds it)`;
    this.name = 'LockTimeoutError';
  }
}

/** The longest lock wait GC_TUI_LOCK_TIMEOUT_MS may ask for: an hour (a bigger value is a typo, not a wish to hang). */
export const MAX_LOCK_TIMEOUT_MS = 3_600_000;

/**
 * The lock timeout: GC_TUI_LOCK_TIMEOUT_MS (whole milliseconds, 0 … MAX_LOCK_TIMEOUT_MS), 10 s when unset or
 * empty. Any other value is refused by name rather than read as the default: an operator who set it meant it.
 */
export function lockTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.GC_TUI_LOCK_TIMEOUT_MS;
  if (text === undefined || text.trim() === '') return DEFAULT_LOCK_TIMEOUT_MS;
  const v = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v > MAX_LOCK_TIMEOUT_MS) {
    throw new InputError(
      'GC_TUI_LOCK_TIMEOUT_MS',
      null,
      `${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} is not a lock timeout: give whole milliseconds from 0 to ${MAX_LOCK_TIMEOUT_MS} (unset = ${DEFAULT_LOCK_TIMEOUT_MS})`,
    );
  }
  return v;
}

/**
 * A descriptor to flock `lockPath` with. flock(2) needs no write access, so the file is opened read-only (a lock
 * file root or another user made stays usable); never through a link, and it must be a regular file. A missing
 * one is created exclusively with the owner (when run as root) and mode of `like`, by default the file it
 * guards (`beads.json` for `beads.json.lock`), else its directory's owner and 0644 less the umask.
 */
function openLockFile(lockPath: string, like = lockPath.replace(/\.lock$/, '')): number {
  try {
    return openOrCreate(lockPath, O_RDONLY, like);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(lockPath, null, `cannot open the lock file: ${describeOpenError(e)}`);
  }
}

/**
 * Take an exclusive flock on `lockPath` (created if missing, see openLockFile) and return its release.
 * Non-blocking attempts with short sleeps keep the event loop alive (a blocking flock would freeze the console)
 * and bound the wait.
 */
export async function acquireFileLock(lockPath: string, opts: { timeoutMs?: number; like?: string } = {}): Promise<() => void> {
  const timeoutMs = opts.timeoutMs ?? lockTimeoutMs();
  const fd = openLockFile(lockPath, opts.like);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        fsExt().flockSync(fd, 'exnb');
        break;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw new InputError(lockPath, null, `cannot lock: ${describeFsError(e)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new LockTimeoutError(lockPath, timeoutMs);
        await sleep(Math.min(POLL_MS, left));
      }
    }
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    try {
      fsExt().flockSync(fd, 'un');
    } finally {
      closeSync(fd); // closing the descriptor releases the flock in any case
    }
  };
}

/** Run `fn` while holding an exclusive flock on `lockPath` (see acquireFileLock). */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  opts: { timeoutMs?: number; like?: string } = {},
): Promise<T> {
  const release = await acquireFileLock(lockPath, opts);
  try {
    return await fn();
  } finally {
    release();
  }
}
