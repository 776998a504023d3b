// Frame geometry. The frame is one line shorter than the terminal: Ink clears the whole screen on
// every render once a frame reaches the terminal's height, which is what makes TUIs flicker.
import { firstKey } from './keymap.js';
import { cellsIn, truncateEnd } from './text.js';

export interface Layout {
  frame: number;
  width: number;
  list: number;
  detail: number;
  /** Lines of the status area: more than one while a dialog or prompt too long for one line is open. */
  status: number;
  /** Too small to show a list at all: the app says so instead (tooSmallLine). */
  tooSmall: boolean;
}

/** Whether the banner under the header takes a line: the input cannot be read, or its last read warns (Banner.tsx). */
export function bannerShown(s: { error: string | null; warnings: readonly string[] }): boolean {
  return s.error !== null || s.warnings.length > 0;
}

/** Header (2) + view bar (1) + column titles (1) + status line (1) + footer (1). */
const FIXED = 6;

/**
 * `status`: the lines a wrapped dialog or prompt asks for; they come out of the list (never below `keep` rows of it,
 * or 1 on a terminal too short for that), so the detail pane keeps its size. A dialog keeps 1 (the list waits behind
 * it, and on a short terminal what it asks about comes first).
 */
export function layout(rows: number, columns: number, banner: boolean, status = 1, keep = 3): Layout {
  const frame = Math.max(1, rows - 1);
  const room = frame - FIXED - (banner ? 1 : 0);
  const detail = room >= 24 ? 5 : room >= 14 ? 3 : room >= 9 ? 2 : 0;
  const base = room - detail;
  const extra = Math.max(0, Math.min(status - 1, base - Math.min(keep, base)));
  const list = base - extra;
  return { frame, width: Math.max(1, columns), list: Math.max(0, list), detail, status: 1 + extra, tooSmall: list < 1 };
}

/**
 * What a terminal too small for a list shows: one line, the longest of these wordings that fits the width whole
 * (at 40 columns "terminal too small (40×7); q quits"); at the tiniest widths only how to leave, cut to the width.
 */
export function tooSmallLine(columns: number, rows: number): string {
  const size = `${columns}×${rows}`;
  const quits = `${firstKey('small', 'quit')} quits`;
  const wordings = [
    `gc-tui: terminal too small (${size}); ${quits}`,
    `terminal too small (${size}); ${quits}`,
    `too small (${size}); ${quits}`,
    `too small; ${quits}`,
    quits,
  ];
  const width = Math.max(1, columns);
  const text = wordings.find((t) => cellsIn(t) <= width) ?? wordings[wordings.length - 1];
  return truncateEnd(text, width);
}
