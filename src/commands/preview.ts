// What `apply --dry-run` (and the confirmation on a terminal) shows: per repair a terraform-style diff, then
// one summary line. Whether a repair would apply is judged by the locked write's own test (stalenessOf in
// src/store/write.ts): its bead exists, every `before` holds, and a fresh plan of what is on disk proposes the
// same changes; a stale one is reported in the words `apply` would use.
import type { ChalkInstance } from 'chalk';
import { DEFAULT_EDITION, diffSymbol, effectCounts, plan, REPAIR_KINDS, type Edition } from '../engine/index.js';
import type { Change, Plan, Repair, State } from '../engine/types.js';
import { showValue } from '../store/output/plan-view.js';
import { sanitize } from '../store/output/sanitize.js';
import { stalenessOf } from '../store/write.js';

export interface PreviewItem {
  repair: Repair;
  /** Why it would not be applied (stale), or null when it would be. */
  stale: string | null;
}

/** Each repair checked against `state` (what is on disk now) and a fresh plan of it. */
export function previewAgainst(
  repairs: readonly Repair[],
  state: State,
  now: Date,
  planned?: Plan,
  edition: Edition = DEFAULT_EDITION,
): PreviewItem[] {
  const beads = new Map(state.beads.map((b) => [b.id, b]));
  // `planned`: the caller's plan of this very state at `now` under `edition` (a plan is a pure function of them).
  const fresh = new Map((planned ?? plan(state, now, edition)).repairs.map((r) => [r.id, r]));
  return repairs.map((repair) => {
    const s = stalenessOf(repair, beads.get(repair.beadId), fresh.get(repair.id));
    return { repair, stale: s ? (s.why ?? `${s.change.field} changed on disk`) : null };
  });
}

/**
 * `~ field: "a" → "b"` (yellow), `+ field = "b"` (green), `- field (was "a")` (red); a value to or from `""` keeps both
 * sides, its symbol the console card's (`- assignee: "a" → ""`, `+ metadata.x: "" → "b"`).
 */
export function diffLine(ch: Change, c: ChalkInstance): string {
  const field = sanitize(ch.field);
  const [was, now] = [sanitize(showValue(ch.before)), sanitize(showValue(ch.after))];
  const sym = diffSymbol(ch);
  if (sym === '+') return c.green(ch.before === null ? `+ ${field} = ${now}` : `+ ${field}: ${was} → ${now}`);
  if (sym === '-') return c.red(ch.after === null ? `- ${field} (was ${was})` : `- ${field}: ${was} → ${now}`);
  return c.yellow(`~ ${field}: ${was} → ${now}`);
}

/** "2 to change, 1 to close, 0 to unassign". */
export function effectSummary(repairs: readonly Repair[]): string {
  const n = effectCounts(repairs);
  return `${n.change} to change, ${n.close} to close, ${n.unassign} to unassign`;
}

/** The diff of every item, then the summary of those that would apply (and a count of the stale ones). */
export function renderPreview(items: readonly PreviewItem[], c: ChalkInstance): string {
  const lines: string[] = [];
  for (const { repair: r, stale } of items) {
    const facts = REPAIR_KINDS[r.kind];
    const head = `${c.bold(sanitize(r.id))} ${c.dim(`(${r.kind}, ${facts.rule}, ${facts.effect})`)}`;
    if (stale) {
      lines.push(`${head} ${c.red(`stale: ${sanitize(stale)}; would not be applied`)}`);
    } else {
      lines.push(head);
      for (const ch of r.changes) lines.push(`    ${diffLine(ch, c)}`);
      lines.push(c.dim(`    # ${sanitize(r.reason)}`));
    }
    lines.push('');
  }
  const applicable = items.filter((i) => !i.stale).map((i) => i.repair);
  lines.push(c.bold(effectSummary(applicable)));
  const stale = items.length - applicable.length;
  if (stale > 0) lines.push(c.red(`${stale} stale: would not be applied`));
  return lines.join('\n') + '\n';
}
