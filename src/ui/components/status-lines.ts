// The lines of an open dialog or prompt, fitted to the terminal's width. A dialog that fits stays on one
// line; one that does not keeps its question (or prompt) and its buttons (or what is typed) on the last line,
// the line above the footer, and wraps the rest above it: the focused button and the typed text never go.
import { breakdown, REPAIR_KINDS, sameChanges, type RepairEffect } from '../../engine/index.js';
import type { Repair } from '../../engine/types.js';
import { dialogOf, type Completion, type Dialog, type HiddenMarks, type Mode, type UiState } from '../../console/ui-state.js';
import { firstKey } from '../keymap.js';
import { paneProgress } from '../review/bulk.js';
import { quitQuestion } from '../quit-ask.js';
import type { Tone } from '../theme.js';
import { cellsIn, clean, graphemes, tailOf, truncateEnd, truncateMiddle, wrapText } from '../text.js';

export interface Span {
  text: string;
  bold?: boolean;
  tone?: Tone;
  inverse?: boolean;
}
export type Line = Span[];

/** What approving a repair of each effect does to its bead, as the confirmation says it. */
const WHAT: Record<RepairEffect, string> = { close: 'closes bead', unassign: 'unassigns work', change: 'changes bead' };

/**
 * The reject prompt's words: on the diff it opened on, or, once the plan on screen changed that diff or stopped
 * proposing it, that (before enter, which then records nothing and keeps the reason).
 */
const REASON_PROMPT: Record<'shown' | 'changed' | 'gone', (enter: string) => { what: string; hint: string; head: string; tone: Tone }> = {
  shown: (enter) => ({ what: 'reason', hint: `(optional, ${enter} records):`, head: 'reason:', tone: 'accent' }),
  changed: (enter) => ({
    what: 'its diff CHANGED, see the card;',
    hint: `${enter} records nothing and keeps the reason:`,
    head: 'CHANGED:',
    tone: 'warn',
  }),
  gone: (enter) => ({ what: 'no longer proposed;', hint: `${enter} records nothing and keeps the reason:`, head: 'GONE:', tone: 'error' }),
};

/** The confirmation's words once a new plan changed or dropped the diff it asks about. */
const CONFIRM_OUTDATED: Record<'changed' | 'gone', string> = {
  changed: 'its diff CHANGED, see the card',
  gone: 'no longer proposed',
};

const width = (l: Line) => l.reduce((n, s) => n + cellsIn(s.text), 0);

/**
 * Whether the diff the open confirmation asks about is on screen whole now (ui.diffOnScreen, as the last frame recorded
 * it): enter approves only then, as `a` does (review/handlers.ts). True when no confirmation is open.
 */
export function confirmShown(ui: Pick<UiState, 'mode' | 'diffOnScreen'>): boolean {
  const d = dialogOf(ui.mode);
  if (d?.kind !== 'confirm') return true;
  const shown = ui.diffOnScreen;
  return shown !== null && shown.id === d.repair.id && sameChanges(shown.repair.changes, d.repair.changes);
}

const sp: Span = { text: ' ' };

/** A button; `tight` drops the blanks around its label (the brackets alone mark the focused one). */
function button(label: string, focused: boolean, tight = false): Span {
  if (focused) return { text: tight ? `[${label}]` : `[ ${label} ]`, inverse: true, bold: true };
  return { text: tight ? label : `  ${label}  `, tone: 'dim' };
}

/**
 * Buttons separated by a blank; when they do not all fit `room`, without the blanks around their labels, so that every
 * choice stays on screen (a 40-column confirmation showed only the focused Cancel, and nothing said Approve was a
 * tab away). Tight, they take more than `room` rather than drop one (the question beside them is cut instead: at 30
 * columns the confirmation showed `[ Cancel ]` alone). Where even that does not fit the line, `cols`, the longest label
 * is cut first, then the others, down to its initial (`[Can…] Appr…` at 12 columns, `[C]A` at 4): every choice stays,
 * the focused one in brackets (below 16 columns the confirmation showed `[Cancel]` alone). Narrower still, the
 * initials alone, the focused one inverse (`CA` at 2 columns).
 */
