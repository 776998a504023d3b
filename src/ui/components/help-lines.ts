// The help overlay's text, generated from the keymap registry so it can never drift from the keys.
import { bindingKeys, firstKey, helpSections, keymap, type Binding, type Keymap, type Scope } from '../keymap.js';
import { wrapText } from '../text.js';

/** The sections' titles; those that name a key read it from the registry. */
const TITLES = (): Record<Scope, string> => ({
  global: 'Everywhere',
  pools: 'Pools view',
  slots: 'Slots view',
  aliases: 'Aliases view',
  templates: 'Templates view',
  work: 'Work view',
  repairs: 'Repairs view (review)',
  audit: 'Audit view',
  findings: 'Findings view',
  trend: 'Trend view',
  card: 'Repair card (full height)',
  confirm: 'Confirming a destructive approval',
  input: 'Typing a reason',
  count: `Typing the count of the marked repairs (${firstKey('repairs', 'approve-all')} with marks)`,
  bulk: `Reviewing all before approving (${firstKey('repairs', 'approve-all')} with nothing marked)`,
  choice: 'Choosing an export format',
  quit: `Quitting with repairs marked (${firstKey('global', 'quit-ask')} asks first)`,
  inspect: `The inspect pane (${firstKey('slots', 'raw')} raw JSON, ${firstKey('slots', 'inspect-row')} detail)`,
  prompt: 'While typing a filter or command',
  help: 'In this help',
  small: 'On a terminal too small for the console',
});

/**
 * What help adds to a binding that a view leaves unbound (keymap `not`): the keys help lists "everywhere" do not all
 * work there. Opened from that view, help leaves the binding out instead (helpSections).
 */
const NOT_IN: Partial<Record<Scope, string>> = { trend: 'not in the trend view: a chart' };

/**
 * Help opened from the full repair card lists the keys as they act on the card: what they do in a view the card is
 * not is noise there.
 */
const NO_NOTES: ReadonlySet<Scope> = new Set<Scope>(['card']);

function helpText(b: Binding, view: Scope | undefined): string {
  const nots = view && NO_NOTES.has(view) ? [] : (b.not ?? []).flatMap((s) => NOT_IN[s] ?? []);
  return nots.length > 0 ? `${b.help} (${nots.join('; ')})` : b.help;
}

/** The decisions --read-only turns off, by their footer names: "approve, reject, approve all, mark and reopen". */
function readOnlyOff(): string {
  const names = keymap()
    .bindings.filter((b) => b.decision)
    .map((b) => b.hint ?? b.action);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
}

export interface HelpLine {
  keys: string;
  text: string;
  title: boolean;
  /** A wrapped text's second line or later: a page opening on it shows its keys again (helpShown). */
  more: boolean;
  /**
   * On a terminal too narrow for a text beside the keys column: the keys on a line of their own, the text on the lines
   * under them (at 20 columns beside the keys it had 4 columns, `dow…`).
   */
  under?: boolean;
}

/** Columns of the keys column: two of indent, the widest key list, two of gap. */
export const HELP_KEYS_WIDTH = 16;

/** The fewest columns a text is given beside the keys column; narrower, it goes under its keys (HelpLine `under`). */
const HELP_TEXT_MIN = 24;

/** The indent of a text under its keys. */
export const HELP_UNDER_INDENT = 4;

/** Per registry: a test's renamed keys never read the shipped registry's lines. */
const cached = new WeakMap<Keymap, Map<string, HelpLine[]>>();

/**
 * Every binding and section title, one line each; with a `width`, a text too long for the room beside the keys
 * column wraps onto lines of its own (keys blank), so no line ends cut in `…` with its meaning lost. `view`: the view
 * help was opened from, whose unbound keys are left out.
 */
