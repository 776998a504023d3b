// The plan worker's thread runs below the console's own once the console has something on screen. At 100 000 beads
// the worker works for seconds after the console's first frame (packing the first read, its collections), on a
// machine of two CPUs beside V8's own helper threads, while the console's thread, which only takes keys and draws,
// had a key wait behind them: 35-50 ms in the first keys after the first frame, with that thread itself almost idle
// (docs/speed.md). Below normal, the kernel runs the console's thread first whenever both want a CPU; an idle console
// leaves the worker all of it. Not before the first look: no key waits then, and the read and plan it waits for would
// only go slower on a busy machine.
import { constants, getPriority, setPriority } from 'node:os';

/** How far below the process's own priority the plan worker runs (nice steps; 10 is "below normal" at nice 0). */
export const WORKER_NICE_STEPS = 10;

let lowered = false;

/**
 * Lower the calling thread's priority by WORKER_NICE_STEPS (at most to the lowest), once: later calls do nothing. Only
 * on Linux, where a nice value is a thread's own and pid 0 is the calling thread (setpriority(2)); elsewhere it would
 * be the whole process's, the console's thread with it. Returns whether it was lowered now; never throws (a priority is
 * only ever lowered, which needs no privilege).
 */
export function lowerThisThread(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux' || lowered) return false;
  lowered = true;
  try {
    const now = getPriority(0);
    const to = Math.min(constants.priority.PRIORITY_LOW, now + WORKER_NICE_STEPS);
    if (to <= now) return false;
    setPriority(0, to);
    return true;
  } catch {
    return false;
  }
}
