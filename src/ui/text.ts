// Everything that reaches the screen from the data goes through `clean`: bead fields can hold any
// bytes (escape sequences in an alias would otherwise move the cursor or retitle the terminal).
import { hasUnsafe, sanitize } from '../store/output/sanitize.js';
import { groupDigits } from '../store/output/plan-view.js';
import stringWidth from 'string-width';

/** 12000 → "12 000" (plan-view.ts): the console's counts, alike in the UI and in what the console says. */
export { groupDigits };

/**
 * A data string longer than this (UTF-16 units) is drawn cut to its first LONG_SHOWN characters, with its length
 * (cutLong): the console cleans, measures and folds what it draws on every frame, and a 2 MB alias made each key take
 * seconds. A diff line with a cut value can never be all on screen (card.ts), so no decision acts on it.
 */
export const LONG_VALUE = 4096;
const LONG_SHOWN = 200;

const lengths = new Map<string, number>();

/** How many characters (code points) `s` holds: said beside a cut value, remembered for the few long ones drawn. */
export function charsIn(s: string): number {
  let n = lengths.get(s);
  if (n === undefined) {
    n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff) n++;
    }
    if (lengths.size > 64) lengths.clear();
    lengths.set(s, n);
  }
  return n;
}

/** Whether `v` is drawn cut (longer than LONG_VALUE). */
export function isLong(v: string | null | undefined): boolean {
  return typeof v === 'string' && v.length > LONG_VALUE;
}

/**
 * A long string (isLong) as its first characters, never half a surrogate pair, and the note that says it is cut and how
 * long it is: `…(2 000 000 characters)`; else `s` itself and no note. Taken before any per-character work.
 */
export function cutLong(s: string): { head: string; note: string } {
  if (s.length <= LONG_VALUE) return { head: s, note: '' };
  const end = s.charCodeAt(LONG_SHOWN - 1) >= 0xd800 && s.charCodeAt(LONG_SHOWN - 1) <= 0xdbff ? LONG_SHOWN - 1 : LONG_SHOWN;
  return { head: s.slice(0, end), note: `…(${groupDigits(charsIn(s))} characters)` };
}

/** Below this code point every character takes one terminal cell (East Asian wide characters start at U+1100). */
const NARROW_BELOW = 0x1100;
const widths = new Map<number, number>();

/**
 * The terminal cells one code point takes: 2 for East Asian wide characters and most emoji (string-width's
 * answer, remembered), else 1. A zero-width mark counts 1: too much room is a line cut early, too little one
 * that wraps and makes the frame taller than the terminal.
 */
export function cellWidth(cp: number): number {
  if (cp < NARROW_BELOW) return 1;
  let w = widths.get(cp);
  if (w === undefined) {
    w = Math.max(1, stringWidth(String.fromCodePoint(cp)));
    widths.set(cp, w);
  }
  return w;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const PLAIN = new RegExp('^[ -~]*$');

/**
 * `text` as the characters a reader sees (grapheme clusters): `e` and its combining accent, a flag's two halves, an
 * emoji family joined by ZWJs are each one. A typed line's cursor steps over these, never into one.
 */
export function graphemes(text: string): string[] {
  if (PLAIN.test(text)) return text.split('');
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The terminal cells `text` takes (cellWidth per code point). */
export function cellsIn(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < NARROW_BELOW) n++;
    else {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      n += cellWidth(cp);
    }
  }
  return n;
}

/**
 * The visible escapes clean() writes (`\e`, `\x07`, `\u{202e}`, and `\n`, `\r`, `\t`) and JSON's (`\u001b`: the raw
 * bead `y` shows), else a code point: folded at `\u{` | `202e}`, or cut to `\u{2…`, an escape reads as neither half,
 * and the lines no longer say which character the data holds.
 */
const UNITS = /\\(?:[enrt]|x[0-9a-f]{2}|u\{[0-9a-f]{1,6}\}|u[0-9a-f]{4})|[^]/gu;

/** Text as the units a fold or a cut may fall between: its code points, with each escape (UNITS) one unit. */
function unitsOf(word: string): Iterable<string> {
  return word.includes('\\') ? (word.match(UNITS) ?? []) : word;
}

/** An escape (UNITS) is ASCII: a cell per character; any other unit is one code point. */
const isEscape = (unit: string) => unit.length > 1 && unit[0] === '\\';
const unitCells = (unit: string) => (isEscape(unit) ? unit.length : cellWidth(unit.codePointAt(0)!));

/**
 * The longest start of `units` (unitsOf: a cut falls between escapes, never inside one, as a fold does) that fits in
 * `cells` terminal cells: how many units. An escape that does not fit is left out whole: half of one names no character.
 */
