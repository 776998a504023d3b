// Ink's measure-text (ink/build/measure-text.js, Ink 6.8), which Yoga calls for every text node it lays out, with
// its answers kept in two generations (generations.ts) instead of the package's Map, which kept every text it had
// ever measured: each row scrolled past, each filter's rows and each status text the clock changed stayed in memory
// for as long as the console ran. The width is widest-line's, through the string-width the build hands Ink.
import stringWidth from './string-width.js';
import { TwoGenerations } from './generations.js';

export interface Dimensions {
  width: number;
  height: number;
}

const sizes = new TwoGenerations<string, Dimensions>();

export default function measureText(text: string): Dimensions {
  if (text.length === 0) return { width: 0, height: 0 };
  return sizes.of(text, () => {
    const lines = text.split('\n');
    let width = 0;
    for (const line of lines) width = Math.max(width, stringWidth(line));
    return { width, height: lines.length };
  });
}
