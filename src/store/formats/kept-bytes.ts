// A file's bytes kept for a later comparison: the console's plan worker keeps the last read of a store file for the
// next re-read (store-reread.ts parses only the beads whose text changed) and as the next write's basis (write.ts:
// under the lock, a file still byte for byte what was read is not read again). Kept as its text, that read was 39 MB
// of the worker's heap at 100 000 beads, at both of the console's memory peaks. Kept deflated (zlib level 1, until
// 2026-12-06), inflating the last read and deflating the new one cost about 130 ms of the thread pool's CPU an outside
// change, and the inflated copy's fresh pages as much again in page faults, on the same two CPUs as the read, the plan
// and the packing. So the bytes are written once to a private file of their own (unlinked as soon as it is open:
// nothing is left behind, whatever ends the process), and a comparison reads them back a piece at a time into one
// small buffer, from the page cache: byte for byte, as before, for about a copy of the file.
import { closeSync, constants, fstatSync, openSync, readSync, unlinkSync, write, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errnoCode } from '../fs/fs-errors.js';
import { createExclusive, O_RDWR } from '../fs/safe-file.js';
import { freeBytes } from './free-bytes.js';

/**
 * The smallest file kept in a file of its own. Under it the text costs the worker little (a 10 000-bead store is under
 * 4 MiB), and is kept as its text.
 */
export const KEEP_IN_FILE_FROM = 8 << 20;

let inFileFrom = KEEP_IN_FILE_FROM;

/** Whether a file of `size` bytes is kept in a file of its own (KEEP_IN_FILE_FROM), rather than as its text. */
export function keptInFile(size: number): boolean {
  return size >= inFileFrom;
}

/** Tests of the kept file on small files: the size from which files are kept in one (undefined: as shipped). */
export function setKeepInFileFromForTests(size?: number): void {
  inFileFrom = size ?? KEEP_IN_FILE_FROM;
}

let dirsForTests: readonly string[] | undefined;

/** Tests: the folders a kept file may go to, in order (undefined: as shipped, see placesFor). */
export function setKeptFileDirsForTests(dirs?: readonly string[]): void {
  dirsForTests = dirs;
}

/**
 * What a comparison reads the kept file back in, a piece at a time: one buffer for every comparison of a read (a fresh
 * buffer of the file's size cost as much in page faults as the copy itself), let go once the read is compared
 * (letPiecesGo): held between reads, the two were 2 MiB of the plan worker's memory through each change's plan and
 * packing, where the console's memory peaks (docs/speed.md).
 */
const PIECE = 1 << 20;
let piece: Buffer | null = null;
const pieceBuffer = () => (piece ??= Buffer.alloc(PIECE));
/** The other side's piece, when both sides of a comparison are kept files (a re-read's new copy and the last one). */
let otherPiece: Buffer | null = null;
const otherPieceBuffer = () => (otherPiece ??= Buffer.alloc(PIECE));

/**
 * The piece buffers' memory freed now (free-bytes.ts), not at the thread's next full collection: a read's comparisons
 * are done (store-reread.ts parseKept). The next comparison makes them again (about 0.2 ms a MiB of page faults).
 */
export function letPiecesGo(): void {
  for (const p of [piece, otherPiece]) if (p) freeBytes(p);
  piece = otherPiece = null;
}

let copiedPieceForTests: ((copied: number) => void) | undefined;

/** Tests: called after each piece KeptBytes.copyOf copies, with how many bytes are copied so far (undefined: none). */
export function setCopiedPieceHookForTests(hook?: (copied: number) => void): void {
  copiedPieceForTests = hook;
}

/**
 * Where a kept file goes: the system's temporary folder (TMPDIR), whose pages the kernel may drop or write back
 * (written to its disk only if kept past the kernel's dirty expiry, some 30 s). Not /dev/shm: that is memory the
 * kernel cannot reclaim, the same 37 MB the console would hold itself, only no longer counted as the console's.
 */
function placesFor(): readonly string[] {
  return dirsForTests ?? [tmpdir()];
}

