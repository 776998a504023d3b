// The repair card in words: what the repair is (kind, rule), the bead(s), why (the evidence the engine
// used), the change as a terraform-style diff, the blast radius, whether it can be undone, and what
// happened to it in this session. Pure: the component only windows these lines.
import { diffSymbol, isDestructive, REPAIR_KINDS, sameChanges } from '../../engine/index.js';
import type { Bead, Change, Repair } from '../../engine/types.js';
import type { ReviewOutcome } from '../../console/ui-state.js';
import type { AuditEntry } from '../../store/types.js';
import type { Derived } from '../rows/derive.js';
import { beadDetailOf } from '../rows/bead-details.js';
import type { QueueRow } from '../rows/repairs.js';
import stringWidth from 'string-width';
import { cellsIn, charsIn, clean, groupDigits, isLong, quoted, wrapQuoted, wrapText } from '../text.js';
import { firstKey, hintKeys, hintText, type ActionId } from '../keymap.js';
import type { Tone } from '../theme.js';
import type { SeenState } from './selection.js';

export interface CardLine {
  text: string;
  tone?: Tone;
  bold?: boolean;
  /** A line of the change `a` writes (the proposed diff, folded or not), not of what was seen before it. */
  writes?: boolean;
  /** Its text quotes values (a diff line): a fold keeps every space inside them (wrapQuoted). */
  values?: boolean;
  /** It shows a value cut (text.ts, cutLong): never all on screen, so no decision acts on its change. */
  cut?: boolean;
}

const show = quoted;
const md = (b: Bead | undefined, k: string) => {
  const v = b?.metadata?.[k];
  return typeof v === 'string' ? v : '';
};

/** Absent and `""` mean the same in metadata (DOMAIN.md): a card shows both as `""`. */
const shown = (v: string | null) => show(v ?? '');

/** One line per change, always `field: before → after`, so the symbol is the only thing that varies. */
export function diffLine(c: Change): CardLine {
  const sym = diffSymbol(c);
  return {
    text: `  ${sym} ${clean(c.field)}: ${shown(c.before)} → ${shown(c.after)}`,
    tone: sym === '+' ? 'ok' : sym === '-' ? 'error' : 'warn',
    values: true,
    ...(isLong(c.before) || isLong(c.after) ? { cut: true } : {}),
  };
}

/** The first change of `changes` with a value too long to show (isLong), or undefined. */
export function longChange(changes: readonly Change[]): Change | undefined {
  return changes.find((c) => isLong(c.before) || isLong(c.after));
}

/**
 * Why no decision acts on the repair `id` in the console: a value of its change is too long to show whole, so the
 * operator cannot have seen what `a` would write. The headless `apply --dry-run` prints it whole.
 */
export function longValueText(id: string, c: Change): string {
  const n = Math.max(charsIn(c.before ?? ''), charsIn(c.after ?? ''));
  return `the change of ${clean(id)} holds a value too long to show here (${clean(c.field)}: ${groupDigits(n)} characters): review it with gc-tui apply --dry-run --repair ${clean(id)}, and apply it there`;
}

/** Words wrapped to a width in terminal cells (a word longer than the width is cut), each line after `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const w = Math.max(8, width - indent.length);
  return wrapText(text.split(/\s+/).filter(Boolean).join(' '), w).map((l) => indent + l);
}

function changeOf(r: Repair, field: string): Change | undefined {
  return r.changes.find((c) => c.field === field);
}

/** A repair of a work bead (its effect is to take the work from a session), not of a session bead. */
const onWork = (r: Repair) => REPAIR_KINDS[r.kind].effect === 'unassign';

/** The bead(s) involved, one line. */
function beadLine(d: Derived, r: Repair): string {
  const bead = d.beadById.get(r.beadId);
  const work = d.workById.get(r.beadId);
  if (onWork(r)) {
    const session = work?.sessionId
      ? ` → session ${clean(work.sessionId)} (${clean(work.sessionTemplate ?? '?')})`
      : ' → no open session bead';
    return `work ${clean(r.beadId)} ${quoted(bead?.title ?? '')} · ${clean(bead?.status ?? '?')} · routed to ${clean(work?.route ?? md(bead, 'gc.routed_to'))} · assignee ${shown(bead?.assignee ?? null)}${session}`;
  }
  const info = beadDetailOf(d.snap.plan, r.beadId);
  const slot = info && info.ownedSlot > 0 ? `slot ${info.ownedSlot} (${clean(info.identity ?? '?')})` : 'holds no slot';
  return `bead ${clean(r.beadId)} · ${clean(r.template ?? info?.template ?? '?')} · ${clean(md(bead, 'state') || '(no state)')} · ${slot} · alias ${shown(md(bead, 'alias'))} · agent_name ${shown(md(bead, 'agent_name'))}`;
}