function fitsFrom(units: readonly string[], cells: number): number {
  let used = 0;
  for (let i = 0; i < units.length; i++) {
    used += unitCells(units[i]);
    if (used > cells) return i;
  }
  return units.length;
}

/** The longest end of `units` that fits in `cells` terminal cells: how many units. */
function fitsTo(units: readonly string[], cells: number): number {
  let used = 0;
  for (let i = units.length - 1; i >= 0; i--) {
    used += unitCells(units[i]);
    if (used > cells) return units.length - 1 - i;
  }
  return units.length;
}

/**
 * The characters that join the one before them, or change it, as a terminal draws them: the zero-width joiner (👩‍💻,
 * 👨‍👩‍👧), combining marks (`e` and U+0301; enclosing ones, the keycap's U+20E3) and the emoji skin-tone modifiers (👍🏽).
 * How many cells such a cluster takes is the terminal's choice: one that joins draws 👨‍👩‍👧 in two, one that does not in
 * six, and tmux 3.3 draws 👍🏽 in four; Ink lays the frame out with string-width's two. A line Ink measured as fitting
 * then ran past its columns (a slots row wrapped in tmux, the frame one line taller than the terminal). Variation
 * selectors are not among them: they only ever make a character drawn narrower than measured (❤️ is one cell in tmux).
 */
const JOINING = /\u200d|[\u{1f3fb}-\u{1f3ff}]|(?![\ufe00-\ufe0f\u{e0100}-\u{e01ef}])[\p{Mn}\p{Me}]/u;
const JOINING_ALL = new RegExp(JOINING.source, 'gu');

/** `text` with each joining character (above) replaced by `by`'s escape of it. */
export function joinersReplaced(text: string, by: (ch: string) => string): string {
  return JOINING.test(text) ? text.replace(JOINING_ALL, by) : text;
}

/**
 * `value` as text, its control characters, newlines and tabs as visible escapes (`\e`, `\n`), and nothing else changed:
 * for text that leaves the screen (what `c` copies), where the characters themselves are wanted.
 */
export function controlsEscaped(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = typeof value === 'string' ? value : String(value);
  // Most strings hold nothing to replace: one scan says so.
  return hasUnsafe(s) ? sanitize(s) : s;
}

/**
 * Sanitized, single-line text as the screen shows it: control characters, newlines and tabs as visible escapes (`\e`,
 * `\n`), so that two different values (an id with a line break, one with a space) never look the same, and the joining
 * characters (joinersReplaced) too, as `\u{200d}`, `\u{301}`, `\u{1f3fd}`: each character around them is then drawn on its own,
 * in the cells it is measured in (string-width's, Ink's and cellsIn's), whatever the terminal joins; and an accent
 * written apart (`e\u{301}`) no longer looks like the same letter written whole (`é`). Ordinary text is drawn as it is:
 * CJK, single emoji, precomposed accents. Every data string the console draws goes through here.
 */
