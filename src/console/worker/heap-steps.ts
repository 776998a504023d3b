// When the plan worker collects its heap around the first read (plan-worker-body.ts): the decisions, apart from the
// collections themselves, so that they can be tested without V8.

/**
 * A check to run after each slice of the first read's reply is sent: it collects whenever what the heap holds has
 * grown by `growth` bytes since the first check or the last collection. The packing's garbage (the bead details'
 * records and their prints, made in the old generation) otherwise piled up to about 120 MB in use and 130 committed at
 * 100 000 beads, at the end of the packing, while the console's thread unpacked: as high as the launch's other top,
 * the views' rows (docs/speed.md).
 */
export function growthCollector(used: () => number, collect: () => void, growth: number): () => void {
  let base = -1;
  return () => {
    const now = used();
    if (base < 0) base = now;
    else if (now - base > growth) {
      collect();
      base = used();
    }
  };
}

/**
 * The steps of a compaction, one a call: `step` (a full collection that moves the objects of a few fragmented pages)
 * runs, and the call says whether another should follow: not once a step gave back less than `minFreed` bytes of
 * `committed`, nor after `maxSteps`.
 */
export function compactionSteps(step: () => void, committed: () => number, maxSteps: number, minFreed: number): () => boolean {
  let left = maxSteps;
  return () => {
    if (left <= 0) return false;
    left--;
    const before = committed();
    step();
    return left > 0 && before - committed() >= minFreed;
  };
}