/** Whether `text` names `name` whole, quoted or bare (`frontend/worker-3`, never as part of `frontend/worker-30`). */
function names(text: string, name: string): boolean {
  // A full stop ends it only as a sentence's end: `a.b` is not named in `a.b.c`.
  const before = /[\s"'(→]/;
  const after = /^(?:$|[\s"'),;:]|\.(?:$|\s))/;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1))
    if ((at === 0 || before.test(text[at - 1])) && after.test(text.slice(at + name.length, at + name.length + 2))) return true;
  return false;
}

/** The evidence, as one paragraph: the engine's reason plus the facts it rests on. */
export function explanation(d: Derived, r: Repair): string {
  const info = beadDetailOf(d.snap.plan, r.beadId);
  const bead = d.beadById.get(r.beadId);
  const parts = [`${clean(r.reason)}.`];
  switch (r.kind) {
    case 'backfill-template':
      if (info?.templateSource)
        parts.push(`The template was resolved from the bead's ${info.templateSource}; a present template is never rewritten.`);
      break;
    case 'restamp-slot':
    case 'repair-alias':
    case 'clear-conflicting-alias': {
      // A restamp's reason is already the owned slot and why (`owned slot is 3: agent identity "w-3" names slot 3; …`):
      // the card says each fact once.
      const said = (fact: string) => parts[0].includes(fact);
      // An alias repair's reason opens with the slot (`owned slot 3 of frontend/worker: …`), not with how R2 chose it.
      if (info && !said(clean(info.slotReason)))
        parts.push(
          names(parts[0], `owned slot ${info.ownedSlot}`)
            ? `Why that slot (R2): ${clean(info.slotReason)}.`
            : `Owned slot (R2): ${info.ownedSlot} — ${clean(info.slotReason)}.`,
        );
      // An alias repair's reason names the identity bare as the alias it wants (`→ frontend/worker-3`).
      if (info?.identity && !names(parts.join(' '), clean(info.identity)))
        parts.push(`The identity of that slot is ${clean(info.identity)}.`);
      // Its reason names the holder already (`wants alias W, held by X as alias: …`).
      if (r.kind === 'clear-conflicting-alias' && info?.aliasConflictHolder && !said(clean(info.aliasConflictHolder)))
        parts.push(`The wanted alias is unavailable: ${clean(info.aliasConflictHolder)}.`);
      if (r.kind === 'clear-conflicting-alias')
        parts.push('Keeping a wrong alias hides the conflict, so the alias is cleared and the conflict recorded on the bead instead.');
      break;
    }
    case 'close-duplicate':
      if (info?.duplicateOf)
        parts.push(
          `It is a refused duplicate of slot ${info.ownedSlot}: ${clean(info.duplicateOf)} is the incumbent (${clean(info.incumbentReason ?? '')}).`,
        );
      parts.push(`It is ${clean(md(bead, 'state') || 'in no state')} and holds no live work, so closing it loses nothing running.`);
      break;
    case 'close-duplicate-session-name':
      parts.push(
        'Two open beads with one session_name count one runtime twice; Gas City (2026-08) closes the extra bead itself on its next tick, leaving the runtime and the bead that keeps the name alone.',
      );
      break;
    case 'rollback-stale-create': {
      const b = d.snap.plan.detail.rollbackBacklog;
      parts.push(
        `pending_create_started_at ${shown(md(bead, 'pending_create_started_at'))}; ${b.stale} stale create(s) in all, at most ${b.budget} rolled back per plan.`,
      );
      break;
    }
    case 'unassign-cross-template-work':
    case 'release-orphaned-work': {
      const w = d.workById.get(r.beadId);
      if (w?.problem === 'cross-template')
        parts.push(
          `Its assignee is session ${clean(w.sessionId ?? '?')} of ${clean(w.sessionTemplate ?? '?')}, but the work is routed to ${clean(w.route)}: neither template resumes it, so it is stalled.`,
        );
      else if (w)
        parts.push(
          `No open session bead answers to ${quoted(w.assignee)} (by id, session_name, alias or alias history), so nothing will ever pick it up.`,
        );
      break;
    }
  }
  return parts.join(' ');
}

/**
 * One line of the blast radius, and `touches`: the part of it that says what approving the repair touches (a bead, a
 * slot, a name, live work), or null for a line that only tells of something else (another repair proposed for the
 * bead, who else wants a freed name): a destructive confirmation says CHANGED only when what it touches changes.
 */
interface RadiusLine {
  text: string;
  touches: string | null;
}

function radiusLines(d: Derived, r: Repair): RadiusLine[] {
  const out: RadiusLine[] = [];
  const touch = (text: string) => out.push({ text, touches: text });
  const info = beadDetailOf(d.snap.plan, r.beadId);
  const work = info?.liveWork ?? [];
  const alias = changeOf(r, 'metadata.alias');
  if (alias?.before) {
    const wanters = d.infos.filter((i) => i.id !== r.beadId && i.identity === alias.before && i.aliasConflictHolder).map((i) => i.id);
    // The name is what it frees; who wants it is proposed it on a later plan, by a repair of its own.
    const frees = `frees the name ${quoted(alias.before)}`;
    out.push({
      text: `${frees}${wanters.length ? ` (wanted by ${clean(wanters.join(', '))}: proposed to them on a later plan)` : ''}`,
      touches: frees,
    });
  }
  if (alias?.after) touch(`claims the name ${quoted(alias.after)} for ${clean(r.beadId)}`);
  // Who holds it is the why's to say: here, only that approving takes nothing from them.
  if (r.kind === 'clear-conflicting-alias' && info?.aliasConflictHolder)
    touch(`the wanted name ${quoted(info.identity ?? '')} stays with its holder`);
  if (r.kind === 'close-duplicate' && info?.duplicateOf)
    touch(`incumbent ${clean(info.duplicateOf)} keeps slot ${info.ownedSlot}; nothing else moves`);
  if (r.kind === 'close-duplicate-session-name')
    touch('only this bead closes: the runtime and the bead that keeps the session_name are not touched');
  if (r.kind === 'rollback-stale-create')
    touch(`the create is abandoned; ${info && info.ownedSlot > 0 ? `slot ${info.ownedSlot} is freed for the pool` : 'it held no slot'}`);
  if (r.kind === 'restamp-slot') touch('only the stamp: the slot the bead owns does not change');
  if (r.kind === 'backfill-template') touch("the bead joins its template's accounting (slots, aliases, demand)");
  if (onWork(r)) {
    const w = d.workById.get(r.beadId);
    if (w?.sessionId) touch(`session ${clean(w.sessionId)} loses this assignment`);
    touch(`the work goes back to ${clean(w?.route ?? r.template ?? '?')}'s queue as open, unassigned demand`);
  } else if (work.length) touch(`live work assigned to this bead: ${clean(work.slice(0, 8).join(', '))}${work.length > 8 ? ', …' : ''}`);
  else if (info) touch('no live work is assigned to this bead');
  // Another repair of the bead is decided on its own card: approving this one does not touch it.
  const others = (d.repairsByBead.get(r.beadId) ?? []).filter((x) => x.id !== r.id).map((x) => x.kind);
  if (others.length) out.push({ text: `also proposed for this bead: ${others.join(', ')}`, touches: null });
  return out;
}

/** Other beads, work and names the change touches, as the card says it (with what else is proposed for the bead). */
export function blastRadius(d: Derived, r: Repair): string[] {
  return radiusLines(d, r).map((l) => l.text);
}

/** What approving `r` touches, of its blast radius: what a destructive confirmation is re-checked against. */
export function touchedRadius(d: Derived, r: Repair): string[] {
  return radiusLines(d, r).flatMap((l) => (l.touches === null ? [] : [l.touches]));
}

export function undoText(r: Repair): string {
  return REPAIR_KINDS[r.kind].undo;
}

/** How the card's repair stands against what the operator saw (see review/selection.ts). */
export interface CardContext {
  state: SeenState;
  /** The version the operator saw (shown beside the new one when it changed, alone when it is gone). */
  seen: Repair | null;
  readOnly: boolean;
  /** The card is GONE because this audit entry applied the repair after the card showed it (appliedSince). */
  applied?: AuditEntry | null;
  /** The card is CHANGED and this says who changed the store in the read that changed it (UiState.changedBy). */
  changedBy?: string | null;
  /** The repair is marked (`space`): `A` approves it with the other marked ones. */
  marked?: boolean;
  /**
   * The selection moved on to it by itself a moment ago (actions.ts movedOnUntil): its decisions would be refused
   * until that moment has passed, so the card offers none of them (nor does the footer), only what acts now.
   */
  waiting?: boolean;
  /**
   * No undecided repair is below it (handlers.ts nextIdle): `s skip` would go nowhere, so the status line does not offer
   * it (nor do the footer and the title bar).
   */
  lastUndecided?: boolean;
}

/**
 * What the status line says in place of the decisions while they wait out their moment (ctx.waiting): shorter than
 * what it says after, so the card's diff is never pushed further down by it (the card's layout stays that of after).
 */
const READ_FIRST = 'read it first';

/** A decision's hint as the repairs view's footer shows it (`a approve`), read from the keymap. */
const hint = (action: ActionId) => hintText('repairs', action);
/** A decision's keys as that footer shows them (`a`), for a sentence that names them. */
const key = (action: ActionId) => hintKeys('repairs', action);
/** Hints one after another, as the status line lists them (one the keymap does not offer is left out). */
const listed = (...parts: string[]) => parts.filter((p) => p !== '').join(' · ');

/** `s skip` where it goes on to an undecided repair below ('' on the last one). */
const skipHint = (ctx: CardContext) => (ctx.lastUndecided ? '' : hint('skip'));

const undecidedKeys = (r: Repair, ctx: CardContext) =>
  listed(`${hint('approve')}${isDestructive(r) ? ' (asks to confirm)' : ''}`, hint('reject'), skipHint(ctx));

/** The card's status line: the entry's review status (see reviewStatus), in words. */
function statusOf(entry: QueueRow, outcome: ReviewOutcome | undefined, ctx: CardContext): CardLine {
  const s = entry.status;
  const o = outcome?.result;
  if (s === 'applied') return { text: `APPLIED: ${clean(outcome?.text ?? '')}`, tone: 'ok', bold: true };
  if (s === 'applying') return { text: `APPLYING: ${clean(outcome?.text ?? '')}`, tone: 'accent', bold: true };
  if (ctx.state === 'hidden')
    return {
      text: 'HIDDEN: a refresh changed it and the filter no longer shows it — nothing to approve here; move to go on, or clear the filter',
      tone: 'warn',
      bold: true,
    };
  if (ctx.state === 'changed') {
    const keys = ctx.readOnly
      ? 'read-only'
      : ctx.waiting
        ? READ_FIRST
        : `${key('approve')} acknowledges the new diff (writes nothing), then ${key('approve')} approves it`;
    const by = ctx.changedBy ? `: ${clean(ctx.changedBy)}` : '';
    return { text: `CHANGED since you opened it${by} — ${keys}`, tone: 'warn', bold: true };
  }
  if (s === 'stale' || s === 'failed') return { text: `${s.toUpperCase()}: ${clean(outcome?.text ?? '')}`, tone: 'error', bold: true };
  if (s === 'rejected') {
    const dec = entry.decision;
    const reason = dec?.reason ? `: ${clean(dec.reason)}` : '';
    return {
      text: `REJECTED by ${clean(dec?.by ?? '?')} at ${clean(dec?.at ?? '?')}${reason} — withheld until its facts change${ctx.readOnly || ctx.waiting ? '' : `; ${key('reopen')} reopens`}`,
      tone: 'dim',
      bold: true,
    };
  }
  // Applied or rejected earlier and proposed again (a later plan, changed facts), or reopened: undecided.
  const earlier =
    o === 'applied'
      ? ' (applied earlier; proposed again)'
      : o === 'rejected'
        ? ' (rejected earlier; its facts changed)'
        : o === 'reopened'
          ? ' (reopened)'
          : '';
  // The bar's "N marked" counts the marks; the card says whether this one is among them.
  const marked = ctx.marked ? ' · ✓ MARKED for A' : '';
  const keys = ctx.readOnly
    ? listed('read-only: decisions are refused', skipHint(ctx))
    : longChange(entry.repair.changes)
      ? listed('a value is too long to show: decide it with gc-tui apply (below)', skipHint(ctx))
      : ctx.waiting
        ? listed(READ_FIRST, skipHint(ctx))
        : undecidedKeys(entry.repair, ctx);
  return {
    text: `UNDECIDED${earlier}${marked} — ${keys}`,
    tone: 'accent',
  };
}

function titleLine(r: Repair, pool: string): CardLine {
  const rule = REPAIR_KINDS[r.kind];
  const title = `${r.id}  ${rule.rule} ${rule.title}  · pool ${pool || '–'}${isDestructive(r) ? '  · destructive' : ''}`;
  return { text: clean(title), bold: true, tone: isDestructive(r) ? 'error' : undefined };
}

/** A repair the plan no longer proposes: what the operator saw, marked, and nothing to decide. */
function goneLines(seen: Repair, applied: AuditEntry | null): CardLine[] {
  const why = applied
    ? `applied by ${clean(applied.operator || '?')} at ${clean(applied.time || '?')}${applied.action === 'apply' ? ' (gc-tui apply)' : ''}`
    : 'its facts changed, or someone fixed it';
  return [
    titleLine(seen, seen.template ?? ''),
    { text: `GONE: the plan no longer proposes it (${why}) — nothing to approve; move to go on`, tone: 'error', bold: true },
    { text: applied ? 'What you saw (not applied from here):' : 'What you saw (not applied):', bold: true, tone: 'dim' },
    ...seen.changes.map((c) => ({ ...diffLine(c), tone: 'dim' as Tone })),
  ];
}

/** The diff, with what the operator saw above it when a refresh or a stale write changed it. */
function diffLines(r: Repair, outcome: ReviewOutcome | undefined, ctx: CardContext): CardLine[] {
  const diff = r.changes.map((c): CardLine => ({ ...diffLine(c), writes: true }));
  const before =
    (ctx.state === 'changed' || ctx.state === 'hidden') && ctx.seen && !sameChanges(ctx.seen.changes, r.changes)
      ? { label: 'You opened (not applied):', changes: ctx.seen.changes }
      : outcome?.result === 'stale' && outcome.judged
        ? // A reject or reopen judged on it recorded nothing; an approval applied nothing.
          { label: `Judged before (${outcome.decision ? 'not recorded' : 'not applied'}):`, changes: outcome.judged }
        : null;
  const long = longChange(r.changes);
  // The value's own line says it is cut; this one, above the diff, says what that means for the decision.
  if (long) diff.unshift({ text: `  (${longValueText(r.id, long)})`, tone: 'warn' });
  if (!before) return [{ text: 'Change:', bold: true }, ...diff];
  return [
    { text: before.label, bold: true, tone: 'dim' },
    ...before.changes.map((c) => ({ ...diffLine(c), tone: 'dim' as Tone })),
    { text: 'Now proposed:', bold: true },
    ...diff,
  ];
}

/**
 * A line folded to `width`: continuation lines hang under its text, past its indent and its marker (a diff
 * symbol or a bullet), so a long value or reason stays readable instead of ending in `…`.
 */
export function fold(line: CardLine, width: number): CardLine[] {
  if (cellsIn(line.text) <= width) return [line];
  const lead = /^ *(?:[•~+-] )?/.exec(line.text)?.[0] ?? '';
  const pad = ' '.repeat(lead.length);
  const folded = line.values
    ? wrapQuoted(line.text.slice(lead.length), Math.max(8, width - pad.length)).map((l) => pad + l)
    : wrap(line.text.slice(lead.length), width, pad);
  return folded.map((text, i) => ({
    ...line,
    text: i === 0 ? lead + text.slice(pad.length) : text,
  }));
}

/**
 * The card. `compact` is the pane under the list (a few lines): title, status, diff. The full card puts the diff
 * right under the status, since it is what is approved, then the bead(s), the explanation, the blast radius and
 * whether it can be undone; every line of it is folded to the width, so a short terminal scrolls the prose
 * below the diff rather than cutting either.
 */
export function cardLines(
  d: Derived,
  entry: QueueRow | null,
  outcome: ReviewOutcome | undefined,
  width: number,
  compact: boolean,
  ctx: CardContext,
): CardLine[] {
  if (!entry) return ctx.state === 'gone' && ctx.seen ? goneLines(ctx.seen, ctx.applied ?? null).flatMap((l) => fold(l, width)) : [];
  const r = entry.repair;
  const lines: CardLine[] = [titleLine(r, entry.pool), statusOf(entry, outcome, ctx)];
  const diff = diffLines(r, outcome, ctx);
  // The diff is folded here too: a line cut at the terminal's edge would hide part of what `a` writes.
  if (compact) return [...lines, ...(diff[0].text === 'Change:' ? diff.slice(1) : diff).flatMap((l) => fold(l, width))];
  lines.push(...diff);
  lines.push({ text: '' });
  lines.push({ text: beadLine(d, r) });
  lines.push({ text: '' });
  lines.push({ text: explanation(d, r) });
  lines.push({ text: '' });
  lines.push({ text: 'Blast radius:', bold: true });
  for (const b of blastRadius(d, r)) lines.push({ text: `  • ${b}` });
  lines.push({ text: `Undo: ${undoText(r)}`, tone: isDestructive(r) ? 'error' : undefined });
  return lines.flatMap((l) => fold(l, width));
}

/**
 * The compact card (title, status, then the diff ending in its `changes` lines) for `room` lines. When it does not
 * all fit, the diff goes first and the status next: the queue row above already names the repair, and the diff
 * is what `a` writes.
 */
export function compactLines(lines: CardLine[], room: number): CardLine[] {
  if (lines.length <= room) return lines;
  let cut = lines.length;
  while (cut > 0 && lines[cut - 1].writes) cut--;
  return [...lines.slice(cut), lines[1], lines[0], ...lines.slice(2, cut)];
}

/** What the card shows in `room` lines from line `top`, and whether every line of the change `a` writes is there. */
export interface CardWindow {
  body: CardLine[];
  diffShown: boolean;
  /**
   * The change's lines, each as a key (its place among the change's lines and its text), and the keys of those this
   * window shows uncut: a card scrolled through a diff taller than itself shows all of them over several frames
   * (App.tsx). A key names a line whatever is above it on the card (a status folded otherwise, the diff first).
   */
  writeKeys: string[];
  writesShown: string[];
  /** The window puts the diff above the card's title (a short terminal): the title bar names the repair instead. */
  diffFirst?: boolean;
}

/**
 * `lines` in `room` lines of `width` cells: from `top` (the full card scrolls; the compact one shows its start), the
 * last line saying how many more there are when they do not all fit. A line of the diff wider than `width` (Ink
 * cuts it) does not count as shown.
 */
export function cardWindow(lines: CardLine[], room: number, top: number, full: boolean, width: number): CardWindow {
  const from = full ? Math.min(Math.max(0, top), Math.max(0, lines.length - room)) : 0;
  let body = lines.slice(from, from + Math.max(0, room));
  if (lines.length - from > room && room > 0) {
    body = lines.slice(from, from + room - 1);
    body.push({
      text: `… ${lines.length - from - room + 1} more line(s) — ${full ? `${firstKey('card', 'card-down')}/${firstKey('card', 'card-up')} scroll` : `${firstKey('repairs', 'open-card')} shows the full card`}`,
      tone: 'dim',
    });
  }
  const writeKeys: string[] = [];
  const writesShown: string[] = [];
  // The last line of a cut window is the "more lines" note, not lines[from + body.length - 1].
  const shown = body.length < lines.length - from ? body.length - 1 : body.length;
  lines.forEach((l, i) => {
    if (!l.writes) return;
    const key = `${writeKeys.length}\u0000${l.text}`;
    writeKeys.push(key);
    if (i >= from && i < from + shown && !l.cut && stringWidth(clean(l.text)) <= width) writesShown.push(key);
  });
  return { body, diffShown: writeKeys.length > 0 && writesShown.length === writeKeys.length, writeKeys, writesShown };
}