function buttons(labels: string[], focus: number, room: number, cols: number): Line {
  const form = (tight: boolean, cells = labels.map((l) => cellsIn(l)), gap = true): Line =>
    labels.flatMap((l, i) => [...(i === 0 || !gap ? [] : [sp]), button(shortLabel(l, cells[i]), i === focus, tight)]);
  const loose = form(false);
  if (width(loose) <= room) return loose;
  const cells = labels.map((l) => cellsIn(l));
  for (;;) {
    const tight = form(true, cells);
    if (width(tight) <= cols) return tight;
    const longest = cells.indexOf(Math.max(...cells));
    if (cells[longest] <= 1) break;
    cells[longest]--;
  }
  const bare = form(true, cells, false);
  if (width(bare) <= cols) return bare;
  return labels.map((l, i) =>
    i === focus ? { text: shortLabel(l, 1), inverse: true, bold: true } : { text: shortLabel(l, 1), tone: 'dim' },
  );
}

/** A button's label in `cells`: whole, else cut with `…` (`Appr…`), else its initial. */
function shortLabel(label: string, cells: number): string {
  if (cellsIn(label) <= cells) return label;
  return cells >= 2 ? truncateEnd(label, cells) : (graphemes(label)[0] ?? '');
}

/**
 * What is typed, with the cursor (`caret` characters before the end) inverse: the character under it, or a blank
 * after the end. A line too long for `room` keeps the cursor in view: the end of what is before it, then as much
 * of what follows as fits.
 */
function typed(text: string, caret: number, room: number): Line {
  const chars = graphemes(text);
  const at = chars.length - Math.min(Math.max(caret, 0), chars.length);
  const before = clean(chars.slice(0, at).join(''));
  const under = clean(chars[at] ?? '') || ' ';
  const after = clean(chars.slice(at + 1).join(''));
  const left = Math.max(0, room - cellsIn(under));
  const shown = tailOf(before, Math.min(left, Math.max(left - cellsIn(after), Math.ceil(left / 2))));
  const rest = truncateEnd(after, left - cellsIn(shown));
  const line: Line = [{ text: shown }, { text: under, inverse: true }];
  return rest === '' ? line : [...line, { text: rest }];
}

/**
 * The first of `forms` that fits on one line; else `above` wrapped over the lines above a last line that holds
 * `head` (cut in the middle when it must) and the end (buttons, typed text) fitted to the room left.
 */
function fit(
  forms: Line[],
  above: Span,
  head: Span,
  end: (room: number) => Line,
  cols: number,
  maxLines: number,
  keepHead = false,
): Line[] {
  for (const f of forms) if (width(f) <= cols) return [f];
  // `keepHead`: the head says what enter approves (a count prompt's count): what is typed scrolls in the room it leaves.
  const headCells = keepHead ? cellsIn(head.text) : Math.min(cellsIn(head.text), Math.floor(cols / 2));
  const tail = end(Math.max(1, cols - 1 - headCells));
  const headRoom = Math.max(0, cols - width(tail) - 1);
  const last: Line = headRoom > 0 ? [{ ...head, text: truncateMiddle(head.text, headRoom) }, { text: ' ' }, ...tail] : tail;
  const lines = maxLines > 1 ? wrapText(above.text, cols, maxLines - 1).map((t): Line => [{ ...above, text: t }]) : [];
  return [...lines, last];
}

/**
 * A dialog's one line when it has none above it: the first of `heads` (each given the id whole, else cut in the middle to
 * the room left, at least 8 cells, when it names one) that fits beside `end` (the buttons: roomy where the line leaves
 * room, else tight), cut at its end when none does.
 */
function oneLine(
  heads: Array<(id: string) => string>,
  id: string,
  tone: Tone | undefined,
  end: (room: number) => Line,
  cols: number,
): Line {
  const tightest = end(1);
  // The roomy buttons first, each wording but the last (a word, for a narrow line) tried with them; then the tight
  // ones, every wording: the buttons stay both on screen, the question gives way.
  for (const [tail, most] of [
    [end(cols), heads.length - 1],
    [tightest, heads.length],
  ] as const) {
    const beside = (text: string): Line | null =>
      cellsIn(text) + 1 + width(tail) <= cols ? [{ text, bold: true, tone }, sp, ...tail] : null;
    for (const h of heads.slice(0, most)) {
      const whole = beside(h(id));
      if (whole) return whole;
      const bare = h('');
      const left = cols - 1 - width(tail) - cellsIn(bare);
      const cut = bare !== h('x') && left >= 8 ? beside(h(truncateMiddle(id, left))) : null;
      if (cut) return cut;
    }
  }
  const text = truncateEnd(heads[heads.length - 1](''), Math.max(0, cols - width(tightest) - 1));
  return text === '' ? tightest : [{ text, bold: true, tone }, sp, ...tightest];
}

