// The bulk review pane of `A` with nothing marked, in lines: every repair it would approve with its diff in the
// card's notation, grouped by what they do, the destructive groups (closes, then unassigns) first and said to be so.
// The count under it is accepted only once every line that matters has been on screen (the pane records the keys of
// the lines each frame shows), so `A` never approves a diff the operator did not have in front of them. Pure.
import { KIND_ORDER, REPAIR_KINDS, type RepairEffect } from '../../engine/index.js';
import type { Repair } from '../../engine/types.js';
import { bulkIncluded } from '../../console/bulk.js';
import type { BulkReview } from '../../console/ui-state.js';
import { firstKey } from '../keymap.js';
import { cellsIn, clean, truncateEnd } from '../text.js';
import { diffLine, fold, longChange, longValueText, type CardLine } from './card.js';

export interface PaneLine extends CardLine {
  /** A line that must have been on screen before the count is accepted: its key (its block, place and text). */
  key?: string;
}

export interface PaneLines {
  lines: PaneLine[];
  /** The keys of each approved repair's lines (its group's heading among them), by id. */
  blocks: ReadonlyMap<string, readonly string[]>;
  /** The most lines one approved repair takes (its id line and diff): a pane shorter than that cannot show it whole. */
  tallest: number;
  /** Some line that must be read is wider than the pane even folded (a very narrow terminal): it can never show uncut. */
  tooWide: boolean;
}

/** Closes first, then unassigns: the destructive groups head the list. */
const EFFECT_RANK: Record<RepairEffect, number> = { close: 0, unassign: 1, change: 2 };

const WHAT: Record<RepairEffect, string> = {
  close: 'each closes its bead; this cannot be undone',
  unassign: 'each takes its work from the session it is assigned to',
  change: '',
};

const rank = (r: Repair) => {
  const f = REPAIR_KINDS[r.kind];
  return (f.destructive ? 0 : 1000) + EFFECT_RANK[f.effect] * 100 + KIND_ORDER.indexOf(r.kind);
};

/** `repairs` in the pane's order: by group (destructive first, then rule order), each group in the order given. */
export function paneOrder(repairs: readonly Repair[]): Repair[] {
  const groupRank = new Map<string, number>();
  for (const r of repairs) {
    const g = REPAIR_KINDS[r.kind].group[0];
    groupRank.set(g, Math.min(groupRank.get(g) ?? Infinity, rank(r)));
  }
  const at = (r: Repair) => groupRank.get(REPAIR_KINDS[r.kind].group[0])!;
  return repairs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => at(a.r) - at(b.r) || a.i - b.i)
    .map((x) => x.r);
}

/**
 * A group's heading: how many of it are approved, and how many a refresh left out (`1 slot restamp (1 left out)`).
 * Its lines' keys are those of the heading as listed, so a heading once read stays read when a refresh leaves one out.
 */
function heading(group: readonly Repair[], leftOut = 0): CardLine {
  const f = REPAIR_KINDS[group[0].kind];
  const n = group.length - leftOut;
  const name = `${n} ${n === 1 ? f.group[0] : f.group[1]}${leftOut > 0 ? ` (${leftOut} left out)` : ''}`;
  if (!f.destructive) return { text: name, bold: true };
  return { text: `DESTRUCTIVE — ${name}: ${WHAT[f.effect]}`, bold: true, tone: 'error' };
}

const indented = (l: CardLine, tone?: CardLine['tone']): CardLine => ({ ...l, text: `  ${l.text}`, ...(tone ? { tone } : {}) });

/**
 * A repair a refresh changed (`now`) or took away (null) since the pane listed it: shown so, and left out; `by`: who
 * changed the store in that refresh, when known.
 */
function outLines(r: Repair, now: Repair | null, by: string | undefined): CardLine[] {
  const listed = r.changes.map((c) => indented(diffLine(c), 'dim'));
  const who = by ? ` (${clean(by)})` : '';
  if (now === null)
    return [
      { text: `  GONE, left out: ${clean(r.id)} is no longer proposed${who}; listed (not applied):`, tone: 'error', bold: true },
      ...listed,
    ];
  return [
    { text: `  CHANGED, left out: ${clean(r.id)}${who} — listed (not applied):`, tone: 'warn', bold: true },
    ...listed,
    { text: '    now proposed (esc, then A, lists it again):', tone: 'warn' },
    ...now.changes.map((c) => indented(diffLine(c))),
  ];
}

/** A repair's first line in the pane: its id and template. */
const idLine = (r: Repair) => `${clean(r.id)} · ${clean(r.template ?? '–')}`;

/**
 * A destructive repair's blast radius as listed (what approving it touches, as its card says it), on one line under its
 * diff: read with it, so the count never closes a bead on a picture the operator did not have in front of them.
 */
const radiusLine = (radius: readonly string[], listed = false): CardLine => ({
  text: `    • blast radius${listed ? ' as listed' : ''}: ${clean(radius.join('; '))}`,
  ...(listed ? { tone: 'dim' as const } : {}),
});

