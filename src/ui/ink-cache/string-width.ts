// string-width as Ink's frame writer and its helpers (widest-line, cli-truncate) call it, with the answers kept
// across frames (see tokenize.ts for how the build hands it to them). Ink measures every text node and every clipped
// line on every frame; a string with one character outside ASCII (a `…`, the `─` rule under the table) takes the
// package's grapheme path, a few microseconds a character, and these are the same strings frame after frame.
import stringWidthOnce, { type Options } from 'string-width';
import { TwoGenerations } from './generations.js';

const widths = new TwoGenerations<string, number>();

export type { Options };

export default function stringWidth(string: string, options?: Options): number {
  if (options !== undefined) return stringWidthOnce(string, options);
  return widths.of(string, () => stringWidthOnce(string));
}