/** A count prompt's question; `above`: it does not say `Type N` itself, so it goes only above a line that does. */
interface Question {
  text: string;
  above: boolean;
}

/**
 * The question of a count prompt on marked repairs. They are named (the operator chose each one, and reads here
 * exactly which), in the order given (the list's), as many as `fits` the prompt's room, then how many more the count
 * approves: never fewer than it approves. The breakdown by kind goes first, then the names without it, then no names.
 * Every form says how many of them the list does not show (`hidden`): they are approved all the same.
 */
function markedQuestion(
  repairs: readonly Repair[],
  hidden: HiddenMarks | undefined,
  fits: (question: string, above?: boolean) => boolean,
): Question {
  const n = repairs.length;
  const ids = repairs.map((r) => clean(r.id));
  const h = hidden?.ids.length ?? 0;
  const by = hidden?.by === 'narrowing' ? 'hidden by the narrowing to one bead' : 'hidden by the filter';
  // After the names (which name hidden and shown alike); the shortest head takes the short word.
  const long = h > 0 ? `, ${h} ${by}` : '';
  const tails = [long, long, h > 0 ? `, ${h} hidden` : ''];
  // The last and shortest for a narrow terminal (40 columns): the line below it still says "Type N:".
  const heads = [
    `Type ${n} to approve ${breakdown(repairs).replace(/^(\d+) /, '$1 marked ')}`,
    `Type ${n} to approve ${n} marked repair${n === 1 ? '' : 's'}`,
    `${n} marked`,
  ];
  const named = (i: number, k: number) => `${heads[i]} (${ids.slice(0, k).join(', ')}${k < n ? `, … and ${n - k} more` : ''})${tails[i]}`;
  for (let i = 0; i < heads.length; i++) {
    let k = 0;
    // Upward, so a long list costs what fits the room, not its length.
    while (k < n && fits(named(i, k + 1), i === 2)) k++;
    if (k > 0) return { text: named(i, k), above: i === 2 };
  }
  // No names fit (30×9 cut "Type 4 to approve 4 marked re…" before the hidden count): the counts alone, never cut.
  const bare = heads.map((head, i) => head + tails[i]);
  const i = bare.findIndex((q, j) => fits(q, j === 2));
  return i < 0 ? { text: bare[2], above: true } : { text: bare[i], above: i === 2 };
}

/** How many of the marked repairs of a count prompt the list does not show (0: none, or not a prompt on marks). */
function hiddenOf(dialog: Extract<Dialog, { kind: 'count' }>): number {
  return dialog.marked ? (dialog.hidden?.ids.length ?? 0) : 0;
}

/**
 * The wildmenu: the candidates two blanks apart, the one on the line inverse. When they do not all fit, the window
 * that shows the chosen one, with `<` and `>` where candidates are left out (as vim's).
 */
export function menuLine(menu: Completion, cols: number): Line {
  const items = menu.items.map((t) => clean(t));
  const sel = menu.at ?? 0;
  for (let start = 0; start <= sel; start++) {
    const line: Line = start > 0 ? [{ text: '< ', tone: 'dim' }] : [];
    let i = start;
    for (; i < items.length; i++) {
      const gap = i > start ? 2 : 0;
      const after = i < items.length - 1 ? 2 : 0;
      if (width(line) + gap + cellsIn(items[i]) + after > cols) break;
      if (gap) line.push({ text: '  ' });
      line.push(i === menu.at ? { text: items[i], inverse: true, bold: true } : { text: items[i], tone: 'accent' });
    }
    if (i > sel) return i < items.length ? [...line, { text: ' >', tone: 'dim' }] : line;
  }
  return [{ text: truncateEnd(items[sel] ?? '', cols), inverse: menu.at !== null, bold: true }];
}

