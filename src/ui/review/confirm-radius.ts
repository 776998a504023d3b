// The blast radius a destructive approval's confirmation was opened on. Its diff can stay the same while what it
// touches changes (live work assigned to a stale create by an outside write while the confirmation is open): the
// operator would confirm on an out-of-date picture. So the confirmation keeps the blast radius it was opened on, says
// CHANGED when a refresh changes it, and enter then only acknowledges (review/handlers.ts), as the first `a` on a card
// whose diff changed only acknowledges the new diff. What counts is what the approval touches (card.ts touchedRadius):
// the card's blast radius but the lines that tell of something else, another repair proposed for the same bead (decided
// on its own card) or who else wants a name it frees (proposed it by a repair of its own), whose change alone is no
// reason to stop an approval that touches just what it did.
import { listed } from '../../console/marks.js';
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
  const what = radiusMoved(d.radius, now);
  return what === null ? null : { now, what };
}

/**
 * What a blast radius `now` says that `was` did not, then (`no longer …`) what it no longer says; null when they hold the
 * same lines. A mark of a destructive repair is checked so too (marks.ts).
 */
export function radiusMoved(was: readonly string[], now: readonly string[]): string | null {
  const before = new Set(was);
  const added = now.filter((l) => !before.has(l));
  const kept = new Set(now);
  const removed = was.filter((l) => !kept.has(l));
  if (added.length === 0 && removed.length === 0) return null;
  return [...added, ...(removed.length ? [`no longer: ${removed.join('; ')}`] : [])].join('; ');
}

/** Repairs whose blast radius changed, as a status line names them: with one, its id and what changed; else their ids. */
export function movedWhich(moved: readonly { id: string; what: string }[]): string {
  return moved.length === 1 ? `${moved[0].id}: ${moved[0].what}` : listed(moved.map((m) => m.id));
}

const sizeOf = (ui: Pick<UiState, 'viewport'>) => `${ui.viewport.rows}×${ui.viewport.columns}`;

/**
 * Whether the confirmation open in `ui` says its blast radius above its question (the card, which says it, may not be
 * open: the queue's preview shows the diff first and cuts the rest): not at a size where that pushed its diff off
 * screen (ui.radiusFolded), else the frame would swing between the radius with the diff cut and the diff without it.
 */
export function radiusRoom(ui: Pick<UiState, 'mode' | 'diffOnScreen' | 'viewport' | 'radiusFolded'>): boolean {
  const d = dialogOf(ui.mode);
  if (d?.kind !== 'confirm' || !d.radius?.length) return false;
  return !confirmShown(ui) ? false : ui.radiusFolded[d.repair.id] !== sizeOf(ui);
}

/**
 * What the frame of `ui` has to record in ui.radiusFolded: the open confirmation's diff is not on screen at this size
 * while it may say its blast radius. `[repair id, size]` as one string (a selector's value, compared by value), or
 * null when there is nothing new to record. The frame's own, recorded as it is (radiusFolded): by the time its effects
 * run, the diff the next frame shows may already be recorded on screen.
 */
export function radiusFoldOf(ui: Pick<UiState, 'mode' | 'diffOnScreen' | 'viewport' | 'radiusFolded'>): string | null {
  const d = dialogOf(ui.mode);
  if (d?.kind !== 'confirm' || !d.radius?.length || confirmShown(ui)) return null;
  const at = sizeOf(ui);
  return ui.radiusFolded[d.repair.id] === at ? null : JSON.stringify([d.repair.id, at]);
}

/** ui.radiusFolded with the fold `fold` (radiusFoldOf) recorded. */
export function radiusFolded(ui: Pick<UiState, 'radiusFolded'>, fold: string): Pick<UiState, 'radiusFolded'> {
  const [id, at] = JSON.parse(fold) as [string, string];
  return { radiusFolded: { ...ui.radiusFolded, [id]: at } };
}