/** A new file of our own, open for reading and writing and already unlinked; null when none can be made. */
function privateFile(): number | null {
  for (const dir of placesFor()) {
    const path = join(dir, `.gc-tui-kept-${process.pid}-${randomBytes(6).toString('hex')}`);
    let fd: number;
    try {
      fd = createExclusive(path, 0o600, O_RDWR);
    } catch {
      continue;
    }
    try {
      unlinkSync(path);
      return fd;
    } catch {
      closeSync(fd); // a file that could not be unlinked would outlive a crash: not used
    }
  }
  return null;
}

/** The open kept files, closed when their KeptBytes is collected without being dropped (a reader let go whole). */
const closer = new FinalizationRegistry<{ fd: number | null }>((file) => closeFile(file));

function closeFile(file: { fd: number | null }): void {
  if (file.fd === null) return;
  try {
    closeSync(file.fd);
  } catch {
    // already gone
  }
  file.fd = null;
}

/** A file's bytes already written to a kept file of their own (KeptBytes.copyOf): that file and their size. */
class Copied {
  constructor(
    readonly fd: number,
    readonly size: number,
  ) {}
}

export class KeptBytes {
  /**
   * The bytes of the open file `from`, from its start to its end (read to its end, as readFile does: it may grow meanwhile),
   * copied into a kept file of their own a piece at a time through this thread's one piece buffer: never all in this
   * process's memory (the plan worker's re-read of a 100 000-bead store held them as one 37 MB buffer, at the console's
   * highest memory: docs/speed.md). Written at once, on this thread (the plan worker's, below the console's: no thread of
   * the pool at the console's priority copies them). Null when no file of our own can be made or written to (the caller
   * then reads the bytes itself); an error reading `from` is thrown.
   */
  static copyOf(from: number): KeptBytes | null {
    const fd = privateFile();
    if (fd === null) return null;
    const p = pieceBuffer();
    let at = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(from, p, 0, PIECE, at);
      } catch (e) {
        closeSync(fd);
        throw e;
      }
      if (n === 0) break;
      try {
        for (let k = 0; k < n; ) {
          const w = writeSync(fd, p, k, n - k, at + k);
          if (w <= 0) throw new Error('short write');
          k += w;
        }
      } catch {
        closeSync(fd); // a full disk: not kept in a file
        return null;
      }
      at += n;
      copiedPieceForTests?.(at);
    }
    return new KeptBytes(new Copied(fd, at));
  }

  /** Writes started in this thread and not done yet. */
  static pending = 0;
  private static waiting: (() => void)[] = [];

  /**
   * Once no write started in this thread is still running, and the last one's request has let go of its bytes: it holds
   * them until its callback has returned, so a collection started from the callback (its promise's reactions) kept the
   * 37 MB of a 100 000-bead read alive (the first read's reply then landed on them: docs/speed.md).
   */
  static settled(): Promise<void> {
    return KeptBytes.pending === 0 ? Promise.resolve() : new Promise((resolve) => KeptBytes.waiting.push(resolve));
  }

  /** The bytes as read, until they are written (or for good when writing fails). */
  private raw: Buffer | null;
  /** The kept file; its fd null once closed. Its own object, so that `closer` holds no reference to this. */
  private readonly file: { fd: number | null };
  /** The file holds all the bytes. */
  private written = false;
  /** Its write runs on the thread pool: the file is closed only after it (its fd not reused under it). */
  private writing = false;
  /** Not kept any more (drop), or not written (a failed write): the file is closed once its write ended. */
  private dropped = false;
  private readonly size: number;
  /**
   * The bytes were given up to this (`given`), and nothing has had them from it since (bytes()): their memory is freed
   * as soon as they are not needed here any more (written, or dropped), and no write reads them.
   */
  private given: boolean;

  /**
   * `bytes` is kept as is (never changed by its reader) until it is written. `given`: the caller gives them up, nothing
   * else reads them from now on (the plan worker's re-read: each one's 37 MB at 100 000 beads lived, written to their
   * file and let go, until the worker's next full collection, which came after some changes: docs/speed.md), so they
   * are freed once in their file (free-bytes.ts), never while the thread pool's write still reads them.
   */
  constructor(bytes: Buffer | Copied, { given = false }: { given?: boolean } = {}) {
    if (bytes instanceof Copied) {
      this.raw = null;
      this.given = false;
      this.size = bytes.size;
      this.file = { fd: bytes.fd };
      this.written = true;
      closer.register(this, this.file, this.file);
      return;
    }
    this.raw = bytes;
    this.given = given;
    this.size = bytes.length;
    this.file = { fd: privateFile() };
    const fd = this.file.fd;
    if (fd === null) return; // kept as read: the same comparisons, only in this process's memory
    closer.register(this, this.file, this.file);
    KeptBytes.pending++;
    this.writing = true;
    const done = (ok: boolean) => {
      this.writing = false;
      if (ok && !this.dropped) {
        this.written = true;
        this.raw = null;
      } else this.dropped = true; // the file let go (the bytes stay as read when the write failed)
      if (this.dropped) this.close();
      if (this.raw === null) this.free(bytes);
      if (--KeptBytes.pending === 0) for (const f of KeptBytes.waiting.splice(0)) setImmediate(f);
    };
    const from = (at: number) =>
      write(fd, bytes, at, this.size - at, at, (e, n) => {
        if (e || n <= 0) done(false);
        else if (at + n < this.size) from(at + n);
        else done(true);
      });
    from(0);
  }

  /** `bytes`, as read, freed now when they were given (and are not written or read by the thread pool any more). */
  private free(bytes: Buffer): void {
    if (this.given) freeBytes(bytes);
    this.given = false;
  }

  private close(): void {
    closer.unregister(this.file);
    closeFile(this.file);
  }

  /** How many bytes are kept. */
  get length(): number {
    return this.size;
  }

  /** Whether the bytes are now held in their file, not in this process (tests). */
  get inFile(): boolean {
    return this.written && this.file.fd !== null && !this.dropped;
  }

  /** The file to read the bytes back from, while it holds them and is kept. */
  private get readable(): number | null {
    return this.written && !this.dropped ? this.file.fd : null;
  }

  /**
   * The bytes, in one piece, their size (read back from their file: a new buffer the caller may drop); null when they
   * are no longer kept (drop) or cannot be read back: the caller then has nothing to compare with. Comparisons need not
   * take them whole: see sharedStart, sharedEnd, same.
   */
  bytes(): Buffer | null {
    if (this.raw) {
      this.given = false; // the caller may hold them: they go to the collector
      return this.raw;
    }
    return this.readBack();
  }

  /** The bytes decoded as UTF-8, as the reader decoded them (load-store.ts); null when bytes() has none. */
  text(): string | null {
    return (this.raw ?? this.readBack())?.toString('utf8') ?? null;
  }

  /** The bytes read back from their file into a new buffer; null when they cannot be. */
  private readBack(): Buffer | null {
    const buf = Buffer.allocUnsafe(this.size);
    return this.readInto(buf, 0, this.size, 0) ? buf : null;
  }

  /** Whether `other` is these bytes, byte for byte (false when they are no longer kept or cannot be read back). */
  equals(other: Uint8Array): boolean {
    return other.length === this.size && this.sharedStart(other) === this.size;
  }

  /**
   * How long a start these bytes and `other` share (`other` in memory, or kept too: a re-read's new copy). Bytes that
   * cannot be read back share nothing (0): a caller that compares to reuse what it read then reads it anew.
   */
  sharedStart(other: Uint8Array | KeptBytes): number {
    const max = Math.min(other.length, this.size);
    for (let at = 0; at < max; at += PIECE) {
      const n = Math.min(PIECE, max - at);
      const p = this.piece(at, n);
      const part = KeptBytes.pieceOf(other, at, n);
      if (!p || !part) return at;
      if (Buffer.compare(p, part) !== 0)
        return at + sharedLength(n, (lo, hi) => Buffer.compare(p.subarray(lo, hi), part.subarray(lo, hi)) === 0);
    }
    return max;
  }

  /** How long an end, at most `max`, these bytes and `other` share (0 when they cannot be read back). */
  sharedEnd(other: Uint8Array | KeptBytes, max: number): number {
    const m = Math.min(max, other.length, this.size);
    for (let back = 0; back < m; back += PIECE) {
      const n = Math.min(PIECE, m - back);
      const p = this.piece(this.size - back - n, n);
      const theirs = KeptBytes.pieceOf(other, other.length - back - n, n);
      if (!p || !theirs) return back;
      // Compared from the end of the pieces: `lo`..`hi` bytes back from `back`.
      const same = (lo: number, hi: number) => Buffer.compare(p.subarray(n - hi, n - lo), theirs.subarray(n - hi, n - lo)) === 0;
      if (!same(0, n)) return back + sharedLength(n, same);
    }
    return m;
  }

  /**
   * These bytes `lo` to `hi` (fewer when they end before `hi`), in a buffer of their own (a part of a re-read's new copy,
   * read back: store-reread.ts); null when they cannot be read back.
   */
  range(lo: number, hi: number): Buffer | null {
    const to = Math.max(lo, Math.min(hi, this.size));
    if (this.raw) return this.raw.subarray(lo, to);
    const buf = Buffer.allocUnsafe(to - lo);
    return this.readInto(buf, 0, to - lo, lo) ? buf : null;
  }

  /** Whether these bytes `from` to `to` are `other`'s from `at` (false when they cannot be read back). */
  same(other: Uint8Array, at: number, from: number, to: number): boolean {
    if (at + to - from > other.length || to > this.size) return false;
    for (let k = from; k < to; k += PIECE) {
      const n = Math.min(PIECE, to - k);
      const p = this.piece(k, n);
      if (!p || Buffer.compare(p, other.subarray(at + k - from, at + k - from + n)) !== 0) return false;
    }
    return true;
  }

  /**
   * These bytes `at` to `at + n` (n at most PIECE): of the bytes as read while they are held, else read back into `into`,
   * by default the shared piece buffer (valid until the next call); null when unreadable.
   */
  private piece(at: number, n: number, into = pieceBuffer()): Buffer | null {
    if (this.raw) return this.raw.subarray(at, at + n);
    return this.readInto(into, 0, n, at) ? into.subarray(0, n) : null;
  }

  /** `other`'s bytes `at` to `at + n` (n at most PIECE), as piece() gives them, into the other piece buffer. */
  private static pieceOf(other: Uint8Array | KeptBytes, at: number, n: number): Uint8Array | null {
    return other instanceof KeptBytes ? other.piece(at, n, otherPieceBuffer()) : other.subarray(at, at + n);
  }

  /** `n` of the file's bytes from `at` read into `buf` at `into`; false when they cannot be (dropped, a failed read). */
  private readInto(buf: Buffer, into: number, n: number, at: number): boolean {
    const fd = this.readable;
    if (fd === null) return false;
    try {
      for (let k = 0; k < n; ) {
        const got = readSync(fd, buf, into + k, n - k, at + k);
        if (got <= 0) return false;
        k += got;
      }
    } catch {
      return false;
    }
    return true;
  }

  /** Not needed any more (a later read is kept): its file is closed, and with that gone. Compares nothing from now on. */
  drop(): void {
    this.dropped = true;
    const raw = this.raw;
    this.raw = null;
    if (this.writing) return; // closed, and the bytes freed, once the write is done
    this.close();
    if (raw) this.free(raw);
  }
}

