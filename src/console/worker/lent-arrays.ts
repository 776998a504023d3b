// The typed columns of the plan worker's plans (engine/plan-arrays.ts), freed as soon as a plan's reply is packed. At
// 100 000 beads a plan makes about 9 MB of them; they live through the plan and its packing, so they are in the old
// generation by then, and as garbage they waited for this thread's next full collection (one comes before a big
// refresh's read only when the heap grew 32 MB, about every second change): up to two changes' worth at the console's
// highest memory, the next change's read (docs/speed.md). Freed (free-bytes.ts: transferred to a closed port), their
// memory goes at once, and a read of the plan's detail or pools after that throws (engine/model.ts liveTable) rather
// than reading empty columns.
import type { PlanArrays } from '../../engine/index.js';
import { freeBytes } from '../../store/formats/free-bytes.js';

/** Arrays under this many bytes are left to the collector: V8 keeps the smallest inside the heap, and a free costs a message. */
const FREED_FROM = 4096;

type Column = Int32Array | Uint8Array | Uint16Array;

/** A plan's arrays, made new and remembered until `release`. */
export class LentArrays implements PlanArrays {
  private made: Column[] = [];

  int32(length: number): Int32Array {
    return this.lent(new Int32Array(length));
  }

  uint8(length: number): Uint8Array {
    return this.lent(new Uint8Array(length));
  }

  uint16(length: number): Uint16Array {
    return this.lent(new Uint16Array(length));
  }

  private lent<T extends Column>(a: T): T {
    if (a.byteLength >= FREED_FROM) this.made.push(a);
    return a;
  }

  /** Free `array`'s memory now (one made here, that the plan reads no more: PlanArrays.done). */
  done(array: Column): void {
    const k = this.made.indexOf(array);
    if (k < 0) return; // not made here, or left to the collector
    this.made[k] = this.made[this.made.length - 1];
    this.made.pop();
    freeBytes(new Uint8Array(array.buffer));
  }

  /**
   * Free the memory of every array made so far: only once nothing reads the plans they were made for (their detail
   * and pools read them when asked). The bytes freed.
   */
  release(): number {
    let freed = 0;
    for (const a of this.made) {
      const bytes = a.byteLength; // 0 once freed
      if (freeBytes(new Uint8Array(a.buffer))) freed += bytes;
    }
    this.made = [];
    return freed;
  }
}
