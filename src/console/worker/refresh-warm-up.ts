// An outside change's path through the plan worker (the re-read, its validation, the plan and the reply's packing
// against the console's memo), run a few times on a part of the first read while the worker idles after it. Without
// it the first refreshes of a launch ran that code unoptimized: at 10 000 beads the first changes took about twice
// as long as the later ones, which V8 had compiled by then (docs/speed.md, 2026-12-05).
//
// Everything it reads and fills is its own: a reader of its own text (no file), a memo no console unpacks, packed
// slices dropped. The worker's kept states, its consoles' memos and its last read (jobs.ts Reads: the basis of the
// next write) are never touched.
import { plan as planState, type DetectedEdition } from '../../engine/index.js';
import type { Bead, State } from '../../engine/types.js';
import { stringifyJson } from '../../store/formats/json-text.js';
import { stateFromStoreDocument, validateStoreDocument } from '../../store/formats/load-store.js';
import { StoreReread } from '../../store/formats/store-reread.js';
import type { Loaded } from '../../store/types.js';
import { PackMemo, type Packer } from './chunked-clone.js';
import { sendablePlan } from './slot-places.js';

/** The packer of a reply against `memo`, as the worker packs a console's (its slices go nowhere). */
export type PackerOf = (memo: PackMemo) => Packer;

/** Where the warm-up's text says it came from (a validation error would name it; none is shown). */
const WARM_FILE = 'gc-tui-refresh-warm-up.json';

/** The changed bead's state, numbered: every marker the same length, so a change moves no other bead's text. */
const marker = (k: number) => `gc-tui-warm-up-${String(k).padStart(4, '0')}`;

/**
 * The steps of `changes` outside changes to `state`'s last `beads` beads, each one bead's state replaced: a read of
 * the text, then per change its re-read, its plan at `now`, its packing. Each call runs one step; false when there is
 * none left (or a step failed: the warm-up just stops).
 */
export function refreshWarmUp(
  state: State,
  now: Date,
  rules: DetectedEdition,
  packerOf: PackerOf,
  { beads, changes }: { beads: number; changes: number },
): () => boolean {
  let text = '';
  const reader = new StoreReread();
  const memo = new PackMemo();
  const read = (k: number): Loaded => {
    const t = k === 0 ? text : text.replace(`"${marker(0)}"`, `"${marker(k)}"`);
    const parsed = validateStoreDocument(
      reader.parse(() => t, Buffer.from(t, 'utf8')),
      WARM_FILE,
      reader.known ?? undefined,
    );
    reader.markValid(parsed);
    reader.release();
    return { source: { kind: 'store', path: WARM_FILE }, state: stateFromStoreDocument(parsed), files: [WARM_FILE] };
  };
  const steps: (() => void)[] = [() => (text = storeText(state, beads)), () => void read(0)];
  for (let k = 1; k <= changes; k++) {
    let loaded: Loaded;
    let planned: ReturnType<typeof planState>;
    steps.push(
      () => void (loaded = read(k)),
      () => void (planned = planState(loaded.state, now, rules.edition)),
      () => {
        const packing = packerOf(memo);
        packing.ahead(loaded, ['loaded']);
        packing.done({ loaded, plan: sendablePlan(planned), at: now.getTime(), rules });
      },
    );
  }
  let next = 0;
  return () => {
    if (next >= steps.length) return false;
    try {
      steps[next++]();
    } catch {
      next = steps.length; // an input the warm-up cannot mimic: the refreshes warm the code themselves
      return false;
    }
    return next < steps.length;
  };
}

/**
 * A store's text of `state`'s last `beads` beads, one bead's state the first marker: the text each change edits. Not
 * its first: a console's memo holds the first read's beads in order, and the warm-up's entries are then at places
 * none of them has, so its memo could never pass for a console's (the test packs a refresh against it).
 */
function storeText(state: State, beads: number): string {
  const part = state.beads.slice(-beads);
  const at = changedAt(part);
  if (at < 0) throw new Error('no beads to change');
  const bead = part[at];
  part[at] = { ...bead, metadata: { ...bead.metadata, state: marker(0) } };
  const doc: Record<string, unknown> = { schema: 'gc-tui/1', city: state.city };
  if (state.demand) doc.demand = state.demand;
  doc.beads = part;
  if (state.decisions?.length) doc.decisions = state.decisions;
  return stringifyJson(doc);
}

/**
 * The bead whose state the changes replace: a session's from the middle on (the text before and after it unchanged,
 * as an outside change most often leaves it), else the first session's, else the middle one.
 */
function changedAt(part: readonly Bead[]): number {
  if (part.length === 0) return -1;
  const mid = part.length >> 1;
  const session = (b: Bead) => typeof b.metadata?.state === 'string';
  const after = part.findIndex((b, i) => i >= mid && session(b));
  const i = after >= 0 ? after : part.findIndex(session);
  return i >= 0 ? i : mid;
}
