// The blast radius a destructive approval's confirmation was opened on. Its diff can stay the same while what it
// touches changes (live work assigned to a stale create by an outside write while the confirmation is open): the
// operator would confirm on an out-of-date picture. So the confirmation keeps the blast radius it was opened on, says
// CHANGED when a refresh changes it, and enter then only acknowledges (review/handlers.ts), as the first `a` on a card
// whose diff changed only acknowledges the new diff. What counts is what the approval touches (card.ts touchedRadius):
// the card's blast radius but the lines that tell of something else, another repair proposed for the same bead (decided
// on its own card) or who else wants a name it frees (proposed it by a repair of its own), whose change alone is no
// reason to stop an approval that touches just what it did.
import type { AppState } from '../../console/state.js';
import { dialogOf, type Mode, type UiState } from '../../console/ui-state.js';
import { confirmShown } from '../components/status-lines.js';
import type { Repair } from '../../engine/types.js';
import type { Derived } from '../rows/derive.js';
import { viewModel } from '../views/registry.js';
import { touchedRadius } from './card.js';

/** A confirmation's blast radius now, and what changed since it was opened (or last acknowledged). */
export interface RadiusChange {
  now: readonly string[];
  /** The lines it did not say before, then (`no longer …`) those it no longer says. */
  what: string;
}

/** The last radius worked out, per derived rows and repair: the status line asks on every frame. */
let last: { derived: Derived; repair: Repair; radius: string[] } | null = null;

function radiusOf(derived: Derived, repair: Repair): string[] {
  if (last?.derived !== derived || last.repair !== repair) last = { derived, repair, radius: touchedRadius(derived, repair) };
  return last.radius;
}

/** What approving `repair` touches now, of the blast radius the repairs view's card gives it (empty when nothing is loaded). */
export function radiusNow(s: AppState, repair: Repair): string[] {
  const derived = viewModel(s, 'repairs')?.derived;
  return derived ? radiusOf(derived, repair) : [];
}

/**
 * How the blast radius of the confirmation open in `mode` changed since it was opened, or null: none open, nothing
 * changed, or its diff changed or left the plan (it says that instead, and enter writes nothing).
 */
export function radiusChange(s: AppState, mode: Mode = s.ui.mode): RadiusChange | null {
  const d = dialogOf(mode);
  if (d?.kind !== 'confirm' || d.outdated || !d.radius) return null;
  const now = radiusNow(s, d.repair);
  const was = new Set(d.radius);
  const added = now.filter((l) => !was.has(l));
  const kept = new Set(now);
  const removed = d.radius.filter((l) => !kept.has(l));
  if (added.length === 0 && removed.length === 0) return null;
  const what = [...added, ...(removed.length ? [`no longer: ${removed.join('; ')}`] : [])].join('; ');
  return { now, what };
}

/**
 * The terminal size (`rows×columns`) at which a confirmation's blast radius, said above its question, took the rows
 * its diff needed (the queue lends the card under it rows until its diff shows, and the status area takes them back):
 * at that size it is left out, else the frame would swing between the radius with the diff cut and the diff without it.
 */
const folded = new WeakMap<Repair, string>();

/**
 * Whether the confirmation open in `ui` says its blast radius above its question (the card, which says it, may not be
 * open: the queue's preview shows the diff first and cuts the rest): not where it pushed the diff off screen.
 */
export function radiusRoom(ui: Pick<UiState, 'mode' | 'diffOnScreen' | 'viewport'>): boolean {
  const d = dialogOf(ui.mode);
  if (d?.kind !== 'confirm' || !d.radius?.length) return false;
  const at = `${ui.viewport.rows}×${ui.viewport.columns}`;
  if (!confirmShown(ui)) folded.set(d.repair, at);
  return folded.get(d.repair) !== at;
}
