// Which repair the review card is about, and how what is on disk now compares with what the operator saw.
// The card follows the repair id, never a row position: a refresh that inserts rows above it, changes its
// diff or removes it never swaps the card for another repair. Pure: the view and the key handlers share it.
import { sameChanges } from '../../engine/index.js';
import type { Change, Repair } from '../../engine/types.js';
import type { AuditEntry } from '../../store/types.js';
import { longChange, longValueText, type CardContext } from './card.js';
import type { SeenRepair, UiState } from '../../console/ui-state.js';
import { queueRowByKey, type QueueRow } from '../rows/repairs.js';
import type { ViewModel } from '../views/registry.js';
import { firstKey } from '../keymap.js';

/**
 * - `unseen`: the card has not been on screen yet (its first frame records it);
 * - `same`: the plan proposes what the operator saw;
 * - `changed`: a refresh changed its diff since the operator saw it (the next `a` only acknowledges);
 * - `gone`: the plan no longer proposes it (the card stays, marked, until the operator moves);
 * - `hidden`: a refresh made it stop matching the filter (the card stays, marked, until the operator moves: the row
 *   under the cursor would otherwise be another repair, and the next `a` would approve that one).
 */
export type SeenState = 'unseen' | 'same' | 'changed' | 'gone' | 'hidden';

export interface ReviewSelection {
  /** The selected repair id, or null when the queue is empty. */
  id: string | null;
  /** Its queue row now; null when it is gone. */
  entry: QueueRow | null;
  /** The version the operator saw, when it is this repair's. */
  seen: Repair | null;
  state: SeenState;
}

/**
 * Whether the latest frame shows the whole change of `entry` as proposed now (ui.diffOnScreen, recorded by the
 * frame; a change taller than the full card counts once scrolled through). A decision key acts only then: a
 * version seen before and then shrunk off the screen by a resize, or left for a card too short for it, is not
 * what the operator has in front of them.
 */
export function diffOnScreenNow(shown: SeenRepair | null, entry: QueueRow): boolean {
  return shown !== null && shown.id === entry.key && sameChanges(shown.repair.changes, entry.repair.changes);
}

/**
 * Why a decision on the repair `key` (a, r, space) acts on nothing yet: its change is not all on screen.
 * `card`: the full card is open (scrolling it shows the rest); `outcome`: what was not done. A change with a value
 * too long to show (`changes`, longChange) never is: the text says where to review it instead.
 */
export function notOnScreenText(key: string, card: boolean, outcome: string, changes: readonly Change[] = []): string {
  const long = longChange(changes);
  if (long) return `${longValueText(key, long)}; ${outcome}`;
  const how = card
    ? `${firstKey('card', 'card-down')}/${firstKey('card', 'card-up')} scroll through it`
    : `${firstKey('repairs', 'open-card')} opens the full card`;
  return `the change of ${key} is not all on screen: ${how}, or make the terminal taller; ${outcome}`;
}

/**
 * The selection of the repairs view `vm`, against `seenRec`: the version the operator last saw (ui.seen). A filter the
 * operator types never leaves the cursor on a row it hides or that is gone (cursor.ts, followFilter): a hidden or gone
 * row is a refresh's.
 */
export function reviewSelection(vm: ViewModel, seenRec: SeenRepair | null): ReviewSelection {
  const byKey = queueRowByKey(vm.derived, vm.input.review ?? {});
  const pinned = vm.input.cursor.key;
  if (vm.missing && pinned !== null && seenRec?.id === pinned) {
    return { id: pinned, entry: null, seen: seenRec.repair, state: 'gone' };
  }
  const hidden = vm.hidden && pinned !== null && seenRec?.id === pinned ? byKey.get(pinned) : undefined;
  if (hidden) return { id: pinned, entry: hidden, seen: seenRec!.repair, state: 'hidden' };
  const id = vm.rows[vm.index]?.key ?? null;
  const entry = id !== null ? (byKey.get(id) ?? null) : null;
  if (!entry) return { id: null, entry: null, seen: null, state: 'unseen' };
  const seen = seenRec?.id === id ? seenRec.repair : null;
  if (!seen) return { id, entry, seen: null, state: 'unseen' };
  return { id, entry, seen, state: sameChanges(seen.changes, entry.repair.changes) ? 'same' : 'changed' };
}

/** How long the audit log was (entries read) when each version was first on a card: what was written after it. */
const auditAtSeen = new WeakMap<Repair, number>();

/** Note that `seen` is on a card now, the console having read `auditLength` audit entries (the first time counts). */
export function noteSeen(seen: Repair, auditLength: number): void {
  if (!auditAtSeen.has(seen)) auditAtSeen.set(seen, auditLength);
}

/**
 * The audit entry that applied the repair `id` after the card showed `seen` (noteSeen), the latest one, or null: why a
 * card went GONE when another console (or a headless apply) applied it. Entries before the card was shown never count.
 */
export function appliedSince(seen: Repair, id: string, audit: readonly AuditEntry[]): AuditEntry | null {
  const from = auditAtSeen.get(seen);
  if (from === undefined) return null;
  for (let i = audit.length - 1; i >= from; i--) {
    const e = audit[i];
    if (e.repair === id && e.result === 'applied' && (e.action === 'approve' || e.action === 'apply')) return e;
  }
  return null;
}

/** The UI patch that records `repair` (id `id`) as the version the operator saw: on the card, and among all shown. */
export function seenPatch(ui: { shown: ReadonlyMap<string, Repair> }, id: string, repair: Repair): Pick<UiState, 'seen' | 'shown'> {
  const shown = new Map(ui.shown);
  shown.set(id, repair);
  return { seen: { id, repair }, shown };
}

/** What beside the selection decides how the card reads (CardContext), as the store and the clock have it. */
export interface CardFacts {
  readOnly: boolean;
  marks: UiState['marks'];
  audit: readonly AuditEntry[];
  /** The selection moved on to it by itself a moment ago (actions.ts movedOnUntil, against the clock). */
  waiting: boolean;
  /** No undecided repair is below it (handlers.ts nextIdle). */
  lastUndecided: boolean;
  /** Who changed the store in the read that changed the card's version. */
  changedBy: UiState['changedBy'];
}

/**
 * The card's context for `sel`: what App renders it with, and what its scroll keys count its lines with (inspect.ts
 * scrollCard), so that the last line scrolled to is the card's last (a marked card's status line folds longer).
 */
export function cardContext(sel: ReviewSelection | null, facts: CardFacts): CardContext {
  const entry = sel?.entry ?? null;
  return {
    state: sel?.state ?? 'unseen',
    seen: sel?.seen ?? null,
    readOnly: facts.readOnly,
    marked: !!entry && facts.marks.has(entry.key),
    // A card gone because an approval elsewhere applied it (the audit log says so, after the card showed it) says who.
    applied: sel?.state === 'gone' && sel.seen && sel.id ? appliedSince(sel.seen, sel.id, facts.audit) : null,
    waiting: facts.waiting,
    lastUndecided: facts.lastUndecided,
    changedBy: sel?.state === 'changed' && sel.seen && facts.changedBy?.was === sel.seen ? facts.changedBy.text : null,
  };
}
