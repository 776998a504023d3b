// After a read that changed what the operator was looking at, who changed the store (changed-by.ts), said where the
// screen says it went stale: the status line's note (Message.who), the bulk pane's CHANGED / GONE lines, and the card's
// CHANGED line. Worked out once per read from the audit log just read, after the frame of the new plan; while paused,
// once the plan held back is taken on resume.
import { sameChanges } from '../engine/index.js';
import type { Plan } from '../engine/types.js';
import type { Source } from '../store/types.js';
import { whoChangedOf, whoChangedSaid } from './changed-by.js';
import type { AppStore } from './state.js';
import { dialogOf, type UiState } from './ui-state.js';

/**
 * What `ui` (after a read; `was`: before it) says of who changed the store (`whoChanged`: changed-by.ts whoChangedOf,
 * of the writes since the data before the read), as a patch; null when nothing new is said. `plan`: the one on screen.
 */
export function whoChangedPatch(
  ui: UiState,
  was: UiState,
  plan: Plan | null,
  whoChanged: (beads: readonly string[]) => string | null,
): Partial<UiState> | null {
  const patch: Partial<UiState> = {};
  if (ui.message?.who && ui.message !== was.message) patch.message = whoChangedSaid(ui.message, whoChanged);
  const d = dialogOf(ui.mode);
  const before = dialogOf(was.mode);
  // A repair the read left out of the bulk pane: who, said on its line; one out before keeps what was said of it.
  if (d?.kind === 'bulk' && before?.kind === 'bulk' && d.out !== before.out) {
    const bead = new Map(d.repairs.map((r) => [r.id, r.beadId]));
    const outBy = new Map<string, string>();
    for (const id of d.out.keys()) {
      const text = d.outBy?.get(id) ?? (before.out.has(id) ? null : whoChanged([bead.get(id)!]));
      if (text) outBy.set(id, text);
    }
    patch.mode = { ...d, outBy };
  }
  // The card's version whose diff the read changed: who, said on its CHANGED line.
  const seen = ui.seen;
  if (seen && ui.changedBy?.was !== seen.repair) {
    const now = plan?.repairs.find((r) => r.id === seen.id);
    const text = now && !sameChanges(seen.repair.changes, now.changes) ? whoChanged([seen.repair.beadId]) : null;
    if (text) patch.changedBy = { was: seen.repair, text };
  }
  return Object.keys(patch).length > 0 ? patch : null;
}

/**
 * Who changed the store, said on a resume that takes the plan held back while paused (state.ts setPaused): the reads
 * that brought it changed nothing on screen, so only the resume finds marks dropped or a card changed. The writes are
 * those since the data the operator was looking at was read; the audit log is as the last of those reads left it.
 * Returns what stops listening.
 */
export function whoChangedOnResume(store: AppStore, source: Source): () => void {
  return store.subscribe((s, was) => {
    if (!was.ui.paused || s.ui.paused || !was.pending || !was.current) return;
    const who = whoChangedPatch(s.ui, was.ui, s.current?.plan ?? null, whoChangedOf(s.audit, source, was.current.loadedAt));
    if (who) s.patchUi(who);
  });
}