export function helpLines(readOnly = false, width = Infinity, view?: Scope): HelpLine[] {
  const id = `${readOnly}:${width}:${view ?? ''}`;
  let mine = cached.get(keymap());
  if (!mine) cached.set(keymap(), (mine = new Map()));
  const hit = mine.get(id);
  if (hit) return hit;
  const titles = TITLES();
  const out: HelpLine[] = [];
  const under = Number.isFinite(width) && width - HELP_KEYS_WIDTH < HELP_TEXT_MIN;
  const add = (keys: string, text: string, title: boolean) => {
    if (under && !title) {
      out.push({ keys, text: '', title, more: false, under });
      for (const piece of wrapText(text, Math.max(8, width - HELP_UNDER_INDENT)))
        out.push({ keys: '', text: piece, title, more: true, under });
      return;
    }
    const room = title ? width : width - HELP_KEYS_WIDTH;
    const pieces = Number.isFinite(room) ? wrapText(text, Math.max(8, room)) : [text];
    pieces.forEach((piece, i) => out.push({ keys: i === 0 ? keys : '', text: piece, title, more: i > 0 }));
  };
  for (const section of helpSections(readOnly, view)) {
    add('', titles[section.scope], true);
    for (const b of section.bindings) add(bindingKeys(b), helpText(b, view), false);
  }
  if (readOnly) add('', `Read-only: ${readOnlyOff()} are off (--read-only).`, true);
  mine.set(id, out);
  return out;
}

/** The first line of the entry (a key and its wrapped text, or a title) that line `at` is part of. */
function entryStart(lines: readonly HelpLine[], at: number): number {
  let i = at;
  while (i > 0 && lines[i].more) i--;
  return i;
}

/** The keys of the entry line `at` is part of: a page that opens inside a key's wrapped text shows them again. */
export function helpKeysAt(lines: readonly HelpLine[], at: number): string {
  return lines[entryStart(lines, at)]?.keys ?? '';
}

/**
 * Whether a page of `room` lines from `top` opens with a line of its own saying whose text it goes on with: the page
 * opens inside a text under its keys (HelpLine `under`), whose keys are on the page before. Beside the keys column a
 * continued text shows its keys on its own line instead, at no cost.
 */
export function helpHeadShown(lines: readonly HelpLine[], top: number, room: number): boolean {
  return room > 1 && top < lines.length && lines[top].more && lines[top].under === true;
}

/** A line that says what comes under it: a section title, or keys whose text is on the lines under them. */
function heading(l: HelpLine): boolean {
  return l.title || (l.under === true && !l.more);
}

/**
 * How many of the lines from `top` a page of `room` rows shows (its head line apart, helpHeadShown). Pages are full: a
 * key's wrapped text goes on over the next page, which shows its keys again. Only a heading never ends a page (a
 * section title, or keys with none of their text under them): it goes to the next page with what it heads, the page a
 * line shorter (page-down steps by what is shown).
 */
export function helpShown(lines: readonly HelpLine[], top: number, room: number): number {
  const head = helpHeadShown(lines, top, room) ? 1 : 0;
  let n = Math.max(0, Math.min(room - head, lines.length - top));
  if (top + n >= lines.length) return n;
  while (n > 1 && heading(lines[top + n - 1])) n--;
  return n;
}

/** The first top from which a page of `room` rows shows every line before `end`: the page that ends there. */
function topReaching(lines: readonly HelpLine[], end: number, room: number): number {
  let top = Math.max(0, end - room);
  // Nor does it open inside a section title that wraps.
  while (top < end - 1 && (top + helpShown(lines, top, room) < end || (lines[top].title && lines[top].more))) top++;
  return top;
}

/** The top of the help page before the one at `top` (PgUp): the fullest page that goes on to `top`. */
export function helpPrevTop(lines: readonly HelpLine[], top: number, room: number): number {
  return top <= 0 ? 0 : topReaching(lines, top, room);
}

/** The top of help's last page of `room` rows: the fullest page that ends with the last line. */
export function helpLastTop(lines: readonly HelpLine[], room: number): number {
  return topReaching(lines, lines.length, room);
}

export function helpLineCount(readOnly = false, width = Infinity, view?: Scope): number {
  return helpLines(readOnly, width, view).length;
}
