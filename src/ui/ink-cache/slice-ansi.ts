// slice-ansi as Ink's frame writer calls it for each line of a box that clips (and cli-truncate for a cut text),
// with the answers kept across frames (see tokenize.ts for how the build hands it to them): the same lines are cut
// the same way frame after frame, and each cut tokenizes the whole line.
import sliceAnsiOnce from 'slice-ansi';
import { TwoGenerations } from './generations.js';

const slices = new TwoGenerations<string, string>();

export default function sliceAnsi(string: string, startSlice: number, endSlice?: number): string {
  return slices.of(`${startSlice},${endSlice ?? ''},${string}`, () => sliceAnsiOnce(string, startSlice, endSlice));
}
