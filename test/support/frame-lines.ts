// The parts of a rendered frame most UI tests read: every console frame ends with the status line and the footer of
// key hints, and marks the row under the cursor with `>`.

/** The frame's lines. */
export const lines = (f: string): string[] => f.split('\n');

/** The row under the cursor (the line starting with `>`), or '' when there is none. */
export const selected = (f: string): string => lines(f).find((l) => l.startsWith('>')) ?? '';

/** The status line: the frame's last line but one. */
export const status = (f: string): string => lines(f).at(-2) ?? '';

/** The footer of key hints: the frame's last line. */
export const footer = (f: string): string => lines(f).at(-1) ?? '';
