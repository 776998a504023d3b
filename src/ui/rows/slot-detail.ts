// The detail of one session bead: the strip under the slots list, the pane `enter` opens on a slot, and the findings
// view's detail of a bead's finding. The engine's conclusions come first, then its repairs and findings. A repair's
// reason and a finding's message are the engine's own sentences, with their evidence, and that evidence is often a
// fact a line above already states (the slot reason, the incumbent, the alias holder): read one after the other, the
// same facts came twice. Here each fact is said once, in the place its own line would take.
import type { BeadInfo, Finding, Repair } from '../../engine/types.js';
import { showChange } from '../../store/output/plan-view.js';
import { clean } from '../text.js';
import type { Derived } from './derive.js';
import { beadDetailOf } from './bead-details.js';

const md = (d: Derived, id: string, k: string): string => {
  const v = d.beadById.get(id)?.metadata?.[k];
  return typeof v === 'string' ? v : '';
};

/** A repair as a line: its reason, or what it writes when its reason is the slot reason the first line gives. */
function repairLine(r: Repair, slotReason: string): string {
  const what = slotReason !== '' && r.reason.includes(slotReason) ? r.changes.map(showChange).join('; ') : r.reason;
  return `proposed ${r.kind}: ${clean(what)}`;
}

/** A finding as a line, without the slot reason the bead's first line gives (`owns slot 6 (<why>)`). */
export function findingLine(f: Finding, slotReason = ''): string {
  const message = slotReason !== '' ? f.message.replace(` (${slotReason})`, '') : f.message;
  return `${f.severity} ${f.kind}: ${clean(message)}`;
}

function headline(info: BeadInfo): string {
  return (
    `${clean(info.id)}  template ${clean(info.template ?? '?')} (from ${info.templateSource ?? '?'})  ` +
    `identity ${clean(info.identity ?? '–')}  slot ${info.ownedSlot || '–'}: ${clean(info.slotReason)}`
  );
}

/** A repair's or finding's sentence (raw, as the engine made it) and the line that shows it. */
interface Said {
  text: string;
  line: string;
}

/**
 * The bead's detail lines. `first`: a finding of the bead shown above the rest (the findings view's), whose facts
 * the lines below do not repeat.
 */
export function slotDetail(d: Derived, key: string, first?: Finding): string[] {
  const info = beadDetailOf(d.snap.plan, key);
  if (!info) return first ? [findingLine(first)] : [];
  const reason = info.slotReason;
  const said: Said[] = [
    ...(d.repairsByBead.get(key) ?? []).map((r) => ({ text: r.reason, line: repairLine(r, reason) })),
    ...(d.findingsByBead.get(key) ?? []).filter((f) => f !== first).map((f) => ({ text: f.message, line: findingLine(f, reason) })),
  ];
  const lines = first ? [findingLine(first, reason), headline(info)] : [headline(info)];
  // The sentences already on a line above.
  const shown = first ? [first.message] : [];
  // A fact whose evidence a repair or finding gives in its own words: that line goes in the fact's place instead, and
  // a fact a line above gave already is not said again.
  const fact = (own: string, ...evidence: string[]) => {
    const states = (text: string) => evidence.every((e) => text.includes(e));
    if (shown.some(states)) return;
    const by = said.filter((s) => states(s.text));
    if (by.length === 0) lines.push(own);
    for (const s of by) {
      lines.push(s.line);
      shown.push(s.text);
      said.splice(said.indexOf(s), 1);
    }
  };
  if (info.duplicateOf)
    fact(
      `refused duplicate of ${clean(info.duplicateOf)}: ${clean(info.incumbentReason ?? '')}`,
      `${info.duplicateOf} holds it because ${info.incumbentReason ?? ''}`,
    );
  else if (info.incumbentReason) lines.push(`incumbent of slot ${info.ownedSlot}: ${clean(info.incumbentReason)}`);
  if (info.aliasConflictHolder)
    fact(`wanted alias ${clean(info.identity ?? '')}: ${clean(info.aliasConflictHolder)}`, info.identity ?? '', info.aliasConflictHolder);
  const history = md(d, key, 'alias_history');
  if (history) lines.push(`alias history: ${clean(history)}`);
  if (info.liveWork.length) fact(`live work: ${clean(info.liveWork.join(', '))}`, `live work ${info.liveWork.join(', ')}`);
  for (const s of said) lines.push(s.line);
  return lines;
}