/** A repair's own lines in the pane, as they fold at `width`: its id line, its diff, and its blast radius when listed with one. */
function blockLines(r: Repair, radius: readonly string[] | undefined): CardLine[] {
  return [{ text: idLine(r), bold: true }, ...r.changes.map((c) => indented(diffLine(c))), ...(radius?.length ? [radiusLine(radius)] : [])];
}

const cache = new WeakMap<
  readonly Repair[],
  {
    width: number;
    out: BulkReview['out'];
    outBy: BulkReview['outBy'];
    moved: BulkReview['moved'];
    radius: BulkReview['radius'];
    pane: PaneLines;
  }
>();

/** The pane's lines at `width` columns (every line folded to it, as the card folds its diff). Cached per open pane. */
export function paneLines(d: BulkReview, width: number): PaneLines {
  const hit = cache.get(d.repairs);
  if (hit && hit.width === width && hit.out === d.out && hit.outBy === d.outBy && hit.moved === d.moved && hit.radius === d.radius)
    return hit.pane;
  const lines: PaneLine[] = [];
  const blocks = new Map<string, string[]>();
  let tallest = 0;
  let tooWide = false;
  // `as`: the line whose folded texts key the lines shown (a heading as listed), else `l` itself. A line `l` folds onto
  // beyond those of `as` (a heading longer by "(1 left out)") takes the last one's key: read with it, as listed.
  const take = (l: CardLine, owner: string | null, keys: string[] | null, as = l): number => {
    const folded = fold(l, width);
    const keyed = as === l ? folded : fold(as, width);
    const at = keys?.length ?? 0;
    for (const [i, f] of folded.entries()) {
      const k = Math.min(i, keyed.length - 1);
      const key = keys ? `${owner}\u0000${at + k}\u0000${keyed[k].text}` : undefined;
      if (key) {
        keys!.push(key);
        if (cellsIn(f.text) > width) tooWide = true;
      }
      lines.push(key ? { ...f, key } : f);
    }
    return folded.length;
  };
  let i = 0;
  while (i < d.repairs.length) {
    const g = REPAIR_KINDS[d.repairs[i].kind].group[0];
    let j = i;
    while (j < d.repairs.length && REPAIR_KINDS[d.repairs[j].kind].group[0] === g) j++;
    const group = d.repairs.slice(i, j);
    const leftOut = group.filter((r) => d.out.has(r.id) || d.long.has(r.id) || d.moved.has(r.id)).length;
    // The heading is read with each of its repairs: its keys count in every block of the group.
    const head: string[] = [];
    if (lines.length > 0) lines.push({ text: '' });
    take(heading(group, leftOut), `heading ${g}`, leftOut < group.length ? head : null, heading(group));
    for (const r of group) {
      if (d.out.has(r.id)) {
        for (const l of outLines(r, d.out.get(r.id)!, d.outBy?.get(r.id))) take(l, null, null);
        continue;
      }
      const moved = d.moved.get(r.id);
      if (moved !== undefined) {
        take(
          {
            text: `  BLAST RADIUS CHANGED, left out: ${clean(r.id)} — now ${clean(moved)}; listed (not applied):`,
            tone: 'warn',
            bold: true,
          },
          null,
          null,
        );
        for (const c of r.changes) take(indented(diffLine(c), 'dim'), null, null);
        const was = d.radius.get(r.id);
        if (was?.length) take(radiusLine(was, true), null, null);
        continue;
      }
      const long = d.long.has(r.id) ? longChange(r.changes) : undefined;
      if (long) {
        take({ text: `  TOO LONG, left out: ${longValueText(r.id, long)}`, tone: 'warn', bold: true }, null, null);
        continue;
      }
      const keys: string[] = [];
      let n = 0;
      for (const l of blockLines(r, d.radius.get(r.id))) n += take(l, r.id, keys);
      tallest = Math.max(tallest, n);
      blocks.set(r.id, [...head, ...keys]);
    }
    i = j;
  }
  const pane = { lines, blocks, tallest, tooWide };
  cache.set(d.repairs, { width, out: d.out, outBy: d.outBy, moved: d.moved, radius: d.radius, pane });
  return pane;
}

/**
 * The lines one repair takes in the pane at `width` (its id line, diff and `radius`, the blast radius of a destructive
 * one, folded): paneLines' `tallest` is their most.
 */
export function blockHeight(r: Repair, width: number, radius?: readonly string[]): number {
  return blockLines(r, radius).reduce((n, l) => n + fold(l, width).length, 0);
}

/** How far the operator has read: the approved repairs, and how many of them have a line not yet on screen. */
export function paneProgress(d: BulkReview, width: number): { count: number; unseen: number } {
  const { blocks } = paneLines(d, width);
  const included = bulkIncluded(d);
  let unseen = 0;
  for (const r of included) if (!(blocks.get(r.id) ?? []).every((k) => d.seen.has(k))) unseen++;
  return { count: included.length, unseen };
}

/** The first line shown: `top` kept within the lines, so the last page is full. */
export function paneTop(top: number, total: number, room: number): number {
  return Math.max(0, Math.min(top, total - room));
}

