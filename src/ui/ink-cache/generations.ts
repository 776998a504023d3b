// The store behind the caches Ink's frame writer is built with (see tokenize.ts): what one frame asked for is
// what the next one asks for again, so the answers of the last frames are kept, and only those.

/** Strings kept per generation: a 200×50 screen writes a few hundred distinct ones a frame. */
const GENERATION = 4096;

/**
 * Two generations: a key used in this generation or the last is found (and moves to this one); a full generation
 * makes the last one go. Memory stays bounded whatever the screens show.
 */
export class TwoGenerations<K, V> {
  private now = new Map<K, V>();
  private before = new Map<K, V>();

  /** `size`: entries per generation. */
  constructor(private readonly size = GENERATION) {}

  get(k: K): V | undefined {
    const v = this.now.get(k);
    if (v !== undefined) return v;
    const old = this.before.get(k);
    if (old !== undefined) this.set(k, old);
    return old;
  }

  set(k: K, v: V): void {
    if (this.now.size >= this.size) {
      this.before = this.now;
      this.now = new Map();
    }
    this.now.set(k, v);
  }

  /** The value kept for `k`, or `make()`'s, kept. */
  of(k: K, make: () => V): V {
    let v = this.get(k);
    if (v === undefined) {
      v = make();
      this.set(k, v);
    }
    return v;
  }
}
