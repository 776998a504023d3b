// string-width as Ink's frame writer and its helpers (widest-line, cli-truncate) call it, with the answers kept
// across frames (see tokenize.ts for how the build hands it to them). Ink measures every text node and every clipped
// line on every frame; a string with one character outside ASCII takes the package's grapheme path, a few
// microseconds a character. A line of printable ASCII and the console's one-cell characters (one-cell.ts), with or
// without the SGR codes of Ink's styles, is counted directly: a j on the slots view measured about ten new lines
// (the detail pane's, the two rows the cursor left and reached) and most hold a `…`, `·` or `—`.
import stringWidthOnce, { type Options } from 'string-width';
import { TwoGenerations } from './generations.js';
import { isOneCell, sgrEnd } from './one-cell.js';

const widths = new TwoGenerations<string, number>();

export type { Options };

export default function stringWidth(string: string, options?: Options): number {
  if (options !== undefined) return stringWidthOnce(string, options);
  const cells = oneCellCount(string);
  return cells >= 0 ? cells : widths.of(string, () => stringWidthOnce(string));
}

/**
 * The cells of `s` when it holds only one-cell characters and SGR codes (`ESC [ digits;… m`, each of which the
 * package's strip-ansi removes whole), else -1.
 */
export function oneCellCount(s: string): number {
  let cells = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isOneCell(c)) cells++;
    else {
      const end = sgrEnd(s, i);
      if (end < 0) return -1;
      i = end;
    }
  }
  return cells;
}