/**
 * The keys a frame showing `shown` in a pane of `room` lines lets count as read: a group's heading lines as shown, and
 * a repair's own lines (its id and diff) as shown when the pane can hold them all, never the pieces of one taller than
 * the pane (a terminal shrunk after `A` opened it: such a diff is never on screen whole, as `A` refuses to open).
 */
export function readInFrame(blocks: ReadonlyMap<string, readonly string[]>, shown: ReadonlySet<string>, room: number): string[] {
  const out = [...shown].filter((k) => k.startsWith('heading '));
  for (const keys of blocks.values()) {
    const own = keys.filter((k) => !k.startsWith('heading '));
    if (own.length <= room) for (const k of own) if (shown.has(k)) out.push(k);
  }
  return out;
}

/** Which of `n` marked repairs their pane lists (from `top`, `shown` of them) in `room` lines, and how many it does not. */
export interface MarkedWindow {
  top: number;
  shown: number;
  above: number;
  below: number;
}

/**
 * The window of the marked repairs' pane that starts as near `want` as it can: all of them when they fit `room`; else a
 * line says how many more are below (and, scrolled down, one how many are above), so the count it asks for is never
 * more than what is listed and said. A pane of fewer than 3 lines lists one repair: with 2, the line under it says how
 * many are above and below; with 1, the pane's title does (markedTitle). Every pane that lists one scrolls.
 */
/** Whether `n` marked repairs scroll in a pane of `room` lines: more than it holds, and room for one of them. */
export const markedScrollIn = (n: number, room: number): boolean => n > room && room >= 1;

export function markedWindow(n: number, room: number, want = 0): MarkedWindow {
  if (!markedScrollIn(n, room)) {
    const shown = Math.min(n, Math.max(0, room));
    return { top: 0, shown, above: 0, below: n - shown };
  }
  if (room < 3) {
    const top = Math.max(0, Math.min(want, n - 1));
    return { top, shown: 1, above: top, below: n - top - 1 };
  }
  const top = Math.max(0, Math.min(want, n - (room - 1)));
  const space = room - (top > 0 ? 1 : 0);
  const shown = n - top <= space ? n - top : space - 1;
  return { top, shown, above: top, below: n - top - shown };
}

/** Where a count prompt's pane is scrolled to (its `scroll`: the first repair it lists, by id, else its place). */
export function markedTop(repairs: readonly Repair[], scroll: { id: string; index: number } | undefined): number {
  if (!scroll) return 0;
  const at = repairs.findIndex((r) => r.id === scroll.id);
  return at >= 0 ? at : Math.min(scroll.index, Math.max(0, repairs.length - 1));
}

/**
 * The count prompt of `A` on marked repairs, as lines for the pane above it: one per marked repair, in the order the
 * prompt names them, with its id, kind, bead and its change on one line (each change as the card writes it, cut at
 * `width`: each diff was on screen whole when it was marked), the destructive ones in the error tone. At most `room`
 * lines, from the one `want` names (markedWindow): when more are marked, a line says how many more the count approves
 * below them (and, scrolled, above), never fewer than it does.
 */
export function markedLines(
  repairs: readonly Repair[],
  width: number,
  room: number,
  want = 0,
): { lines: CardLine[]; window: MarkedWindow } {
  const window = markedWindow(repairs.length, Math.max(0, room), want);
  if (room <= 0) return { lines: [], window };
  const lines = repairs.slice(window.top, window.top + window.shown).map((r): CardLine => {
    // How many changes first: a line cut at the width still says there are more than it shows.
    const many = r.changes.length > 1 ? `${r.changes.length} changes: ` : '';
    const change = many + r.changes.map((c) => diffLine(c).text.trim()).join('; ');
    const text = `${clean(r.id)} · ${r.kind} · bead ${clean(r.beadId)} · ${change}`;
    return { text: truncateEnd(text, width), ...(REPAIR_KINDS[r.kind].destructive ? { tone: 'error' as const } : {}) };
  });
  // Scrolled: how many are above and below, and which keys show them (the footer and `?` say so too), on a line of
  // their own each; in a pane of 2 lines, on one line under the repair.
  const up = `${firstKey('count', 'marked-up')}/${firstKey('count', 'marked-page-up')}`;
  const down = `${firstKey('count', 'marked-down')}/${firstKey('count', 'marked-page-down')}`;
  const aboveText = `… ${window.above} more marked above (${up} shows them)`;
  const belowText = `… and ${window.below} more marked, approved with them (${down} lists them)`;
  const say = (text: string): CardLine => ({ text: truncateEnd(text, width), bold: true });
  if (room < 3) {
    if (room === 2 && (window.above > 0 || window.below > 0))
      lines.push(
        say(
          window.above > 0 && window.below > 0
            ? `… ${window.above} more above, ${window.below} below, approved with them (${firstKey('count', 'marked-up')}/${firstKey('count', 'marked-down')} scroll)`
            : window.above > 0
              ? aboveText
              : belowText,
        ),
      );
    return { lines, window };
  }
  if (window.above > 0) lines.unshift(say(aboveText));
  if (window.below > 0) lines.push(say(belowText));
  return { lines, window };
}
