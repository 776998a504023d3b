// Ink's wrap-text (ink/build/wrap-text.js, Ink 6.8), which wraps or cuts a text node to its box for the layout and
// for each frame, with its answers kept in two generations (generations.ts) instead of the package's object, which
// kept every text it had ever wrapped or cut, at every width, for as long as the console ran.
import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';
import { TwoGenerations } from './generations.js';

const wrapped = new TwoGenerations<string, string>();

export default function wrapText(text: string, maxWidth: number, wrapType: string): string {
  // The package's key: the text, then the width and the kind of wrap, joined.
  return wrapped.of(text + String(maxWidth) + String(wrapType), () => {
    if (wrapType === 'wrap') return wrapAnsi(text, maxWidth, { trim: false, hard: true });
    if (wrapType.startsWith('truncate')) {
      const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
      return cliTruncate(text, maxWidth, { position });
    }
    return text;
  });
}
