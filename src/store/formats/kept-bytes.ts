// A file's bytes kept for a later comparison: the console's plan worker keeps the last read of a store file for the
// next re-read (store-reread.ts parses only the beads whose text changed) and as the next write's basis (write.ts:
// under the lock, a file still byte for byte what was read is not read again). Kept as its text, that read was 39 MB
// of the worker's heap at 100 000 beads, at both of the console's memory peaks; deflated (zlib, level 1, on libuv's
// thread pool, never on the JS thread) a generated store is about a twelfth of that. The bytes come back whole, by
// inflating them, when a re-read or a write compares with them: the comparison stays byte for byte.
import { deflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';

/**
 * The smallest file kept deflated. Under it the text costs the worker little (a 10 000-bead store is under 4 MiB) and
 * deflating it on every read, then inflating it for the next, cost an outside change at 10 000 beads tens of
 * milliseconds of a 250 ms target: a smaller file is kept as its text, as before.
 */
export const KEEP_DEFLATED_FROM = 8 << 20;

let deflateFrom = KEEP_DEFLATED_FROM;

/** Whether a file of `size` bytes is kept deflated (KEEP_DEFLATED_FROM), rather than as its text. */
export function keptDeflated(size: number): boolean {
  return size >= deflateFrom;
}

/** Tests of the deflated path on small files: the size from which files are kept deflated (undefined: as shipped). */
export function setKeepDeflatedFromForTests(size?: number): void {
  deflateFrom = size ?? KEEP_DEFLATED_FROM;
}

/** Fast and still about 12× at 100 000 beads: level 6 packs a third smaller for three times the pool's time. */
const LEVEL = 1;
/** zlib's smallest piece. */
const MIN_CHUNK = 64;

export class KeptBytes {
  /** Deflates started in this thread and not done yet. */
  static pending = 0;
  private static waiting: (() => void)[] = [];

  /** Once no deflate started in this thread is still running (each drops the bytes it deflated as it ends). */
  static settled(): Promise<void> {
    return KeptBytes.pending === 0 ? Promise.resolve() : new Promise((resolve) => KeptBytes.waiting.push(resolve));
  }

  /** The bytes as read, until they are deflated (or for good when deflating fails). */
  private raw: Buffer | null;
  private packed: Buffer | null = null;
  private readonly size: number;

  /** `bytes` is kept as is (never changed by its reader) until its deflated form is ready. */
  constructor(bytes: Buffer) {
    this.raw = bytes;
    this.size = bytes.length;
    KeptBytes.pending++;
    // One piece of output when the text packs 4× or better: async zlib comes back to this thread for each piece (16 KiB
    // by default, about 190 here), and this thread may be busy for seconds (a plan, its packing).
    const chunkSize = Math.max(MIN_CHUNK, this.size >> 2);
    deflateRaw(bytes, { level: LEVEL, chunkSize }, (e, out) => {
      if (!e) {
        this.packed = out;
        this.raw = null;
      } // else kept as read: the same comparisons, only bigger
      if (--KeptBytes.pending === 0) for (const f of KeptBytes.waiting.splice(0)) f();
    });
  }

  /** Whether the bytes are now held deflated (tests). */
  get deflated(): boolean {
    return this.packed !== null;
  }

  /** What `inflating` started: taken by the next `bytes`, so the bytes are held inflated only until then. */
  private early: Promise<Buffer | null> | null = null;
  private ready: Buffer | null = null;

  /** The bytes, inflated when they are held deflated (a new buffer the caller may drop): in one piece, their size. */
  bytes(): Buffer {
    const ready = this.ready;
    this.ready = null;
    this.early = null;
    return this.raw ?? ready ?? inflateRawSync(this.packed!, this.inflateOptions());
  }

  /**
   * Start inflating the bytes on libuv's thread pool, for a `bytes` call to come: a re-read starts it before it reads
   * the file, so the two run beside each other, off this thread (at 100 000 beads each 0.1-0.2 s). Resolves once done
   * (a failure leaves `bytes` to inflate them itself).
   */
  inflating(): Promise<void> {
    if (this.raw || !this.packed) return Promise.resolve();
    this.early ??= new Promise((resolve) => inflateRaw(this.packed!, this.inflateOptions(), (e, out) => resolve(e ? null : out)));
    const early = this.early;
    return early.then((out) => {
      if (this.early === early) this.ready = out;
    });
  }

  /** What `inflating` made is not wanted after all (the file could not be read): not held until the next read. */
  dropInflated(): void {
    this.ready = null;
    this.early = null;
  }

  private inflateOptions() {
    return { chunkSize: Math.max(MIN_CHUNK, this.size) };
  }

  /** The bytes decoded as UTF-8, as the reader decoded them (load-store.ts). */
  text(): string {
    return this.bytes().toString('utf8');
  }

  /** Whether `other` is these bytes, byte for byte. */
  equals(other: Uint8Array): boolean {
    return this.bytes().equals(other);
  }
}