/**
 * A prompt for the count of a bulk approval: the question (`ask`, given how to tell whether a question fits) with what
 * is typed after it, on one line when it fits (with "esc cancels" when there is room: `esc`, the key that cancels in
 * `scope`), else wrapped above `Type N:`.
 */
function countPrompt(
  scope: 'count' | 'bulk',
  n: number,
  hidden: number,
  ask: (fits: (question: string, above?: boolean) => boolean) => Question,
  end: (room: number) => Line,
  cols: number,
  maxLines: number,
): { lines: Line[]; whole: boolean } {
  const tone = 'warn';
  const esc = firstKey(scope, scope === 'bulk' ? 'bulk-cancel' : 'input-cancel');
  // The footer says esc cancels: the words go first when the line is short. A question `above` has no line of its own.
  const forms = (question: string, above = false): Line[] =>
    above
      ? []
      : [
          [{ text: `${question} (${esc} cancels):`, bold: true, tone }, sp, ...end(cols)],
          [{ text: `${question}:`, bold: true, tone }, sp, ...end(cols)],
        ];
  const fits = (question: string, above = false) =>
    forms(question, above).some((f) => width(f) <= cols) || (maxLines > 1 && wrapText(`${question}:`, cols).length <= maxLines - 1);
  const { text: question, above } = ask(fits);
  const asked = fits(question, above);
  // Where the question does not show whole (one line: a terminal 8 rows tall), the last line says the counts itself.
  const head = `Type ${n}${!asked && hidden > 0 ? `, ${hidden} hidden` : ''}:`;
  const lines = fit(
    forms(question, above),
    { text: `${question}:`, bold: true, tone },
    { text: head, bold: true, tone },
    end,
    cols,
    maxLines,
    true,
  );
  // Whole: the question on its lines, or at least the last line's head, with a cell for the cursor.
  return { lines, whole: asked || cellsIn(head) + 2 <= cols };
}

/**
 * Whether the count prompt of `A` shows its count (and how many of the marked repairs are hidden) uncut at `cols` ×
 * `maxLines`: where it cannot, `A` refuses and enter approves nothing (a count prompt cut before the hidden count had
 * the operator approve repairs nobody showed).
 */
export function countWhole(dialog: Extract<Dialog, { kind: 'count' }>, cols: number, maxLines: number): boolean {
  return countPromptOf(dialog, 0, cols, maxLines).whole;
}

function countPromptOf(dialog: Extract<Dialog, { kind: 'count' }>, caret: number, cols: number, maxLines: number) {
  const n = dialog.repairs.length;
  const left = dialog.left
    ? ` (${dialog.left} changed since shown, left out: decide ${dialog.left === 1 ? 'it on its card' : 'them on their cards'})`
    : '';
  return countPrompt(
    'count',
    n,
    hiddenOf(dialog),
    (fits) =>
      dialog.marked
        ? markedQuestion(dialog.repairs, dialog.hidden, fits)
        : { text: `Type ${n} to approve ${breakdown(dialog.repairs)}${left}`, above: false },
    (room) => typed(dialog.text, caret, room),
    cols,
    maxLines,
  );
}

/**
 * The lines of the dialog or prompt open in `mode` (null when none), for `cols` columns and at most `maxLines`;
 * `menu`, the candidates `tab` listed on the `:` line, goes above it; `caret` is where the cursor of a typed line is
 * (characters before its end); `diffShown`, whether the diff a confirmation asks about is on screen whole now (enter
 * writes nothing otherwise: confirmShown); `radius`, how its blast radius changed since it opened, when it did (enter
 * then only acknowledges: review/confirm-radius.ts); `radiusRoom`, whether it may say the blast radius it opened on
 * above its question (confirm-radius.ts radiusRoom: not where that took the rows of its diff).
 */
