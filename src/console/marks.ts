// The repairs an operator marked (`space` in the repairs view) for `A`. A mark holds the repair as it was
// proposed when marked: a refresh that removes the repair or changes its diff drops the mark, so `A` never
// approves a version the operator did not see.
import { sameChanges } from '../engine/index.js';
import type { Plan, Repair } from '../engine/types.js';
import { dialogOf, type Message, type Mode } from './ui-state.js';

/** `marks` after a new plan: only the repairs it still proposes with the same changes (the same map when none went). */
function keepMarks(marks: ReadonlyMap<string, Repair>, plan: Plan): ReadonlyMap<string, Repair> {
  if (marks.size === 0) return marks;
  const proposed = new Map<string, Repair>();
  for (const r of plan.repairs) if (marks.has(r.id)) proposed.set(r.id, r);
  const kept = new Map<string, Repair>();
  for (const [id, r] of marks) {
    const now = proposed.get(id);
    if (now && sameChanges(now.changes, r.changes)) kept.set(id, r);
  }
  return kept.size === marks.size ? marks : kept;
}

/**
 * What the status line says when a new plan drops marks because their repairs now propose other changes (the marks
 * go, and `A` would otherwise quietly take every undecided repair under the filter): null when none did. Marks of
 * repairs that left the plan (applied, fixed elsewhere) go without a word.
 */
function changedMarksNote(marks: ReadonlyMap<string, Repair>, plan: Plan): Message | null {
  if (marks.size === 0) return null;
  const changed: string[] = [];
  const beads: string[] = [];
  for (const r of plan.repairs) {
    const was = marks.get(r.id);
    if (was && !sameChanges(was.changes, r.changes)) {
      changed.push(r.id);
      beads.push(r.beadId);
    }
  }
  if (changed.length === 0) return null;
  return {
    text: `${changed.length} marked repair${changed.length === 1 ? '' : 's'} changed (${listed(changed)}): mark${changed.length === 1 ? ' dropped' : 's dropped'}; read the new diff${changed.length === 1 ? '' : 's'} and mark again`,
    tone: 'error',
    who: beads,
  };
}

/**
 * The marks after a new plan (keepMarks), and the status line: changedMarksNote's word when it has one. A count prompt
 * open on the marks (`A`) follows them: the repairs whose mark went leave its set, what was typed is cleared and the
 * status line names them (with none left it closes), so the count asked for is the number of what it would approve.
 */
export function marksAfter(
  ui: { marks: ReadonlyMap<string, Repair>; message: Message | null; mode: Mode },
  plan: Plan,
): { marks: ReadonlyMap<string, Repair>; message: Message | null; mode?: Mode; caret?: number } {
  const marks = keepMarks(ui.marks, plan);
  const message = changedMarksNote(ui.marks, plan) ?? ui.message;
  return marksKept(ui, marks, message, 'changed or left the plan', undefined, true);
}

/**
 * `marks` kept in place of ui.marks (a subset), with `message`: a count prompt open on the marks (`A`) follows them, the
 * repairs whose mark went leaving its set (`why` says what happened to them; `which` names them, else their ids), what
 * was typed cleared and the status line naming them (with none left it closes), so the count asked for is the number of
 * what it would approve. `read`: a read took them away, so the status line says who changed their beads (Message.who).
 */
export function marksKept(
  ui: { marks: ReadonlyMap<string, Repair>; mode: Mode },
  marks: ReadonlyMap<string, Repair>,
  message: Message | null,
  why: string,
  which?: string,
  read = false,
): { marks: ReadonlyMap<string, Repair>; message: Message | null; mode?: Mode; caret?: number } {
  const d = dialogOf(ui.mode);
  if (d?.kind === 'quit' && marks.size !== d.marked) return quitAfter(marks, message);
  if (marks === ui.marks || d?.kind !== 'count' || !d.marked) return { marks, message };
  const repairs = d.repairs.filter((r) => marks.has(r.id));
  if (repairs.length === d.repairs.length) return { marks, message };
  const went = d.repairs.filter((r) => !marks.has(r.id));
  const gone = went.map((r) => r.id);
  const what = `${gone.length} marked repair${gone.length === 1 ? '' : 's'} ${why} (${which ?? listed(gone)})`;
  const who = read ? { who: went.map((r) => r.beadId) } : {};
  if (repairs.length === 0) return { marks, mode: 'normal', message: { text: `${what}: nothing left to approve`, tone: 'error', ...who } };
  // The hidden ones that are left (what the prompt says the filter hides).
  const hidden = d.hidden && { ...d.hidden, ids: d.hidden.ids.filter((id) => marks.has(id)) };
  return {
    marks,
    mode: { ...d, repairs, text: '', ...(hidden ? { hidden } : {}) },
    caret: 0,
    message: { text: `${what}: left out; type ${repairs.length} to approve the rest`, tone: 'error', ...who },
  };
}

/**
 * The question of `q` with marks, open as a refresh drops some: it says how many a quit would drop now, and closes when
 * none is left (nothing would be lost; `message` says which went), so a `y` never answers a count no longer true.
 */
function quitAfter(
  marks: ReadonlyMap<string, Repair>,
  message: Message | null,
): { marks: ReadonlyMap<string, Repair>; message: Message | null; mode: Mode } {
  return marks.size === 0 ? { marks, message, mode: 'normal' } : { marks, message, mode: { kind: 'quit', marked: marks.size } };
}

/** Ids named in a status line: up to three, then how many more. */
export function listed(ids: readonly string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}
