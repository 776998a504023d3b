// slice-ansi as Ink's frame writer calls it for each line of a box that clips (and cli-truncate for a cut text),
// with the answers kept across frames (see tokenize.ts for how the build hands it to them): the same lines are cut
// the same way frame after frame, and each cut tokenizes the whole line, a grapheme segmenter over it. A line of
// printable ASCII and the console's one-cell characters (one-cell.ts) without escapes is a character a cell: its cut
// is the substring.
import sliceAnsiOnce from 'slice-ansi';
import { TwoGenerations } from './generations.js';
import { oneCellWidth } from './one-cell.js';

const slices = new TwoGenerations<string, string>();

export default function sliceAnsi(string: string, startSlice: number, endSlice?: number): string {
  if (Number.isInteger(startSlice) && (endSlice === undefined || Number.isInteger(endSlice)) && oneCellWidth(string) >= 0) {
    // The package's: from the first character at or past the start, up to the end; nothing when the end comes first.
    const from = Math.max(0, startSlice);
    return endSlice !== undefined && endSlice <= from ? '' : string.slice(from, endSlice);
  }
  return slices.of(`${startSlice},${endSlice ?? ''},${string}`, () => sliceAnsiOnce(string, startSlice, endSlice));
}
