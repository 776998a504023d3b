// The young generation of a headless read. V8 doubles its semi-spaces (1, 2, 4, 8, 16 MiB) while much of what
// it allocates survives, and all of a store's beads survive their read: by the end of it the two semi-spaces
// held 32 MiB of `gc-tui check`'s peak (157 MiB at 100 000 beads, 37 MiB of file). Once they reach 8 MiB each,
// they stop growing (V8's growth factor, read at every growth, set to 1): the collector runs twice as often on
// half the space, which costs no measurable CPU at this size, and the peak is 16 MiB lower.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The size of the new space (two semi-spaces) at which it stops growing. */
export const YOUNG_GENERATION_CAP_BYTES = 2 * (8 << 20);

let held = false;

/** Stop the new space growing once it is YOUNG_GENERATION_CAP_BYTES; call it as a bulk read goes on (cheap). */
export function holdYoungGeneration(): void {
  if (held) return;
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (space === undefined || space.space_size < YOUNG_GENERATION_CAP_BYTES) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  held = true;
}