/** How many times keptCopyOf copies a file that keeps changing under it before it takes the last copy. */
const COPY_TRIES = 3;

/**
 * The store file `file` copied into a kept file of its own (KeptBytes.copyOf), for a re-read that compares it with the
 * last read's (store-reread.ts parseKept): 'missing' when there is no file, null when it is not copied (under
 * KEEP_IN_FILE_FROM, not a regular file, no file of our own to be had: read as before). A file that changed while it was
 * copied (its size, or its times, as the open file gives them) may be a mix of two versions: copied again, a few times.
 * The copy itself is one version of the file, whatever happens to it: what is compared, parsed and kept is the copy.
 */
export function keptCopyOf(file: string): KeptBytes | null | 'missing' {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return 'missing';
    return null; // read as before, which words the error
  }
  try {
    for (let tries = 1; ; tries++) {
      const before = fstatSync(fd, { bigint: true });
      if (!before.isFile() || !keptInFile(Number(before.size))) return null;
      const kept = KeptBytes.copyOf(fd);
      if (!kept) return null;
      const after = fstatSync(fd, { bigint: true });
      if ((after.size === before.size && after.mtimeNs === before.mtimeNs && after.ctimeNs === before.ctimeNs) || tries === COPY_TRIES)
        return kept;
      kept.drop();
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The length, at most `max`, of the longest start (or end) two texts or byte ranges share, found by comparing halves
 * (native compares): `same(lo, hi)` says whether their units `lo` to `hi` from that side are equal, those before `lo`
 * being so.
 */
export function sharedLength(max: number, same: (lo: number, hi: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (same(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