export function promptLines(
  mode: Mode,
  filter: string,
  command: string,
  cols: number,
  maxLines: number,
  menu: Completion | null = null,
  caret = 0,
  diffShown = true,
  radius: string | null = null,
  radiusRoom = true,
): Line[] | null {
  const dialog = dialogOf(mode);
  if (dialog) {
    switch (dialog.kind) {
      case 'confirm': {
        const r = dialog.repair;
        const id = clean(r.id);
        // A refresh changed or took away the diff it asks about: said at once, before enter (which then writes nothing).
        // One that changed only its blast radius is said so too, with what changed: enter then only acknowledges.
        const moved = dialog.outdated ? null : radius !== null ? clean(radius) : null;
        const touches = radiusRoom && !dialog.outdated && moved === null && dialog.radius?.length ? clean(dialog.radius.join('; ')) : null;
        const enter = firstKey('confirm', 'confirm-choose');
        const question: Span = dialog.outdated
          ? { text: `Approve ${id} — ${CONFIRM_OUTDATED[dialog.outdated]}:`, bold: true, tone: 'warn' }
          : moved !== null
            ? { text: `Approve ${id} — its blast radius CHANGED:`, bold: true, tone: 'warn' }
            : { text: `Approve ${id}?`, bold: true, tone: 'error' };
        const end = (room: number) => buttons(['Cancel', 'Approve'], dialog.focus === 'cancel' ? 0 : 1, room, cols);
        // Its diff not on screen (a resize cut it): enter writes nothing, and the dialog says so, not what it would do.
        const offScreen = !diffShown && !dialog.outdated;
        // What it does comes whole, above the question, in the shortest of its wordings the lines leave room for.
        const whats = dialog.outdated
          ? [`${enter} writes nothing.`]
          : moved !== null
            ? [`now ${moved}; ${enter} only acknowledges it, writes nothing.`, `${enter} only acknowledges it, writes nothing.`]
            : offScreen
              ? [
                  `Its diff is not on screen: ${enter} writes nothing.`,
                  `Not on screen: ${enter} writes nothing.`,
                  'Not on screen, refused.',
                ]
              : [
                  // What else it touches (its blast radius, as the card says it: the card may not be open), while the
                  // lines have room for it.
                  ...(touches ? [`It ${WHAT[REPAIR_KINDS[r.kind].effect]} ${clean(r.beadId)}: ${touches}. This cannot be undone.`] : []),
                  `It ${WHAT[REPAIR_KINDS[r.kind].effect]} ${clean(r.beadId)}; this cannot be undone.`,
                  'This cannot be undone.',
                ];
        const tone = offScreen || moved !== null ? 'warn' : question.tone;
        const whole = whats.find((t) => wrapText(t, cols).length <= maxLines - 1) ?? whats[whats.length - 1];
        const what: Span = { text: whole, bold: true, tone };
        const fullOf = (text: string): Line => [{ ...question, tone }, sp, { ...what, text }, sp, ...end(cols)];
        // One line, the blast radius in it, when it fits so; else, with lines to spare, it goes above the question, and on
        // one line only (a terminal 8 rows tall) the question says what it does without it.
        const forms = maxLines > 1 || !touches ? [fullOf(whats[0])] : [fullOf(whats[0]), fullOf(whats[1])];
        if (maxLines > 1 || (forms.some((f) => width(f) <= cols) && !offScreen))
          return fit(forms, what, { ...question, tone }, end, cols, maxLines);
        // One line (a terminal 8 rows tall): no line above for what it does. Then what enter would do comes first, the id
        // cut or left out: the warning, or, its diff not on screen (no card fits), that enter writes nothing and why; a
        // word of it beside both buttons at 30 columns.
        const heads: Array<(id: string) => string> =
          moved !== null && !offScreen
            ? [
                (x) => `Approve ${x} — its blast radius CHANGED, now ${moved}; ${enter} only acknowledges:`,
                (x) => `${x} blast radius CHANGED: ${enter} acknowledges:`,
                () => `Blast radius CHANGED: ${enter} acknowledges:`,
                () => `Radius CHANGED: ${enter} acknowledges:`,
                () => 'Radius CHANGED:',
                () => 'CHANGED:',
              ]
            : dialog.outdated
              ? [
                  (x) => `Approve ${x} — ${CONFIRM_OUTDATED[dialog.outdated!]}: ${enter} writes nothing.`,
                  (x) => `${x} ${dialog.outdated!.toUpperCase()}: ${enter} writes nothing:`,
                  () => `${dialog.outdated!.toUpperCase()}: ${enter} writes nothing:`,
                  () => `${dialog.outdated!.toUpperCase()}, refused:`,
                  () => `${dialog.outdated!.toUpperCase()}:`,
                ]
              : offScreen
                ? [
                    (x) => `Approve ${x}? Its diff is not on screen: ${enter} writes nothing.`,
                    (x) => `${x} not on screen: ${enter} writes nothing:`,
                    () => `Not on screen: ${enter} writes nothing:`,
                    () => 'Not on screen, refused:',
                    () => 'Refused:',
                  ]
                : [
                    (x) => `Approve ${x}? This cannot be undone.`,
                    (x) => `Approve ${x}? Cannot be undone.`,
                    () => 'Cannot be undone:',
                    () => 'No undo:',
                  ];
        return [oneLine(heads, id, offScreen ? 'warn' : tone, end, cols)];
      }
      case 'reason': {
        const { what, hint, head, tone } = REASON_PROMPT[dialog.outdated ?? 'shown'](firstKey('input', 'input-accept'));
        const label = `Reject ${clean(dialog.repair.id)} — ${what}`;
        const end = (room: number) => typed(dialog.text, caret, room);
        return fit(
          [[{ text: `${label} ${hint}`, bold: true, tone }, sp, ...end(cols)]],
          { text: `${label} ${hint}`, bold: true, tone },
          { text: head, bold: true, tone },
          end,
          cols,
          maxLines,
        );
      }
      case 'count':
        return countPromptOf(dialog, caret, cols, maxLines).lines;
      case 'bulk': {
        const { count: n, unseen } = paneProgress(dialog, cols);
        let longLeft = 0;
        for (const id of dialog.long) if (!dialog.out.has(id)) longLeft++;
        const notes = [
          dialog.out.size ? `${dialog.out.size} changed or gone since listed, left out` : '',
          dialog.moved.size ? `${dialog.moved.size} whose blast radius changed since listed, left out` : '',
          dialog.added ? `${dialog.added} new since, not listed` : '',
          dialog.left ? `${dialog.left} changed since shown on ${dialog.left === 1 ? 'its card' : 'their cards'}, left out` : '',
          longLeft ? `${longLeft} with a value too long to show, left out: gc-tui apply` : '',
        ].filter((x) => x !== '');
        const why = notes.length ? ` (${notes.join('; ')})` : '';
        // Until every line has been on screen the count approves nothing, and the question says so first.
        const scroll = unseen > 0 ? `scroll to the end to approve (${unseen} of ${n} not yet on screen); ` : '';
        const question =
          n === 0
            ? `Nothing left to approve: every listed repair changed or left the plan${why}`
            : `${scroll}Type ${n} to approve ${n === 1 ? 'this repair' : `these ${n} repairs`}${why}`;
        return countPrompt(
          'bulk',
          n,
          0,
          () => ({ text: question, above: false }),
          (room) => typed(dialog.text, caret, room),
          cols,
          maxLines,
        ).lines;
      }
      case 'export': {
        const what = dialog.what === 'snapshot' ? 'Export a snapshot' : 'Export the rows of this view';
        const label: Span = { text: `${what} as:`, bold: true, tone: 'accent' };
        const end = (room: number) => buttons(dialog.options, dialog.focus, room, cols);
        // Wrapped, the line above says what and the buttons' line begins "as:": the question read "as:" twice.
        return fit([[label, sp, ...end(cols)]], { ...label, text: what }, { ...label, text: 'as:' }, end, cols, maxLines);
      }
      case 'quit': {
        const q = quitQuestion(dialog.marked);
        const question: Span = { text: `${q.what} — ${q.ask}`, bold: true, tone: 'warn' };
        const end = (): Line => [{ text: q.keys, bold: true }];
        // Wrapped, the line above says what is lost and the last asks: "quit anyway?" is never read twice.
        return fit([[question, sp, ...end()]], { ...question, text: q.what }, { ...question, text: q.ask }, end, cols, maxLines);
      }
    }
  }
  // The prompt's sign is the key that opened it (`/`, `:`).
  if (mode === 'filter') {
    const sign = firstKey('global', 'filter');
    return [[{ text: sign, bold: true, tone: 'accent' }, ...typed(filter, caret, cols - cellsIn(sign))]];
  }
  if (mode === 'command') {
    const sign = firstKey('global', 'command');
    const line: Line = [{ text: sign, bold: true, tone: 'accent' }, ...typed(command, caret, cols - cellsIn(sign))];
    return menu && maxLines > 1 ? [menuLine(menu, cols), line] : [line];
  }
  return null;
}