export function clean(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = typeof value === 'string' ? value : String(value);
  if (isLong(s)) {
    const { head, note } = cutLong(s);
    return clean(head) + note;
  }
  // Most strings are printable ASCII: one scan says there is nothing to replace (the table rows of 100 000 beads are
  // cleaned this way).
  if (PLAIN.test(s)) return s;
  const safe = hasUnsafe(s) ? sanitize(s) : s;
  return joinersReplaced(safe, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
}

/** A short, honest age: "now", "3 s", "4 min", "2 h", "3 d". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 1) return 'now';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

export function cap(v: number | null | undefined): string {
  return v === null || v === undefined ? '∞' : String(v);
}

/** The range shown in a list title: "41–80 of 12 000", or "0 of 0". */
export function rangeLabel(top: number, visible: number, total: number): string {
  if (total === 0) return '0 of 0';
  const last = Math.min(total, top + visible);
  return `${groupDigits(top + 1)}–${groupDigits(last)} of ${groupDigits(total)}`;
}

/**
 * A value in quotes, sanitized (escapes shown once: `\e`, not `\\e`), its line breaks and tabs too (`\r\n`, not
 * a space: the value judged on a card is the one on disk); null is "(absent)". A long value (isLong) shows its start,
 * quoted, then how long it is: `"AAAA"…(2 000 000 characters)`.
 */
export function quoted(v: string | null | undefined): string {
  if (v === null || v === undefined) return '(absent)';
  const { head, note } = cutLong(v);
  return `"${clean(head.replace(/[\\"]/g, (c) => `\\${c}`))}"${note}`;
}

/**
 * `text` cut to `width` terminal cells in the middle, the tail kept whole where it can be: names and ids differ at
 * their end (`backend/builder-1`, `backend/builder-2`), so `backend/…der-1` tells rows apart where
 * `backend/bu…` would not.
 */
export function truncateMiddle(text: string, width: number): string {
  if (cellsIn(text) <= width) return text;
  if (width <= 0) return '';
  if (width === 1) return '…';
  const units = [...unitsOf(text)];
  const tail = units.slice(units.length - fitsTo(units, Math.ceil((width - 1) / 2))).join('');
  return units.slice(0, fitsFrom(units, width - 1 - cellsIn(tail))).join('') + '…' + tail;
}

/** `text` cut to `width` terminal cells at the end, with `…` when cut. */
export function truncateEnd(text: string, width: number): string {
  if (cellsIn(text) <= width) return text;
  if (width <= 0) return '';
  const units = [...unitsOf(text)];
  return units.slice(0, fitsFrom(units, width - 1)).join('') + '…';
}

/**
 * `text` word-wrapped to `width` terminal cells in at most `maxLines` lines (a word longer than a line is split,
 * never inside an escape; the last line ends in `…` when text is left over).
 */
export function wrapText(text: string, width: number, maxLines = Infinity): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    const cells = cellsIn(word);
    if (used > 0 && used + 1 + cells > w) {
      lines.push(line);
      line = '';
      used = 0;
    }
    if (used > 0) {
      line += ' ';
      used++;
    }
    if (used + cells <= w) {
      line += word;
      used += cells;
      continue;
    }
    // A word longer than the room: a character (or an escape) at a time, each line as full as its cells allow (one
    // pass). An escape wider than a whole line is split: a line never runs past its width.
    const put = (piece: string, c: number) => {
      if (used > 0 && used + c > w) {
        lines.push(line);
        line = '';
        used = 0;
      }
      line += piece;
      used += c;
    };
    for (const unit of unitsOf(word)) {
      if (isEscape(unit) && unit.length <= w) put(unit, unit.length);
      else for (const ch of unit) put(ch, cellWidth(ch.codePointAt(0)!));
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(0, maxLines));
  if (kept.length > 0) kept[kept.length - 1] = truncateEnd(kept[kept.length - 1] + ' ' + lines[kept.length], w);
  return kept;
}

/**
 * A line that quotes values (quoted(): `"…"`, `\"` and `\\` escaped inside) folded to `width` cells as wrapText
 * folds prose, but a space inside a quoted value is data: every one is kept, and one a fold falls on starts the next
 * line, where it shows (prose drops the space it breaks at, which here made `"x thumbs"` read as `"xthumbs"`).
 */
export function wrapQuoted(text: string, width: number): string[] {
  const w = Math.max(1, width);
  // Words: runs of units between the spaces outside quotes (`gap`: one came before it); a space inside a quoted value
  // begins a word of its own, with no gap, so a fold may fall before it.
  const words: { units: string[]; gap: boolean }[] = [];
  let word: string[] = [];
  let gap = false;
  const end = () => {
    if (word.length > 0) words.push({ units: word, gap });
    if (word.length > 0) gap = false;
    word = [];
  };
  let inQuote = false;
  let escaped = false;
  for (const unit of text.match(UNITS) ?? []) {
    if (unit === ' ' && !inQuote) {
      end();
      gap = true;
      continue;
    }
    if (unit === ' ' && word.length > 0 && word[word.length - 1] !== ' ') end();
    if (unit === '"' && !escaped) inQuote = !inQuote;
    escaped = unit === '\\' && !escaped;
    word.push(unit);
  }
  end();
  const lines: string[] = [];
  let line: string[] = [];
  let used = 0;
  const push = () => {
    lines.push(line.join(''));
    line = [];
    used = 0;
  };
  for (const wd of words) {
    const cells = wd.units.reduce((n, u) => n + unitCells(u), 0);
    if (used > 0 && used + (wd.gap ? 1 : 0) + cells > w) push();
    else if (used > 0 && wd.gap) {
      line.push(' ');
      used++;
    }
    // A word longer than a line: a unit at a time (wrapText's way); a quoted space the line would end in goes on to
    // the next line with what follows it.
    for (const [i, unit] of wd.units.entries()) {
      const c = unitCells(unit);
      if (used > 0 && used + c > w) {
        let n = 0;
        while (n < i && wd.units[i - 1 - n] === ' ' && n < line.length - 1) n++;
        const carried = line.splice(line.length - n, n);
        push();
        line.push(...carried);
        used = carried.length;
      }
      line.push(unit);
      used += c;
    }
  }
  if (line.length > 0) push();
  return lines;
}

/** The end of `text` in `width` terminal cells (`…` first when cut): what was typed last stays visible. */
export function tailOf(text: string, width: number): string {
  if (cellsIn(text) <= width) return text;
  if (width <= 0) return '';
  const units = [...unitsOf(text)];
  return '…' + units.slice(units.length - fitsTo(units, width - 1)).join('');
}
