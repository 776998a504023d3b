// Where a plan's typed columns come from. A plan at 100 000 beads makes about 9 MB of them (the session table's
// columns, the first pass's name samples and holders, R3's grouping, R4's work links, R7's resumed marks), most of
// which live as long as the plan's output: its detail and its pools read them when first asked. Made as ordinary
// typed arrays they outlive the young generation, and their memory waits for the thread's next full collection. A
// caller that knows when the plan's output is read no more (the console's plan worker, once its reply is packed) can
// hand plan() its own maker and give the arrays back then (src/console/worker/lent-arrays.ts); the engine only asks.

/** Zero-filled typed arrays of a length, for one plan. */
export interface PlanArrays {
  int32(length: number): Int32Array;
  uint8(length: number): Uint8Array;
  uint16(length: number): Uint16Array;
  /**
   * `array` (one of these) is read no more by the plan: its memory may go now, not with the plan's output. The first
   * pass's name samples (1.6 MB at 100 000 beads), read only by the name index, and R3's holders and their places (0.4
   * MB each) were otherwise held through the plan worker's packing of the reply.
   */
  done?(array: Int32Array | Uint8Array | Uint16Array): void;
}

/** Every array new, left to the collector: what a plan uses when its caller hands it none. */
export const NEW_ARRAYS: PlanArrays = {
  int32: (length) => new Int32Array(length),
  uint8: (length) => new Uint8Array(length),
  uint16: (length) => new Uint16Array(length),
};
